"""Learning from the community manager's corrections, per workspace.

When the CM marks a message complaint / not a complaint, or sets its sentiment, the verdict is
stored (`corrections` table) and a `Learner` built from a workspace's corrections moves the
model's scores for later messages, three ways:

1. *Similar messages*: the corrected messages nearest to a new one (cosine similarity of their
   words, word pairs and word stems, found through an inverted index) pull its score toward
   their verdict, the more so the closer they are. "Double débit sur ma carte" marked as a
   complaint makes the next "encore un double débit ??" one too.
2. *The same author*: verdicts on an author's earlier messages lean their next ones the same
   way (a regular who jokes, a troll, a customer in a dispute).
3. *The workspace's own words*: a small correction to the model's word weights, fitted on
   all the workspace's corrections with a strong pull toward zero, so that a brand's own
   vocabulary ("la Box", "les points") learns what it means there.

A Learner is plain data built in a few milliseconds; the store keeps one per workspace and
builds it again when a correction changes. Core code: no UI imports.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from .features import is_fact, tokens, word_features
from .labels import SENTIMENT_VALUES
from .model import SENTIMENT_CLASSES, model

# Similar messages: below MIN_SIMILARITY a corrected message says nothing about a new one; at
# FULL_SIMILARITY and above, its verdict decides.
MIN_SIMILARITY: Final = 0.35
FULL_SIMILARITY: Final = 0.8
NEIGHBOURS: Final = 3
# Logit a verdict pulls toward (probability ~0.98 / ~0.02).
TARGET_LOGIT: Final = 4.0
# Author: logit added per verdict on the same author's earlier messages, up to a cap.
AUTHOR_LOGIT: Final = 1.0
AUTHOR_LOGIT_MAX: Final = 2.0
# The workspace's word weights: L2 pull toward zero, and fitting passes.
DELTA_L2: Final = 2.0
DELTA_PASSES: Final = 30
DELTA_RATE: Final = 0.5
# Words too common to tell messages apart (both languages), left out of similarity.
_STOPWORDS: Final = frozenset(
    """le la les l' un une des de du d' et est a au aux en dans pour par sur avec ce c' cette ces je j'
    tu il elle on nous vous ils elles me m' te t' se s' mon ma mes ton ta tes son sa ses notre nos
    votre vos leur leurs que qu' qui quoi ne n' pas plus y ou mais donc car si tres bonjour merci
    the a an and or but is are was were be been to of in on at for with by from it its this that
    these those i me my we our you your he she they them their do does did have has had not no
    so very just hi hello thanks thank please""".split()
)


@dataclass(frozen=True, slots=True)
class Correction:
    """One verdict of the CM on one message (either part may be None: not given)."""

    text: str
    author: str  # "network:handle" (or "network:name" without a handle); "" when unknown
    complaint: bool | None
    sentiment: str | None  # negative / neutral / positive


def similarity_features(text: str) -> frozenset[str]:
    """What similarity compares: content words, word pairs and stems (no stopwords)."""
    words = [w for w in tokens(text) if w not in _STOPWORDS and len(w) > 1]
    return frozenset(word_features(words))


@dataclass(slots=True)
class _Memory:
    features: frozenset[str]
    complaint: bool | None
    sentiment: str | None


class Learner:
    """What one workspace's corrections teach; `adjust` applies it to a message's logits."""

    def __init__(self, corrections: list[Correction]):
        self.count = len(corrections)
        self._memories: list[_Memory] = []
        self._index: dict[str, list[int]] = defaultdict(list)
        self._authors: dict[str, list[Correction]] = defaultdict(list)
        for correction in corrections:
            features = similarity_features(correction.text)
            number = len(self._memories)
            self._memories.append(_Memory(features, correction.complaint, correction.sentiment))
            for name in features:
                self._index[name].append(number)
            if correction.author:
                self._authors[correction.author].append(correction)
        self._deltas = _fit_deltas([c for c in corrections if c.complaint is not None])

    def __bool__(self) -> bool:
        return self.count > 0

    def neighbours(self, features: frozenset[str], want: str) -> list[tuple[float, _Memory]]:
        """The nearest corrected messages carrying a `want` verdict ("complaint"/"sentiment")."""
        overlap: dict[int, int] = defaultdict(int)
        for name in features:
            for number in self._index.get(name, ()):
                overlap[number] += 1
        scored = []
        for number, shared in overlap.items():
            memory = self._memories[number]
            if getattr(memory, want) is None:
                continue
            similarity = shared / math.sqrt(len(features) * len(memory.features))
            if similarity >= MIN_SIMILARITY:
                scored.append((similarity, memory))
        scored.sort(key=lambda pair: -pair[0])
        return scored[:NEIGHBOURS]

    def adjust(self, logits: dict[str, float], features: frozenset[str], text: str, author: str | None) -> str:
        """Move `logits` (the model's, for one message with these features) by what the
        corrections teach; returns why, in words ("" when nothing moved)."""
        if not self.count:
            return ""
        reasons: list[str] = []
        if self._deltas:
            # fsum: exact, so the set's order (the process's hash seed) cannot move the result.
            shift = math.fsum(self._deltas.get(name, 0.0) for name in features)
            if abs(shift) > 0.05:
                logits["complaint"] += shift
        similar = similarity_features(text)
        near = self.neighbours(similar, "complaint")
        if near:
            weight, target = _pull(near, lambda m: TARGET_LOGIT if m.complaint else -TARGET_LOGIT)
            logits["complaint"] += weight * (target - logits["complaint"])
            if weight >= 0.1:
                reasons.append(f"like a message you marked ({near[0][0]:.0%} similar)")
        near_sentiment = self.neighbours(similar, "sentiment")
        if near_sentiment:
            for cls in SENTIMENT_CLASSES:
                key = f"sentiment:{cls}"
                weight, target = _pull(
                    near_sentiment, lambda m, cls=cls: TARGET_LOGIT if _SHORT[m.sentiment] == cls else -TARGET_LOGIT
                )
                logits[key] += weight * (target - logits[key])
            if not reasons and near_sentiment[0][0] >= MIN_SIMILARITY + 0.1:
                reasons.append(f"like a message you gave a sentiment ({near_sentiment[0][0]:.0%} similar)")
        if author and author in self._authors:
            verdicts = [c.complaint for c in self._authors[author] if c.complaint is not None]
            if verdicts and not reasons:
                lean = sum(AUTHOR_LOGIT if v else -AUTHOR_LOGIT for v in verdicts)
                logits["complaint"] += max(-AUTHOR_LOGIT_MAX, min(AUTHOR_LOGIT_MAX, lean))
                reasons.append("this author's earlier messages, as you marked them")
        return " · ".join(reasons)


_SHORT: Final = {"negative": "neg", "neutral": "neu", "positive": "pos"}


def _pull(near: list[tuple[float, _Memory]], target_of) -> tuple[float, float]:
    """(how strongly, toward which logit) the nearest verdicts pull: the closest decides most."""
    weights = [min(1.0, (s - MIN_SIMILARITY) / (FULL_SIMILARITY - MIN_SIMILARITY)) ** 1.5 for s, _ in near]
    total = sum(weights) or 1.0
    target = sum(w * target_of(m) for w, (_, m) in zip(weights, near)) / total
    return max(weights), target


def _fit_deltas(corrections: list[Correction]) -> dict[str, float]:
    """Per-workspace corrections to the complaint weights of words: a logistic regression on the
    model's own logit as offset, fitted on the corrections, pulled hard toward zero."""
    if not corrections:
        return {}
    from .score import analyse

    m = model()
    examples = []
    for correction in corrections:
        analysis = analyse(correction.text)
        words = [name for name in analysis.features if not is_fact(name) and not name.startswith("first=")]
        base = m.logits(analysis.features)["complaint"]
        examples.append((words, base, 1.0 if correction.complaint else 0.0))
    deltas: dict[str, float] = defaultdict(float)
    for _ in range(DELTA_PASSES):
        gradient: dict[str, float] = defaultdict(float)
        for words, base, target in examples:
            z = base + math.fsum(deltas[w] for w in words)  # exact: `words` is a set
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for w in words:
                gradient[w] += p - target
        for w, g in gradient.items():
            deltas[w] -= DELTA_RATE * (g + DELTA_L2 * deltas[w]) / (1.0 + len(examples) ** 0.5)
    return {w: round(d, 4) for w, d in deltas.items() if abs(d) >= 0.01}
