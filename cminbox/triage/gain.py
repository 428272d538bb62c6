"""The gain from corrections: how the scorer does on later messages after the CM corrected N.

A stream of messages in arrival order is cut in two: the CM works through the first half and
corrects the complaint verdicts the scorer got wrong, in order; the second half is then scored
with what those N corrections teach (`learn.py`) and measured. N = 0 is the scorer alone.
Measured on the labeled inbox's test part (many brands, shuffled once) and on the demo day (one
brand's day, in time order, the way a workspace's corrections accumulate).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .evaluate import Counts
from .labeled import Labeled
from .learn import Correction, Learner
from .score import analyse, classify

STEPS = (0, 5, 10, 25, 50, 100)
SHUFFLE_SEED = 6


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    author: str
    rating: float | None
    complaint: bool


def _stream(items: list[Labeled], *, shuffle: bool) -> list[Message]:
    out = [Message(i.text, i.where if i.where.count("_") >= 2 else "", i.rating, bool(i.complaint)) for i in items if i.complaint is not None]
    if shuffle:
        random.Random(SHUFFLE_SEED).shuffle(out)
    return out


def learning_curve(stream: list[Message], steps=STEPS) -> list[tuple[int, Counts]]:
    half = len(stream) // 2
    past, future = stream[:half], stream[half:]
    analysed_past = [(m, analyse(m.text, rating=m.rating)) for m in past]
    analysed_future = [(m, analyse(m.text, rating=m.rating)) for m in future]
    mistakes = [
        Correction(m.text, m.author, m.complaint, None)
        for m, a in analysed_past
        if classify(a, m.text).complaint != m.complaint
    ]
    curve = []
    steps = [n for n in steps if n < len(mistakes)] + [len(mistakes)]  # up to every mistake
    for n in steps:
        learner = Learner(mistakes[:n]) if n else None
        counts = Counts()
        for m, a in analysed_future:
            counts.add(m.complaint, classify(a, m.text, learner=learner, author=m.author or None).complaint)
        curve.append((n, counts))
    return curve


def report_gain(test_items: list[Labeled]) -> str:
    from .evaluate import demo_set

    lines = ["complaint F1 on later messages after N corrections (the CM fixes the scorer's mistakes in the",
             "first half of a stream; the second half is measured)"]  # fmt: skip
    demo = demo_set()
    by_id = {}
    from ..demo.script import build_day

    for event in build_day(1, hours=12.0):
        by_id[event.message.native_id] = f"{event.message.network}:{event.message.author_handle.lower()}"
    demo_stream = [Message(i.text, by_id.get(i.where, ""), i.rating, bool(i.complaint)) for i in demo if i.complaint is not None]
    for title, stream in (("labeled inbox, test part (many brands, shuffled)", _stream(test_items, shuffle=True)),
                          ("demo day, in time order (one brand)", demo_stream)):  # fmt: skip
        lines.append(f"  {title}: {len(stream) - len(stream) // 2} messages measured")
        curve = learning_curve(stream)
        lines.append("    N     " + "  ".join(f"{n:>5}" for n, _ in curve))
        lines.append("    F1    " + "  ".join(f"{c.f1:5.2f}" for _, c in curve))
        lines.append("    P     " + "  ".join(f"{c.precision:5.2f}" for _, c in curve))
        lines.append("    R     " + "  ".join(f"{c.recall:5.2f}" for _, c in curve))
    return "\n".join(lines)
