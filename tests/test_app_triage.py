"""Pilot tests for triage in the app: the sentiment key, the bad-buzz banner, crisis mode, and
the detail pane's explanation of a message's rank."""

from __future__ import annotations

import pytest

from appkit import NOW, SIZE, burst, buzzing_store, fixed_store, make_app, settle
from cminbox.screens.sentiment import SentimentScreen
from cminbox.widgets.buzzbanner import BuzzBanner
from cminbox.widgets.detail import DetailPane
from cminbox.widgets.triage import TriageColumn
from conftest import make_message


@pytest.fixture
def store(fixed_inbox):
    return fixed_inbox


@pytest.fixture
def buzzing(tmp_path):
    s = buzzing_store(tmp_path / "buzz.db")
    yield s
    s.close()


async def test_m_sets_the_sentiment_and_the_scorer_learns_it(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        await pilot.press("m")
        assert isinstance(app.screen, SentimentScreen)
        await pilot.press("1")
        await settle(pilot)
        message = store.message(target)
        assert message.sentiment_override == -1.0 and message.shown_sentiment == -1.0
        assert store.conn.execute("SELECT sentiment FROM corrections WHERE message_id = ?", (target,)).fetchone() == ("negative",)
        assert "negative (marked by you)" in app.query_one(DetailPane).plain()
        await pilot.press("m", "0")  # back to the scorer
        await settle(pilot)
        assert store.message(target).sentiment_override is None
        await pilot.press("m", "escape")  # cancelled: nothing changes
        await settle(pilot)
        assert store.message(target).sentiment_override is None
        await pilot.press("m", "plus")  # + means positive
        await settle(pilot)
        assert store.message(target).sentiment_override == 1.0
        await pilot.press("z")
        assert store.message(target).sentiment_override is None


async def test_m_and_its_choice_typed_in_one_burst_set_the_sentiment(store):
    # "m3" typed fast: the 3 reaches the menu, not the list behind it; a second 3 does no harm.
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = app.message_list.current_id
        burst(app, "m33")
        await settle(pilot)
        assert not isinstance(app.screen, SentimentScreen)
        assert store.message(target).sentiment_override == 1.0


async def test_a_complaint_verdict_rescores_similar_open_messages(tmp_path):
    s = fixed_store(tmp_path / "learn.db", [
        make_message(native_id="a", text="Ma Box du dimanche est arrivée sans la brioche", created_at=NOW - 60),
        make_message(native_id="b", text="Box du dimanche arrivée sans la brioche, encore", created_at=NOW - 120),
    ])  # fmt: skip
    app = make_app(s)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = list(app.message_list.ids)
        assert not s.message(second).complaint
        await pilot.press("exclamation_mark")  # the newest: "Ma Box du dimanche…" is a complaint
        await settle(pilot)
        await settle(pilot)
        assert s.message(second).complaint
        assert "100% similar" not in app.query_one(DetailPane).plain()  # the marked one is not like itself
        await pilot.press("j")
        await settle(pilot)
        assert "scored with your corrections" in app.query_one(DetailPane).plain()
    s.close()


async def test_correction_and_undo_toasts_say_what_they_did_to_whom(tmp_path):
    s = fixed_store(tmp_path / "toasts.db", [
        make_message(native_id="a", text="Ma Box du dimanche est arrivée sans la brioche", created_at=NOW - 60,
                     author_name="Jean-François Gauthier"),
        make_message(native_id="b", text="Box du dimanche arrivée sans la brioche, encore", created_at=NOW - 120),
        make_message(native_id="c", text="Le pain aux raisins était parfait, merci", created_at=NOW - 180),
    ])  # fmt: skip
    app = make_app(s)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app._say = said.append
        await settle(pilot)
        await pilot.press("exclamation_mark")  # "Ma Box…" is a complaint: "Box … encore" is scored again
        await settle(pilot)
        await settle(pilot)
        assert "1 message similar scored again from your correction" in said
        said.clear()
        await pilot.press("G")  # the praise, which resembles nothing: only itself is scored again
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        await settle(pilot)
        assert not any("similar" in line for line in said), said
        await pilot.press("g", "z", "z")  # undo both; the first undo acts on a message off the cursor
        await settle(pilot)
        await settle(pilot)
        undone = [line for line in said if line.startswith("Undone")]
        assert undone[0].startswith("Undone: complaint (the message from ")
        assert undone[1] == "Undone: complaint (the message from Jean-François Gauthier)"
    s.close()


COMPLAINT = "Toujours pas reçu ma commande, je veux être remboursée !!"


async def open_complaint(store, **fields) -> tuple[str, str]:
    """Store a complaint, open it in the app: (the detail pane's text, the triage column's)."""
    [mid] = store.ingest("demo", [make_message(text=COMPLAINT, **fields)]).new_ids
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_jump_to(mid)
        await settle(pilot)
        return app.query_one(DetailPane).plain(), app.query_one(TriageColumn).render().plain


async def test_the_detail_pane_explains_the_rank_in_words(store):
    body, _ = await open_complaint(
        store, native_id="rank", network="instagram", kind="dm", author_reach=12_000, created_at=NOW - 20 * 60
    )
    assert "complaint (scored," in body and "% sure)" in body
    assert "ranked as if it came" in body and "DM (+15)" in body and "12.0k followers (+20)" in body
    assert "answer due" in body and "in 40 min" in body and "(target 60 min)" in body
    # Each line says what it is: why it ranks there, then when it is due.
    assert "  Rank  ranked as if it came" in body and "   Due  answer due" in body


@pytest.mark.parametrize(
    ("age_seconds", "said", "countdown"),
    [
        (59 * 60 + 30, "in under a minute", "0m"),  # due in 30 s
        (60 * 60 + 30, "1 min late", "−1m"),  # missed by 30 s: a minute late, never "−0m"
        (3 * 3600 + 30, "2 h 01 min late", "−2h01"),
    ],
)
async def test_the_detail_pane_and_the_triage_column_agree_on_lateness(store, age_seconds, said, countdown):
    body, column = await open_complaint(
        store, native_id="late", network="x", kind="dm", created_at=NOW - age_seconds, author_name="Lateness Test"
    )
    assert said in body
    row = next(line for line in column.splitlines() if "Lateness Test" in line)
    assert row.rstrip().endswith(" " + countdown)


async def enter_crisis(pilot) -> None:
    """Once the app is up: look for a buzz now (as the app does every minute), then press b."""
    await settle(pilot)
    pilot.app.check_buzz_now()
    await pilot.press("b")
    await settle(pilot)


async def test_the_banner_shows_the_buzz_and_b_enters_crisis_mode(buzzing):
    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.crisis is None
        banner = app.query_one(BuzzBanner)
        assert not banner.has_class("-active")
        app.check_buzz_now()
        await settle(pilot)
        assert banner.has_class("-active") and app.buzz_alert is not None
        text = banner.render().plain
        assert "Bad buzz" in text and "negative in 15 min, usual" in text and "b: crisis mode" in text
        everything = len(app.message_list.ids)

        await pilot.press("b")
        await settle(pilot)
        crisis = app.crisis
        assert crisis is not None and crisis.terms and crisis.alert_id == app.buzz_alert.id
        ids = list(app.message_list.ids)
        assert 10 <= len(ids) < everything
        rows = buzzing.list_rows(ids)
        assert all(not r.spam and (r.complaint or r.sentiment <= -0.3) for r in rows.values())
        assert "crisis mode" in str(app.message_list.border_title)
        assert "leave crisis mode" in banner.render().plain

        # New arrivals are held in a marker; g brings them in.
        current = app.message_list.current_id
        buzzing.ingest("demo", [make_message(native_id="late1", text="Débitée deux fois moi aussi, remboursez-moi #BriocheGate", created_at=NOW - 5)])
        app.check_for_changes()
        await settle(pilot)
        assert app.message_list.held == 1 and len(app.message_list.ids) == len(ids)
        assert app.message_list.current_id == current
        assert "1 new" in str(app.message_list.border_subtitle)
        await pilot.press("g")
        await settle(pilot)
        assert app.message_list.held == 0 and len(app.message_list.ids) == len(ids) + 1

        await pilot.press("b")  # leave
        await settle(pilot)
        assert app.crisis is None and len(app.message_list.ids) > len(ids)


async def test_crisis_mode_lists_the_first_victims_who_wrote_before_the_alerts_window(buzzing):
    # Charged twice and said so before the window that fired: they waited longest, and b then
    # X R left them without the holding statement.
    from cminbox.demo.script import is_buzz_text

    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:
        await enter_crisis(pilot)
        since = app.crisis.since
        early = buzzing.conn.execute(
            "SELECT id, text FROM messages WHERE created_at < ? AND created_at > ? AND status = 'open' AND spam = 0"
            " AND (complaint = 1 OR sentiment <= -0.3)", (since, since - 3 * 3600),
        ).fetchall()  # fmt: skip
        victims = {mid for mid, text in early if is_buzz_text(text)}
        assert victims and victims <= set(app.message_list.ids)
        assert not {mid for mid, text in early if not is_buzz_text(text)} & set(app.message_list.ids)


async def test_the_crisis_title_follows_the_banners_words_and_the_list_keeps_its_messages(buzzing):
    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:
        await enter_crisis(pilot)
        alert = app.buzz_alert
        first = [t for t, _ in alert.summary["terms"]]
        listed = list(app.message_list.ids)
        # The buzz moves on: new words replace the old ones in the alert, as a later check does.
        summary = {**alert.summary, "terms": [["rembourse", 6], ["service nul", 4]],
                   "labels": {"rembourse": "remboursé", "service nul": "service nul"}}  # fmt: skip
        buzzing.update_buzz(alert.id, NOW, alert.count, summary)
        app.show_buzz(buzzing.buzz_alerts(1, limit=1)[0])
        await settle(pilot)
        assert "“remboursé”, “service nul”" in app.query_one(BuzzBanner).render().plain
        title = str(app.message_list.border_title)
        assert "crisis mode · remboursé, service nul ·" in title, title
        # The list stays put, and still matches the words it was opened with; a message with
        # only the new words arrives in the "new" marker.
        assert list(app.message_list.ids) == listed
        assert set(first) | {"rembourse", "service nul"} <= set(app.crisis.terms)
        buzzing.ingest("demo", [make_message(native_id="late2", text="Toujours pas remboursé, honte à vous, service nul", created_at=NOW - 5)])
        app.check_for_changes()
        await settle(pilot)
        assert app.message_list.held == 1


async def test_an_alert_found_open_at_start_is_announced_with_its_peak(buzzing):
    # The app found the demo's buzz still open (it ends only once its windows stay calm), its
    # window now empty: the toast said "Bad buzz: 0 negative in 15 min", the banner gave the peak.
    from dataclasses import replace

    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.check_buzz_now()
        alert = app.buzz_alert
    calmed = replace(alert, summary={**alert.summary, "count": 0, "headline": "0 negative in 15 min, usual 4", "peak": 55})
    app = make_app(buzzing)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify = lambda message, **options: said.append(str(message))
        app.show_buzz(calmed)
        await settle(pilot)
        assert said == ["Bad buzz: 0 negative in 15 min, usual 4 (peak 55) · b for crisis mode"]
        assert "0 negative in 15 min, usual 4 (peak 55)" in app.query_one(BuzzBanner).render().plain


async def test_once_the_buzz_is_over_the_crisis_banner_gives_its_peak_and_the_usual_before_it(buzzing):
    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:
        await enter_crisis(pilot)
        alert = app.buzz_alert
        # The window calms down: the last check's numbers are small, the alert ends.
        buzzing.update_buzz(alert.id, NOW + 3600, 4, {**alert.summary, "count": 4, "peak": 61}, ended_at=NOW + 1800)
        app.show_buzz(None)
        await settle(pilot)
        text = app.query_one(BuzzBanner).render().plain
        assert f"ended · peak 61 negative in 15 min, usual {alert.baseline:.0f}" in text, text
        assert "leave crisis mode" in text


async def test_once_the_buzz_is_over_the_banner_and_the_crisis_title_say_what_it_was_about_at_its_peak(buzzing):
    # Its last window held "appli" alone: the ended banner and the title said only that.
    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:
        await enter_crisis(pilot)
        alert = app.buzz_alert
        at_peak = {"count": 54, "terms": [["deux fois", 15], ["#briochegate", 8], ["charged twice", 6]],
                   "labels": {"deux fois": "deux fois", "#briochegate": "#BriocheGate", "charged twice": "charged twice"},
                   "authors": [["Julie Lemaire", "@julielemaire_cm", 89700, 1]], "networks": [["facebook", 20], ["x", 12]]}  # fmt: skip
        last = {**alert.summary, "count": 4, "peak": 54, "terms": [["appli", 3]], "labels": {"appli": "appli"},
                "authors": [["Léa", "@lea", None, 1]], "networks": [["instagram", 2]], "at_peak": at_peak}  # fmt: skip
        # While it is on, the banner says what the window holds now.
        buzzing.update_buzz(alert.id, NOW + 1500, 54, last)
        app.show_buzz(buzzing.buzz_alerts(1, limit=1)[0])
        await settle(pilot)
        assert "“appli”" in app.query_one(BuzzBanner).render().plain
        # Over: what it was about at its peak.
        buzzing.update_buzz(alert.id, NOW + 3600, 4, last, ended_at=NOW + 1800)
        app.show_buzz(None)
        await settle(pilot)
        text = app.query_one(BuzzBanner).render().plain
        assert "“deux fois”, “#BriocheGate”, “charged twice”" in text and "appli" not in text, text
        assert "@julielemaire_cm" in text and "instagram" not in text and "ig 2" not in text, text
        title = str(app.message_list.border_title)
        assert "crisis mode · deux fois, #BriocheGate, charged twice ·" in title, title
        # Entered only now, on the ended alert: the same words.
        await pilot.press("b", "b")
        await settle(pilot)
        assert "crisis mode · deux fois, #BriocheGate, charged twice ·" in str(app.message_list.border_title)


async def test_in_crisis_mode_x_then_r_answers_the_spike_with_crisis_replies_first(buzzing):
    from cminbox.config import Config
    from cminbox.outbox import Senders
    from cminbox.screens.bulk import BulkScreen
    from cminbox.screens.forms import AskScreen
    from cminbox.screens.picker import PickerScreen
    from cminbox.sources.demo import DemoSource

    senders = Senders()
    senders.register("demo", DemoSource())
    app = make_app(buzzing, senders=senders, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await enter_crisis(pilot)
        assert app.crisis is not None
        assert "X then R: answer them all" in app.query_one(BuzzBanner).render().plain
        spike = set(app.message_list.ids)

        await pilot.press("X")  # the whole spike...
        await settle(pilot)
        assert app.message_list.selected == spike
        await pilot.press("R")  # ...answered with one saved reply, the crisis ones first
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen) and picker.request.crisis
        assert f"{len(spike)} selected" in picker.request.heading
        crisis_replies = [r for r in picker.ranked if r.reply.crisis]
        assert crisis_replies and picker.ranked[: len(crisis_replies)] == crisis_replies
        await pilot.press("enter")
        await settle(pilot)
        if isinstance(app.screen, AskScreen):  # what the reply leaves to the CM, asked once for all
            for _ in app.screen.questions:
                await pilot.press(*"16h", "enter")
            await settle(pilot)
        assert isinstance(app.screen, BulkScreen)
        planned = len(app.screen.plan.ready)
        assert planned >= len(spike) // 2
        await pilot.press("enter")  # send them all
        await settle(pilot)
        states = [r[0] for r in buzzing.conn.execute("SELECT state FROM outbox WHERE state != 'draft'")]
        assert len(states) == planned and set(states) <= {"queued", "sending", "sent"}


def test_the_banner_names_the_users_keys():
    from cminbox.widgets.buzzbanner import BannerKeys, banner_text

    summary = {"headline": "34 negative in 15 min, usual 4", "terms": [("deux fois", 9)]}
    calm = banner_text(summary, crisis=False).plain
    assert "b: crisis mode" in calm and "answer them all" not in calm
    mapped = banner_text(summary, crisis=True, keys=BannerKeys(crisis="B", select_all="A", answer="ctrl+r")).plain
    assert "A then ctrl+r: answer them all" in mapped and "B: leave crisis mode" in mapped


def test_the_banner_shows_the_words_as_people_wrote_them():
    from cminbox.widgets.buzzbanner import banner_text

    summary = {
        "headline": "34 negative in 15 min, usual 4",
        "terms": [["debitee", 9], ["double prelevement", 5], ["#briochegate", 4]],
        "labels": {"debitee": "débitée", "double prelevement": "double prélèvement", "#briochegate": "#BriocheGate"},
    }
    assert "“débitée”, “double prélèvement”, “#BriocheGate”" in banner_text(summary, crisis=False).plain


async def test_without_a_buzz_b_says_so(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert app.crisis is None


async def test_new_keys_are_in_help_and_palette_and_can_be_remapped(store):
    from cminbox.config import Config

    app = make_app(store, config=Config(keymap={"inbox.sentiment": "e", "view.crisis": "B"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {title: keys for title, keys, _ in app.palette_commands()}
        assert titles["Set sentiment"] == "key: e" and titles["Crisis mode (bad buzz)"] == "key: B"
        assert "Set sentiment: negative" in titles
        await pilot.press("e")
        assert isinstance(app.screen, SentimentScreen)


async def test_in_a_default_terminal_the_banner_keeps_to_two_lines(buzzing):
    # 80x24: the numbers and the keys fit two lines; a third would be a message less in the list.
    app = make_app(buzzing)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.check_buzz_now()
        await settle(pilot)
        banner = app.query_one(BuzzBanner)
        assert banner.has_class("-active") and banner.size.height == 2
    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:  # wide: room for the words and voices too
        await settle(pilot)
        app.check_buzz_now()
        await settle(pilot)
        assert app.query_one(BuzzBanner).size.height <= 3


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 45)])
@pytest.mark.parametrize("crisis", [False, True])
async def test_the_banner_breaks_its_lines_between_whole_items_and_says_what_it_left_out(buzzing, size, crisis):
    # At 100 columns its third line ended on "… x 1 bsky" (the count gone), and "b: crisis /
    # mode" was cut across two lines.
    from textual.geometry import Region

    from cminbox.widgets.buzzbanner import banner_pieces

    app = make_app(buzzing)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.check_buzz_now()
        await settle(pilot)
        if crisis:
            await pilot.press("b")
            await settle(pilot)
        banner = app.query_one(BuzzBanner)
        drawn = banner.render_lines(Region(0, 0, *banner.outer_size))  # as drawn, padding included
        lines = [strip.text[1:].rstrip() for strip in drawn]
        assert len(lines) == banner.size.height <= (2 if size[0] < 100 else 3)
        pieces = [text for text, _, _ in banner_pieces(banner.summary, crisis=crisis, keys=banner.keys)]
        # Each line is whole pieces, in order, with their joiners ("," "·" at a line's end);
        # those left out are the last ones, said by "…".
        at = 0
        for n, line in enumerate(lines):
            rest = line
            while at < len(pieces) and rest.lstrip(" ·,").startswith(pieces[at].strip()):
                rest = rest.lstrip(" ·,")[len(pieces[at].strip()):]
                at += 1
            left = rest.strip(" ·,")
            assert left == ("…" if n == len(lines) - 1 and at < len(pieces) else ""), (line, left)
        assert at == len(pieces) or lines[-1].endswith(" …")
        assert any(p.startswith("b: ") for p in pieces[:at])  # the key to act always shows
        networks = [p for p in pieces if p.split(" ")[0] in ("fb", "x", "ig", "bsky", "mast", "yt")]
        if size[0] == 160 and not crisis:
            assert at == len(pieces) and networks[-1] in lines[-1]


async def test_the_triage_column_names_the_next_urgent_key_a_keymap_gives(store):
    # It said "n: next" whatever [keys] made of n: after "view.next_urgent" = "ctrl+n", n did nothing.
    from textual.widgets._footer import FooterKey

    from cminbox.config import Config

    app = make_app(store, config=Config(keymap={"view.next_urgent": "ctrl+n"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hint = app.query_one(TriageColumn).render().plain.splitlines()[1]
        footer = {key.action: key.key_display for key in app.query(FooterKey)}
        assert hint.endswith("· ^n: next") and footer["next_urgent"] == "^n"
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(TriageColumn).render().plain.splitlines()[1].endswith("· n: next")


async def test_an_emptied_crisis_list_says_so_and_how_to_leave(buzzing):
    # Once every message of the spike is done, the pane said "this folder is empty": crisis mode
    # is no folder.
    app = make_app(buzzing)
    async with app.run_test(size=SIZE) as pilot:
        await enter_crisis(pilot)
        assert app.crisis is not None and app.message_list.ids
        await pilot.press("X", "d")
        await settle(pilot)
        assert not app.message_list.ids
        said = app.query_one(DetailPane).plain()
        assert "Nothing left in the crisis list" in said and "b leaves crisis mode" in said
