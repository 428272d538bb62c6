"""The saved-replies picker (`R`): type a few letters, see the reply filled for this message, enter.

Ranking uses the command palette's fuzzy matcher (`textual.fuzzy.FuzzySearch`) on titles, so
"retliv" finds "Retard de livraison", plus plain word matches in tags and bodies; accents are
ignored on both sides. By default only replies in the message's language, for its network and
in the brand's tone are offered (ctrl+l shows them all). While a bad buzz is on, replies tagged
`crisis` come first. ctrl+o sorts by how often each reply was used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.fuzzy import FuzzySearch
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .footer_order import DeclaredOrder
from ..replies import SavedReply, fill
from ..replies.limits import Limit, count
from ..textsafe import for_terminal, one_line
from .typed_ahead import TypedAhead

_FUZZY = FuzzySearch()


def fold(text: str) -> str:
    """Lower case without accents, one character for one (so match offsets stay valid)."""
    return "".join(unicodedata.normalize("NFD", c)[0] for c in text.lower())


@dataclass(frozen=True, slots=True)
class Ranked:
    reply: SavedReply
    score: float
    title_offsets: tuple[int, ...] = ()


def rank(
    replies: Sequence[SavedReply],
    query: str,
    *,
    lang: str | None = None,
    network: str | None = None,
    tone: str | None = None,
    only_suited: bool = True,
    crisis: bool = False,
    by_usage: bool = False,
    usage: dict[str, int] | None = None,
    suggested: Sequence[str] = (),
) -> list[Ranked]:
    """The replies to offer, best first.

    Every typed word must be found (accents and case ignored) at the start of a word of the
    title or a tag, or inside the title or the body; failing that, the whole query may match
    the title as the command palette does (letters in order: "retliv"). Title and tags weigh
    more than the body. `crisis` puts replies tagged crisis first whatever the order; then
    the best match (or the most used with `by_usage`; otherwise, when nothing is typed, those
    with the `suggested` tags that suit the message, the first tag first, then by title).
    """
    usage = usage or {}
    words = fold(query).split()
    out: list[Ranked] = []
    for reply in replies:
        if only_suited and not reply.suits(lang=lang, network=network, tone=tone):
            continue
        if not words:
            out.append(Ranked(reply, 0.0))
            continue
        found = _word_score(reply, words)
        if found is not None:
            out.append(Ranked(reply, found[0], found[1]))
            continue
        title = fold(reply.title)
        fuzzy, offsets = _FUZZY.match("".join(words), title)
        if fuzzy > 0 and _starts_words(title, offsets):
            out.append(Ranked(reply, fuzzy / 4, tuple(offsets)))
    fits = {tag: n for n, tag in reversed(list(enumerate(suggested)))} if not (words or by_usage) else {}
    out.sort(
        key=lambda r: (
            not (crisis and r.reply.crisis),
            min((fits[tag] for tag in r.reply.tags if tag in fits), default=len(suggested)),
            sum(tag not in fits for tag in r.reply.tags) if fits else 0,  # the plainest fit first
            -usage.get(r.reply.key, 0) if by_usage else 0,
            -r.score,
            fold(r.reply.title),
        )
    )
    return out


def _word_score(reply: SavedReply, words: list[str]) -> tuple[float, tuple[int, ...]] | None:
    """(score, title offsets to highlight) when every word is found; None otherwise."""
    title = fold(reply.title)
    tags = [fold(t) for t in (*reply.tags, reply.tone or "", reply.lang or "") if t]
    body = fold(reply.body)
    score = 0.0
    offsets: list[int] = []
    for word in words:
        at = _word_start(title, word)
        if at is not None:
            score += 10
            offsets.extend(range(at, at + len(word)))
        elif any(tag.startswith(word) for tag in tags):
            score += 8
        elif word in title:
            score += 6
            at = title.index(word)
            offsets.extend(range(at, at + len(word)))
        elif _word_start(body, word) is not None:
            score += 2
        else:
            return None
    return score, tuple(offsets)


def _starts_words(text: str, offsets: Sequence[int]) -> bool:
    """Whether each run of matched letters begins a word ("ret…liv…" in "retard de livraison"),
    so scattered letters in a long title do not count as a match."""
    previous = -2
    for offset in offsets:
        if offset != previous + 1 and offset > 0 and text[offset - 1].isalnum():
            return False
        previous = offset
    return True


def _word_start(text: str, word: str) -> int | None:
    """Where `word` starts a word of `text` (after a space, a quote or punctuation), if it does."""
    match = re.search(r"(?<!\w)" + re.escape(word), text)
    return match.start() if match else None


def preview_text(reply: SavedReply, values: dict[str, str], limit: Limit | None, network_name: str) -> Text:
    """The reply filled for the message, what is still to be asked highlighted, and its length."""
    filled = fill(reply.body, values)
    out = Text()
    for part in _split_missing(for_terminal(filled.text), filled.missing):
        out.append(part[0], style="reverse" if part[1] else "")
    out.append("\n\n")
    length = count(filled.text, limit)
    if limit is not None:
        over = length > limit.chars
        out.append(f"{length:,} / {limit.chars:,} on {network_name}", style="bold red" if over else "dim")
    else:
        out.append(f"{length:,} characters", style="dim")
    if filled.missing:
        out.append(" · asked when picked: " + ", ".join("{" + m + "}" for m in filled.missing), style="yellow")
    out.append("\n")
    facts = [reply.lang or "any language"]
    if reply.tone:
        facts.append(reply.tone)
    facts.append("tags: " + (", ".join(reply.tags) or "none"))
    facts.append("for " + (", ".join(reply.networks) if reply.networks else "every network"))
    out.append(" · ".join(facts) + "\n", style="dim")
    if reply.path is not None:
        out.append(("starter reply " if reply.origin == "starter" else "file ") + reply.path.name, style="dim italic")
    return out


def _split_missing(text: str, missing: Sequence[str]) -> list[tuple[str, bool]]:
    """The text cut around each `{missing}` placeholder: (piece, is_placeholder)."""
    if not missing:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape("{" + m + "}") for m in missing))
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append((text[position : match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    pieces.append((text[position:], False))
    return pieces


@dataclass(slots=True)
class PickerRequest:
    """What the picker needs: the library, the message (or messages) answered, and the mood."""

    replies: list[SavedReply]
    heading: str  # "for Julie Martin · fr · facebook", "for 37 selected messages"
    values: dict[str, str]  # to fill the preview (the first message's, in bulk)
    lang: str | None = None
    network: str | None = None
    network_name: str = ""
    tone: str | None = None
    limit: Limit | None = None
    crisis: bool = False
    usage: dict[str, int] = field(default_factory=dict)
    note: str = ""  # shown under the list (the starter set, problems in the library)
    suggested: tuple[str, ...] = ()  # tags of the replies that suit the message (replies/suggest.py)


class PickerScreen(DeclaredOrder, TypedAhead, ModalScreen[SavedReply | None]):
    """Dismisses with the chosen reply (not yet filled), or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="picker.close"),
        Binding("down", "move(1)", "Next reply", id="picker.down", show=False),
        Binding("up", "move(-1)", "Previous reply", id="picker.up", show=False),
        Binding("pagedown", "move(8)", "Page down", id="picker.page_down", show=False),
        Binding("pageup", "move(-8)", "Page up", id="picker.page_up", show=False),
        Binding("ctrl+l", "toggle_filter", "All replies / only this message's language and network", id="picker.all"),
        Binding("ctrl+o", "toggle_sort", "Sort by best match / most used", id="picker.sort"),
    ]
    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical {
        width: 92%; max-width: 150; height: 85%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PickerScreen #picker-filters { height: 1; color: $text-muted; }
    PickerScreen #picker-body { height: 1fr; }
    PickerScreen OptionList { width: 46%; height: 1fr; border: round $panel-lighten-2; }
    PickerScreen.-narrow OptionList { width: 60%; }  /* under 100 columns: titles first */
    PickerScreen #picker-preview { width: 1fr; height: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    PickerScreen #picker-note { height: auto; max-height: 3; color: $warning; }
    """

    def __init__(self, request: PickerRequest) -> None:
        super().__init__()
        self.request = request
        self.only_suited = True
        self.by_usage = False
        self.ranked: list[Ranked] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Saved replies " + one_line(self.request.heading, 100))
            box.border_subtitle = "enter use · ctrl+l all · ctrl+o sort · esc close"
            yield Input(placeholder="search titles, tags and text: a few letters are enough", id="picker-search")
            yield Static(id="picker-filters")
            with Horizontal(id="picker-body"):
                yield OptionList(id="picker-list")
                with VerticalScroll(id="picker-preview"):
                    yield Static(id="picker-preview-text")
            yield Static(Text(self.request.note), id="picker-note")

    def typed_field(self) -> Input:
        return self.query_one(Input)

    def on_mount(self) -> None:
        self.query_one("#picker-list", OptionList).can_focus = False
        self.query_one(Input).focus()
        self.refilter()
        # Once laid out, again: titles are cut to the list's real width.
        self.call_after_refresh(self.refilter)

    # -- contents ---------------------------------------------------------------------------

    def refilter(self) -> None:
        request = self.request
        query = self.query_one(Input).value
        self.ranked = rank(
            request.replies, query, lang=request.lang, network=request.network, tone=request.tone,
            only_suited=self.only_suited, crisis=request.crisis, by_usage=self.by_usage, usage=request.usage,
            suggested=request.suggested,
        )
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(self._row(r), id=r.reply.key) for r in self.ranked])
        if self.ranked:
            options.highlighted = 0
        self._show_filters()
        self._show_preview()

    def _row(self, ranked: Ranked) -> Table:
        """The title, cut to fit with "…", then its language, tone and uses, which always show: a
        tu and a vous version differ there only. (A grid leaves the measuring to Rich: the width
        known when the rows are built left out the scrollbar, and cut the tone off.)"""
        reply = ranked.reply
        tail = " ".join(x for x in (reply.lang or "", reply.tone or "") if x)
        uses = self.request.usage.get(reply.key, 0)
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append("⚑ " if reply.crisis else "  ", style="bold red")
        title.append(one_line(reply.title, 120))
        for offset in ranked.title_offsets:
            title.stylize("bold underline", 2 + offset, 3 + offset)  # after the 2-cell crisis mark
        row = Table.grid(expand=True, padding=(0, 0, 0, 2))
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_column(no_wrap=True)
        row.add_row(title, Text(tail + (f" · {uses}×" if uses else ""), style="dim"))
        return row

    def _show_filters(self) -> None:
        request = self.request
        parts = []
        if self.only_suited:
            tone = request.tone if request.lang in (None, "und", "fr") else None  # tones are French replies' only
            parts.extend(x for x in (request.lang if request.lang != "und" else "", request.network_name, tone) if x)
        else:
            parts.append("all languages and networks")
        if request.crisis:
            parts.append("crisis replies first")
        parts.append("most used first" if self.by_usage else "best match first")
        shown = f"{len(self.ranked)} of {len(request.replies)}"
        self.query_one("#picker-filters", Static).update(Text(f"{shown} · " + " · ".join(parts)))

    def _show_preview(self) -> None:
        reply = self.current
        target = self.query_one("#picker-preview-text", Static)
        if reply is None:
            empty = "No saved reply matches." if self.request.replies else "No saved replies yet: ctrl+n in the composer saves one."
            target.update(Text(empty + ("" if not self.only_suited else "  ctrl+l shows every language and network."), style="dim"))
            return
        target.update(preview_text(reply, self.request.values, self.request.limit, self.request.network_name))

    @property
    def current(self) -> SavedReply | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.ranked):
            return None
        return self.ranked[index].reply

    # -- events and actions ---------------------------------------------------------------------

    @on(Input.Changed)
    def _typed(self) -> None:
        self.refilter()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_pick()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_preview()

    @on(OptionList.OptionSelected)
    def _clicked(self) -> None:
        self.action_pick()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.ranked:
            return
        index = (options.highlighted or 0) + step
        options.highlighted = max(0, min(len(self.ranked) - 1, index))

    def action_toggle_filter(self) -> None:
        self.only_suited = not self.only_suited
        self.refilter()

    def action_toggle_sort(self) -> None:
        self.by_usage = not self.by_usage
        self.refilter()

    def action_pick(self) -> None:
        reply = self.current
        if reply is not None:
            self.dismiss(reply)

    def action_cancel(self) -> None:
        self.dismiss(None)
