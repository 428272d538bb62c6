"""The detail pane: the whole message, who wrote it, the thread around it, and why it is ranked so.

Built as a `rich.text.Text` from plain strings: nothing in a message can become markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..store import Message
from ..textsafe import for_display, one_line, safe_url
from ..timefmt import long_age
from ..triage.score import format_reach

_THREAD_SNIPPET = 160


@dataclass(frozen=True, slots=True)
class DetailData:
    """Everything the pane shows for one message, gathered off the UI thread."""

    message: Message
    thread: list[Message]
    author_history: int


def _complaint_line(message: Message) -> tuple[str, str]:
    if message.complaint_override is True:
        return "complaint (marked by you)", "bold red"
    if message.complaint_override is False:
        return "not a complaint (marked by you)", "green"
    if message.complaint:
        return "complaint (scored)", "red"
    return "not a complaint (scored)", "dim"


def render_detail(data: DetailData, now: float) -> Text:
    m = data.message
    out = Text()
    out.append(one_line(m.author_name) or "(no name)", style="bold")
    if m.author_handle:
        out.append("  " + one_line(m.author_handle), style="cyan")
    facts = []
    if m.author_reach is not None:
        facts.append(f"{format_reach(m.author_reach)} followers")
    facts.append(
        f"{data.author_history} earlier message{'s' if data.author_history != 1 else ''}"
        if data.author_history
        else "first message"
    )
    out.append("  · " + " · ".join(facts) + "\n", style="dim")

    where = [m.network, m.kind, f"{long_age(now - m.created_at)} ago"]
    if m.lang:
        where.append(m.lang)
    if m.rating is not None:
        where.append(f"rated {m.rating:g}/5")
    out.append(" · ".join(where), style="dim")
    state = [m.status]
    if m.starred:
        state.append("★ starred")
    if m.unread:
        state.append("unread")
    out.append("   [" + ", ".join(state) + "]\n", style="italic")

    verdict, verdict_style = _complaint_line(m)
    out.append("Triage  ", style="bold")
    out.append(verdict, style=verdict_style)
    out.append(" · " + m.reason + f" · {long_age(now - m.created_at)}\n", style="dim")

    if m.title:
        out.append("On  ", style="bold")
        out.append(one_line(m.title, 200) + "\n", style="italic")
    if data.thread:
        out.append("Thread\n", style="bold")
        for earlier in data.thread:
            who = one_line(earlier.author_name or earlier.author_handle, 30) or "?"
            out.append("  ┆ ", style="dim")
            out.append(who, style="bold")
            out.append(f" · {long_age(now - earlier.created_at)} ago: ", style="dim")
            out.append(one_line(earlier.text, _THREAD_SNIPPET) + "\n")
    out.append("\n")
    body = for_display(m.text)
    out.append(body if body.strip() else "(no text)", style="" if body.strip() else "dim italic")
    out.append("\n")
    url = safe_url(m.url)
    if url:
        out.append("\n" + url, style="underline dim")
        out.append("   o open · c copy text\n", style="dim")
    elif m.url:
        out.append("\n(link not shown: not a web address)\n", style="dim")
    return out


class DetailPane(VerticalScroll, can_focus=True):
    """Scrollable when focused (tab, or enter from the list); escape goes back to the list."""

    DEFAULT_CSS = """
    DetailPane {
        height: 1fr;
        border: round $panel-lighten-2;
        padding: 0 1;
        &:focus { border: round $accent; }
    }
    DetailPane > Static { width: 1fr; }
    """

    def compose(self):
        yield Static(Text("Nothing selected", style="dim"), id="detail-body")

    def show(self, data: DetailData | None, now: float) -> None:
        body = self.query_one("#detail-body", Static)
        if data is None:
            body.update(Text("Nothing here: this folder is empty.", style="dim"))
        else:
            body.update(render_detail(data, now))
        self.scroll_home(animate=False)
