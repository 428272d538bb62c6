"""The detail pane: the whole message, who wrote it, the thread around it, and why it is ranked so.

Built as a `rich.text.Text` from plain strings: nothing in a message can become markup.
The pane draws through the Line API with its own scroll offset: showing another message
repaints this pane only, never the whole screen's layout (which would cost a frame on every `j`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget

from ..hours import ALWAYS_OPEN, BusinessHours
from ..store import Message, OutboxItem
from ..terms import find_terms
from ..textsafe import for_terminal, one_line, safe_url
from ..timefmt import clock_time, countdown, late_by, long_age, long_ago, long_in
from ..triage.labels import followers, sentiment_label, signed_sentiment

_THREAD_SNIPPET = 160
# A thread entry's line starts with one of these; it wraps under its text, not under them.
_THREAD_GUTTERS = ("  ┆ ", "  ↩ ")
# Under "Triage" for an open complaint: why it ranks where it does, then when it is due.
_RANK, _DUE = "  Rank  ", "   Due  "
# Lines of the pane's head that go on under their own text when they wrap, not under their label.
_HANGING_LINE_RE = re.compile(
    "^(" + "|".join(map(re.escape, [*_THREAD_GUTTERS, _RANK, _DUE, "Triage  ", "Reply window  ", "On  "])) + ").*$",
    re.MULTILINE,
)
_WORD_RE = re.compile(r"(\S+)\s*")
_WHEEL_LINES = 3
# The pane wraps the body each time it shows a message: the store keeps texts of up to 100,000
# characters, and 33,000 short lines took over a second to wrap. More than a reader scrolls
# through in a pane is left out, with a note (`c` still copies the whole text).
BODY_MAX_CHARS = 20_000
BODY_MAX_LINES = 500
# How the workspace's brand terms stand out in the message body.
TERM_STYLE = "bold black on yellow"


@dataclass(frozen=True, slots=True)
class DetailData:
    """Everything the pane shows for one message, gathered before it is drawn."""

    message: Message
    thread: list[Message]
    author_history: int
    target_minutes: int = 60
    hours: BusinessHours = ALWAYS_OPEN
    terms: tuple[str, ...] = ()  # the workspace's brand terms, highlighted in the body
    reply_by: float | None = None  # a DM's messaging window closes then (Messenger, Instagram)
    replies: list[OutboxItem] = field(default_factory=list)  # ours, oldest first (drafts excluded)
    draft: OutboxItem | None = None


# How each of our replies is introduced in the thread: (mark, words, style).
_REPLY_STATES = {
    "sent": ("↩", "you replied", "green"),
    "queued": ("…", "sending", "cyan"),
    "sending": ("…", "sending", "cyan"),
    "failed": ("✗", "not sent", "bold red"),
    "unknown": ("?", "may have been sent (outcome unknown)", "bold yellow"),
}


def _render_replies(out: Text, data: DetailData, now: float) -> None:
    """Our replies under the message: what went out, what is stuck and what to do about it."""
    for item in data.replies:
        mark, words, style = _REPLY_STATES.get(item.state, ("·", item.state, "dim"))
        when = item.sent_at or item.error_at or item.queued_at or item.updated_at
        out.append(f"\n{mark} {words}", style=style)
        out.append(f" · {long_ago(now - when)}\n", style="dim")
        out.append(for_terminal(item.text) + "\n")
        if item.state in ("failed", "unknown") and item.error:
            out.append(one_line(item.error, 300) + "\n", style=style)
            hint = "r edits it · y sends it again" if item.state == "failed" else "o check the page · y decide: mark sent or send again"
            out.append(hint + "\n", style="dim")
    if data.draft is not None:
        out.append("\n✎ draft", style="bold")
        out.append(f" · {long_ago(now - data.draft.updated_at)} · r to continue\n", style="dim")
        out.append(one_line(data.draft.text, 300) + "\n", style="italic")


def _complaint_line(message: Message) -> tuple[str, str]:
    if message.complaint_override is True:
        return "complaint (marked by you)", "bold red"
    if message.complaint_override is False:
        return "not a complaint (marked by you)", "green"
    if message.spam:
        return "spam or abuse (scored)", "dim"
    if message.complaint:
        return f"complaint (scored, {message.complaint_score:.0%} sure)", "red"
    return f"not a complaint (scored, {1 - message.complaint_score:.0%} sure)", "dim"


def _facts(message: Message) -> list[tuple[str, float]]:
    try:
        facts = json.loads(message.facts or "[]")
        return [(str(text), float(minutes)) for text, minutes in facts]
    except (ValueError, TypeError):
        return []


def _labels_line(message: Message) -> str:
    """Sentiment and the other labels in words: "negative −0.72 · question"."""
    if message.sentiment_override is not None:
        name = {-1.0: "negative", 0.0: "neutral", 1.0: "positive"}.get(message.sentiment_override, "?")
        parts = [f"{name} (marked by you)"]
    else:
        parts = [f"{sentiment_label(message.sentiment)} {signed_sentiment(message.sentiment)}"]
    parts += [label for label, on in (("question", message.question), ("praise", message.praise)) if on]
    if message.cues:
        parts.append("cues " + ", ".join(f"'{c}'" for c in message.cues.split("|")[:3]))
    return " · ".join(parts)


def head_start(added: list[tuple[str, float]]) -> str:
    """ "ranked as if it came 39 min earlier: negative −0.98 (+29), 113 followers (+10)": the
    total is the sum of the parts as shown, each rounded."""
    said = ", ".join(f"{text} (+{round(minutes)})" for text, minutes in added)
    return f"ranked as if it came {sum(round(minutes) for _, minutes in added)} min earlier: {said}"


def _rank_lines(data: DetailData, now: float) -> list[tuple[str, str, str]]:
    """Why an open complaint sits where it does in the triage order, and when its answer is
    due, in words: (label, line, style)."""
    m = data.message
    facts = _facts(m)
    added = [(text, minutes) for text, minutes in facts if minutes > 0]
    lines = []
    if added:
        lines.append((_RANK, head_start(added), ""))
    else:
        lines.append((_RANK, "no head start: ranked by age alone", "dim"))
    learned = [text for text, minutes in facts if minutes == 0 and ("you marked" in text or "as you marked" in text or "you gave" in text)]
    if m.complaint_override is not None or m.sentiment_override is not None:
        # Its own verdict is what it is "100% similar" to: the verdict line above says it.
        learned = [text for text in learned if "(100% similar)" not in text]
    if learned:
        lines.append((_RANK, "scored with your corrections: " + "; ".join(learned), "italic"))
    start = data.hours.clock_start(m.created_at)
    if start > m.created_at + 59:
        lines.append((_DUE, f"arrived outside business hours ({data.hours.spec}): the clock started {data.hours.describe_start(start)}", "dim"))
    due = data.hours.add_open_minutes(start, data.target_minutes)
    when = clock_time(due, now)  # "17:42", "Tue 17:42", or with its date from six days away
    left = due - now
    if left >= 0:
        lines.append((_DUE, f"answer due {when}, {long_in(left)} (target {data.target_minutes} min)", "yellow" if left < 900 else "green"))
    else:
        lines.append((_DUE, f"answer was due {when} · {long_age(late_by(-left))} late (target {data.target_minutes} min)", "bold red"))
    return lines


def shown_body(body: str) -> tuple[str, int]:
    """The part of `body` the pane shows (BODY_MAX_CHARS characters and BODY_MAX_LINES lines at
    most), and how many characters it leaves out (0 when what is left out is blank)."""
    shown = body[:BODY_MAX_CHARS]
    cut = -1
    for _ in range(BODY_MAX_LINES):
        cut = shown.find("\n", cut + 1)
        if cut < 0:
            break
    else:
        shown = shown[:cut]
    left_out = len(body) - len(shown)
    if left_out and body[len(shown):].isspace():  # only blank space: nothing worth a note
        left_out = 0
    return shown, left_out


def render_detail(data: DetailData, now: float) -> tuple[Text, int | None]:
    """The pane's text, and where its closing section of thread entries starts (None: none)."""
    m = data.message
    out = Text()
    out.append(one_line(m.author_name) or "(no name)", style="bold")
    if m.author_handle:
        out.append("  " + one_line(m.author_handle), style="cyan")
    facts = []
    if m.author_reach is not None:
        facts.append(followers(m.author_reach))
    facts.append(
        f"{data.author_history} earlier message{'s' if data.author_history != 1 else ''}"
        if data.author_history
        else "first message"
    )
    out.append("  · " + " · ".join(facts) + "\n", style="dim")

    where = [m.network, m.kind, long_ago(now - m.created_at)]
    if m.lang:
        where.append(m.lang)
    if m.rating is not None:
        where.append(f"rated {m.rating:g}/5")
    out.append(" · ".join(where), style="dim")
    state = [m.status]
    if m.status == "snoozed" and m.snooze_until is not None:
        state[0] = f"snoozed until {clock_time(m.snooze_until, now)} · s wakes it"
    if m.starred:
        state.append("★ starred")
    if m.unread:
        state.append("unread")
    out.append("   [" + ", ".join(state) + "]\n", style="italic")

    if data.reply_by is not None:
        left = data.reply_by - now
        out.append("Reply window  ", style="bold")
        if left > 0:
            out.append(f"{countdown(left)} left", style="bold yellow" if left < 2 * 3600 else "green")
            tag = "; 7 days with Messenger's human-agent tag" if m.network == "facebook" else ""  # Messenger's only
            out.append(f" · {m.network} takes answers until {clock_time(data.reply_by, now)} "
                       f"(24 h after the customer's last message{tag}) · E lists them\n",
                       style="dim")
        else:
            out.append(f"closed {long_ago(-left)}", style="bold red")
            out.append(" · the network refuses a reply until the customer writes again\n", style="dim")
    if m.hidden:
        out.append("Hidden  ", style="bold")
        out.append(f"on {m.network}: only its author and their friends see it · H unhides\n", style="yellow")
    verdict, verdict_style = _complaint_line(m)
    out.append("Triage  ", style="bold")
    out.append(verdict, style=verdict_style)
    out.append(" · " + _labels_line(m) + "\n", style="dim")
    if m.complaint and m.status == "open":
        for label, line, style in _rank_lines(data, now):
            out.append(label, style="bold dim")
            out.append(line + "\n", style=style or "dim")

    if m.title:
        out.append("On  ", style="bold")
        out.append(one_line(m.title, 200) + "\n", style="italic")
    # The message this one answers goes above it; the rest of the thread below it: on a busy
    # post, twenty earlier comments above pushed the message itself out of the pane.
    parent = next((e for e in data.thread if m.parent_id is not None and e.native_id == m.parent_id), None)
    others = [e for e in data.thread if e is not parent]
    if parent is not None:
        _thread_entry(out, parent, now, answered=True)
    if others:
        out.append(_THREAD_GUTTERS[0], style="dim")
        out.append(f"{len(others)} earlier in this thread shown below the message\n", style="dim italic")
    out.append("\n")
    body, left_out = shown_body(for_terminal(m.text))
    if body.strip():
        text = Text(body)
        for start, end in find_terms(body, data.terms):
            text.stylize(TERM_STYLE, start, end)
        out.append_text(text)
    else:
        out.append("(no text)", style="dim italic")
    out.append("\n")
    if left_out:
        out.append(f"… {left_out:,} more characters not shown here · c copies the whole text\n", style="dim italic")
    _render_replies(out, data, now)
    url = safe_url(m.url)
    if url:
        # The keys on a line of their own: after a long address they wrapped, one word alone.
        out.append("\n" + url + "\n", style="underline dim")
        out.append("o opens it · c copies the text\n", style="dim")
    elif m.url:
        out.append("\n(link not shown: not a web address)\n", style="dim")
    tail = None
    if others:
        tail = len(out.plain) + 1
        out.append("\nEarlier in this thread", style="bold")
        out.append("  oldest first" + ("; ↩ above is the message this one answers" if parent else "") + "\n", style="dim")
        for earlier in others:
            _thread_entry(out, earlier, now, answered=False)
    return out, tail


def _thread_entry(out: Text, earlier: Message, now: float, *, answered: bool) -> None:
    """One earlier message of the thread on a line (it wraps under its own text)."""
    who = one_line(earlier.author_name or earlier.author_handle, 30) or "?"
    out.append(_THREAD_GUTTERS[1] if answered else _THREAD_GUTTERS[0], style="bold cyan" if answered else "dim")
    out.append(who, style="bold")
    out.append(f" · {long_ago(now - earlier.created_at)}: ", style="dim")
    out.append(one_line(earlier.text, _THREAD_SNIPPET) + "\n")


def _with_hanging_indents(text: Text, width: int, tail: int | None = None) -> Text:
    """`text` with each labelled line of the pane's head (the post it is on, the reply window,
    the triage verdict, its rank, a thread entry) that is wider than the pane broken at word
    ends and indented, so it goes on under its own text rather than under its label; the rest
    is left for the pane to wrap; and so each entry of the thread's closing section, from `tail`
    on. The breaks are found in the plain text and made with one
    `divide`: wrapping each line as its own `Text`, or a table per line, took two to three
    times as long to draw as the whole text."""
    plain = text.plain
    head_end = plain.find("\n\n")  # the message body, after a blank line, wraps as it is
    breaks: list[int] = []
    indents: list[int] = []
    sections = [(0, head_end if head_end >= 0 else len(plain))]
    if tail is not None:
        sections.append((tail, len(plain)))
    lines = [line for start, end in sections for line in _HANGING_LINE_RE.finditer(plain, start, end)]
    for line in lines:
        if cell_len(line.group()) <= width:
            continue
        indent = len(line.group(1))
        room = max(1, width - indent)
        used = 0  # cells used on this line after the label (or the indent, on the next lines)
        for word in _WORD_RE.finditer(line.group(), indent):
            # (the spaces after a word may run past the edge, as when the pane wraps)
            if used + cell_len(word.group(1)) > room and used > 0:
                breaks.append(line.start() + word.start())
                indents.append(indent)
                used = 0
            used += cell_len(word.group())
    if not breaks:
        return text
    pieces = text.divide(breaks)
    parts = [pieces[0]]
    for indent, piece in zip(indents, pieces[1:]):
        parts += [Text("\n" + " " * indent), piece]
    return Text("").join(parts)


class DetailPane(Widget, can_focus=True):
    """Scrollable when focused (tab, or enter from the list); escape goes back to the list."""

    BINDINGS = [
        Binding("j,down", "scroll_by(1)", "Scroll down", id="detail.down", show=False),
        Binding("k,up", "scroll_by(-1)", "Scroll up", id="detail.up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", id="detail.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="detail.page_up", show=False),
        Binding("g,home", "scroll_by(-1000000)", "Top", id="detail.top", show=False),
        Binding("G,end", "scroll_by(1000000)", "Bottom", id="detail.bottom", show=False),
    ]

    COMPONENT_CLASSES = {"detail-pane--hint"}
    DEFAULT_CSS = """
    DetailPane {
        height: 1fr;
        border: round $panel-lighten-2;
        padding: 0 1;
        &:focus { border: round $accent; }
        & > .detail-pane--hint { color: $text-muted; text-style: italic; }
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = Text("Nothing selected", style="dim")
        self.top = 0
        self._lines: list[Strip] | None = None
        self._blank = Strip([])
        self._tail: int | None = None
        self._width = -1
        self._base = None

    def show(self, data: DetailData | None, now: float, *, empty: Text | None = None, keep_place: bool = False) -> None:
        if data is None:
            self.text, self._tail = empty or Text("Nothing here: this folder is empty.", style="dim"), None
        else:
            self.text, self._tail = render_detail(data, now)
        if not keep_place:
            self.top = 0
        self._lines = None
        self.refresh()

    def plain(self) -> str:
        """What the pane says, as plain text (for tests and copy)."""
        return self.text.plain

    # -- drawing ----------------------------------------------------------------------------

    def _wrapped(self, width: int) -> list[Strip]:
        """The text wrapped to the pane's width, styled once: drawing a line is then a lookup."""
        if self._lines is None or width != self._width:
            console = self.app.console
            base = self._base_style
            options = console.options.update_width(max(1, width))
            text = _with_hanging_indents(self.text, width, self._tail)
            lines = console.render_lines(text, options, pad=False)
            self._lines = [Strip(line).adjust_cell_length(width).apply_style(base) for line in lines]
            self._blank = Strip.blank(width, base)
            self._width = width
        return self._lines

    @property
    def _base_style(self):
        # `rich_style` walks the DOM: computed once, until the theme or CSS changes.
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._lines = None

    def render_line(self, y: int) -> Strip:
        width, height = self.content_size
        lines = self._wrapped(width)
        below = len(lines) - (self.top + height)
        if y == height - 1 and below > 0:
            hint = f"↓ {below + 1} more line{'s' if below else ''} · enter then j/k to scroll"
            style = self._base_style + self.get_component_rich_style("detail-pane--hint", partial=True)
            return Strip([Segment(hint.rjust(width)[-width:], style)])
        index = self.top + y
        return lines[index] if index < len(lines) else self._blank

    def on_resize(self) -> None:
        self._lines = None

    # -- scrolling --------------------------------------------------------------------------

    def _max_top(self) -> int:
        return max(0, len(self._wrapped(self.content_size.width)) - self.content_size.height)

    def action_scroll_by(self, lines: int) -> None:
        top = max(0, min(self._max_top(), self.top + lines))
        if top != self.top:
            self.top = top
            self.refresh()

    def action_page(self, direction: int) -> None:
        self.action_scroll_by(direction * max(1, self.content_size.height - 1))

    def on_mouse_scroll_down(self, event) -> None:
        event.stop()
        self.action_scroll_by(_WHEEL_LINES)

    def on_mouse_scroll_up(self, event) -> None:
        event.stop()
        self.action_scroll_by(-_WHEEL_LINES)
