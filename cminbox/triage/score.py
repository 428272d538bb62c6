"""One message's triage: language, sentiment, complaint, question, praise, spam, and a priority.

Run once per message, when it is stored. Three layers:

1. *Analysis* (`analyse`): the language, the lexicon sentiment (VADER for English, the
   project's French rules) and the complaint cues: rules a person can read.
2. *Labels* (`classify`): a linear model (`model.py`, trained on the labeled inbox) reads the
   words and those facts and gives a probability for each label and each sentiment class. A
   workspace's corrections (`learn.py`) then move those probabilities for similar messages and
   for authors the CM has judged before.
3. *Priority* (`priority.py`): a head start in minutes for the triage order, with its reasons
   in words.

Spam is never a complaint, a question or praise; a complaint phrased as a question is a
complaint only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .cues import complaint_cues
from .features import features
from .labels import NEGATIVE, POSITIVE, sentiment_label
from .lang import detect_language
from .model import BINARY_LABELS, model, probability_values
from .priority import priority
from .sentiment import sentiment_score
from .text import plain_entities

if TYPE_CHECKING:
    from .learn import Learner

# The results are named tuples rather than frozen dataclasses: as immutable, and a frozen
# dataclass sets each field through object.__setattr__, which cost more than the priority.

# A label is given at this probability or more.
THRESHOLDS = {"complaint": 0.5, "question": 0.5, "praise": 0.5, "spam": 0.5}


class Analysis(NamedTuple):
    """What the rules find in a message, before the model weighs it."""

    lang: str
    lexicon_sentiment: float
    cues: tuple[str, ...]
    features: set[str]


class Labels(NamedTuple):
    sentiment: float  # P(positive) - P(negative), kept inside the band of the predicted class
    sentiment_label: str  # negative / neutral / positive
    complaint_score: float
    complaint: bool
    question: bool
    praise: bool
    spam: bool
    corrected_by: str = ""  # why corrections moved the scores, in words ("" when they did not)


class Score(NamedTuple):
    lang: str
    sentiment: float
    complaint: bool
    cues: tuple[str, ...]
    weight: float
    reason: str
    sentiment_label: str = "neutral"
    complaint_score: float = 0.0
    question: bool = False
    praise: bool = False
    spam: bool = False
    facts: tuple[tuple[str, float], ...] = ()  # (fact in words, minutes of head start)


def analyse(text: str, *, lang: str | None = None, rating: float | None = None) -> Analysis:
    text = plain_entities(text)  # "I &lt;3 it" is read as "I <3 it"
    language = lang if lang in ("fr", "en") else detect_language(text)
    lexicon = round(sentiment_score(text, language), 4) if text else 0.0
    cues = tuple(complaint_cues(text)) if text else ()
    names = features(text, lang=language, sentiment=lexicon, cues=cues, rating=rating)
    return Analysis(language, lexicon, cues, names)


def classify(analysis: Analysis, text: str = "", *, learner: Learner | None = None, author: str | None = None) -> Labels:
    logits = model().logits(analysis.features)
    corrected_by = learner.adjust(logits, analysis.features, text, author) if learner else ""
    p_complaint, p_question, p_praise, p_spam, neg, neu, pos = probability_values(logits)
    spam = p_spam >= _SPAM
    complaint = not spam and p_complaint >= _COMPLAINT
    question = not spam and not complaint and p_question >= _QUESTION
    praise = not spam and p_praise >= _PRAISE
    label, value = _sentiment(neg, neu, pos)
    return Labels(value, label, round(p_complaint, 4), complaint, question, praise, spam, corrected_by)


# The thresholds as plain names: read once per message on the hot path.
_COMPLAINT, _QUESTION, _PRAISE, _SPAM = (THRESHOLDS[name] for name in BINARY_LABELS)
_NEUTRAL_LOW, _NEUTRAL_HIGH = NEGATIVE + 0.01, POSITIVE - 0.01


def _sentiment(neg: float, neu: float, pos: float) -> tuple[str, float]:
    """The most likely class, and P(pos) - P(neg) kept inside that class's band, so that the
    list's dot (which reads the number) and the label always agree."""
    value = pos - neg
    if neg >= neu and neg >= pos:
        value = min(value, NEGATIVE)
    elif pos > neu:
        value = max(value, POSITIVE)
    else:
        value = max(_NEUTRAL_LOW, min(_NEUTRAL_HIGH, value))
    return sentiment_label(value), round(value, 4)


def score_message(
    text: str,
    *,
    kind: str,
    reach: int | None = None,
    lang: str | None = None,
    rating: float | None = None,
    repeat: int = 0,
    learner: Learner | None = None,
    author: str | None = None,
) -> Score:
    """Score one message. `repeat` is how many messages the same author sent earlier today;
    `learner` holds the workspace's corrections and `author` names the writer for them."""
    analysis = analyse(text, lang=lang, rating=rating)
    labels = classify(analysis, text, learner=learner, author=author)
    rank = priority(
        complaint_score=labels.complaint_score,
        sentiment=labels.sentiment,
        sentiment_label=labels.sentiment_label,
        cues=analysis.cues,
        rating=rating,
        kind=kind,
        reach=reach,
        repeat=repeat,
        spam=labels.spam,
        question=labels.question,
        praise=labels.praise,
        corrected_by=labels.corrected_by,
    )
    return Score(
        lang=analysis.lang,
        sentiment=labels.sentiment,
        complaint=labels.complaint,
        cues=analysis.cues,
        weight=rank.weight,
        reason=rank.reason,
        sentiment_label=labels.sentiment_label,
        complaint_score=labels.complaint_score,
        question=labels.question,
        praise=labels.praise,
        spam=labels.spam,
        facts=rank.facts,
    )


__all__ = ["Analysis", "BINARY_LABELS", "Labels", "Score", "THRESHOLDS", "analyse", "classify", "score_message"]
