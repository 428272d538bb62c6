"""Small forms the answering flow asks: values for placeholders, a new saved reply, a choice.

Each is a modal that dismisses with what was typed (or None when cancelled with escape).
Everything shown comes from plain strings (`Text`), never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from .footer_order import DeclaredOrder

_FORM_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 80; max-width: 95%; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{name} Label, {name} .form-question {{ margin-top: 1; }}
{name} .form-error {{ color: $error; height: auto; }}
{name} .form-hint {{ color: $text-muted; height: auto; }}
"""


class AskScreen(DeclaredOrder, ModalScreen[dict[str, str] | None]):
    """Asks a value for each placeholder a reply needs and cminbox does not know. With
    `blank_stays`, a value left blank keeps its {placeholder} in the text, for the composer
    (which sends nothing with one left) to have it written there: one message's reply, whose
    customer gave no order number, say. Bulk answering needs every value."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]
    DEFAULT_CSS = _FORM_CSS.format(name="AskScreen")

    def __init__(self, questions: list[tuple[str, str]], heading: str, *, blank_stays: bool = False) -> None:
        super().__init__()
        self.questions = questions
        self.heading = heading
        self.blank_stays = blank_stays

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self.heading)
            box.border_subtitle = ("enter next · left blank, it stays for the composer · escape cancel" if self.blank_stays
                                   else "enter next · escape cancel")
            for name, question in self.questions:
                # A Static wraps a long question; a Label keeps to one line and cut its end.
                yield Static(Text.assemble(("{" + name + "}  ", "bold cyan"), question), id=f"ask-{name}-question", classes="form-question")
                yield Input(id=f"ask-{name}")
            yield Static("", classes="form-error")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if self.blank_stays:
            following = inputs[inputs.index(event.input) + 1 :]
            if following:
                following[0].focus()
                return
        else:
            empty = [i for i in inputs if not i.value.strip()]
            if not event.input.value.strip():
                self.query_one(".form-error", Static).update(Text("A value is needed: the reply never leaves with a {placeholder} in it."))
                return
            if empty:
                empty[0].focus()
                return
        values = {name: self.query_one(f"#ask-{name}", Input).value.strip() for name, _ in self.questions}
        self.dismiss({name: value for name, value in values.items() if value})

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class NewReply:
    title: str
    tags: tuple[str, ...]


class SaveReplyScreen(DeclaredOrder, ModalScreen[NewReply | None]):
    """Title and tags for a new saved reply; the body (placeholders put back) is shown for review."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save_reply.cancel")]
    DEFAULT_CSS = _FORM_CSS.format(name="SaveReplyScreen") + """
    SaveReplyScreen #save-body { height: auto; max-height: 8; border: round $panel-lighten-2; padding: 0 1; }
    """

    def __init__(self, body: str, facts: str, folder: str) -> None:
        super().__init__()
        self.body = body
        self.facts = facts
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Save as a saved reply")
            box.border_subtitle = "enter next · escape cancel"
            yield Static(Text(self.body), id="save-body")
            yield Static(Text(f"{self.facts} · saved in {self.folder}"), classes="form-hint")
            yield Label("Title (what the picker shows and finds)")
            yield Input(id="save-title")
            yield Label("Tags, separated by commas (crisis puts it first during a bad buzz)")
            yield Input(id="save-tags", placeholder="delivery, delay")
            yield Static("", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#save-title", Input).focus()

    @on(Input.Submitted, "#save-title")
    def _title_done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one(".form-error", Static).update(Text("Every saved reply needs a title."))
            return
        self.query_one("#save-tags", Input).focus()

    @on(Input.Submitted, "#save-tags")
    def _tags_done(self, event: Input.Submitted) -> None:
        title = self.query_one("#save-title", Input).value.strip()
        if not title:
            self.query_one("#save-title", Input).focus()
            return
        tags = tuple(dict.fromkeys(t.strip().lower() for t in event.value.split(",") if t.strip()))
        self.dismiss(NewReply(title, tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(DeclaredOrder, ModalScreen[str | None]):
    """A question with a few answers, each on a key; dismisses with the key pressed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]
    DEFAULT_CSS = _FORM_CSS.format(name="ChoiceScreen")

    def __init__(self, heading: str, text: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = heading
        self.text = text
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self.heading)
            body = Text(self.text + "\n\n")
            for key, label in self.choices:
                body.append(f"  {key}  ", style="bold cyan")
                body.append(label + "\n")
            body.append("  esc  ", style="bold cyan")
            body.append("cancel")
            yield Static(body)

    def on_key(self, event) -> None:
        for key, _label in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(key)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
