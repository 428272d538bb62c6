"""One message's triage score: language, sentiment, complaint cues, and a priority with its reason.

Run once per message, when it is stored. The priority is a *weight* in minutes: a message with
weight 30 is treated as if it had arrived 30 minutes earlier, so the triage column can order
open complaints by `created_at - weight` (stored as `urgency`) and age keeps counting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .cues import complaint_cues
from .labels import format_reach, sentiment_label
from .lang import detect_language
from .sentiment import sentiment_score

# Strongly negative without any cue still counts as a complaint (a customer venting at us).
COMPLAINT_SENTIMENT = -0.5
# Review ratings (out of 5) at or below this are complaints.
COMPLAINT_RATING = 2

# Head start, in minutes, each fact gives an open complaint in the triage order.
_NEGATIVITY_MINUTES = 30.0  # times -sentiment
_FIRST_CUE_MINUTES = 20.0
_MORE_CUES_MINUTES = 5.0
_KIND_MINUTES = {"dm": 15.0, "comment": 10.0, "review": 10.0, "mention": 0.0}
_REACH_MINUTES_PER_DECADE = 5.0
_REACH_MINUTES_MAX = 30.0

_KIND_WORDS = {"dm": "DM", "comment": "comment on our post", "review": "review", "mention": "mention"}


@dataclass(frozen=True, slots=True)
class Score:
    lang: str
    sentiment: float
    complaint: bool
    cues: tuple[str, ...]
    weight: float
    reason: str


def score_message(
    text: str,
    *,
    kind: str,
    reach: int | None = None,
    lang: str | None = None,
    rating: float | None = None,
) -> Score:
    language = lang if lang in ("fr", "en") else detect_language(text)
    sentiment = round(sentiment_score(text, language), 4) if text else 0.0
    cues = tuple(complaint_cues(text)) if text else ()
    low_rating = rating is not None and rating <= COMPLAINT_RATING
    complaint = bool(cues) or low_rating or sentiment <= COMPLAINT_SENTIMENT

    weight = 0.0
    reasons: list[str] = []
    label = sentiment_label(sentiment)
    reasons.append(f"{label} {sentiment:+.2f}".replace("-", "−"))
    if sentiment < 0:
        weight += -sentiment * _NEGATIVITY_MINUTES
    if cues:
        weight += _FIRST_CUE_MINUTES + _MORE_CUES_MINUTES * min(len(cues) - 1, 2)
        reasons.append("cue " + ", ".join(f"'{c}'" for c in cues[:3]))
    if low_rating:
        weight += _FIRST_CUE_MINUTES
        reasons.append(f"rated {rating:g}/5")
    weight += _KIND_MINUTES.get(kind, 0.0)
    reasons.append(_KIND_WORDS.get(kind, kind))
    if reach:
        weight += min(_REACH_MINUTES_MAX, _REACH_MINUTES_PER_DECADE * math.log10(max(reach, 1)))
        reasons.append(f"{format_reach(reach)} followers")
    return Score(language, sentiment, complaint, cues, round(weight, 2), " · ".join(reasons))
