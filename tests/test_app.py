"""Pilot tests: every key of the inbox, and what it leaves in the database."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from appkit import NOW, SIZE, burst, fixed_store, make_app, settle
from cminbox.app import InboxApp
from cminbox.config import Config
from cminbox.models import Incoming
from cminbox.screens.help import HelpScreen
from cminbox.screens.snooze import SnoozeScreen
from cminbox.store import Store, StoreError
from cminbox.timefmt import clock_time
from cminbox.widgets.detail import DetailPane
from conftest import make_message


@pytest.fixture
def store(fixed_inbox):
    return fixed_inbox


def status_of(store: Store, message_id: int) -> str:
    return store.message(message_id).status


async def test_j_k_g_G_move_the_cursor(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ml = app.message_list
        first = ml.current_id
        await pilot.press("j", "j")
        assert ml.cursor == 2
        await pilot.press("k")
        assert ml.cursor == 1
        await pilot.press("G")
        assert ml.cursor == len(ml.ids) - 1
        await pilot.press("g")
        assert ml.cursor == 0 and ml.current_id == first
        await pilot.press("down", "down", "up")
        assert ml.cursor == 1


async def test_detail_pane_follows_the_cursor(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        body = app.query_one(DetailPane).plain()
        message = store.message(app.message_list.current_id)
        assert message.text.split()[0] in body
        assert "Triage" in body


async def test_enter_opens_marks_read_and_escape_returns(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        current = app.message_list.current_id
        assert store.message(current).unread
        await pilot.press("enter")
        assert app.focused is app.query_one(DetailPane)
        assert not store.message(current).unread
        await pilot.press("escape")
        assert app.focused is app.message_list


async def test_d_marks_done_removes_from_all_and_survives_restart(store, tmp_path):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ml = app.message_list
        target, following = ml.ids[0], ml.ids[1]
        before = store.folder_counts(1)["all"]
        await pilot.press("d")
        assert status_of(store, target) == "done"
        who = store.message(target).author_name  # the toast names whose message it was
        assert f"Done: the message from {who} · z to undo" in [str(n.message) for n in app._notifications]
        assert ml.current_id == following  # the cursor moves on to the next message
        assert ml.index_of(target) is None
        assert store.folder_counts(1)["all"] == before - 1
    reopened = Store(tmp_path / "inbox.db")
    assert reopened.message(target).status == "done"
    reopened.close()


async def test_d_in_done_folder_reopens_and_z_undoes(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("d")
        await pilot.press("9")  # Done folder
        await settle(pilot)
        assert app.message_list.current_id == target
        await pilot.press("d")
        assert status_of(store, target) == "open"
        await pilot.press("z")
        assert status_of(store, target) == "done"


async def test_u_toggles_unread_and_star_toggles_starred(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("u")
        assert not store.message(target).unread
        await pilot.press("u")
        assert store.message(target).unread
        await pilot.press("asterisk")
        assert store.message(target).starred
        assert store.folder_counts(1)["starred"] == 1
        await pilot.press("asterisk")
        assert not store.message(target).starred


async def test_s_snoozes_until_a_chosen_time_and_the_item_comes_back(store):
    now = [NOW]
    app = InboxApp(store, clock=lambda: now[0], live=False, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("s")
        assert isinstance(app.screen, SnoozeScreen)
        await pilot.press("1", "enter")  # in 1 hour
        await settle(pilot)
        row = store.message(target)
        assert row.status == "snoozed" and abs(row.snooze_until - (NOW + 3600)) < 1
        assert app.message_list.index_of(target) is None
        await pilot.press("8")  # the Snoozed folder says when each message comes back
        await settle(pilot)
        shown = app.message_list.render_line(app.message_list.index_of(target)).text
        assert f"◷ until {clock_time(row.snooze_until, NOW)} · " in shown
        await pilot.press("1")
        await settle(pilot)
        now[0] = NOW + 3601
        app.check_for_changes()
        await settle(pilot)
        assert status_of(store, target) == "open"
        assert app.message_list.index_of(target) is not None


async def test_snooze_accepts_a_typed_time_and_reports_nonsense(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("s")
        await pilot.press(*"soon", "enter")
        assert isinstance(app.screen, SnoozeScreen)
        assert "cannot read" in str(app.screen.query_one("#snooze-error").render())
        app.screen.query_one(Input).value = ""
        await pilot.press(*"2h", "enter")
        await settle(pilot)
        assert store.message(target).snooze_until == pytest.approx(NOW + 7200, abs=1)


async def test_the_snooze_box_shows_what_the_typed_text_means_before_enter(store):
    """Live, as it is typed: "1h30" at 16:00 is 17:30 today (not 1:30 at night), and the preview
    says how to type the other reading; nonsense says what to try; enter does what it showed."""
    from datetime import datetime, timedelta

    app = make_app(store)
    in_90_minutes = (datetime.fromtimestamp(NOW) + timedelta(minutes=90)).strftime("%H:%M")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("s")
        preview = lambda: str(app.screen.query_one("#snooze-preview").render())  # noqa: E731
        assert preview() == ""
        await pilot.press(*"1h30")
        assert preview() == f"→ today {in_90_minutes} (in 1 h 30 min)\n  read as a duration; à 1h30 means tomorrow 01:30"
        await pilot.press(*["backspace"] * 4, *"soon")
        assert preview() == "not understood: try 2h, demain 9h, lundi, 17:30"
        await pilot.press(*["backspace"] * 4, "3")
        assert preview().startswith("→ choice 3: ")
        await pilot.press("backspace", *"5pm")
        assert preview().startswith("→ ") and " 17:00 (in " in preview()
        await pilot.press(*["backspace"] * 3, *"1h30", "enter")
        await settle(pilot)
        assert store.message(target).snooze_until == pytest.approx(NOW + 90 * 60, abs=1)


async def test_the_snooze_box_previews_the_parts_of_the_day_a_cm_says(store):
    """A Québec CM at 18:34: "à soir" is this evening, already begun: the preview says so, not
    "tomorrow 18:00"; at 10:00 it is today 18:00."""
    from datetime import datetime

    for now, typed, said in [
        (datetime(2026, 11, 25, 10, 0), "à soir", "→ today 18:00 (in 8 h)"),
        (datetime(2026, 11, 25, 18, 34), "à soir", "18:00 today is already past: try a later time, or demain"),
        (datetime(2026, 11, 25, 10, 0), "dans la soirée", "→ today 18:00 (in 8 h)"),
        (datetime(2026, 11, 25, 18, 34), "demain pm", "→ tomorrow 14:00 (in 19 h 26 min)"),
        (datetime(2026, 11, 25, 18, 34), "en fin de journée", "→ tomorrow 17:00 (in 22 h 26 min)"),
        (datetime(2026, 11, 25, 18, 34), "ce week-end", "→ Sat 09:00 (in 2 days)"),
        (datetime(2026, 11, 29, 10, 0), "ce week-end", "this weekend's 09:00 is already past: try samedi, or demain"),
    ]:
        app = make_app(store, clock=now.timestamp)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("s")
            app.screen.query_one(Input).value = typed
            await pilot.pause()
            assert str(app.screen.query_one("#snooze-preview").render()) == said, typed


async def test_a_refused_snooze_time_says_why_until_the_text_changes(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", *"soon", "enter")
        error = lambda: str(app.screen.query_one("#snooze-error").render())  # noqa: E731
        assert "cannot read" in error() and str(app.screen.query_one("#snooze-preview").render()) == ""
        await pilot.press("backspace")
        assert error() == ""


async def test_a_snooze_time_typed_in_one_burst_is_read_whole(store):
    # "45m" typed fast (or pasted) after s: the 4 is not choice 4, and no key leaks into the list.
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target, folder = app.message_list.current_id, app.view.folder
        burst(app, "s45m\r")
        await settle(pilot)
        assert not isinstance(app.screen, SnoozeScreen)
        assert store.message(target).snooze_until == pytest.approx(NOW + 45 * 60, abs=1)
        assert app.view.folder == folder


async def test_snooze_choices_by_arrows_or_number_then_enter(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.message_list.current_id
        await pilot.press("s", "down", "enter")  # the second choice: this evening, 18:00 (it is 16:00)
        await settle(pilot)
        assert store.message(first).snooze_until == pytest.approx(NOW + 2 * 3600, abs=1)
        second = app.message_list.current_id
        await pilot.press("s", "enter")  # nothing typed: the highlighted first choice
        await settle(pilot)
        assert store.message(second).snooze_until == pytest.approx(NOW + 3600, abs=1)
        third = app.message_list.current_id
        await pilot.press("s", "3", "enter")  # in 3 hours, after this evening
        await settle(pilot)
        assert store.message(third).snooze_until == pytest.approx(NOW + 3 * 3600, abs=1)


async def test_a_number_typed_highlights_its_choice_and_one_out_of_range_is_refused(store):
    from textual.widgets import OptionList

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("s", "3")
        assert app.screen.query_one(OptionList).highlighted == 2
        app.screen.query_one(Input).value = "0"  # no message here is snoozed: 0 is no choice
        await pilot.press("enter")
        assert isinstance(app.screen, SnoozeScreen) and store.message(target).snooze_until is None
        assert "No choice 0: pick 1–" in str(app.screen.query_one("#snooze-error").render())


async def test_undoing_a_reopen_says_reopen(store):
    app = make_app(store)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app._say = said.append
        await settle(pilot)
        await pilot.press("d", "9")  # one done, then the Done folder
        await settle(pilot)
        await pilot.press("d", "z")  # reopened there, then undone
        await settle(pilot)
    assert said[-1].startswith("Undone: reopen (")


async def test_z_undoes_across_a_workspace_switch_and_says_where(tmp_path):
    # An agency CM marks Jean done in one brand, switches with w, then presses z: the undo is
    # still there, and the toast names the brand the message is in.
    store = fixed_store(tmp_path / "two.db", [
        Incoming(native_id="j", network="x", kind="mention", text="Toujours pas reçu", created_at=NOW - 60, author_name="Jean"),
    ])
    store.ensure_workspace("velo", "Vélo Vert", 60)
    store.register_source("velo-demo", "velo", "demo", "demo")
    store.ingest("velo-demo", [Incoming(native_id="v", network="x", kind="mention", text="Hello", created_at=NOW - 30,
                                        author_name="Tom")], cursor="v", now=NOW)
    app = make_app(store)
    said: list[str] = []
    try:
        async with app.run_test(size=SIZE) as pilot:
            app._say = said.append
            await settle(pilot)
            jean = app.message_list.current_id
            await pilot.press("d")
            await settle(pilot)
            assert store.message(jean).status == "done"
            await pilot.press("w")
            await settle(pilot)
            assert app.view.workspace.slug == "velo"
            await pilot.press("z")
            await settle(pilot)
            assert store.message(jean).status == "open"
            assert said[-1] == "Undone: done (the message from Jean, in Brioche & Co)"
            await pilot.press("z")  # nothing left: said, not silently ignored
            await settle(pilot)
            assert said[-1] == "Nothing to undo"
    finally:
        store.close()


async def test_a_snoozed_message_can_be_woken_now(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("s", "enter")
        await settle(pilot)
        await pilot.press("8")  # the Snoozed folder
        await settle(pilot)
        assert app.message_list.current_id == target
        assert f"snoozed until {clock_time(NOW + 3600, NOW)} · s wakes it" in app.query_one(DetailPane).plain()
        await pilot.press("s")
        assert "wake it now" in str(app.screen.query_one("OptionList").get_option_at_index(0).prompt)
        await pilot.press("0", "enter")
        await settle(pilot)
        assert status_of(store, target) == "open"
        assert store.message(target).snooze_until is None
        await pilot.press("z")
        await settle(pilot)
        assert status_of(store, target) == "snoozed"


async def test_escape_cancels_snooze(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("s", "escape")
        assert status_of(store, target) == "open"


async def test_x_selects_and_actions_apply_to_the_selection(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ml = app.message_list
        picked = list(ml.ids[:3])
        await pilot.press("x", "x", "x")
        assert ml.selected == set(picked)
        assert "3 selected" in str(ml.border_subtitle)
        await pilot.press("d")
        assert all(status_of(store, i) == "done" for i in picked)
        assert not ml.selected


async def test_escape_clears_a_selection(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x", "x", "escape")
        assert not app.message_list.selected


async def test_number_keys_switch_folders(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, folder, kind in (("2", "comments", "comment"), ("3", "dms", "dm"), ("4", "mentions", "mention")):
            await pilot.press(key)
            await settle(pilot)
            assert app.view.folder == folder
            rows = store.list_rows(list(app.message_list.ids))
            assert rows and all(r.kind == kind for r in rows.values())
        await pilot.press("6")
        await settle(pilot)
        assert all(r.complaint for r in store.list_rows(list(app.message_list.ids)).values())
        await pilot.press("1")
        assert len(app.message_list.ids) == store.folder_counts(1)["all"]


async def test_p_shows_happy_customers_to_thank_and_a_verdict_takes_one_out(store):
    from cminbox.widgets.sidebar import Sidebar

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.view.folder == "praise"
        ids = list(app.message_list.ids)
        assert ids and len(ids) == store.folder_counts(1)["praise"]
        for mid in ids:
            message = store.message(mid)
            assert message.praise and not message.complaint and not message.spam and message.status == "open"
        assert "p Praise" in app.query_one(Sidebar).render().plain
        assert "Praise" in str(app.message_list.border_title)
        target = app.message_list.current_id
        await pilot.press("m", "1")  # not glad after all: it leaves the list
        await settle(pilot)
        assert target not in app.message_list.ids
        assert store.folder_counts(1)["praise"] == len(ids) - 1


async def test_a_remapped_folder_key_opens_it_and_the_sidebar_shows_it(store):
    from cminbox.widgets.sidebar import Sidebar

    app = make_app(store, config=Config(keymap={"folder.praise": "P"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert app.view.folder == "praise"
        assert "P Praise" in app.query_one(Sidebar).render().plain


async def test_bang_marks_complaint_and_the_verdict_is_kept(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        was = store.message(target).complaint
        await pilot.press("exclamation_mark")
        row = store.message(target)
        assert row.complaint_override is (not was) and row.complaint is (not was)
    # A re-fetch of the same message keeps the user's verdict.
    store.ingest("demo", [make_message(native_id=row.native_id, text=row.text + " (edited)")])
    assert store.message(target).complaint_override is (not was)


async def test_slash_searches_full_text_and_escape_closes(store):
    store.ingest("demo", [make_message(text="Where is my refund for order BC-99999?")])
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"refund")
        await pilot.pause(0.3)
        await settle(pilot)
        assert app.view.query == "refund"
        texts = [r.snippet for r in store.list_rows(list(app.message_list.ids)).values()]
        assert texts and all("refund" in t.lower() for t in texts)
        await pilot.press("enter")
        assert app.focused is app.message_list
        await pilot.press("escape")
        await settle(pilot)
        assert app.view.query is None
        assert len(app.message_list.ids) == store.folder_counts(1)["all"]


async def test_a_search_over_an_imported_history_opens_on_the_newest_hit(tmp_path):
    # Today's messages were synced, then last year's imported (stored after them). A common word
    # has more hits than the first page: the list settles by date, on its top, the newest hit.
    from cminbox.app import FIRST_PAGE

    recent = [Incoming(native_id=f"r{i}", network="x", kind="mention", text=f"ma commande {i}", created_at=NOW - 60 * (i + 1),
                       author_name=f"Client {i}") for i in range(5)]
    history = [Incoming(native_id=f"h{i}", network="x", kind="mention", text=f"commande ancienne {i}",
                        created_at=NOW - 30 * 86_400 - 60 * i, author_name=f"Ancien {i}") for i in range(FIRST_PAGE + 20)]
    store = fixed_store(tmp_path / "history.db", recent)
    store.ingest("demo", history, cursor="import", now=NOW)
    app = make_app(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"commande")
            await pilot.pause(0.3)
            await settle(pilot)
            await settle(pilot)
            listed = app.message_list
            assert len(listed.ids) == FIRST_PAGE + 25  # the full list is in
            assert list(listed.created) == sorted(listed.created, reverse=True)
            assert listed.cursor == 0 and store.message(listed.current_id).native_id == "r0"
    finally:
        store.close()


async def test_a_failing_source_shows_in_the_list_title_where_the_sidebar_is_hidden(store):
    # At 100 columns the sidebar (and its source health) is hidden: a dead feed must not go
    # unnoticed all day.
    store.register_source("alerts", "brioche", "rss", "Google Alerts")
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "failing" not in str(app.message_list.border_title)
        store.set_source_state("alerts", "backoff", error="Google Alerts: 127.0.0.1 refused the connection", next_try=NOW + 600,
                               now=NOW)  # sources name themselves in their errors; said once is enough
        app.refresh_panels()
        await settle(pilot)
        assert str(app.message_list.border_title).endswith(" · ✗ 1 source failing")
        said: list[str] = []
        app._say = lambda text, timeout=3: said.append(text) if timeout >= 10 else None  # long enough to read
        app.engine = __import__("types").SimpleNamespace(sync_now=lambda: None)
        await pilot.press("dollar_sign")  # $ says which one, and why
        assert said == [f"Syncing every source now. Failing: Google Alerts: backing off until {clock_time(NOW + 600, NOW)} "
                        "(127.0.0.1 refused the connection)"]
        app.engine = None
        store.set_source_state("alerts", "ok", now=NOW)
        app.refresh_panels()
        await settle(pilot)
        assert "failing" not in str(app.message_list.border_title)


async def test_the_search_hint_fits_its_box_at_100_columns(store):
    from rich.cells import cell_len

    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        box = app.query_one("#search", Input)
        assert cell_len(box.placeholder) <= box.content_size.width and "esc: close" in box.placeholder


async def test_a_remapped_key_keeps_its_place_in_the_footer(store):
    # Textual moves a remapped binding after all the others: at 100 columns "Done" fell off the
    # footer's end. The footer keeps the declared order, whatever the keys.
    from textual.widgets._footer import FooterKey

    async def footer_actions(config: Config) -> list[str]:
        app = make_app(store, config=config)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            return [key.action for key in app.query(FooterKey)]

    plain = await footer_actions(Config())
    remapped = await footer_actions(Config(keymap={"inbox.done": "e,d", "inbox.reply": "a"}))
    assert remapped == plain and "done" in plain


def _cursor_row_on_screen(listed) -> bool:
    top = round(listed.scroll_y)
    return top <= listed.cursor < top + listed.scrollable_content_region.height


async def test_leaving_a_search_shows_the_row_under_the_cursor(tmp_path):
    # The cursor stays on the message found, deep in the folder: the list must scroll to it
    # (it stayed near the top, "3–18 of 181", with the detail pane on a row out of sight).
    messages = [Incoming(native_id=f"m{i}", network="x", kind="mention", text=f"message {i}", created_at=NOW - 60 * i,
                         author_name=f"Client {i}") for i in range(120)]
    messages[70] = Incoming(native_id="g", network="x", kind="mention", text="bonjour", created_at=NOW - 60 * 70,
                            author_name="Gaëtan Morel")
    store = fixed_store(tmp_path / "deep.db", messages)
    app = make_app(store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"from:gaetan")
            await pilot.pause(0.3)
            await settle(pilot)
            await pilot.press("enter", "escape")
            await settle(pilot)
            await pilot.pause()
            listed = app.message_list
            assert app.view.query is None and store.message(listed.current_id).native_id == "g"
            assert _cursor_row_on_screen(listed)
    finally:
        store.close()


async def test_a_full_list_that_moves_the_cursor_row_scrolls_to_it(store):
    # A search's first page is in storage order and its full list by date: a cursor moved (j)
    # before the full list came is carried to its message's new row, which must be in sight.
    from array import array

    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listed = app.message_list
        ids, created = array("q", listed.ids), array("d", listed.created)
        listed.select_index(1)
        moved = listed.current_id
        at = len(ids) - 1  # the full list puts that message last
        order = [i for i in range(len(ids)) if ids[i] != moved] + [ids.index(moved)]
        listed.complete(array("q", (ids[i] for i in order)), array("d", (created[i] for i in order)))
        await settle(pilot)
        await pilot.pause()
        assert listed.cursor == at and listed.current_id == moved and _cursor_row_on_screen(listed)


async def test_a_list_made_shorter_keeps_the_cursor_row_in_sight(store):
    # The bad-buzz banner takes two lines from the list at 80x24: a cursor on the last rows
    # went out of sight while the detail pane still showed its message.
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listed = app.message_list
        listed.select_index(listed.scrollable_content_region.height - 1)  # the last row on screen
        await settle(pilot)
        assert _cursor_row_on_screen(listed)
        listed.styles.height = listed.size.height - 3
        await settle(pilot)
        await pilot.pause()
        assert _cursor_row_on_screen(listed)


async def test_the_footer_shows_the_help_key_in_an_80_column_terminal(store):
    # At 80x24 the footer was cut at "x Selec": "? Help" (and all that follows it) never showed,
    # and nothing on screen said where the keys are listed.
    from textual.widgets._footer import FooterKey

    for width, shown in ((80, {"help", "reply", "done", "snooze"}), (100, {"help", "select", "search"}),
                         (160, {"help", "next_urgent", "quit"})):
        app = make_app(store)
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(pilot)
            keys = {key.action: key for key in app.query(FooterKey)}
            palette = keys.pop("command_palette")
            seen = {action for action, key in keys.items() if key.region.width and key.region.right <= palette.region.x}
            assert shown <= seen, (width, seen)


async def test_keys_typed_in_one_burst_after_slash_go_to_the_search_box(store):
    store.ingest("demo", [make_message(text="Is it done yet? Order BC-4242")])
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        counts = store.folder_counts(1)
        burst(app, "/done")
        await pilot.pause(0.3)
        await settle(pilot)
        assert app.query_one("#search", Input).value == "done"
        assert app.view.query == "done"
        assert store.folder_counts(1) == counts  # "d" marked nothing done, "o" opened nothing
        # In the search box, "/" is a character of the query.
        burst(app, " a/b")
        await pilot.pause()
        assert app.query_one("#search", Input).value == "done a/b"


async def test_a_search_that_finds_nothing_says_so(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzqx[b]", "enter")
        await settle(pilot)
        assert len(app.message_list.ids) == 0
        said = app.query_one(DetailPane).plain()
        assert "No message matches “zzqx[b]” in this workspace, in any folder." in said
        assert "escape closes it" in said
        # A symbol alone is no word to the index ("€" found nothing, as if no message had it; "%"
        # here: the pilot types ASCII).
        await pilot.press("escape", "slash", "%", "enter")
        await settle(pilot)
        assert app.view.query == "%", app.view.query
        said = app.query_one(DetailPane).plain()
        assert "Nothing to search in “%”: search finds words and numbers, not symbols such as € or %." in said


async def test_a_database_failing_under_the_every_second_look_is_said_once_and_the_app_goes_on(store, monkeypatch):
    """Another program holding the write lock past the busy timeout once took the app down from
    its poll (waking snoozed items)."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said: list[str] = []
        monkeypatch.setattr(app, "notify", lambda message, **_: said.append(str(message)))
        wake = store.wake_snoozed

        def locked(now=None):
            raise StoreError("the database x.db is locked by another program: database is locked")

        monkeypatch.setattr(store, "wake_snoozed", locked)
        for _ in range(3):
            app.check_for_changes()
            app.refresh_clocks()
        await pilot.pause()
        assert app.is_running
        assert said == ["Database problem: the database x.db is locked by another program: database is locked"]
        monkeypatch.setattr(store, "wake_snoozed", wake)
        app.check_for_changes()  # the lock is gone: the next look works, and says nothing
        monkeypatch.setattr(store, "wake_snoozed", locked)
        app.check_for_changes()  # a new failure after a recovery is said again
        assert len(said) == 2


async def test_a_background_task_failing_at_every_try_is_said_once(store, monkeypatch):
    """The demo's feed retries every second: on a full disk it failed every second, and each
    failure stacked one more toast over the inbox."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said: list[str] = []
        monkeypatch.setattr(app, "notify", lambda message, **_: said.append(str(message)))

        def full_disk() -> None:
            raise StoreError("the disk holding x.db is full (database or disk is full)")

        for _ in range(3):
            app.run_worker(full_disk, thread=True, exit_on_error=False)
            await settle(pilot)
        await pilot.pause()
        assert app.is_running
        assert said == ["Background task failed: the disk holding x.db is full (database or disk is full)"]


async def test_slash_in_a_dialog_does_not_open_the_search(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SnoozeScreen)
        await pilot.press("slash")
        assert isinstance(app.screen, SnoozeScreen)
        assert not app.query_one("#search", Input).has_class("open")


async def test_search_with_fts_syntax_does_not_break(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"NEAR( * OR', "enter")
        await settle(pilot)
        assert app.is_running


async def test_n_jumps_to_the_most_urgent_then_the_next(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        urgent = [r.id for r in store.triage(1)]
        assert len(urgent) >= 2
        await pilot.press("n")
        assert app.message_list.current_id == urgent[0]
        await pilot.press("n")
        assert app.message_list.current_id == urgent[1]


async def test_o_opens_only_web_links(store, monkeypatch):
    opened = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    [good] = store.ingest("demo", [make_message(created_at=NOW, url="https://example.com/p/1")]).new_ids
    [bad] = store.ingest("demo", [make_message(created_at=NOW + 1, url="javascript:alert(1)")]).new_ids
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.message_list.current_id == bad
        await pilot.press("o")
        await settle(pilot)
        assert opened == []
        await pilot.press("j", "o")
        await settle(pilot)
        assert app.message_list.current_id == good
        assert opened == ["https://example.com/p/1"]


async def test_c_copies_with_pyperclip_or_falls_back_to_the_terminal(store, monkeypatch):
    copied = []
    monkeypatch.setattr("pyperclip.copy", copied.append)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = store.message(app.message_list.current_id).text
        await pilot.press("c")
        assert copied == [text]

        def broken(_text):
            raise RuntimeError("no clipboard on this server")

        monkeypatch.setattr("pyperclip.copy", broken)
        await pilot.press("c")
        assert app.clipboard == text  # what App.copy_to_clipboard sent through OSC 52
        # Nothing tells whether the terminal took it: the app says so rather than claiming it did.
        assert any("if pasting gives nothing" in str(n.message) for n in app._notifications)


async def test_help_lists_live_bindings_with_the_users_keymap(store):
    app = make_app(store, config=Config(keymap={"inbox.done": "e"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {desc: keys for group in app.screen.groups.values() for keys, desc in group}
        assert rows["Done"] == "e"
        assert rows["Snooze"] == "s"
        assert "j" in rows["Down"]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        target = app.message_list.current_id
        await pilot.press("e")  # the remapped key works
        assert status_of(store, target) == "done"


TYPO_KEYMAP = {"inbox.snoze": "S", "inbox.done": "e"}


async def test_a_keymap_id_no_binding_has_is_said_in_the_app(store):
    app = make_app(store, config=Config(keymap=TYPO_KEYMAP))
    said: list[str] = []
    app.notify = lambda message, **kwargs: said.append(str(message))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert said == ["[keys] 'inbox.snoze' is no action id, so its keys do nothing (did you mean inbox.snooze?)"]


def test_every_action_id_the_readme_lists_is_one_a_binding_has():
    import re
    from pathlib import Path

    from cminbox.keyids import known_action_ids

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    listed = readme[readme.index("Action ids:"):readme.index("An id that is none of these")]
    ids = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", listed))
    assert len(ids) > 50 and ids <= known_action_ids(), ids - known_action_ids()


def test_doctor_names_a_keymap_id_no_binding_has(tmp_path, capsys):
    from cminbox import headless

    headless.doctor(Config(keymap=TYPO_KEYMAP), None, tmp_path / "inbox.db")
    out = capsys.readouterr().out
    assert "⚠ config: [keys] 'inbox.snoze' is no action id, so its keys do nothing (did you mean inbox.snooze?)" in out
    assert "inbox.done" not in out


CLASHING_KEYMAP = {"inbox.undo": "u", "view.next_urgent": "ctrl+n", "list.down": "j,down,ctrl+n"}


async def test_a_key_two_actions_now_share_is_said_as_it_acts(store):
    # `u` kept by Unread and given to Undo; ctrl+n given to both Next urgent and Down: accepted
    # without a word, one of each pair never fired. Said now, as Textual resolves it.
    app = make_app(store, config=Config(keymap=CLASHING_KEYMAP))
    said: list[str] = []
    app.notify = lambda message, **kwargs: said.append(str(message))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("u is both Undo (inbox.undo) and Unread (inbox.unread)" in s
                   and "u does Undo, no key reaches Unread any more" in s and '"inbox.unread"' in s for s in said)
        assert any("ctrl+n is both Next urgent (view.next_urgent) and Down (list.down) in the list" in s
                   and "ctrl+n does Next urgent, Down keeps j, down" in s
                   and 'take ctrl+n out of "list.down"' in s for s in said)
        # What the warnings say is what the keys do.
        target = app.message_list.current_id
        await pilot.press("d")
        await settle(pilot)
        assert status_of(store, target) == "done"
        unread_before = store.message(target).unread
        await pilot.press("u")
        await settle(pilot)
        assert status_of(store, target) == "open" and store.message(target).unread == unread_before
        urgent: list[int] = []
        app.action_next_urgent = lambda: urgent.append(app.message_list.cursor)
        cursor = app.message_list.cursor
        await pilot.press("ctrl+n")
        assert urgent == [cursor] and app.message_list.cursor == cursor


def test_doctor_names_keys_two_actions_share_and_key_names_textual_never_reports(tmp_path, capsys):
    from cminbox import headless

    keymap = {**CLASHING_KEYMAP, "view.back": "ctrl+b", "inbox.star": "Enter", "list.open": "esc", "inbox.select": "x,Ctrl-X", "list.up": "k,up,return"}
    headless.doctor(Config(keymap=keymap), None, tmp_path / "inbox.db")
    out = capsys.readouterr().out
    assert "⚠ config: [keys] u is both Undo (inbox.undo) and Unread (inbox.unread) in the inbox" in out
    assert "ctrl+n does Next urgent" in out
    # In a dialog, the inbox's keys that type no character still come first (InboxApp._ours).
    assert "ctrl+b is both Back / clear selection (view.back) and Copy (composer.copy) in the composer" in out
    assert """[keys] 'inbox.star': 'Enter' is no key name Textual reports, so it never fires (write "enter")""" in out
    assert """'esc' is no key name Textual reports, so it never fires (write "escape")""" in out
    assert """'Ctrl-X' is no key name Textual reports, so it never fires (write "ctrl+x")""" in out
    assert "'return' is no key name Textual reports, so it never fires (the README" in out
    assert "'x'" not in out and "'k'" not in out


def test_key_names_are_those_textual_reports():
    from cminbox.keyids import is_key_name

    for key in ("j", "G", "*", "é", "asterisk", "slash", "question_mark", "enter", "escape", "space", "pagedown",
                "f5", "ctrl+n", "ctrl+shift+up", "alt+x", "ctrl+minus", "super+c"):
        assert is_key_name(key), key
    for key in ("Enter", "esc", "Ctrl+N", "ctrl+N", "ctrl-n", "shift+ctrl+up", "return", "PageDown", "", "ctrl+-"):
        assert not is_key_name(key), key


async def test_help_scrolls_with_the_lists_keys(store):
    from textual.containers import VerticalScroll

    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0  # more keys than fit at 80x24
        await pilot.press("G")
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("g", "j")
        assert scroll.scroll_y == 1
        await pilot.press("space")
        assert scroll.scroll_y > 1
        await pilot.press("k", "escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_runs_inbox_actions(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        titles = [title for title, _, _ in app.palette_commands()]
        assert "Done" in titles and any(t.startswith("Go to Complaints") for t in titles)
        await pilot.press("ctrl+p")
        await pilot.press(*"Star")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert store.message(target).starred


async def test_the_palette_shows_keys_as_typed_and_offers_only_what_can_act(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {title: keys for title, keys, _ in app.palette_commands()}
        assert titles["Sync sources now"] == "key: $" and titles["Star"] == "key: *"
        assert "Discard this message's draft reply" not in titles  # no draft on this message
        assert "Let the scorer decide (forget my complaint verdict)" not in titles
        target = app.message_list.current_id
        store.save_draft(target, "Bonjour,", now=NOW)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        titles = {title for title, _, _ in app.palette_commands()}
        assert {"Discard this message's draft reply", "Let the scorer decide (forget my complaint verdict)"} <= titles


async def test_the_palette_offers_the_commands_that_act_where_the_user_is(store):
    # From the list it offered the detail pane's "Scroll down", "Top", "Bottom", which did nothing
    # (run on the app); and it showed a remapped key as typed ("j,down") beside a default's "↑".
    app = make_app(store, config=Config(keymap={"list.down": "j,down,ctrl+n", "folder.praise": "P"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = {title: keys for title, keys, _ in app.palette_commands()}
        assert {"Scroll down", "Scroll up", "Top", "Bottom"}.isdisjoint(keys)
        assert keys["Down"] == "key: j, ↓, ^n"  # as a default key shows: "Up" is "key: ↑, k"
        assert keys["Star"] == "key: *" and any(t.startswith("Go to Praise") and k == "key: P" for t, k in keys.items())
        await pilot.press("ctrl+p")
        await pilot.press(*"Last")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.message_list.cursor == len(app.message_list.ids) - 1  # run on the list, where its key runs it
        await pilot.press("enter")  # into the detail pane: its commands, no longer the list's moves
        await settle(pilot)
        detail = app.query_one(DetailPane)
        assert app.focused is detail
        commands = {title: (keys, run) for title, keys, run in app.palette_commands()}
        assert {"Down", "Up", "First", "Last"}.isdisjoint(commands) and commands["Scroll down"][0] == "key: j, ↓"
        scrolled: list[int] = []
        detail.action_scroll_by = lambda lines: scrolled.append(lines)
        await commands["Bottom"][1]()
        assert scrolled == [1000000]


async def test_q_quits(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_new_arrivals_never_move_the_cursor(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ml = app.message_list
        await pilot.press("j", "j", "j")
        under_cursor = ml.current_id
        store.ingest("demo", [make_message(created_at=NOW + i) for i in range(5)])
        app.check_for_changes()
        await settle(pilot)
        assert ml.current_id == under_cursor
        assert ml.cursor == 8


async def test_new_arrivals_keep_a_scrolled_view_still_and_are_counted(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ml = app.message_list
        for _ in range(40):
            await pilot.press("j")
        await settle(pilot)
        top = round(ml.scroll_y)
        assert top > 0
        first_visible = ml.ids[top]
        store.ingest("demo", [make_message(created_at=NOW + i) for i in range(3)])
        app.check_for_changes()
        await settle(pilot)
        assert ml.ids[round(ml.scroll_y)] == first_visible
        assert ml.new_above == 3
        assert "3 new" in str(ml.border_subtitle)
        await pilot.press("g")
        assert ml.new_above == 0 and ml.cursor == 0


async def test_external_writer_changes_show_up(store, tmp_path):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(app.message_list.ids)
        other = Store(tmp_path / "inbox.db")  # a `cminbox sync` in another process, say
        other.ingest("demo", [make_message(created_at=NOW + 5)])
        other.close()
        app.check_for_changes()
        await settle(pilot)
        assert len(app.message_list.ids) == before + 1


async def test_counts_and_triage_column_follow_changes(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        triage = app.query_one("#triage")
        total = triage.total
        await pilot.press("d")
        assert triage.total == total - 1
        assert app.query_one("#sidebar").counts["complaints"] == total - 1


async def test_arrivals_at_the_top_hold_when_they_would_push_the_cursor_off_screen(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ml = app.message_list
        height = ml.scrollable_content_region.height
        for _ in range(height - 2):
            await pilot.press("j")
        assert round(ml.scroll_y) == 0
        under_cursor, top_row = ml.current_id, ml.ids[0]
        store.ingest("demo", [make_message(created_at=NOW + i) for i in range(5)])
        app.check_for_changes()
        await settle(pilot)
        assert ml.current_id == under_cursor
        assert ml.ids[round(ml.scroll_y)] == top_row  # the screen did not move
        assert ml.new_above == 5


async def test_detail_pane_scrolls_a_long_message_when_focused(store):
    [long_id] = store.ingest("demo", [make_message(created_at=NOW + 10, text="ligne\n" * 200)]).new_ids
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.message_list.current_id == long_id
        detail = app.query_one(DetailPane)
        await pilot.press("enter")
        assert app.focused is detail and detail.top == 0
        await pilot.press("j", "j", "space")
        assert detail.top > 2
        await pilot.press("G")
        assert detail.top == detail._max_top() > 0
        await pilot.press("g")
        assert detail.top == 0
        await pilot.press("escape")
        assert app.focused is app.message_list


async def test_o_without_a_browser_copies_the_link_instead(store, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    opened, copied = [], []
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    monkeypatch.setattr("pyperclip.copy", copied.append)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        url = store.message(app.message_list.current_id).url
        await pilot.press("o")
        await settle(pilot)
        assert opened == [] and copied == [url]


async def test_an_empty_database_says_how_to_start(tmp_path):
    empty = Store(tmp_path / "empty.db")
    app = make_app(empty)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "cminbox --demo" in app.query_one(DetailPane).plain()
        await pilot.press("j", "d", "s", "x", "n")  # nothing to act on: nothing breaks
        assert app.is_running
    empty.close()


async def test_w_without_any_workspace_says_there_is_none(tmp_path):
    from cminbox.store import Store

    empty = Store(tmp_path / "empty.db")
    app = make_app(empty)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("w")
            await pilot.pause()
            assert any(str(n.message).startswith("No workspace yet") for n in app._notifications)
    finally:
        empty.close()


async def test_help_says_what_the_marks_on_the_screen_mean(store):
    # A newcomer sees !, ●, ·, ⧗, ↩ and ✎ before any key: the help explains them, not only keys.
    from textual.widgets import Static

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        legend = app.screen.query_one(Static)
        drawn = "\n".join(legend.render_line(y).text for y in range(legend.size.height))
        for said in ("Marks on the screen", "a complaint", "negative (red) or positive (green)", "spam or abuse",
                     "a DM's reply window", "a draft waits", "hidden on the network", "late by",
                     "at least 6 late"):
            assert said in drawn, said


async def test_a_long_name_ends_in_an_ellipsis_and_spam_is_marked_in_the_list(tmp_path):
    # "Christophe Marcha" read as a whole name, and the reply and mood marks touched it
    # ("Philippe Marchand↩●"); spam showed a sentiment dot like any message.
    long_name = make_message(author_name="Christophe Marchand-Lefebvre", text="Débité deux fois, remboursez-moi",
                             created_at=NOW - 60)
    spam = make_message(author_name="Sofia Investments", text="Je gagne 300€/jour depuis chez moi, DM moi 💰💰 bit.ly/gain",
                        created_at=NOW - 120)
    store = fixed_store(tmp_path / "inbox.db", [long_name, spam])
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = [app.message_list.render_line(n).text for n in range(2)]
        assert "Christophe Marc…  ● Débité" in rows[0]  # (the blank between: no reply of ours yet)
        assert "Sofia Investmen…  × Je gagne" in rows[1]
    store.close()
