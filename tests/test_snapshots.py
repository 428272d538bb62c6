"""Layout snapshots at a fixed size, fixed data and a fixed clock (pytest-textual-snapshot).

Update them deliberately with `pytest tests/test_snapshots.py --snapshot-update`, then look.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

import cminbox.app
from appkit import SIZE, buzzing_store, fixed_store, make_app


@pytest.fixture(autouse=True)
def _no_mark_read_timer(monkeypatch):
    """A message under the cursor is marked read MARK_READ_AFTER seconds later: whether that
    happened before the picture was taken depended on the machine's speed (one update run showed
    a row refreshed by it). In these pictures, nothing is marked read by waiting."""
    monkeypatch.setattr(cminbox.app, "MARK_READ_AFTER", 3600.0)


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()


def _app(tmp_path):
    return make_app(fixed_store(tmp_path / "snap.db"))


def test_main_screen(snap_compare, tmp_path):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("j", "j")
        await _settle(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, tmp_path):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_search_results(snap_compare, tmp_path):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("slash")
        pilot.app.query_one("#search", Input).cursor_blink = False
        await pilot.press(*"remboursement")
        await pilot.pause(0.3)
        await _settle(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_complaints_folder_narrow_terminal(snap_compare, tmp_path):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("6")
        await _settle(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=(90, 30), run_before=run_before)


def test_sidebar_source_health(snap_compare, tmp_path, time_zone):
    from appkit import NOW

    time_zone("UTC")  # "backoff until 16:05" is local time
    store = fixed_store(tmp_path / "snap.db")
    for key, label, state, error, next_try in [
        ("m", "Mastodon @brioche", "live", None, None),
        ("a", "Google Alerts", "backoff", "Google Alerts: www.google.com/alerts/feeds/1/2 failed on its side (HTTP 502)", NOW + 300),
        ("b", "Bluesky brioche.bsky.social", "reauth", "environment variable BSKY_PASSWORD is not set: export it", None),
        ("h", "Hacker News", "error", "Hacker News: hn.algolia.com/api/v1/search_by_date sent something that is not valid JSON", NOW + 900),
    ]:
        store.register_source(key, "brioche", "rss", label)
        store.set_source_state(key, state, error=error, next_try=next_try, now=NOW - 60)
    assert snap_compare(make_app(store), terminal_size=SIZE, run_before=_settle)


# -- answering: the picker, the composer, bulk answering -------------------------------------------


def _answering_app(tmp_path, **kwargs):
    from cminbox.config import Config
    from cminbox.outbox import Senders
    from cminbox.sources.demo import DemoSource

    senders = Senders()
    senders.register("demo", DemoSource())
    # A fixed folder name: the picker mentions it, and a snapshot must not change with the temp dir.
    return make_app(fixed_store(tmp_path / "snap.db"), config=Config(agent="Camille"), senders=senders,
                    replies_folder=Path("/home/camille/replies"), **kwargs)


async def _on_first_complaint(pilot) -> None:
    await _settle(pilot)
    await pilot.press("6")  # Complaints: Julie Martin's undelivered order, in French, on Facebook
    await _settle(pilot)
    julie = pilot.app.store.conn.execute("SELECT id FROM messages WHERE native_id = 'c1'").fetchone()[0]
    pilot.app.action_jump_to(julie)
    await _settle(pilot)


def _still(screen) -> None:
    """No blinking cursor in a snapshot."""
    from textual.widgets import TextArea

    for widget in screen.query(Input):
        widget.cursor_blink = False
    for widget in screen.query(TextArea):
        widget.cursor_blink = False


def test_saved_replies_picker(snap_compare, tmp_path):
    async def run_before(pilot):
        await _on_first_complaint(pilot)
        await pilot.press("R")
        await _settle(pilot)
        _still(pilot.app.screen)
        await pilot.press(*"livr")
        await _settle(pilot)

    assert snap_compare(_answering_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_composer_with_a_saved_reply(snap_compare, tmp_path):
    async def run_before(pilot):
        await _on_first_complaint(pilot)
        await pilot.press("R")
        await _settle(pilot)
        await pilot.press(*"retard")
        await _settle(pilot)
        await pilot.press("down", "enter")
        await _settle(pilot)
        _still(pilot.app.screen)
        await pilot.pause(0.1)

    assert snap_compare(_answering_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_bulk_answering_preview(snap_compare, tmp_path):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("6")
        await _settle(pilot)
        await pilot.press("X")
        await _settle(pilot)
        # The "Selected 4" toast expires on a timer: whether it is still up would depend on the
        # machine's load. Cleared while the inbox is the current screen (the rack cleared is the
        # current screen's).
        pilot.app.clear_notifications()
        await pilot.pause()
        await pilot.press("R")
        await _settle(pilot)
        await pilot.press(*"message prive", "enter")
        await _settle(pilot)

    assert snap_compare(_answering_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_crisis_mode_during_the_demo_buzz(snap_compare, tmp_path):
    """The banner over the spike's messages, with the keys that answer them all."""
    store = buzzing_store(tmp_path / "buzz.db")

    async def run_before(pilot):
        await _settle(pilot)
        pilot.app.check_buzz_now()
        await pilot.press("b")
        await _settle(pilot)
        pilot.app.clear_notifications()  # toasts expire on timers: not part of the layout
        await pilot.pause()

    assert snap_compare(make_app(store), terminal_size=SIZE, run_before=run_before)
