"""The help screen: every key, read from the live bindings (so a remapped key shows as remapped),
and what the marks on the screen mean."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static
from .footer_order import DeclaredOrder

# Binding id prefix -> heading, in the order shown.
GROUPS = {
    "list": "Move",
    "inbox": "Act on the message (or the selection)",
    "detail": "In the detail pane (after enter)",
    "view": "Views",
    "folder": "Folders",
    "sources": "Sources",
    "app": "App",
    "composer": "In the composer (r)",
    "picker": "In the saved-replies picker (R)",
    "snooze": "In the snooze dialog (s)",
}
# Headings shown in the left column; the rest go right.
_LEFT = ("Move", "Act on the message (or the selection)", "In the detail pane (after enter)", "In the snooze dialog (s)")


def shown_keys(bindings: Iterable[Binding], keymap: Mapping[str, str], key_display) -> dict[str, list[str]]:
    """Each binding id's keys as the footer shows them ("j, ↓", "^n"), the user's keymap applied:
    a remapped key the same way as a default one.

    Textual splits "j,down" into one binding per key: they are joined again by binding id.
    """
    keys_by_id: dict[str, list[str]] = {}
    for binding in bindings:
        if not binding.id:
            continue
        remapped = binding.id in keymap
        keys = keymap[binding.id].split(",") if remapped else binding.key.split(",")
        known = keys_by_id.setdefault(binding.id, [])
        for key in (k.strip() for k in keys):
            shown = key_display(dataclasses.replace(binding, key=key, key_display=None if remapped else binding.key_display))
            if key and shown not in known:
                known.append(shown)
    return keys_by_id


def help_rows(bindings: Iterable[Binding], keymap: Mapping[str, str], key_display) -> dict[str, list[tuple[str, str]]]:
    """Bindings grouped under headings, as (keys, description), the user's keymap applied."""
    bindings = list(bindings)
    keys_by_id = shown_keys(bindings, keymap, key_display)
    described: dict[str, Binding] = {}
    for binding in bindings:
        if binding.id and binding.description:
            described.setdefault(binding.id, binding)
    grouped: dict[str, list[tuple[str, str]]] = {heading: [] for heading in GROUPS.values()}
    for binding_id, binding in described.items():
        heading = GROUPS.get(binding_id.split(".")[0], "App")
        grouped[heading].append((", ".join(keys_by_id[binding_id]), binding.description))
    return {heading: rows for heading, rows in grouped.items() if rows}


class HelpScreen(DeclaredOrder, ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        # The list's keys scroll the help too (the arrows, page keys and home/end already do).
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
        Binding("space", "scroll('page_down')", "Page down", show=False),
        Binding("g", "scroll('home')", "Top", show=False),
        Binding("G", "scroll('end')", "Bottom", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 110; max-width: 98%; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, groups: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__()
        self.groups = groups

    def action_scroll(self, where: str) -> None:
        getattr(self.query_one(VerticalScroll), f"scroll_{where}")(animate=False)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "cminbox · keys"
            scroll.border_subtitle = "j/k scroll · escape to close · ctrl+p finds any command"
            yield Static(self._layout())

    def _column(self, headings: Iterable[str]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold cyan", no_wrap=True)
        table.add_column()
        for heading in headings:
            rows = self.groups.get(heading)
            if not rows:
                continue
            table.add_row("", Text(heading, style="bold underline"))
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            table.add_row("", "")
        return table

    def _layout(self) -> Table:
        layout = Table.grid(padding=(0, 4))
        layout.add_row(
            self._column([h for h in self.groups if h in _LEFT]),
            self._column([h for h in self.groups if h not in _LEFT]),
        )
        layout.add_row(
            Text("In the search box: words, \"a phrase\", -exclude, from:name; "
                 "enter goes to the results, escape closes.", style="dim"),
            "",
        )
        layout.add_row(Text(""), "")
        layout.add_row(_marks(MARKS_LEFT, "Marks on the screen"), _marks(MARKS_RIGHT))
        return layout


# What the list's and the triage column's marks mean: the help explains the screen, not only keys.
MARKS_LEFT = (
    ("!", "a complaint (! marks one or not)"),
    ("●", "negative (red) or positive (green)"),
    ("·", "neutral"),
    ("×", "spam or abuse (its line dimmed)"),
    ("★", "starred (*): quoted in the month's report"),
    ("✓", "selected (x)"),
)
MARKS_RIGHT = (
    ("dm ⧗21h", "a DM's reply window: time left to answer"),
    ("↩ ✎", "answered · a draft waits (r)"),
    ("… ✗ ?", "sending · not sent (y) · unsure it went"),
    ("⊘ hidden", "hidden on the network (H)"),
    ("◷ until 20:00", "snoozed: when it comes back (s)"),
    ("59m −1h05", "triage column, by urgency: time left · late by"),
    ("6+ late", "at least 6 late: more wait below the column"),
)


def _marks(rows: Iterable[tuple[str, str]], heading: str = "") -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    table.add_row("", Text(heading, style="bold underline"))
    for mark, meaning in rows:
        table.add_row(Text(mark), Text(meaning))
    return table
