"""The triage column: open complaints waiting for an answer, most urgent first, each with its
countdown to the target."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ..hours import ALWAYS_OPEN, BusinessHours
from ..models import NETWORKS
from ..store import ListRow
from ..textsafe import one_line
from ..timefmt import countdown
from .cells import fit

# Under this many minutes left, the countdown turns amber.
_SOON_MINUTES = 15


def due_time(created_at: float, target_minutes: int, hours: BusinessHours) -> float:
    """The time an answer is due: `target_minutes` of open time after the clock starts."""
    return hours.add_open_minutes(hours.clock_start(created_at), target_minutes)


def deadline_style(seconds_left: float) -> str:
    if seconds_left < 0:
        return "bold red"
    if seconds_left < _SOON_MINUTES * 60:
        return "yellow"
    return "green"


class TriageColumn(Widget):
    DEFAULT_CSS = """
    TriageColumn {
        width: 32;
        height: 1fr;
        border: round $panel-lighten-2;
        border-title-color: $error;
        padding: 0 1;
    }
    """

    def __init__(self, clock: Callable[[], float] = time.time, *, next_key: str = "n", **kwargs) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.next_key = next_key  # the key of "next urgent", as the footer shows it (a [keys] table moves it)
        self.rows: list[ListRow] = []
        self.total = 0
        self.more = False
        self.target_minutes = 60
        self.current_id: int | None = None
        self.hours = ALWAYS_OPEN
        self.border_title = "Triage"

    def mark_current(self, message_id: int | None) -> None:
        """Point at the message under the list's cursor; repaint only if that changes the column."""
        shown = {row.id for row in self.rows}
        before, self.current_id = self.current_id, message_id
        if before in shown or message_id in shown:
            self.refresh()

    def show(self, rows: list[ListRow], total: int, target_minutes: int, hours: BusinessHours | None = None,
             *, more: bool | None = None) -> None:
        """`rows`: those waiting for an answer, most urgent first; `total`: every open complaint
        (answered ones too); `more`: rows were left out (None: fewer rows than `total`)."""
        self.rows, self.total, self.target_minutes = rows, total, target_minutes
        self.more = len(rows) < total if more is None else more
        self.hours = hours or ALWAYS_OPEN
        self.refresh()

    def due(self, row: ListRow) -> float:
        """When the answer is due: the target counted in open minutes from the clock start."""
        return due_time(row.created_at, self.target_minutes, self.hours)

    def _rows_thatfit(self) -> int:
        """Rows (two lines each, under three lines of heading) the column has room for, the
        last one possibly cut: the rest would be built only to be cropped away."""
        height = self.size.height
        return len(self.rows) if height <= 0 else max(0, -(-(height - 3) // 2))

    def render(self) -> Text:
        now = self.clock()
        width = max(10, self.size.width)
        out = Text(no_wrap=True, overflow="ellipsis")
        overdue = sum(1 for r in self.rows if self.due(r) < now)
        late = f" · {overdue}{'+' if self.more else ''} late" if overdue else ""
        head = f"{self.total} open complaint{'s' if self.total != 1 else ''}"
        if len(head) + len(late) > width:  # "70 open complaints · 40+ late" wrapped in 30 columns
            head = head.replace(" open", "")
        out.append(head, style="bold")
        out.append(late, style="bold red")
        hours = "" if self.hours.always_open else " (open hours)"
        out.append(f"\ntarget {self.target_minutes} min{hours} · {self.next_key}: next\n\n", style="dim")
        if not self.rows:
            out.append("Nothing urgent. 🎉\n", style="green")
        for row in self.rows[: self._rows_thatfit()]:
            left = self.due(row) - now
            clock_text = countdown(left)
            name = one_line(row.author_name or row.author_handle, width) or "?"
            network = NETWORKS.get(row.network, row.network)
            head = f"{network} {name}"
            click = Style(meta={"@click": f"app.jump_to({row.id})"})
            marker = "▸" if row.id == self.current_id else "●"
            # Only the name carries the click: link styling would repaint the colours of the rest.
            out.append(marker + " ", style=deadline_style(left))
            room = max(1, width - 3 - len(clock_text))
            out.append(fit(one_line(head, room + 4), room), style=Style(bold=row.unread) + click)
            out.append(" " + clock_text + "\n", style=deadline_style(left))
            # Cut to the column's cells, not characters: wide ones (emoji, CJK) take two.
            snippet = one_line(row.snippet, width)
            out.append("  " + fit(snippet, width - 2) + "\n", style="dim")
        return out


