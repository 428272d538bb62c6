"""The composer (`r`): write a reply with the message in sight, its network's length limit live.

Letters type text, so every action is on a control key (remappable by id, listed in the
footer): send, send and mark done, copy, open the message's page, insert a saved reply, save
the text as a saved reply. The draft is written to the database on every change: switching
messages, quitting or a crash loses nothing.

Before anything leaves, the text is checked: no `{placeholder}` left, within the limit, the
network's own rules (a DM's messaging window, one private reply per comment); and a text just
sent to someone else, or written in the other language than the message's, is said first (a
second press sends anyway). Where a public comment can also
get a private reply (Facebook, Instagram), ctrl+g switches between the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from .footer_order import DeclaredOrder
from ..clipboard import copied
from ..outbox import Duplicate
from ..replies.bulk import LANGUAGES
from ..replies.limits import Limit, count
from ..reply_rules import PRIVATE, Refusal
from ..replies.placeholders import unfilled
from ..store import Message
from ..textsafe import one_line
from ..timefmt import long_ago
from .typed_ahead import TypedAhead

_QUOTE_CHARS = 240


@dataclass(slots=True)
class ComposerContext:
    """The message answered and the services the composer calls (given by the app)."""

    message: Message
    text: str = ""
    reply_key: str | None = None
    limit: Limit | None = None  # for the natural kind of reply; `limit_for` for the others
    network_name: str = ""
    # Kinds of reply this message can get from here (reply_rules: public, private, dm); the
    # first is its natural one. `reply_kind` is the one chosen (None: the natural one).
    kinds: tuple[str, ...] = ()
    reply_kind: str | None = None
    limit_for: Callable[[str | None], Limit | None] | None = None
    refusal: Callable[[str, str | None], Refusal | None] = lambda text, kind: None  # the platform's rules
    window: Callable[[], str] = lambda: ""  # "DM window: 5 h left", or ""
    can_send: bool = False
    cannot_send: str = ""  # why not, in words
    notice: str = ""  # shown on opening ("this reply failed: …")
    save_draft: Callable[[str, str | None, str | None], str | None] = lambda text, key, kind: None  # an error or None
    duplicate: Callable[[str], Duplicate | None] = lambda text: None
    copy: Callable[[str], str] = lambda text: ""  # returns where it went; raises RuntimeError
    open_page: Callable[[], str | None] = lambda: None  # the URL opened, or None
    pick_reply: Callable[[Callable[[str, str | None], None]], None] | None = None
    save_as_reply: Callable[[str], None] | None = None
    count_use: Callable[[], None] = lambda: None
    now: Callable[[], float] = field(default=lambda: 0.0)


def _other_language(message_lang: str | None, reply: str) -> str:
    """A warning when the reply reads French and the message English, or the other way (bulk
    answering skips such messages; one reply at a time, the CM may mean it: a second press sends)."""
    if message_lang not in LANGUAGES or len(reply.split()) < 3:
        return ""
    from ..triage.lang import detect_language  # the scorer's guess, loaded once a reply is typed

    written = detect_language(reply)
    if written not in LANGUAGES or written == message_lang:
        return ""
    return f"The message is in {LANGUAGES[message_lang]}; this reply reads {LANGUAGES[written]}."


@dataclass(frozen=True, slots=True)
class ComposerResult:
    """Send this text (and mark the message done when `done`)."""

    text: str
    reply_key: str | None
    done: bool
    reply_kind: str | None = None


class ComposerScreen(DeclaredOrder, TypedAhead, ModalScreen[ComposerResult | None]):
    BINDINGS = [
        Binding("ctrl+s", "send(False)", "Send", id="composer.send"),
        Binding("ctrl+t", "send(True)", "Send and done", id="composer.send_done"),
        # Third, and short: the footer is cut at 100 columns ("esc Close (draf"); the box's
        # border says the draft is kept.
        Binding("escape", "close", "Close", id="composer.close"),
        Binding("ctrl+b", "copy", "Copy", id="composer.copy"),
        Binding("ctrl+o", "open_page", "Open page", id="composer.open"),
        Binding("ctrl+r", "pick_reply", "Saved reply", id="composer.pick"),
        Binding("ctrl+n", "save_reply", "Save as reply", id="composer.save_reply"),
        Binding("ctrl+g", "switch_kind", "Public/private", id="composer.kind"),
    ]
    DEFAULT_CSS = """
    ComposerScreen { align: center middle; }
    ComposerScreen > Vertical {
        width: 92%; max-width: 120; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ComposerScreen #composer-quote { height: auto; max-height: 4; color: $text-muted; margin-bottom: 1; }
    ComposerScreen TextArea { height: 12; min-height: 5; }
    ComposerScreen #composer-status { height: auto; }
    ComposerScreen #composer-warning { height: auto; }
    """

    def __init__(self, context: ComposerContext) -> None:
        super().__init__()
        self.context = context
        self.reply_key = context.reply_key
        self.reply_kind = context.reply_kind
        self._armed: str | None = None  # the text the user was warned about once (a repeat, a language)
        self._saved_state = "draft saved" if context.text else ""
        self._flash = ""
        self._was_empty = not context.text.strip()

    def compose(self) -> ComposeResult:
        message = self.context.message
        who = one_line(message.author_name or message.author_handle, 60) or "?"
        with Vertical() as box:
            box.border_title = Content(self._title())
            # The essentials only, so that they fit at 80 columns: the footer lists every key.
            box.border_subtitle = "^s send · ^t send & done" + (
                " · ^g public/private" if len(self.context.kinds) > 1 else "") + " · esc close, draft kept"
            quote = Text(f"{who}: ", style="bold")
            quote.append(one_line(message.text, _QUOTE_CHARS))
            yield Static(quote, id="composer-quote")
            yield TextArea(self.context.text, soft_wrap=True, tab_behavior="focus", id="composer-text")
            yield Static(id="composer-status")
            yield Static(Text(self.context.notice, style="yellow") if self.context.notice else "", id="composer-warning")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        if self.context.text.strip():
            # A picked reply is a draft from the start: it survives a crash even before any edit.
            self._changed()
        else:
            self._show_status()

    def _title(self) -> str:
        message = self.context.message
        who = one_line(message.author_name or message.author_handle, 60) or "?"
        how = "Private reply to" if self.reply_kind == PRIVATE else "Reply to"
        return f"{how} {who} · {self.context.network_name or message.network} {message.kind}"

    @property
    def limit(self) -> Limit | None:
        if self.reply_kind is not None and self.context.limit_for is not None:
            return self.context.limit_for(self.reply_kind)
        return self.context.limit

    def _refusal(self) -> Refusal | None:
        """The network's own rule this text breaks now, besides emptiness and length (said apart)."""
        refusal = self.context.refusal(self.text.strip(), self.reply_kind)
        return None if refusal is None or refusal.code in ("empty", "length") else refusal

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def typed_field(self) -> TextArea:
        return self.query_one(TextArea)

    def set_text(self, text: str, reply_key: str | None) -> None:
        """Put a (saved) reply in: it replaces an empty composer, or goes in at the cursor."""
        area = self.query_one(TextArea)
        if self.text.strip():
            # Not glued to what comes before on the line: a space after a word, a line of its own
            # after punctuation or an emoji ("…remboursé ? 🙏" then "Hi Josh, …").
            row, column = area.cursor_location
            before = area.document.get_line(row)[:column]
            if before and not before[-1].isspace():
                text = (" " if before[-1].isalnum() else "\n") + text
            area.insert(text)
        else:
            area.load_text(text)
            area.move_cursor(area.document.end)
            self._changed()
        self.reply_key = reply_key or self.reply_key

    # -- status --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Dim what needs text while there is none (the footer shows it)."""
        if action in ("send", "copy", "save_reply") and not self.text.strip():
            return None
        if action == "switch_kind":
            return len(self.context.kinds) > 1  # hidden where there is no other kind
        return True

    @on(TextArea.Changed)
    def _changed(self) -> None:
        empty = not self.text.strip()
        if empty != self._was_empty:
            self._was_empty = empty
            self.refresh_bindings()
        error = self.context.save_draft(self.text, self.reply_key, self.reply_kind)
        self._saved_state = f"draft NOT saved: {error}" if error else ("draft saved" if self.text.strip() else "")
        self._armed = None
        self._flash = ""
        self._show_status()

    def _length(self) -> int:
        return count(self.text, self.limit)

    def _show_status(self) -> None:
        limit = self.limit
        length = self._length()
        status = Text()
        if limit is not None:
            over = length > limit.chars
            near = length > limit.chars * 0.9
            status.append(f"{length:,} / {limit.chars:,}", style="bold red" if over else ("yellow" if near else "bold"))
            status.append(f" {self.context.network_name}", style="dim")
        else:
            status.append(f"{length:,} characters", style="bold")
        window = self.context.window()
        if window:
            status.append(" · " + window, style="yellow")
        if self._saved_state:
            status.append(" · " + self._saved_state, style="red" if "NOT" in self._saved_state else "dim")
        if not self.context.can_send:
            status.append(" · " + (self.context.cannot_send or "copy and paste it on the network"), style="dim")
        self.query_one("#composer-status", Static).update(status)
        self.query_one("#composer-warning", Static).update(self._warning())

    def _warning(self) -> Text:
        if self._flash:
            return Text(self._flash, style="bold")
        text = self.text
        lines = Text()
        left = unfilled(text)
        if left:
            lines.append("To fill before it can leave: " + ", ".join("{" + name + "}" for name in left) + "\n", style="yellow")
        refusal = self._refusal()
        if refusal is not None:
            lines.append(f"{self.context.network_name} would refuse it: {refusal.reason}\n", style="bold red")
        limit = self.limit
        if limit is not None and self._length() > limit.chars:
            lines.append(f"Too long for {self.context.network_name}: {self._length() - limit.chars:,} over\n", style="bold red")
        other = _other_language(self.context.message.lang, text)
        if other:
            lines.append(other + " Press send again to send it anyway.\n", style="yellow")
        duplicate = self.context.duplicate(text) if text.strip() else None
        if duplicate is not None:
            ago = long_ago(self.context.now() - duplicate.at)
            lines.append(
                f"The same text went to {one_line(duplicate.to, 40)} {ago}: networks treat repeats as spam. "
                "Personalise it, or press send again to send anyway.\n",
                style="bold yellow",
            )
        if not lines.plain and self.context.notice:
            lines.append(self.context.notice, style="yellow")
        lines.rstrip()
        return lines

    def _say(self, text: str) -> None:
        self._flash = text
        self._show_status()

    def _blocked(self, verb: str) -> bool:
        """Why the text cannot leave (said on screen), or False when it can."""
        text = self.text
        if not text.strip():
            self._say(f"Nothing to {verb} yet.")
            return True
        left = unfilled(text)
        if left:
            self._say(f"Fill {', '.join('{' + n + '}' for n in left)} before you {verb} it (or remove the braces).")
            return True
        return False

    # -- actions ---------------------------------------------------------------------------------

    def action_send(self, done: bool) -> None:
        if self._blocked("send"):
            return
        if not self.context.can_send:
            self._say(f"{self.context.cannot_send or 'cminbox cannot post here'}: ctrl+b copies it, ctrl+o opens the page.")
            return
        limit = self.limit
        if limit is not None and self._length() > limit.chars:
            self._say(f"Too long for {self.context.network_name}: {self._length():,} of {limit.chars:,}. Shorten it first.")
            return
        refusal = self._refusal()
        if refusal is not None:
            self._say(f"Not sent: {refusal.reason}. ctrl+b copies it if you want to keep it.")
            return
        text = self.text.strip()
        warned = self.context.duplicate(text) is not None or _other_language(self.context.message.lang, text)
        if warned and self._armed != text:  # the warning is on screen: a second press sends anyway
            self._armed = text
            self._flash = ""
            self._show_status()
            return
        self.dismiss(ComposerResult(text, self.reply_key, done, self.reply_kind))

    def action_copy(self) -> None:
        if self._blocked("copy"):
            return
        try:
            where = self.context.copy(self.text.strip())
        except RuntimeError as error:
            self._say(f"Could not copy: {error}")
            return
        self.context.count_use()
        self._say(copied(where, "the reply") + ". ctrl+o opens the message's page to paste it.")

    def action_open_page(self) -> None:
        url = self.context.open_page()
        # The browser is asked off the UI thread; without one (SSH) the link goes to the clipboard:
        # the toast says which.
        self._say(f"Opening {url} in your browser, or copying the link where there is none"
                  if url else "This message has no web page to open.")

    def action_pick_reply(self) -> None:
        if self.context.pick_reply is not None:
            self.context.pick_reply(self.set_text)

    def action_save_reply(self) -> None:
        if not self.text.strip():
            self._say("Write something first: the text becomes the saved reply.")
            return
        if self.context.save_as_reply is not None:
            self.context.save_as_reply(self.text.strip())

    def action_switch_kind(self) -> None:
        """Public reply in the thread <-> private reply (a DM quoting the comment)."""
        kinds = self.context.kinds
        if len(kinds) < 2:
            return
        current = self.reply_kind or kinds[0]
        chosen = kinds[(kinds.index(current) + 1) % len(kinds)] if current in kinds else kinds[0]
        self.reply_kind = None if chosen == kinds[0] else chosen
        self.query_one(Vertical).border_title = Content(self._title())
        self._changed()  # the draft remembers the kind; the limit and the rules change with it
        if self._refusal() is not None:
            return  # what the network would refuse matters more than what the kind is
        self._say("Private reply: a DM that quotes the comment, one per comment, within 7 days."
                  if self.reply_kind == PRIVATE else "Public reply, in the thread.")

    def action_close(self) -> None:
        self.context.save_draft(self.text, self.reply_key, self.reply_kind)
        self.dismiss(None)
