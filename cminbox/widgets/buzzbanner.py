"""The bad-buzz banner: the numbers, the words, the voices and the networks behind a spike.

Everything in it comes from messages (words, names, handles): drawn as plain `Text`, never
markup. Its lines break between whole pieces only (never inside "b: crisis mode" or "bsky 2");
what does not fit its lines is left out, said by "…". Hidden when there is no alert. Right after the numbers come the keys that act on the
spike: the one into (or out of) crisis mode and, in crisis mode, the two that answer the
spike's messages in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widget import Widget

from ..buzz import headline, shown_terms
from ..models import NETWORKS
from ..textsafe import one_line
from ..triage.labels import format_reach


@dataclass(frozen=True, slots=True)
class BannerKeys:
    """The keys the banner names, as the user's keymap has them."""

    crisis: str = "b"  # into / out of crisis mode
    select_all: str = "X"  # select every message of the (crisis) list
    answer: str = "R"  # answer the selection with a saved reply (bulk answering)


# One piece of the banner: (text, style, what joins it to the next piece). The banner breaks
# its lines between pieces only, never inside one ("b: crisis mode", "bsky 2", a voice).
_Piece = tuple[str, str, str]


def banner_pieces(summary: dict, *, crisis: bool, keys: BannerKeys = BannerKeys()) -> list[_Piece]:
    pieces: list[_Piece] = [(" ⚠ Bad buzz ", "bold reverse red", " ")]
    pieces.append((one_line(headline(summary), 92), "bold", "  "))
    # The keys come right after the numbers: what follows may not fit the banner's lines.
    if crisis:
        # Bulk answering is two keys away: every message of the spike, one saved reply (the
        # picker puts the crisis replies first in crisis mode).
        pieces.append((f"{keys.select_all} then {keys.answer}: answer them all", "bold reverse", "  "))
    pieces.append((f"{keys.crisis}: {'leave crisis mode' if crisis else 'crisis mode'}", "bold reverse", " · "))
    groups: list[list[_Piece]] = []
    terms = [one_line(str(term), 40) for term in shown_terms(summary)[:5]]
    groups.append([(f"“{t}”", "yellow", ", ") for t in terms])
    voices = []
    for name, handle, reach, items in summary.get("authors", [])[:4]:
        who = one_line(handle or name, 40) or "?"
        if len(who) > 24:  # a fediverse handle: its start says who, an ellipsis says it goes on
            who = who[:23] + "…"
        extra = []
        if reach and reach >= 1000:
            extra.append(format_reach(int(reach)))
        if items > 1:
            extra.append(f"×{items}")
        voices.append((who + (f" ({', '.join(extra)})" if extra else ""), "", ", "))
    groups.append(voices)
    groups.append([(f"{NETWORKS.get(n, one_line(n, 8))} {c}", "cyan", " ") for n, c in summary.get("networks", [])[:5]])
    for group in (g for g in groups if g):
        pieces[-1] = (pieces[-1][0], pieces[-1][1], " · ")
        pieces += group
    return pieces


def pack(pieces: list[_Piece], width: int, lines: int) -> list[list[tuple[str, str]]]:
    """The pieces on at most `lines` lines of `width` cells, each line breaking between whole
    pieces (a line ends on its joiner's mark: "," or "·"); what does not fit is left out, and
    "…" at the end of the last line says so. A piece wider than a line is cut, with "…"."""
    width = max(width, 4)
    out: list[list[tuple[str, str]]] = [[]]
    used = 0
    for at, (text, style, _) in enumerate(pieces):
        if cell_len(text) > width:
            text = set_cell_size(text, width - 1) + "…"
        joiner = pieces[at - 1][2] if at else ""
        line = out[-1]
        if not line:
            line.append((text, style))
            used = cell_len(text)
            continue
        if used + cell_len(joiner) + cell_len(text) <= width:
            line += [(joiner, "dim" if joiner.strip() == "·" else ""), (text, style)]
            used += cell_len(joiner) + cell_len(text)
            continue
        mark = joiner.rstrip()
        if len(out) == lines:  # no line left: say that more was left out
            while line and used + 2 > width:
                used -= cell_len(line.pop()[0])
                if line:
                    used -= cell_len(line.pop()[0])
            line.append((" …", "dim"))
            return out
        if mark and used + cell_len(mark) <= width:
            line.append((mark, "dim" if mark.strip() == "·" else ""))
        out.append([(text, style)])
        used = cell_len(text)
    return out


def banner_text(summary: dict, *, crisis: bool, keys: BannerKeys = BannerKeys(), width: int = 10_000, lines: int = 3) -> Text:
    out = Text(no_wrap=True, overflow="ellipsis", end="")
    for at, line in enumerate(pack(banner_pieces(summary, crisis=crisis, keys=keys), width, lines)):
        if at:
            out.append("\n")
        for text, style in line:
            out.append(text, style=style)
    return out


class BuzzBanner(Widget):
    DEFAULT_CSS = """
    BuzzBanner {
        height: auto;
        max-height: 3;
        display: none;
        background: $error 20%;
        padding: 0 1;
        &.-active { display: block; }
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.summary: dict | None = None
        self.crisis = False
        self.keys = BannerKeys()

    def show(self, summary: dict | None, *, crisis: bool = False, keys: BannerKeys = BannerKeys()) -> None:
        self.summary, self.crisis, self.keys = summary, crisis, keys
        self.set_class(summary is not None, "-active")
        self.refresh(layout=True)

    def _lines(self) -> int:
        """The lines the banner may take: its CSS `max-height` (3; 2 in a narrow terminal)."""
        limit = self.styles.max_height
        return max(1, int(limit.value)) if limit is not None and limit.is_cells else 3

    def _text(self, width: int) -> Text:
        if self.summary is None:
            return Text("")
        return banner_text(self.summary, crisis=self.crisis, keys=self.keys, width=width, lines=self._lines())

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._text(width).plain.split("\n")) if self.summary is not None else 0

    def render(self) -> Text:
        return self._text(self.size.width)
