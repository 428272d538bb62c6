"""The learned model's sums: exact, whatever the order of the features, and guarded."""

from __future__ import annotations

import itertools

import pytest

from cminbox.triage.model import Model, model

COLUMNS = ["complaint", "question", "praise", "spam", "sentiment:neg", "sentiment:neu", "sentiment:pos"]


def _tiny(vectors: dict[str, tuple[float, ...]], biases=(0.0,) * 7) -> Model:
    return Model(COLUMNS, list(biases), vectors)


def test_logits_are_the_exact_decimal_sums_of_the_known_features():
    m = _tiny(
        {"a": (0.1, -1.5, 0.0, 6.0466, -0.0001, 2.5, -3.0), "b": (0.2, 2.0, 0.0, -6.0466, 0.0001, -2.5, 0.5)},
        biases=(0.0, 0.1, -0.2, 0.0, 0.0, 0.0, 1.0),
    )
    logits = m.logits({"a", "b", "unknown word"})
    # A float sum gives 0.30000000000000004; the model's weights are ten-thousandths, summed exactly.
    assert logits == {"complaint": 0.3, "question": 0.6, "praise": -0.2, "spam": 0.0,
                      "sentiment:neg": 0.0, "sentiment:neu": 0.0, "sentiment:pos": -1.5}  # fmt: skip
    assert m.logits(set()) == dict(zip(COLUMNS, (0.0, 0.1, -0.2, 0.0, 0.0, 0.0, 1.0)))


def test_negative_lanes_never_borrow_from_their_neighbours():
    vectors = {f"f{i}": tuple((-1) ** (i + lane) * (lane + 1) * 0.7531 for lane in range(7)) for i in range(301)}
    logits = _tiny(vectors).logits(vectors)
    expected = [sum(round(v[lane] * 10_000) for v in vectors.values()) / 10_000 for lane in range(7)]
    assert list(logits.values()) == expected


def test_the_order_of_the_features_cannot_change_a_logit():
    names = ["merci", "toujours pas", "~rembo", "s<-0.2", "cue=refund", "lang=fr"]
    shipped = model()
    seen = {tuple(shipped.logits(order).values()) for order in itertools.permutations(names)}
    assert len(seen) == 1


def test_a_weight_the_packing_cannot_hold_is_refused():
    with pytest.raises(ValueError, match="out of range"):
        _tiny({"huge": (1e9, 0, 0, 0, 0, 0, 0)})
