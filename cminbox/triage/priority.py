"""A message's priority from facts: a head start in minutes, with each fact in words.

A message with weight 30 is treated as if it had arrived 30 minutes earlier: the triage column
orders open complaints by `clock start - weight` (stored as `urgency`), so age keeps counting
and a DM complaint from a large account overtakes a passing mention. The clock start is the
arrival time, or the next opening when it arrived outside the workspace's business hours
(`hours.py`); that part depends on the workspace and is added by the store.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from .labels import followers, signed_sentiment

# Head start, in minutes, each fact gives.
NEGATIVITY_MINUTES = 30.0  # times -sentiment
FIRST_CUE_MINUTES = 20.0
MORE_CUES_MINUTES = 5.0  # per further cue, two at most
LOW_RATING_MINUTES = 20.0
COMPLAINT_RATING = 2  # a review rated this or less
KIND_MINUTES = {"dm": 15.0, "comment": 10.0, "review": 10.0, "mention": 0.0}
REACH_MINUTES_PER_DECADE = 5.0
REACH_MINUTES_MAX = 30.0
REPEAT_MINUTES = 10.0  # per earlier message from the same person today
REPEAT_MINUTES_MAX = 30.0

KIND_WORDS = {"dm": "DM", "comment": "comment on our post", "review": "review", "mention": "mention"}


class Priority(NamedTuple):
    weight: float
    facts: tuple[tuple[str, float], ...]  # (fact in words, minutes it adds)

    @property
    def reason(self) -> str:
        """The facts on one line, as the detail pane and the list's tooltip show them."""
        return " · ".join([text for text, _ in self.facts])


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def priority(
    *,
    complaint_score: float,
    sentiment: float,
    sentiment_label: str,
    cues: tuple[str, ...],
    rating: float | None,
    kind: str,
    reach: int | None,
    repeat: int = 0,
    spam: bool = False,
    question: bool = False,
    praise: bool = False,
    corrected_by: str = "",
) -> Priority:
    facts: list[tuple[str, float]] = []
    if spam:
        facts.append(("spam or abuse", 0.0))
    else:
        # (Percentages as rounded integers: a float's "%" format costs several times more.)
        if complaint_score >= 0.5:
            facts.append((f"complaint ({round(complaint_score * 100)}% sure)", 0.0))
        else:
            facts.append((f"no complaint ({round((1 - complaint_score) * 100)}% sure)", 0.0))
    shown = round(sentiment, 2)  # the minutes follow the value the fact shows: "+0.00" adds none
    label = f"{sentiment_label} {signed_sentiment(shown)}"
    facts.append((label, round(-shown * NEGATIVITY_MINUTES, 1) if shown < 0 else 0.0))
    if question:
        facts.append(("question", 0.0))
    if praise:
        facts.append(("praise", 0.0))
    if cues:
        minutes = FIRST_CUE_MINUTES + MORE_CUES_MINUTES * min(len(cues) - 1, 2)
        facts.append(("cue " + ", ".join(f"'{c}'" for c in cues[:3]), minutes))
    if rating is not None:
        low = rating <= COMPLAINT_RATING
        facts.append((f"rated {rating:g}/5", LOW_RATING_MINUTES if low else 0.0))
    facts.append((KIND_WORDS.get(kind, kind), KIND_MINUTES.get(kind, 0.0)))
    if reach:
        facts.append(_reach_fact(reach))
    if repeat > 0:
        minutes = min(REPEAT_MINUTES_MAX, REPEAT_MINUTES * repeat)
        facts.append((f"{ordinal(repeat + 1)} message from this person today", minutes))
    if corrected_by:
        facts.append((corrected_by, 0.0))
    # Minutes are rounded where they are computed (one decimal), so the weight is their sum.
    weight = 0.0 if spam else sum([minutes for _, minutes in facts])
    return Priority(round(weight, 2), tuple(facts))


# The reach fact, remembered per reach: authors write again (a logarithm, a rounding and two
# float formats cost more than the lookup). Typed: a reach of 1200.0 is written "1200.0".
@lru_cache(maxsize=4096, typed=True)
def _reach_fact(reach: int) -> tuple[str, float]:
    minutes = round(min(REACH_MINUTES_MAX, REACH_MINUTES_PER_DECADE * math.log10(max(reach, 1))), 1)
    return followers(reach), minutes
