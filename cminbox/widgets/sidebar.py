"""The left column: workspaces, folders with their counts, and each source's health.

Everything is drawn from plain strings into a `Text` (names from config and sources are data,
never markup); clickable rows carry an action in their style's meta, as Textual links do.
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from .. import health
from ..store import FOLDERS, SourceHealth, Workspace
from ..textsafe import one_line

_WIDTH = 26

# Health state -> style of its mark; the marks and phrases come from `health.py`.
_STYLES = {
    "ok": "green",
    "live": "bold green",
    "idle": "dim",
    "syncing": "cyan",
    "backoff": "yellow",
    "reauth": "bold red",
    "error": "red",
    "off": "dim",
}
# Lines of a failing source's last error shown under it, and of each of its notices (a read
# its API tier leaves out: `cminbox doctor` gives them in full).
_ERROR_LINES = 3
_NOTICE_LINES = 2


class Sidebar(Widget):
    DEFAULT_CSS = f"""
    Sidebar {{
        width: {_WIDTH};
        height: 1fr;
        border: round $panel-lighten-2;
        padding: 0 1;
    }}
    """

    def __init__(self, clock: Callable[[], float] = time.time, keys: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.keys = keys or {}  # folder -> the key the user remapped it to (else its own)
        self.workspaces: list[Workspace] = []
        self.workspace_id: int | None = None
        self.counts: dict[str, int] = {}
        self.folder = "all"
        self.sources: list[SourceHealth] = []
        self.searching: str | None = None

    def show(
        self,
        *,
        workspaces: list[Workspace],
        workspace_id: int | None,
        counts: dict[str, int],
        folder: str,
        sources: list[SourceHealth],
        searching: str | None = None,
    ) -> None:
        self.workspaces, self.workspace_id = workspaces, workspace_id
        self.counts, self.folder, self.sources, self.searching = counts, folder, sources, searching
        self.refresh()

    def render(self) -> Text:
        now = self.clock()
        inner = max(8, self.size.width)
        out = Text(no_wrap=True, overflow="ellipsis")
        if len(self.workspaces) > 1:
            out.append("Workspaces  w\n", style="bold")
            for ws in self.workspaces:
                current = ws.id == self.workspace_id
                click = Style(meta={"@click": f"app.switch_workspace({ws.id})"})
                out.append(("▸ " if current else "  ") + one_line(ws.name, inner - 3) + "\n",
                           style=Style(bold=current) + click)
            out.append("\n")
        out.append("Folders\n", style="bold")
        for folder in FOLDERS:
            current = folder.key == self.folder and self.searching is None
            count = str(self.counts.get(folder.key, 0))
            label = f"{'▸' if current else ' '} {self.keys.get(folder.key, folder.hotkey)} {folder.label}"
            click = Style(meta={"@click": f"app.show_folder('{folder.key}')"})
            out.append(label, style=Style(bold=current) + click)
            alarm = folder.key in ("complaints", "outbox") and count != "0"
            out.append(count.rjust(max(1, inner - len(label))) + "\n", style="bold red" if alarm else ("bold" if current else ""))
        if self.searching is not None:
            out.append("▸ / " + one_line(self.searching, inner - 5) + "\n", style="bold")
        out.append("\nSources\n", style="bold")
        if not self.sources:
            out.append("  none configured\n", style="dim")
        for source in self.sources:
            loud = source.state == "reauth"
            out.append(f"{health.mark(source)} ", style=_STYLES.get(source.state, "dim"))
            out.append(one_line(source.label, inner - 2) + "\n", style="bold red" if loud else "")
            out.append("  " + health.phrase(source, now, short=True) + "\n", style="bold red" if loud else "dim")
            if source.last_error and source.state in health.FAILING:
                for line in _under(source, source.last_error, inner, _ERROR_LINES):
                    out.append(line, style="red")
            for notice in source.notices:
                for line in _under(source, notice, inner, _NOTICE_LINES):
                    out.append(line, style="dim")
            if source.unreadable:
                out.append("  " + one_line(health.unreadable_phrase(source), inner - 2) + "\n", style="yellow")
                for line in _under(source, health.unreadable_why(source), inner, _ERROR_LINES):
                    out.append(line, style="dim")
        return out


def _under(source: SourceHealth, text: str, inner: int, most: int) -> list[str]:
    """A source's error or notice as indented lines under it (plain text, at most `most` lines).
    The label is on the line above: the text need not repeat it."""
    text = one_line(health.unlabelled(text, source.label), 400)
    return ["  " + line + "\n" for line in textwrap.wrap(text, max(4, inner - 2), max_lines=most, placeholder=" …")]
