"""Asking when a snoozed item should come back: a few usual choices, or a typed time."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ..snooze import SnoozeError, parse, presets


class SnoozeScreen(ModalScreen[float | None]):
    """Dismisses with the wake-up time (epoch seconds), or None if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="snooze.cancel")]
    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    SnoozeScreen > Vertical {
        width: 52; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    SnoozeScreen OptionList { height: auto; max-height: 8; border: none; }
    SnoozeScreen #snooze-error { color: $error; height: auto; }
    """

    def __init__(self, now: datetime, count: int) -> None:
        super().__init__()
        self.now = now
        self.count = count
        self.choices = presets(now)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Snooze {self.count} message{'s' if self.count != 1 else ''} until…"
            yield OptionList(
                *[
                    Option(Text.assemble((f"{i} ", "bold cyan"), c.label, (c.until.strftime("  %a %H:%M"), "dim")), id=str(i))
                    for i, c in enumerate(self.choices, start=1)
                ]
            )
            yield Input(placeholder="or type: 45m, 2h, 3d, 17:30, tomorrow 9h", id="snooze-input")
            yield Label("", id="snooze-error")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def on_key(self, event) -> None:
        # Digits pick a choice directly, unless the user is typing a time.
        if isinstance(self.focused, Input) or not (event.character or "").isdigit():
            return
        index = int(event.character) - 1
        if 0 <= index < len(self.choices):
            event.stop()
            self.dismiss(self.choices[index].until.timestamp())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index].until.timestamp())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            until = parse(event.value, self.now)
        except SnoozeError as error:
            self.query_one("#snooze-error", Label).update(Text(str(error)))
            return
        self.dismiss(until.timestamp())

    def action_cancel(self) -> None:
        self.dismiss(None)
