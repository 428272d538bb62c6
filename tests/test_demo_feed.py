"""The demo's replay of its day: on its own clock, `--speed` times the real one, resumable."""

from __future__ import annotations

import pytest

from cminbox.sources.demo import DemoFeed
from cminbox.store import Store

START = 1_767_600_000.0  # a real moment the demo is opened


class RealClock:
    def __init__(self, at: float = START) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def stamps(store: Store) -> list[float]:
    return [row[0] for row in store.conn.execute("SELECT created_at FROM messages ORDER BY created_at")]


@pytest.fixture
def demo_store(tmp_path):
    store = Store(tmp_path / "demo.db")
    yield store
    store.close()


def test_at_speed_one_the_days_clock_is_the_real_one(demo_store):
    real = RealClock()
    feed = DemoFeed(demo_store, seed=1, speed=1, clock=real)
    assert feed.now() == START  # before the day starts too
    backlog = feed.start()
    assert backlog > 0 and max(stamps(demo_store)) <= START  # last night's messages, hours before
    real.at += 600
    feed.tick()
    assert feed.now() == START + 600 and max(stamps(demo_store)) <= START + 600


def test_at_speed_thirty_an_hour_of_the_day_passes_in_two_minutes_and_is_stamped_as_an_hour(demo_store):
    real = RealClock()
    feed = DemoFeed(demo_store, seed=1, speed=30, clock=real)
    feed.start()
    before = len(stamps(demo_store))
    real.at += 120  # two real minutes
    assert feed.tick() > 0
    assert feed.now() == START + 3600
    live = stamps(demo_store)[before:]
    # The day's hour is spread over an hour of message times, not over two minutes.
    assert live[0] >= START and live[-1] <= START + 3600 and live[-1] - live[0] > 30 * 60


def test_reopening_resumes_the_day_without_going_back_in_time_or_duplicates(tmp_path):
    real = RealClock()
    store = Store(tmp_path / "demo.db")
    feed = DemoFeed(store, seed=1, speed=30, clock=real)
    feed.start()
    real.at += 120
    feed.tick()
    count, last_clock, newest = len(stamps(store)), feed.now(), max(stamps(store))
    store.close()

    real.at += 5  # reopened five real seconds later, now at speed 1
    store = Store(tmp_path / "demo.db")
    again = DemoFeed(store, seed=1, speed=1, clock=real)
    # Before the day resumes (the app's first paint and checks), its clock is already where it
    # stopped, not five seconds after the real moment it was closed.
    assert again.now() == last_clock
    assert again.start() >= 0
    assert again.now() >= last_clock  # its clock had run ahead of the real one: it carries on from there
    real.at += 600
    again.tick()
    times = stamps(store)
    assert len(times) > count and len(set(r[0] for r in store.conn.execute("SELECT native_id FROM messages"))) == len(times)
    assert min(times[count:]) >= newest - 1e-6 and max(times) <= again.now()
    store.close()


def test_the_demo_brand_speaks_vous_unless_the_config_says_otherwise():
    # The picker offers the brand's tone only: in the demo, its "vous" replies, not both.
    from cminbox.config import Config, WorkspaceConfig
    from cminbox.sources.demo import with_demo_brand

    assert with_demo_brand(Config()).workspace("brioche").tone == "vous"
    own = Config(workspaces=(WorkspaceConfig("brioche", "Ma Brioche", 30, tone="tu"),))
    assert with_demo_brand(own).workspace("brioche").tone == "tu"
