"""The inbox benchmark's own parts: a small build stores every message it times, samples the
machine's speed through the build, leaves its sampling out of the time it reports, and says when
other work shared its core."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
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
    rate, speeds, elsewhere = bench_inbox.build(path, 3 * bench_inbox.BATCH)
    # A sample before each batch (the builds are smaller than SPEED_SAMPLES batches) and after the last.
    assert len(speeds) == 4
    assert all(speed > 0 for speed in speeds)
    assert rate > 0
    assert 0.0 <= elsewhere < 1.0
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3 * bench_inbox.BATCH
        assert db.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'commande'").fetchone()[0] > 0


def test_the_speed_sampling_is_left_out_of_the_build_time(tmp_path, monkeypatch):
    """A probe that takes a second of this thread's time must not slow the reported rate."""
    n = 2 * bench_inbox.BATCH
    monkeypatch.setattr(bench_inbox.SpeedProbe, "sample", lambda self: self.rates.append(1.0))
    quick = bench_inbox.build(tmp_path / "a.db", n).rate

    def slow_sample(self):
        until = time.thread_time() + 1.0
        while time.thread_time() < until:
            pass
        self.rates.append(1.0)

    monkeypatch.setattr(bench_inbox.SpeedProbe, "sample", slow_sample)
    started = time.perf_counter()
    slowed, speeds, _ = bench_inbox.build(tmp_path / "b.db", n)
    assert time.perf_counter() - started > 3.0  # three samples of a second each did run
    assert len(speeds) == 3
    # Three seconds of sampling counted in would cut the rate to a fraction of the quick build's.
    assert n / slowed < n / quick + 1.0


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="the bench holds to one core only where Linux allows it")
def test_a_build_that_shares_its_core_says_so(tmp_path):
    """A program busy on the build's core takes about half its time: the build reports it rather
    than a rate that looks like cminbox's own."""
    core = min(os.sched_getaffinity(0))
    busy = subprocess.Popen(
        [sys.executable, "-c", f"import os; os.sched_setaffinity(0, {{{core}}})\nwhile True: pass"]
    )
    try:
        time.sleep(0.3)  # started and spinning
        elsewhere = bench_inbox.build(tmp_path / "inbox.db", 3 * bench_inbox.BATCH).elsewhere
    finally:
        busy.kill()
        busy.wait()
    assert elsewhere > 0.25


@pytest.mark.parametrize(("wall", "cpu", "share"), [(10.0, 10.0, 0.0), (10.0, 6.0, 0.4), (10.0, 10.3, 0.0), (0.0, 0.0, 0.0)])
def test_the_share_elsewhere_is_the_time_the_process_did_not_run(wall, cpu, share):
    assert bench_inbox.share_elsewhere(wall, cpu) == pytest.approx(share)


@pytest.mark.parametrize(
    ("text", "sizes"), [("100000,1000000", [100_000, 1_000_000]), ("1_000", [1_000]), ("5", [5])]
)
def test_sizes_are_read_as_message_counts(text, sizes):
    assert bench_inbox.message_counts(text) == sizes


@pytest.mark.parametrize("text", ["", "lots", "100k", "0", "-5"])
def test_anything_else_is_a_usage_error(text):
    with pytest.raises(argparse.ArgumentTypeError):
        bench_inbox.message_counts(text)
