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

from .footer_order import DeclaredOrder
from ..snooze import WAKE_NOW, NotUnderstood, SnoozeError, describe, presets, read
from ..timefmt import clock_time
from .typed_ahead import TypedAhead


class SnoozeScreen(DeclaredOrder, TypedAhead, ModalScreen[float | None]):
    """Dismisses with the wake-up time (epoch seconds), `WAKE_NOW`, or None if cancelled.

    The typed field has the focus from the start, so whatever is typed is a time: "45m" is 45
    minutes, never choice 4 followed by stray keys. Up and down move through the choices; enter
    takes the typed time, or the highlighted choice when nothing is typed, or choice N when N
    alone is typed; as it is typed, a line says what enter will take ("→ today 13:30 (in 1 h 30
    min)"), so no snooze is a surprise. `snoozed`: a message chosen is snoozed already, so "wake
    it now" is offered.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="snooze.cancel"),
        Binding("up", "move(-1)", "Previous choice", id="snooze.up", show=False),
        Binding("down", "move(1)", "Next choice", id="snooze.down", show=False),
    ]
    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    SnoozeScreen > Vertical {
        width: 56; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    SnoozeScreen OptionList { height: auto; max-height: 8; border: none; }
    SnoozeScreen Label { width: 100%; }  /* long lines wrap in the box, not cut at its edge */
    SnoozeScreen #snooze-preview { height: auto; }
    SnoozeScreen #snooze-preview.unclear { color: $text-warning; }
    SnoozeScreen #snooze-hint { color: $text-muted; height: auto; }
    SnoozeScreen #snooze-error { color: $error; height: auto; }
    """

    def __init__(self, now: datetime, count: int, *, snoozed: bool = False) -> None:
        super().__init__()
        self.now = now
        self.count = count
        self.choices = presets(now)
        self.snoozed = snoozed
        # What each line of the list answers, and the number typed for it.
        self.values = ([WAKE_NOW] if snoozed else []) + [c.until.timestamp() for c in self.choices]
        self.numbers = (["0"] if snoozed else []) + [str(i) for i in range(1, len(self.choices) + 1)]
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Snooze {self.count} message{'s' if self.count != 1 else ''} until…"
            box.border_subtitle = "↑↓ choose · enter · esc cancel"
            lines = [Option(Text.assemble(("0 ", "bold cyan"), "wake it now (back in the inbox)"), id="wake")] \
                if self.snoozed else []
            lines += [
                Option(Text.assemble((f"{i} ", "bold cyan"), c.label, ("  " + clock_time(c.until.timestamp(), self.now.timestamp()), "dim")), id=str(i))
                for i, c in enumerate(self.choices, start=1)
            ]
            options = OptionList(*lines)
            options.can_focus = False  # the typed field keeps the keys; up and down move the choice
            yield options
            yield Input(placeholder="or type a time, then enter", id="snooze-input")
            yield Label("", id="snooze-preview")
            yield Label(Text("45m · 2h · 17h · 5pm · ce soir · demain 9h · lundi"), id="snooze-hint")
            yield Label("", id="snooze-error")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(Input).focus()

    def typed_field(self) -> Input:
        return self.query_one(Input)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.highlighted = ((options.highlighted or 0) + step) % len(self.values)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A choice's number typed: that choice is highlighted, as enter will take it; whatever is
        typed, the preview says what enter will take, and an error from a former enter goes."""
        typed = event.value.strip()
        if typed in self.numbers:
            self.query_one(OptionList).highlighted = self.numbers.index(typed)
        self.query_one("#snooze-error", Label).update("")
        value, said = self._understood(typed) if typed else (None, "")
        self._preview(said, unclear=bool(typed) and value is None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._answer(self.values[event.option_index])  # a click on a choice

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if not typed:
            self._answer(self.values[self.query_one(OptionList).highlighted or 0])
            return
        value, said = self._understood(typed, on_enter=True)
        if value is None:  # the error replaces the preview, until the text changes
            self._preview("")
            self.query_one("#snooze-error", Label).update(Text(said))
            return
        self._answer(value)

    def _understood(self, typed: str, *, on_enter: bool = False) -> tuple[float | None, str]:
        """What enter takes for the typed text (None: nothing), and the line that says it: the
        preview and enter share it, so enter does what the preview showed."""
        if typed in self.numbers:
            index = self.numbers.index(typed)
            value = self.values[index]
            what = "wake it now" if value == WAKE_NOW else describe(self.choices[index - (1 if self.snoozed else 0)].until, self.now)
            return value, f"→ choice {typed}: {what}"
        if typed.isdigit():  # a bare number picks a choice: "0" is no midnight, "9" no 9 o'clock
            return None, f"No choice {typed}: pick {self.numbers[0]}–{self.numbers[-1]}, or type a time such as 9h, 17h30 or 45m"
        try:
            reading = read(typed, self.now)
        except NotUnderstood as error:  # while typing ("dem…"), a short line; on enter, the full one
            return None, str(error) if on_enter else "not understood: try 2h, demain 9h, lundi, 17:30"
        except SnoozeError as error:
            return None, str(error)
        said = f"→ {describe(reading.until, self.now)}"
        return reading.until.timestamp(), said + (f"\n  {reading.other}" if reading.other else "")

    def _preview(self, said: str, *, unclear: bool = False) -> None:
        preview = self.query_one("#snooze-preview", Label)
        preview.update(Text(said))
        preview.set_class(unclear, "unclear")

    def _answer(self, value: float | None) -> None:
        # Once: keys already on their way (a paste, a burst) must not dismiss a screen that is going.
        if not self._answered:
            self._answered = True
            self.dismiss(value)

    def action_cancel(self) -> None:
        self._answer(None)
