"""The learned part of triage: weights for each feature, read from `data/model.tsv` on first use.

One linear model per output over the features of `features.py`: a logistic regression for
each yes/no label (complaint, question, praise, spam) and a softmax over negative / neutral /
positive. `train.py` writes the file from the labeled inbox's tuning part; nothing is learned at
run time here (corrections are `learn.py`'s job).

Scoring a message is a dictionary lookup per feature and one integer sum.
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Iterable
from functools import cache
from typing import Final

from .features import is_word

MODEL_FILE: Final = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "model.tsv")
BINARY_LABELS: Final = ("complaint", "question", "praise", "spam")
SENTIMENT_CLASSES: Final = ("neg", "neu", "pos")
SENTIMENT_KEYS: Final = tuple(f"sentiment:{c}" for c in SENTIMENT_CLASSES)
OUTPUTS: Final = BINARY_LABELS + SENTIMENT_KEYS  # what `probabilities` gives, in its order

# The model file writes weights with four decimals: each is a whole number of ten-thousandths.
# A feature's weights are packed into one Python int, a 64-bit lane per output, each lane
# offset so that it stays positive (no borrow crosses into the next one): a message's logits are
# then one `sum()` of ints, done in C, exact, so the order of the features (a set, whose order
# changes with the hash seed) cannot change the last bit of a logit and break a near tie.
SCALE: Final = 10_000
_LANE_BITS: Final = 64
_LANE_OFFSET: Final = 1 << 40  # a weight's ten-thousandths must stay below this in magnitude


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class Model:
    """Each feature's weights (one per output, in `columns` order), and the biases."""

    def __init__(self, columns: list[str], biases: list[float], vectors: dict[str, tuple[float, ...]]):
        self.columns = tuple(columns)
        self.biases = tuple(biases)
        self.vectors = vectors
        self._packed_bias = _pack(self.biases)
        self._packed = {name: _pack(weights) for name, weights in vectors.items()}
        self._known_words = frozenset(filter(is_word, vectors))
        self._unpack = struct.Struct(f"<{len(self.columns)}Q").unpack
        self._width = len(self.columns) * _LANE_BITS // 8

    @classmethod
    def load(cls, path: str = MODEL_FILE) -> "Model":
        columns: list[str] = []
        biases: list[float] = []
        vectors: dict[str, tuple[float, ...]] = {}
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                name, *values = line.rstrip("\n").split("\t")
                if name == "@columns":
                    columns = values
                elif name == "@bias":
                    biases = [float(v) for v in values]
                elif name:
                    vectors[name] = tuple(map(float, values))
        if not columns or len(biases) != len(columns) or any(len(v) != len(columns) for v in vectors.values()):
            raise ValueError(f"{path}: not a cminbox triage model")
        return cls(columns, biases, vectors)

    @classmethod
    def from_trained(cls, trained) -> "Model":
        """A model straight from `train.train()` (cross-validation), without a file."""
        columns = list(trained.biases)
        vectors = {name: tuple(trained.weights[c][i] for c in columns) for name, i in trained.vocabulary.items()}
        return cls(columns, [trained.biases[c] for c in columns], vectors)

    def logits(self, features: Iterable[str]) -> dict[str, float]:
        """Each output's bias plus the weights of the known features among `features`."""
        rows = [*filter(None, map(self._packed.get, features))]  # the known features' packed weights
        lanes = self._unpack(sum(rows, self._packed_bias).to_bytes(self._width, "little"))
        base = (len(rows) + 1) * _LANE_OFFSET
        return dict(zip(self.columns, [(lane - base) / SCALE for lane in lanes]))

    def unknown_share(self, words: frozenset[str]) -> float:
        """The share of a message's distinct words (`features_and_words`) that the model has no
        weight for (1.0 when there are none: a message of emoji and links says nothing the model
        learned). Set arithmetic, in C: a loop over the features cost as much as the logits."""
        if not words:
            return 1.0
        return len(words - self._known_words) / len(words)

    def predict(self, features: Iterable[str]) -> dict[str, float]:
        """Probability of each yes/no label, and of each sentiment class ("sentiment:neg"…)."""
        return probabilities(self.logits(features))


def _pack(weights: Iterable[float]) -> int:
    """Weights as one int: each in ten-thousandths, plus the lane offset, in its own 64 bits."""
    packed = 0
    for lane, weight in enumerate(weights):
        units = round(weight * SCALE)
        if not -_LANE_OFFSET < units < _LANE_OFFSET:
            raise ValueError(f"triage model weight out of range: {weight}")
        packed |= (units + _LANE_OFFSET) << (lane * _LANE_BITS)
    return packed


def probabilities(logits: dict[str, float]) -> dict[str, float]:
    return dict(zip(OUTPUTS, probability_values(logits)))


def probability_values(logits: dict[str, float]) -> tuple[float, ...]:
    """`probabilities(logits)`'s values in `OUTPUTS` order, without a dict to build and read."""
    complaint, question, praise, spam, neg, neu, pos = map(logits.__getitem__, OUTPUTS)
    top = max(neg, neu, pos)
    e_neg, e_neu, e_pos = math.exp(neg - top), math.exp(neu - top), math.exp(pos - top)
    total = e_neg + e_neu + e_pos  # (what sum() adds, in the same order)
    return (
        sigmoid(complaint), sigmoid(question), sigmoid(praise), sigmoid(spam),
        e_neg / total, e_neu / total, e_pos / total,
    )  # fmt: skip


@cache
def model() -> Model:
    """The shipped model, read on first use (importing this module reads nothing)."""
    return Model.load()
