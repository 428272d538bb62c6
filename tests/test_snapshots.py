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
