"""The inbox benchmark's own parts: a small build stores every message it times, samples the
machine's speed through the build, and leaves its sampling out of the time it reports."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import bench_inbox  # noqa: E402


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Batches of 500 (the bench stores `IMPORT_BATCH` at a time, as `cminbox import` does):
    small builds of several batches stay quick."""
    monkeypatch.setattr(bench_inbox, "BATCH", 500)


def test_a_small_build_stores_every_message_and_samples_the_speed_through_it(tmp_path):
    path = tmp_path / "inbox.db"
    rate, speeds = bench_inbox.build(path, 3 * bench_inbox.BATCH)
    # A sample before each batch (the builds are smaller than SPEED_SAMPLES batches) and after the last.
    assert len(speeds) == 4
    assert all(speed > 0 for speed in speeds)
    assert rate > 0
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3 * bench_inbox.BATCH
        assert db.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'commande'").fetchone()[0] > 0


def test_the_speed_sampling_is_left_out_of_the_build_time(tmp_path, monkeypatch):
    """A probe that takes a second of this thread's time must not slow the reported rate."""
    n = 2 * bench_inbox.BATCH
    monkeypatch.setattr(bench_inbox.SpeedProbe, "sample", lambda self: self.rates.append(1.0))
    quick, _ = bench_inbox.build(tmp_path / "a.db", n)

    def slow_sample(self):
        until = time.thread_time() + 1.0
        while time.thread_time() < until:
            pass
        self.rates.append(1.0)

    monkeypatch.setattr(bench_inbox.SpeedProbe, "sample", slow_sample)
    started = time.perf_counter()
    slowed, speeds = bench_inbox.build(tmp_path / "b.db", n)
    assert time.perf_counter() - started > 3.0  # three samples of a second each did run
    assert len(speeds) == 3
    # Three seconds of sampling counted in would cut the rate to a fraction of the quick build's.
    assert n / slowed < n / quick + 1.0


@pytest.mark.parametrize(
    ("text", "sizes"), [("100000,1000000", [100_000, 1_000_000]), ("1_000", [1_000]), ("5", [5])]
)
def test_sizes_are_read_as_message_counts(text, sizes):
    assert bench_inbox.message_counts(text) == sizes


@pytest.mark.parametrize("text", ["", "lots", "100k", "0", "-5"])
def test_anything_else_is_a_usage_error(text):
    with pytest.raises(argparse.ArgumentTypeError):
        bench_inbox.message_counts(text)
