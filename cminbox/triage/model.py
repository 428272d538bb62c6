"""The learned part of triage: weights for each feature, read from `data/model.tsv` on first use.

One linear model per output over the features of `features.py`: a logistic regression for
each yes/no label (complaint, question, praise, spam) and a softmax over negative / neutral /
positive. `train.py` writes the file from the labeled inbox's tuning part; nothing is learned at
run time here (corrections are `learn.py`'s job).

Scoring a message is a dictionary lookup per feature and a sum per output.
"""

from __future__ import annotations

import math
import os
from array import array
from collections.abc import Iterable
from functools import cache
from typing import Final

MODEL_FILE: Final = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "model.tsv")
BINARY_LABELS: Final = ("complaint", "question", "praise", "spam")
SENTIMENT_CLASSES: Final = ("neg", "neu", "pos")


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class Model:
    """Feature name -> row index, and one weight column per output."""

    def __init__(self, columns: list[str], biases: list[float], index: dict[str, int], weights: list[array]):
        self.columns = columns
        self.biases = biases
        self.index = index
        self.weights = weights  # weights[column][row]

    @classmethod
    def load(cls, path: str = MODEL_FILE) -> "Model":
        columns: list[str] = []
        biases: list[float] = []
        index: dict[str, int] = {}
        weights: list[array] = []
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                name, *values = line.rstrip("\n").split("\t")
                if name == "@columns":
                    columns = values
                    weights = [array("d") for _ in columns]
                elif name == "@bias":
                    biases = [float(v) for v in values]
                elif name:
                    index[name] = len(index)
                    for column, value in zip(weights, values):
                        column.append(float(value))
        if not columns or len(biases) != len(columns):
            raise ValueError(f"{path}: not a cminbox triage model")
        return cls(columns, biases, index, weights)

    @classmethod
    def from_trained(cls, trained) -> "Model":
        """A model straight from `train.train()` (cross-validation), without a file."""
        columns = list(trained.biases)
        names = sorted(trained.vocabulary, key=trained.vocabulary.get)
        index = {name: i for i, name in enumerate(names)}
        weights = [array("d", trained.weights[c]) for c in columns]
        return cls(columns, [trained.biases[c] for c in columns], index, weights)

    def rows(self, features: Iterable[str]) -> list[int]:
        get = self.index.get
        return [i for i in map(get, features) if i is not None]

    def logits(self, rows: list[int]) -> dict[str, float]:
        return {
            column: bias + sum(map(weights.__getitem__, rows))
            for column, bias, weights in zip(self.columns, self.biases, self.weights)
        }

    def predict(self, features: Iterable[str]) -> dict[str, float]:
        """Probability of each yes/no label, and of each sentiment class ("sentiment:neg"…)."""
        return probabilities(self.logits(self.rows(features)))


def probabilities(logits: dict[str, float]) -> dict[str, float]:
    out = {label: sigmoid(logits[label]) for label in BINARY_LABELS}
    sentiment = [logits[f"sentiment:{c}"] for c in SENTIMENT_CLASSES]
    top = max(sentiment)
    exp = [math.exp(v - top) for v in sentiment]
    total = sum(exp)
    for c, e in zip(SENTIMENT_CLASSES, exp):
        out[f"sentiment:{c}"] = e / total
    return out


@cache
def model() -> Model:
    """The shipped model, read on first use (importing this module reads nothing)."""
    return Model.load()
