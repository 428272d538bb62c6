"""Measuring the scorer: precision, recall and F1 per label and per language, confusion matrices,
side by side with plain VADER and with the first release's rules.

Used by `cminbox eval` and by the test that keeps the README's complaint F1 floor honest.
Outside data can be measured too: a JSONL file whose lines carry `text` and any of `lang`,
`sentiment` (neg / neu / pos), `complaint`, `question`, `praise`, `spam` (true / false).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .labeled import SENTIMENTS, Labeled

BINARY: tuple[str, ...] = ("complaint", "question", "praise", "spam")
LANGUAGES: tuple[str, ...] = ("fr", "en")
_SHORT = {"negative": "neg", "neutral": "neu", "positive": "pos"}


@dataclass(frozen=True, slots=True)
class Prediction:
    lang: str | None
    sentiment: str | None  # neg / neu / pos
    complaint: bool | None
    question: bool | None = None
    praise: bool | None = None
    spam: bool | None = None


Predictor = Callable[[Labeled], Prediction]


# -- the predictors compared -----------------------------------------------------------------


def scorer(item: Labeled) -> Prediction:
    """The current scorer, as the store runs it (kind and rating given, language detected)."""
    from .score import score_message

    s = score_message(item.text, kind=item.kind, rating=item.rating)
    return Prediction(s.lang, _SHORT[s.sentiment_label], s.complaint, s.question, s.praise, s.spam)


def first_rules(item: Labeled) -> Prediction:
    """cminbox 0.1's rules on today's lexicons: a cue, a rating of 2 or less, or sentiment
    at or below -0.5 makes a complaint."""
    from .cues import complaint_cues
    from .labels import sentiment_label
    from .lang import detect_language
    from .sentiment import sentiment_score

    lang = detect_language(item.text)
    sentiment = sentiment_score(item.text, lang if lang != "und" else "en")
    low = item.rating is not None and item.rating <= 2
    complaint = bool(complaint_cues(item.text)) or low or sentiment <= -0.5
    return Prediction(lang, _SHORT[sentiment_label(sentiment)], complaint)


@cache
def _plain_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def plain_vader(item: Labeled) -> Prediction:
    """vaderSentiment as shipped, on every language: negative means complaint, positive praise."""
    compound = _plain_vader().polarity_scores(item.text)["compound"]
    label = "neg" if compound <= -0.05 else "pos" if compound >= 0.05 else "neu"
    return Prediction(None, label, label == "neg", None, label == "pos", None)


PREDICTORS: dict[str, Predictor] = {"scorer": scorer, "0.1 rules": first_rules, "plain VADER": plain_vader}


# -- metrics ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, guess: bool) -> None:
        if truth and guess:
            self.tp += 1
        elif guess:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass(slots=True)
class Result:
    """One predictor's figures on one set of messages."""

    name: str
    n: int = 0
    binary: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (label, lang or "all")
    sentiment: Counter = field(default_factory=Counter)  # (lang or "all", truth, guess)
    lang: Counter = field(default_factory=Counter)  # (truth, guess)
    tags: dict[str, Counts] = field(default_factory=dict)  # complaint counts per hard-case tag
    errors: list[tuple[str, Labeled, Prediction]] = field(default_factory=list)

    def counts(self, label: str, lang: str = "all") -> Counts:
        return self.binary.setdefault((label, lang), Counts())

    def sentiment_accuracy(self, lang: str = "all") -> float:
        total = sum(n for (l, _, _), n in self.sentiment.items() if l == lang)
        right = sum(n for (l, t, g), n in self.sentiment.items() if l == lang and t == g)
        return right / total if total else 0.0

    def sentiment_f1(self, lang: str = "all") -> float:
        """Macro F1 over negative, neutral, positive."""
        scores = []
        for label in SENTIMENTS:
            c = Counts()
            for (l, t, g), n in self.sentiment.items():
                if l == lang:
                    for _ in range(n):
                        c.add(t == label, g == label)
            scores.append(c.f1)
        return sum(scores) / len(scores)

    @property
    def lang_accuracy(self) -> float:
        total = sum(self.lang.values())
        return sum(n for (t, g), n in self.lang.items() if t == g) / total if total else 0.0


def evaluate(items: Iterable[Labeled], predictor: Predictor, name: str = "") -> Result:
    result = Result(name)
    for item in items:
        guess = predictor(item)
        result.n += 1
        langs = ("all", item.lang) if item.lang in LANGUAGES else ("all",)
        for label in BINARY:
            predicted = getattr(guess, label)
            truth = getattr(item, label)
            if predicted is None or truth is None:
                continue
            for lang in langs:
                result.counts(label, lang).add(truth, predicted)
            if predicted != truth:
                result.errors.append((label, item, guess))
        if guess.sentiment is not None and item.sentiment is not None:
            for lang in langs:
                result.sentiment[(lang, item.sentiment, guess.sentiment)] += 1
        if guess.lang is not None and item.lang is not None:
            result.lang[(item.lang, guess.lang)] += 1
        if guess.complaint is not None:
            for tag in item.tags:
                result.tags.setdefault(tag, Counts()).add(item.complaint, guess.complaint)
    return result


# -- outside data -------------------------------------------------------------------------------


def load_jsonl(path: Path) -> list[Labeled]:
    """Labeled messages from a JSONL file (see the module docstring); unknown labels stay None."""
    out: list[Labeled] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = str(row["text"])
            except (ValueError, KeyError, TypeError):
                raise ValueError(f"{path}:{number}: expected a JSON object with a text") from None
            sentiment = row.get("sentiment")
            if sentiment is not None:
                sentiment = _SHORT.get(str(sentiment), str(sentiment))[:3]
                if sentiment not in SENTIMENTS:
                    raise ValueError(f"{path}:{number}: sentiment must be neg, neu or pos")
            out.append(
                Labeled(
                    text=text, lang=row.get("lang") or "und", network=row.get("network") or "x",
                    kind=row.get("kind") or "mention", sentiment=sentiment,
                    complaint=_flag(row, "complaint"), question=_flag(row, "question"),
                    praise=_flag(row, "praise"), spam=_flag(row, "spam"),
                    rating=row.get("rating"), tags=(), where=f"{path.name}:{number}",
                )  # fmt: skip
            )
    return out


def _flag(row: dict, key: str) -> bool | None:
    value = row.get(key)
    return None if value is None else bool(value)


# -- the printed report ---------------------------------------------------------------------------


def _sentiment_figures(result: Result, lang: str) -> str:
    """Accuracy and macro F1, or dashes when no message in `lang` has a sentiment label."""
    if not any(n for (l, _, _), n in result.sentiment.items() if l == lang):
        return "     —     —"
    return f"{result.sentiment_accuracy(lang):6.2f}{result.sentiment_f1(lang):6.2f}"


def _prf(c: Counts | None) -> str:
    if c is None or not c.n:
        return "    —     —     —"
    return f"{c.precision:6.2f}{c.recall:6.2f}{c.f1:6.2f}"


def report(results: list[Result], *, title: str, tags: bool = True) -> str:
    """Per label and language, each predictor's precision / recall / F1, then the matrices."""
    lines = [title, ""]
    width = 18
    head = " " * 22 + "".join(r.name.ljust(width) for r in results)
    sub = " " * 22 + "".join("     P     R    F1 ".ljust(width) for _ in results)
    for label in BINARY:
        if not any((label, "all") in r.binary for r in results):
            continue
        lines += [f"{label}", head, sub]
        for lang in ("all", *LANGUAGES):
            first = results[0].binary.get((label, lang))
            support = (first.tp + first.fn) if first else 0
            name = f"  {lang} ({support} of {first.n if first else 0})"
            lines.append(name.ljust(22) + "".join(_prf(r.binary.get((label, lang))).ljust(width) for r in results))
        lines.append("")
    lines += ["sentiment (accuracy, macro F1 over neg / neu / pos)", " " * 22 + "".join(r.name.ljust(width) for r in results)]
    for lang in ("all", *LANGUAGES):
        lines.append(f"  {lang}".ljust(22) + "".join(_sentiment_figures(r, lang).ljust(width) for r in results))
    lines.append("")
    langs = [r for r in results if r.lang]
    if langs:
        lines.append("language (accuracy): " + ", ".join(f"{r.name} {r.lang_accuracy:.3f}" for r in langs))
        lines.append("")
    main = results[0]
    c = main.counts("complaint")
    lines += [
        f"complaint confusion, {main.name}:  rows = labeled, columns = predicted",
        "              no     yes",
        f"  no     {c.tn:7d} {c.fp:7d}",
        f"  yes    {c.fn:7d} {c.tp:7d}",
        "",
        f"sentiment confusion, {main.name}:  rows = labeled, columns = predicted",
        "            " + "".join(s.rjust(7) for s in SENTIMENTS),
    ]
    for truth in SENTIMENTS:
        lines.append(f"  {truth}      " + "".join(f"{main.sentiment[('all', truth, g)]:7d}" for g in SENTIMENTS))
    if tags and main.tags:
        lines += ["", "complaint accuracy on hard cases (tag: right / all)"]
        row = []
        for tag, counts in sorted(main.tags.items(), key=lambda kv: -kv[1].n):
            if counts.n >= 5:
                row.append(f"{tag} {counts.tp + counts.tn}/{counts.n}")
        lines.append("  " + ", ".join(row))
    return "\n".join(lines)


# -- the demo day, as a second set written by another hand ------------------------------------

_DEMO_COMPLAINTS = frozenset(
    "app_bug bad_review box_issue cold_stale late_delivery missing_item rude_staff store_closed wrong_order".split()
)
_DEMO_CLEAR = frozenset("praise question chitchat react ugc review reply debate spam".split())


def demo_set(seed: int = 1, hours: float = 12.0) -> list[Labeled]:
    """The demo day's messages with labels read from the script's own ground truth (`extra`).

    The script labels topics and tones, not this project's labels, so only what maps without
    doubt is kept per label (None elsewhere): complaint themes, escalations and angry buzz
    posts are complaints; praise, questions, chatter, reactions, photos, replies and spam are
    not; "meh", trolls, competitor talk and calm buzz posts are left out of the complaint count.
    """
    from ..demo.script import build_day

    out = []
    for event in build_day(seed, hours=hours):
        m = event.message
        topic, tone = m.extra["demo_topic"], m.extra["demo_tone"]
        if topic in _DEMO_COMPLAINTS or topic.startswith("escalation_") or (topic == "buzz" and tone == "neg"):
            complaint = True
        elif topic in _DEMO_CLEAR:
            complaint = False
        else:
            complaint = None
        spam = topic == "spam" if topic != "troll" else None
        question = topic == "question" if complaint is not None and topic != "react" else None
        if topic == "praise" or (topic == "review" and tone == "pos"):
            praise = True
        elif complaint or topic in ("question", "spam"):
            praise = False
        else:
            praise = None
        sentiment = tone if tone in ("neg", "neu", "pos") else None
        out.append(
            Labeled(
                text=m.text, lang=m.lang or "und", network=m.network, kind=m.kind, sentiment=sentiment,
                complaint=complaint, question=question, praise=praise, spam=spam, rating=m.rating,
                tags=(topic,), where=m.native_id,
            )  # fmt: skip
        )
    return out


def figures(results: list[Result]) -> dict:
    """The figures as plain data (for `cminbox eval --json` and tests)."""
    out: dict = {}
    for r in results:
        entry: dict = {"n": r.n, "labels": {}, "sentiment": {}}
        for (label, lang), c in r.binary.items():
            entry["labels"].setdefault(label, {})[lang] = {
                "precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
                "support": c.tp + c.fn, "n": c.n,
            }  # fmt: skip
        for lang in ("all", *LANGUAGES):
            entry["sentiment"][lang] = {"accuracy": round(r.sentiment_accuracy(lang), 4), "macro_f1": round(r.sentiment_f1(lang), 4)}
        if r.lang:
            entry["language_accuracy"] = round(r.lang_accuracy, 4)
        out[r.name] = entry
    return out
