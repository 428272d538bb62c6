"""Full garbage collections wait for a pause in the user's input, and are given back on exit."""

from __future__ import annotations

import gc
import threading

from cminbox.idle_gc import IDLE_SECONDS, MOST_SECONDS, IdleCollector, collection_paused
from appkit import SIZE, make_app, settle


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _collector():
    clock, collected = _Clock(), []
    return IdleCollector(clock=clock, collect=lambda: collected.append(clock.now)), clock, collected


def test_a_full_collection_waits_for_a_pause_and_runs_once_per_pause():
    idle, clock, collected = _collector()
    for _ in range(20):  # typing: a key every 0.1 s
        clock.now += 0.1
        idle.input_seen()
        assert not idle.tick()
    clock.now += IDLE_SECONDS
    assert idle.tick() and len(collected) == 1
    clock.now += 5  # still idle: nothing new to wait for
    assert not idle.tick() and len(collected) == 1
    idle.input_seen()
    clock.now += IDLE_SECONDS
    assert idle.tick() and len(collected) == 2


def test_it_collects_at_least_every_minute_even_while_someone_types():
    idle, clock, collected = _collector()
    while clock.now < 1000.0 + MOST_SECONDS + 1:
        clock.now += 0.2
        idle.input_seen()
        idle.tick()
    assert len(collected) == 1


def test_only_the_full_collection_is_taken_from_python_and_given_back():
    before = gc.get_threshold()
    idle, _, _ = _collector()
    idle.start()
    try:
        young, middle, full = gc.get_threshold()
        assert (young, middle) == before[:2] and full > 1_000_000
    finally:
        idle.stop()
    assert gc.get_threshold() == before


async def test_the_app_defers_full_collections_while_it_runs_and_notes_each_key(fixed_inbox):
    before = gc.get_threshold()
    app = make_app(fixed_inbox)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] > 1_000_000
        seen = app._idle_gc.last_input
        await pilot.press("j")
        assert app._idle_gc.last_input > seen
    assert gc.get_threshold() == before


# -- collection paused for batch work ---------------------------------------------------------


def test_a_pause_turns_collection_off_and_back_on_even_when_the_batch_fails():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with collection_paused():
            raise ValueError("a bad batch")
    except ValueError:
        pass
    assert gc.isenabled()


def test_nested_and_overlapping_pauses_resume_collection_only_when_the_last_ends():
    inner_done, outer_may_end = threading.Event(), threading.Event()
    seen = []

    def other_batch():
        with collection_paused():
            inner_done.set()
            outer_may_end.wait(5)
        seen.append(gc.isenabled())  # this batch ended last: collection is back

    with collection_paused():
        with collection_paused():
            pass
        assert not gc.isenabled()  # the nested pause ended, the outer one did not
        thread = threading.Thread(target=other_batch)
        thread.start()
        assert inner_done.wait(5)
    assert not gc.isenabled()  # the other thread's batch runs on
    outer_may_end.set()
    thread.join(5)
    assert seen == [True]
    assert gc.isenabled()


def test_a_pause_leaves_collection_off_when_it_was_off_before():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_scoring_and_storing_a_batch_run_with_collection_paused(tmp_path, monkeypatch):
    from cminbox.models import Incoming
    from cminbox.store import Store
    from cminbox.triage import score as scoring

    during = []
    real = scoring.priority

    def spy(**kwargs):
        during.append(gc.isenabled())
        return real(**kwargs)

    monkeypatch.setattr(scoring, "priority", spy)
    scoring.score_messages([scoring.ToScore("Toujours pas reçu ma commande", "dm")])
    assert during == [False] and gc.isenabled()

    store = Store(tmp_path / "inbox.db")
    store.ensure_workspace("w", "W")
    store.register_source("s", "w", "import", "S")
    written = []
    real_row = Store._row_for
    monkeypatch.setattr(Store, "_row_for", lambda self, *a: written.append(gc.isenabled()) or real_row(self, *a))
    message = Incoming(native_id="1", network="x", kind="dm", author_name="A", author_handle="a", text="Merci !", created_at=1.7e9)
    store.ingest("s", [message])
    assert written == [False] and gc.isenabled()
    store.close()
