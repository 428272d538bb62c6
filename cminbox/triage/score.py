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

from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Final, NamedTuple

from ..idle_gc import collection_paused
from .cues import complaint_cues
from .features import (
    POSITIVE_BAND, QUESTION_BEFORE_SIGN_OFF, SENTIMENT_BAND_NAMES, before_sign_off, features_and_words, sentiment_bands,
)
from .labels import NEGATIVE, POSITIVE, sentiment_label
from .lang import detect_language
from .model import BINARY_LABELS, Model, model, probability_values
from .priority import priority
from .sentiment import sentiment_score
from .text import plain_entities

if TYPE_CHECKING:
    from .learn import Learner

# The results are named tuples rather than frozen dataclasses: as immutable, and a frozen
# dataclass sets each field through object.__setattr__, which cost more than the priority.

# A label is given at this probability or more.
THRESHOLDS = {"complaint": 0.5, "question": 0.5, "praise": 0.4, "spam": 0.5}


class Analysis(NamedTuple):
    """What the rules find in a message, before the model weighs it."""

    lang: str
    lexicon_sentiment: float
    cues: tuple[str, ...]
    features: set[str]
    words: frozenset[str]  # the distinct words among the features (what the lean reads)


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


class ToScore(NamedTuple):
    """One message as the scorer reads it: `repeat` is how many messages the same author sent
    earlier today, `author` names the writer for the workspace's corrections."""

    text: str
    kind: str
    reach: int | None = None
    lang: str | None = None
    rating: float | None = None
    repeat: int = 0
    author: str | None = None


# Messages are scored in batches, one stage at a time over the whole batch (every language
# guess, then every sentiment, every cue search...), not one message through every stage: each
# stage's code, regexes and word lists then stay in the processor's caches from one message to
# the next, which made scoring about 1.4 times faster for the same instructions. A batch is
# bounded so that the texts folded by the first stage are still in `fold`'s memo at the last.
STAGE_BATCH: Final = 500


def analyse_all(texts: Sequence[str], langs: Sequence[str | None], ratings: Sequence[float | None]) -> list[Analysis]:
    """`analyse` for many texts, stage by stage (see `STAGE_BATCH`)."""
    texts = [*map(plain_entities, texts)]  # "I &lt;3 it" is read as "I <3 it"
    languages = [lang if lang in ("fr", "en") else detect_language(text) for text, lang in zip(texts, langs)]
    lexicons = [round(sentiment_score(text, language), 4) if text else 0.0 for text, language in zip(texts, languages)]
    cues = [tuple(complaint_cues(text)) if text else () for text in texts]
    names, words = zip(*[
        features_and_words(text, lang=language, sentiment=lexicon, cues=found, rating=rating)
        for text, language, lexicon, found, rating in zip(texts, languages, lexicons, cues, ratings)
    ]) if texts else ((), ())  # fmt: skip
    return [*map(Analysis, languages, lexicons, cues, names, words)]


def analyse(text: str, *, lang: str | None = None, rating: float | None = None) -> Analysis:
    return analyse_all([text], [lang], [rating])[0]


def classify(analysis: Analysis, text: str = "", *, learner: Learner | None = None, author: str | None = None) -> Labels:
    learned = model()
    logits = learned.logits(analysis.features)
    if QUESTION_BEFORE_SIGN_OFF in analysis.features:
        logits["question"] += _ends_with_a_question(learned)
        logits["praise"] = _praise_before_sign_off(learned, analysis, text)
    # Thanks after a question ("…dimanche ? Merci et bonne soirée") are politeness: their lift
    # in the lexicon's score is not the customer's mood.
    if analysis.lexicon_sentiment and (analysis.lexicon_sentiment < 0 or QUESTION_BEFORE_SIGN_OFF not in analysis.features):
        _lean_on_the_lexicon(logits, analysis.lexicon_sentiment, learned.unknown_share(analysis.words))
    corrected_by = learner.adjust(logits, analysis.features, text, author) if learner else ""
    p_complaint, p_question, p_praise, p_spam, neg, neu, pos = probability_values(logits)
    spam = p_spam >= _SPAM
    complaint = not spam and p_complaint >= _COMPLAINT
    question = not spam and not complaint and p_question >= _QUESTION
    praise = not spam and p_praise >= _PRAISE
    label, value = _sentiment(neg, neu, pos)
    return Labels(value, label, round(p_complaint, 4), complaint, question, praise, spam, corrected_by)


# How much the lexicon's own score (VADER, or the French rules: -1 to +1) adds to the model's
# sentiment logit on its side, at most: the weight is scaled by the share of the message's words
# the model never learned. The model learned sentiment from the labeled inbox this project wrote,
# where a polite request full of "merci" is neutral; on messages made of the words it knows, it
# reads them better than the lexicon (0.80 against 0.64 on the labeled inbox's test part), but on
# posts made of words it never saw it called many plainly glad or bitter ones neutral (324 French
# and 324 English tweets of a public labeled set: accuracy 0.44 and 0.54 alone, the lexicon 0.61
# and 0.62). A fixed lean of 3 gave 0.57 / 0.59 there for 0.79 on the inbox; this one gives
# 0.59 / 0.60 for 0.80. Corrections still move the result.
LEXICON_WEIGHT: Final = 10.0


def _lean_on_the_lexicon(logits: dict[str, float], lexicon: float, unknown: float) -> None:
    """`unknown` is the share of the message's words the model has no weight for. The lean stops
    where the model reads the words the other way: praise of a complaint is sarcasm ("only 6 hours
    on hold, new record 🏆"), and tears over praise are joy ("can't believe I won 😭💛")."""
    if lexicon > 0:
        if logits["complaint"] < 0:  # P(complaint) < 0.5
            logits["sentiment:pos"] += LEXICON_WEIGHT * unknown * lexicon
    elif lexicon < 0:
        if logits["praise"] < 0:
            logits["sentiment:neg"] -= LEXICON_WEIGHT * unknown * lexicon


_THANKS_WORDS: Final = frozenset({"merci", "thanks", "thank", "thx", "ty"})


def _praise_before_sign_off(learned: Model, analysis: Analysis, text: str) -> float:
    """The praise logit of a question signed off with thanks, read without the sign-off: the
    thanks and wishes are politeness, not praise ("…sans gluten? ma femme est cœliaque, Merci!"
    and "Open on Boxing Day? Thank you so much, have a great weekend!" are no compliments;
    "Super produit ! … ? Merci!" still is). After a plain question, so are the lexicon's points
    they brought: the sentiment facts are then those of the question. After praise, the thanks
    are part of it, and the facts of the whole text stay."""
    kept = {f for f in analysis.features if not _THANKS_WORDS.intersection(f.split())}
    if text:
        asked = sentiment_score(before_sign_off(plain_entities(text)), analysis.lang)
        if asked < POSITIVE_BAND:
            kept = (kept - SENTIMENT_BAND_NAMES).union(sentiment_bands(round(asked, 4)))
    return learned.logits(kept)["praise"]


@cache
def _ends_with_a_question(learned: Model) -> float:
    """What a question mark then a sign-off ("…demain ? Merci !") adds to the question logit:
    what "?$" (a text ending in "?") adds, unless the model learned the sign-off form itself.
    For the question label alone: for complaints, the model learned "?$" from plain questions,
    and a polite complaint often asks, then thanks (counting it there lost one on the test part)."""
    if QUESTION_BEFORE_SIGN_OFF in learned.vectors:
        return 0.0
    return learned.vectors.get("?$", (0.0,) * len(learned.columns))[learned.columns.index("question")]


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


def score_messages(messages: Iterable[ToScore], *, learner: Learner | None = None) -> list[Score]:
    """Score many messages (what storing a batch does): the same scores as `score_message` one
    by one, faster (see `STAGE_BATCH`). `learner` holds the workspace's corrections."""
    messages = list(messages)
    scores: list[Score] = []
    with collection_paused():
        for start in range(0, len(messages), STAGE_BATCH):
            scores += _score_batch(messages[start : start + STAGE_BATCH], learner)
    return scores


def _score_batch(messages: Sequence[ToScore], learner: Learner | None) -> list[Score]:
    analyses = analyse_all([m.text for m in messages], [m.lang for m in messages], [m.rating for m in messages])
    labels = [
        classify(analysis, m.text, learner=learner, author=m.author) for analysis, m in zip(analyses, messages)
    ]
    ranks = [
        priority(
            complaint_score=label.complaint_score,
            sentiment=label.sentiment,
            sentiment_label=label.sentiment_label,
            cues=analysis.cues,
            rating=m.rating,
            kind=m.kind,
            reach=m.reach,
            repeat=m.repeat,
            spam=label.spam,
            question=label.question,
            praise=label.praise,
            corrected_by=label.corrected_by,
        )
        for m, analysis, label in zip(messages, analyses, labels)
    ]
    return [
        Score(
            lang=analysis.lang,
            sentiment=label.sentiment,
            complaint=label.complaint,
            cues=analysis.cues,
            weight=rank.weight,
            reason=rank.reason,
            sentiment_label=label.sentiment_label,
            complaint_score=label.complaint_score,
            question=label.question,
            praise=label.praise,
            spam=label.spam,
            facts=rank.facts,
        )
        for analysis, label, rank in zip(analyses, labels, ranks)
    ]


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
    """Score one message (see `ToScore` for the arguments)."""
    return _score_batch([ToScore(text, kind, reach, lang, rating, repeat, author)], learner)[0]


__all__ = [
    "Analysis", "BINARY_LABELS", "Labels", "STAGE_BATCH", "Score", "THRESHOLDS", "ToScore", "analyse", "analyse_all",
    "classify", "score_message", "score_messages",
]  # fmt: skip
