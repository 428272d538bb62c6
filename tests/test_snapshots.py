"""Layout snapshots at a fixed size, fixed data and a fixed clock (pytest-textual-snapshot).

Update them deliberately with `pytest tests/test_snapshots.py --snapshot-update`, then look.
"""

from __future__ import annotations

from textual.widgets import Input

from appkit import SIZE, fixed_store, make_app


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


def test_sidebar_source_health(snap_compare, tmp_path, monkeypatch):
    import time

    from appkit import NOW

    monkeypatch.setenv("TZ", "UTC")  # "backoff until 16:05" is local time
    time.tzset()
    store = fixed_store(tmp_path / "snap.db")
    for key, label, state, error, next_try in [
        ("m", "Mastodon @brioche", "live", None, None),
        ("a", "Google Alerts", "backoff", "Google Alerts: www.google.com/alerts/feeds/1/2 failed on its side (HTTP 502)", NOW + 300),
        ("b", "Bluesky brioche.bsky.social", "reauth", "environment variable BSKY_PASSWORD is not set: export it", None),
        ("h", "Hacker News", "error", "Hacker News: hn.algolia.com/api/v1/search_by_date sent something that is not valid JSON", NOW + 900),
    ]:
        store.register_source(key, "brioche", "rss", label)
        store.set_source_state(key, state, error=error, next_try=next_try, now=NOW - 60)
    try:
        assert snap_compare(make_app(store), terminal_size=SIZE, run_before=_settle)
    finally:
        monkeypatch.undo()
        time.tzset()
