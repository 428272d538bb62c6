"""Train the triage model on the tuning part of the labeled inbox and write its weights.

    python -m cminbox.triage.train            # writes cminbox/triage/data/model.tsv
    python -m cminbox.triage.train --cv 5     # cross-validated figures on the tuning part only

Pure Python, no dependency: L2-regularised logistic regression (one per yes/no label, and a
three-way softmax for sentiment) over the feature names `features.py` produces, fitted on all
examples at once by L-BFGS. Words are held back more than facts (see `penalties`). The test
part of the labeled set is never read here. Same data: the same weights, byte for byte.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import labeled
from .features import SPAM_ONLY, is_fact
from .model import BINARY_LABELS, MODEL_FILE, SENTIMENT_CLASSES

SEED = 20240611
ITERATIONS = 200
L2_WORDS = 3.0  # words and word pairs: many, sparse, specific to how this set was written
L2_FACTS = 0.3  # facts the rules find: few, and they carry over to unseen vocabulary
MIN_COUNT = 2  # a feature seen in fewer messages than this is left out
KEEP_WEIGHT = 0.002  # smaller weights are not written (they change no decision)


@dataclass(slots=True)
class Example:
    features: list[int]
    binary: dict[str, float]
    sentiment: int
    item: labeled.Labeled


def message_features(item: labeled.Labeled) -> set[str]:
    """The features of a labeled message, computed exactly as the scorer computes them."""
    from .score import analyse

    return set(analyse(item.text, rating=item.rating).features)


def build(items: list[labeled.Labeled], vocabulary: dict[str, int] | None = None) -> tuple[list[Example], dict[str, int]]:
    return build_from([(item, message_features(item)) for item in items], vocabulary)


def build_from(raw: list[tuple[labeled.Labeled, set[str]]], vocabulary: dict[str, int] | None = None, *, min_count: int = MIN_COUNT) -> tuple[list[Example], dict[str, int]]:
    if vocabulary is None:
        counts = Counter(name for _, names in raw for name in names)
        # Every rule fact is kept, however rare here: its prior mean gives it a weight.
        kept = sorted({name for name, n in counts.items() if n >= min_count} | rule_facts())
        vocabulary = {name: i for i, name in enumerate(kept)}
    examples = []
    for item, names in raw:
        ids = sorted(vocabulary[n] for n in names if n in vocabulary)
        binary = {label: 1.0 if getattr(item, label) else 0.0 for label in BINARY_LABELS}
        examples.append(Example(ids, binary, SENTIMENT_CLASSES.index(item.sentiment), item))
    return examples, vocabulary


def penalties(vocabulary: dict[str, int], l2_words: float = L2_WORDS, l2_facts: float = L2_FACTS) -> list[float]:
    """The L2 penalty of each feature: facts are held back less than words."""
    out = [l2_words] * len(vocabulary)
    for name, i in vocabulary.items():
        if is_fact(name):
            out[i] = l2_facts
    return out


# What the rules already say, as the weight a fact starts from and is pulled back to (a prior
# mean, where plain L2 pulls to 0): a complaint cue was written to mean "complaint", a one-star
# review is one. Data can move them, but a few odd examples cannot turn a cue against its meaning.
def rule_facts() -> set[str]:
    """The facts that carry a prior: every complaint cue, star rating and spam family."""
    from .cues import CUE_PATTERNS
    from .wordlists import SPAM_WORDS_FILE, _vocabulary

    exact, stems = _vocabulary(SPAM_WORDS_FILE)
    names = {f"cue={label}" for label in CUE_PATTERNS} | {f"rating={n}" for n in range(1, 6)}
    names |= {f"sp={family}" for family in {*exact.values(), *stems.values()}} | {"sarcasm-mark"}
    return names


def prior_means(vocabulary: dict[str, int], label: str) -> list[float]:
    means = [0.0] * len(vocabulary)
    rules: dict[str, float] = {
        "complaint": {"rating=1": 2.0, "rating=2": 1.5, "rating=4": -1.5, "rating=5": -2.0, "sarcasm-mark": 1.0},
        "praise": {"rating=5": 1.5, "rating=4": 1.0, "rating=1": -1.5, "rating=2": -1.0},
        "question": {"?$": 1.0},
        "spam": {},
    }.get(label, {})
    for name, i in vocabulary.items():
        if name in rules:
            means[i] = rules[name]
        elif label == "complaint" and name.startswith("cue="):
            means[i] = 1.5
        elif label == "spam" and name.startswith("sp="):
            means[i] = 0.5
    return means


def _lbfgs(f_grad, x: list[float], *, iterations: int, memory: int = 10, tolerance: float = 1e-5) -> list[float]:
    """Minimise a smooth convex function with L-BFGS and a backtracking line search."""
    fx, g = f_grad(x)
    history: list[tuple[list[float], list[float], float]] = []
    for _ in range(iterations):
        # Two-loop recursion: d = -H g.
        q = g[:]
        alphas = []
        for s_k, y_k, rho in reversed(history):
            a = rho * sum(si * qi for si, qi in zip(s_k, q))
            alphas.append(a)
            q = [qi - a * yi for qi, yi in zip(q, y_k)]
        if history:
            s_k, y_k, _ = history[-1]
            gamma = sum(a * b for a, b in zip(s_k, y_k)) / max(1e-12, sum(b * b for b in y_k))
        else:
            gamma = 1.0 / max(1e-12, math.sqrt(sum(v * v for v in g)))
        r = [gamma * qi for qi in q]
        for (s_k, y_k, rho), a in zip(history, reversed(alphas)):
            b = rho * sum(yi * ri for yi, ri in zip(y_k, r))
            r = [ri + si * (a - b) for ri, si in zip(r, s_k)]
        direction = [-ri for ri in r]
        slope = sum(gi * di for gi, di in zip(g, direction))
        if slope >= 0:  # not a descent direction: start over from the gradient
            history.clear()
            direction = [-gi for gi in g]
            slope = -sum(gi * gi for gi in g)
        step = 1.0
        while True:
            trial = [xi + step * di for xi, di in zip(x, direction)]
            f_trial, g_trial = f_grad(trial)
            if f_trial <= fx + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s_new = [a - b for a, b in zip(trial, x)]
        y_new = [a - b for a, b in zip(g_trial, g)]
        sy = sum(a * b for a, b in zip(s_new, y_new))
        if sy > 1e-12:
            history.append((s_new, y_new, 1.0 / sy))
            del history[:-memory]
        improvement = fx - f_trial
        x, fx, g = trial, f_trial, g_trial
        if improvement < tolerance * max(1.0, abs(fx)):
            break
    return x


def _log1p_exp(z: float) -> float:
    """log(1 + e^z), without overflow."""
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def fit_binary(examples: list[Example], label: str, l2: list[float], *, skip: frozenset[int] = frozenset(), iterations: int = ITERATIONS, prior: list[float] | None = None) -> tuple[float, list[float]]:
    """(bias, weights) of an L2-regularised logistic regression for one yes/no label, fitted
    on all examples at once; features in `skip` keep a weight of 0."""
    size = len(l2)
    rows = [[i + 1 for i in ex.features if i not in skip] for ex in examples]
    targets = [ex.binary[label] for ex in examples]
    means = prior if prior is not None else [0.0] * size

    def f_grad(x: list[float]) -> tuple[float, list[float]]:
        get = x.__getitem__
        grad = [0.0] * (size + 1)
        loss = 0.0
        for r, y in zip(rows, targets):
            z = x[0] + sum(map(get, r))
            loss += _log1p_exp(z) - y * z
            g = 1.0 / (1.0 + math.exp(-z)) - y if z > -30 else -y
            grad[0] += g
            for i in r:
                grad[i] += g
        for j in range(size):
            d = x[j + 1] - means[j]
            if d:
                loss += 0.5 * l2[j] * d * d
                grad[j + 1] += l2[j] * d
        return loss, grad

    x = _lbfgs(f_grad, [0.0, *means], iterations=iterations)
    return x[0], x[1:]


def fit_softmax(examples: list[Example], l2: list[float], *, skip: frozenset[int] = frozenset(), iterations: int = ITERATIONS) -> tuple[list[float], list[list[float]]]:
    """(biases, weights per class) of an L2-regularised softmax regression for sentiment."""
    k = len(SENTIMENT_CLASSES)
    size = len(l2)
    width = size + 1
    rows = [[i + 1 for i in ex.features if i not in skip] for ex in examples]
    targets = [ex.sentiment for ex in examples]

    def f_grad(x: list[float]) -> tuple[float, list[float]]:
        grad = [0.0] * (k * width)
        loss = 0.0
        for r, y in zip(rows, targets):
            z = [x[c * width] + sum(x[c * width + i] for i in r) for c in range(k)]
            top = max(z)
            e = [math.exp(v - top) for v in z]
            total = sum(e)
            loss += top + math.log(total) - z[y]
            for c in range(k):
                g = e[c] / total - (1.0 if c == y else 0.0)
                base = c * width
                grad[base] += g
                for i in r:
                    grad[base + i] += g
        for c in range(k):
            base = c * width
            for j in range(size):
                w = x[base + j + 1]
                if w:
                    loss += 0.5 * l2[j] * w * w
                    grad[base + j + 1] += l2[j] * w
        return loss, grad

    x = _lbfgs(f_grad, [0.0] * (k * width), iterations=iterations)
    return [x[c * width] for c in range(k)], [x[c * width + 1 : (c + 1) * width] for c in range(k)]


@dataclass(slots=True)
class Trained:
    vocabulary: dict[str, int]
    biases: dict[str, float]  # binary label or "sentiment:<class>"
    weights: dict[str, list[float]]


def train(items: list[labeled.Labeled], **settings) -> Trained:
    return train_from([(item, message_features(item)) for item in items], **settings)


def train_from(raw: list[tuple[labeled.Labeled, set[str]]], *, l2_words: float = L2_WORDS, l2_facts: float = L2_FACTS, iterations: int = ITERATIONS, min_count: int = MIN_COUNT) -> Trained:
    examples, vocabulary = build_from(raw, min_count=min_count)
    l2 = penalties(vocabulary, l2_words, l2_facts)
    spam_only = frozenset(vocabulary[name] for name in SPAM_ONLY if name in vocabulary)
    biases: dict[str, float] = {}
    weights: dict[str, list[float]] = {}
    for label in BINARY_LABELS:
        skip = frozenset() if label == "spam" else spam_only
        prior = prior_means(vocabulary, label)
        biases[label], weights[label] = fit_binary(examples, label, l2, skip=skip, iterations=iterations, prior=prior)
    sentiment_biases, sentiment_weights = fit_softmax(examples, l2, skip=spam_only, iterations=iterations)
    for c, name in enumerate(SENTIMENT_CLASSES):
        biases[f"sentiment:{name}"] = sentiment_biases[c]
        weights[f"sentiment:{name}"] = sentiment_weights[c]
    return Trained(vocabulary, biases, weights)


def write(trained: Trained, path: Path, *, note: str) -> int:
    """The weights as TSV: a header naming the columns, then one feature per line."""
    columns = list(trained.biases)
    lines = [
        "# cminbox triage model: written by `python -m cminbox.triage.train`, do not edit by hand.",
        f"# {note}",
        "# columns: feature, then one weight per output (a logistic regression per yes/no label,",
        "# a softmax over negative / neutral / positive for sentiment). Features: see features.py.",
        "\t".join(["@columns", *columns]),
        "\t".join(["@bias", *(f"{trained.biases[c]:.4f}" for c in columns)]),
    ]
    written = 0
    for name, i in sorted(trained.vocabulary.items()):
        row = [trained.weights[c][i] for c in columns]
        if max(abs(w) for w in row) < KEEP_WEIGHT:
            continue
        if "\t" in name or "\n" in name:
            continue
        lines.append("\t".join([name, *(f"{w:.4f}" for w in row)]))
        written += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def cross_validate(items: list[labeled.Labeled], folds: int, **settings) -> None:
    """Figures on held-out folds of the tuning part, for choosing settings without the test part."""
    from .evaluate import Counts
    from .model import Model

    rng = random.Random(SEED)
    shuffled = [(item, message_features(item)) for item in items]
    rng.shuffle(shuffled)
    counts = {label: Counts() for label in BINARY_LABELS}
    right = total = 0
    for fold in range(folds):
        held = shuffled[fold::folds]
        held_ids = {id(x) for x in held}
        trained = train_from([x for x in shuffled if id(x) not in held_ids], **settings)
        model = Model.from_trained(trained)
        for item, names in held:
            probabilities = model.predict(names)
            for label in BINARY_LABELS:
                counts[label].add(getattr(item, label), probabilities[label] >= 0.5)
            guess = max(SENTIMENT_CLASSES, key=lambda c: probabilities[f"sentiment:{c}"])
            right += guess == item.sentiment
            total += 1
    print(f"{folds}-fold cross-validation on the tuning part ({settings or 'default settings'}):")
    for label, c in counts.items():
        print(f"  {label:10s} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}")
    print(f"  sentiment  accuracy {right / total:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the triage model on the labeled inbox's tuning part.")
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with this many folds instead of writing")
    parser.add_argument("--l2-words", type=float, default=L2_WORDS)
    parser.add_argument("--l2-facts", type=float, default=L2_FACTS)
    parser.add_argument("--iterations", type=int, default=ITERATIONS)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    items = labeled.part(labeled.load(), labeled.TUNING)
    settings = {"l2_words": args.l2_words, "l2_facts": args.l2_facts, "iterations": args.iterations}
    if args.cv:
        cross_validate(items, args.cv, **settings)
        return 0
    started = time.perf_counter()
    trained = train(items, **settings)
    note = (
        f"trained on the {len(items)} messages of the labeled inbox's tuning part; "
        f"l2 words={args.l2_words}, l2 facts={args.l2_facts}, iterations={args.iterations}, "
        f"min count={MIN_COUNT}"
    )
    written = write(trained, args.out, note=note)
    print(f"{written} features written to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
