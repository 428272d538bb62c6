"""Setting a message's sentiment by hand: negative, neutral, positive, or back to the scorer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from .footer_order import DeclaredOrder

# (key, value stored, label): value None gives the decision back to the scorer.
CHOICES = (
    ("1", "negative", "Negative"),
    ("2", "neutral", "Neutral"),
    ("3", "positive", "Positive"),
    ("0", None, "Let the scorer decide"),
)
# The same choices under the keys a hand reaches for: - = +.
_ALIASES = {"-": "1", "=": "2", "+": "3"}
CLEAR = "clear"


class SentimentScreen(DeclaredOrder, ModalScreen[str | None]):
    """Dismisses with "negative" / "neutral" / "positive", CLEAR, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="sentiment.cancel")]
    DEFAULT_CSS = """
    SentimentScreen { align: center middle; }
    SentimentScreen > Vertical {
        width: 44; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    SentimentScreen OptionList { height: auto; border: none; }
    """

    def __init__(self, count: int, current: str | None = None) -> None:
        super().__init__()
        self.count = count
        self.current = current
        self._chosen = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Sentiment of {self.count} message{'s' if self.count != 1 else ''}"
            box.border_subtitle = "the scorer learns from it"
            yield OptionList(
                *[Option(Text.assemble((f"{key} ", "bold cyan"), label), id=key) for key, _, label in CHOICES]
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        index = next((i for i, (_, value, _) in enumerate(CHOICES) if value == self.current), 0)
        options.highlighted = index
        options.focus()

    def _choose(self, key: str) -> None:
        for choice_key, value, _ in CHOICES:
            if choice_key == key:
                self._answer(value if value is not None else CLEAR)

    def _answer(self, value: str | None) -> None:
        # Once: a key typed twice in one burst ("m33") must not dismiss a screen that is going.
        if not self._chosen:
            self._chosen = True
            self.dismiss(value)

    def on_key(self, event) -> None:
        key = _ALIASES.get(event.character or "", event.character or "")
        if any(key == choice_key for choice_key, _, _ in CHOICES):
            event.stop()
            self._choose(key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def action_cancel(self) -> None:
        self._answer(None)
