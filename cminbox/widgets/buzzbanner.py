"""The bad-buzz banner: the numbers, the words, the voices and the networks behind a spike.

Everything in it comes from messages (words, names, handles): drawn as plain `Text`, never
markup. Hidden when there is no alert. Right after the numbers come the keys that act on the
spike: the one into (or out of) crisis mode and, in crisis mode, the two that answer the
spike's messages in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from ..buzz import shown_terms
from ..models import NETWORKS
from ..textsafe import one_line
from ..triage.labels import format_reach


@dataclass(frozen=True, slots=True)
class BannerKeys:
    """The keys the banner names, as the user's keymap has them."""

    crisis: str = "b"  # into / out of crisis mode
    select_all: str = "X"  # select every message of the (crisis) list
    answer: str = "R"  # answer the selection with a saved reply (bulk answering)


def banner_text(summary: dict, *, crisis: bool, keys: BannerKeys = BannerKeys()) -> Text:
    out = Text(no_wrap=False, overflow="fold")
    out.append(" ⚠ Bad buzz ", style="bold reverse red")
    out.append(" " + one_line(summary.get("headline", ""), 80), style="bold")
    peak = summary.get("peak")
    if peak and peak > summary.get("count", 0):
        out.append(f" (peak {peak})", style="bold")
    # The keys come right after the numbers: what follows may not fit the banner's three lines.
    out.append("  ")
    if crisis:
        # Bulk answering is two keys away: every message of the spike, one saved reply (the
        # picker puts the crisis replies first in crisis mode).
        out.append(f"{keys.select_all} then {keys.answer}: answer them all", style="bold reverse")
        out.append("  ")
    out.append(f"{keys.crisis}: {'leave crisis mode' if crisis else 'crisis mode'}", style="bold reverse")
    terms = [one_line(str(term), 40) for term in shown_terms(summary)[:5]]
    if terms:
        out.append(" · ", style="dim")
        out.append(", ".join(f"“{t}”" for t in terms), style="yellow")
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
        voices.append(who + (f" ({', '.join(extra)})" if extra else ""))
    if voices:
        out.append(" · ", style="dim")
        out.append(", ".join(voices))
    networks = [f"{NETWORKS.get(n, one_line(n, 8))} {c}" for n, c in summary.get("networks", [])[:5]]
    if networks:
        out.append(" · ", style="dim")
        out.append(" ".join(networks), style="cyan")
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

    def render(self) -> Text:
        if self.summary is None:
            return Text("")
        return banner_text(self.summary, crisis=self.crisis, keys=self.keys)
