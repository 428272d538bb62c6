"""Full garbage collections wait for a pause in the user's input, and are given back on exit."""

from __future__ import annotations

import gc

from cminbox.idle_gc import IDLE_SECONDS, MOST_SECONDS, IdleCollector
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
