"""Answering in the app: picker, placeholders, composer, drafts, clipboard, outbox, bulk answering."""

from __future__ import annotations

import pytest

from conftest import build_source
from textual.app import App
from textual.widgets import TextArea

from appkit import NOW, SIZE, burst, fixed_store, make_app, settle
from cminbox.answering import Answering
from cminbox.config import Config, WorkspaceConfig
from cminbox.models import Incoming
from cminbox.outbox import Senders
from cminbox.replies import load_library
from cminbox.screens.bulk import BulkScreen
from cminbox.screens.composer import ComposerScreen
from cminbox.screens.forms import AskScreen, ChoiceScreen, SaveReplyScreen
from cminbox.screens.help import HelpScreen
from cminbox.screens.picker import PickerScreen, rank
from cminbox.sources.base import AuthError, Sent, Source, UnknownOutcome
from cminbox.sources.demo import DemoSource
from cminbox.store import QueuedReply, Store


def message(nid: str, text: str, *, network: str = "facebook", kind: str = "comment", name: str = "Julie Martin",
            lang: str | None = None, age: float = 600, handle: str | None = None) -> Incoming:
    return Incoming(native_id=nid, network=network, kind=kind, text=text, created_at=NOW - age, author_name=name,
                    author_handle=handle if handle is not None else "@" + name.split()[0].lower(),
                    author_reach=100, url=f"https://example.com/{nid}", lang=lang)


@pytest.fixture
def store(tmp_path):
    s = fixed_store(tmp_path / "inbox.db", [
        message("fr1", "Toujours pas reçu ma commande BC-48213, c'est long", lang="fr", age=60),
        message("en1", "still waiting for my order #55555, any news?", network="x", kind="mention", name="Josh Reed", lang="en", age=120),
        message("fr2", "Bonjour, vous livrez à Lille ?", name="Marc Dupont", lang="fr", age=180),
    ])
    yield s
    s.close()


def app_for(store, **kwargs):
    kwargs.setdefault("senders", senders_with(DemoSource()))
    return make_app(store, **kwargs)


def by_native(store: Store, native_id: str) -> int:
    return store.conn.execute("SELECT id FROM messages WHERE native_id = ?", (native_id,)).fetchone()[0]


async def go_to(pilot, store, native_id: str) -> None:
    pilot.app.action_jump_to(by_native(store, native_id))
    await settle(pilot)


async def pick_reply(pilot, typed: str) -> None:
    """`R` on the message under the cursor, `typed` in the picker's search, `enter` on the first reply."""
    await pilot.press("R")
    await settle(pilot)
    await pilot.press(*typed)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def compose(pilot, text: str) -> TextArea:
    area = pilot.app.screen.query_one(TextArea)
    area.load_text(text)
    await pilot.pause()
    return area


async def reply_with(pilot, store, native_id: str, text: str, key: str = "ctrl+s") -> int:
    """Open the composer on a message, write `text`, press `key`; returns the message id."""
    await go_to(pilot, store, native_id)
    await pilot.press("r")
    await compose(pilot, text)
    await pilot.press(key)
    await settle(pilot)
    return by_native(store, native_id)


def senders_with(source: Source) -> Senders:
    senders = Senders()
    senders.register("demo", source)
    return senders


def status_of(app) -> str:
    return str(app.screen.query_one("#composer-status").render()) + " " + str(app.screen.query_one("#composer-warning").render())


def test_the_answering_mixin_shadows_nothing_in_textual():
    # A mixin method named like one of App's attributes would silently break Textual (it happened).
    ours = [name for name in vars(Answering) if not name.startswith("__")]
    assert [name for name in ours if hasattr(App, name)] == []


# -- the picker ----------------------------------------------------------------------------------


async def test_R_opens_the_picker_for_the_messages_language_and_network(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "en1")
        await pilot.press("R")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert picker.ranked and all(r.reply.lang == "en" for r in picker.ranked)
        await pilot.press("ctrl+l")
        assert {r.reply.lang for r in picker.ranked} == {"fr", "en"}
        await pilot.press(*"deldel")
        await settle(pilot)
        assert picker.ranked[0].reply.key == "en-delivery-delay"
        preview = str(picker.query_one("#picker-preview-text").render())
        assert "Hi Josh, your order 55555 is running late" in preview and "/ 280 on X" in preview
        await pilot.press("escape")
        assert not isinstance(app.screen, PickerScreen)


def test_crisis_replies_come_first_during_a_bad_buzz():
    replies = load_library(__import__("pathlib").Path("/nonexistent")).replies
    calm = rank(replies, "", lang="fr", network="x", tone="vous")
    buzz = rank(replies, "", lang="fr", network="x", tone="vous", crisis=True)
    assert not calm[0].reply.crisis
    crisis_count = sum(1 for r in buzz if r.reply.crisis)
    assert crisis_count >= 3 and all(r.reply.crisis for r in buzz[:crisis_count])
    assert {r.reply.tone for r in buzz} == {"vous"}  # the brand's tone only
    used = rank(replies, "", lang="en", by_usage=True, usage={"en-apology": 5, "en-move-to-dm": 2})
    assert [r.reply.key for r in used[:2]] == ["en-apology", "en-move-to-dm"]


def test_with_nothing_typed_the_replies_that_suit_the_message_come_first():
    from cminbox.replies.suggest import suggested_tags

    replies = load_library(__import__("pathlib").Path("/nonexistent")).replies
    praise = suggested_tags(complaint=False, praise=True, question=False, spam=False, cues="")
    assert rank(replies, "", lang="en", suggested=praise)[0].reply.key == "en-thanks-for-praise"
    refund = suggested_tags(complaint=True, praise=False, question=False, spam=False, cues="still waiting|refund")
    assert refund[:2] == ("delivery", "refund")
    first = rank(replies, "", lang="fr", tone="vous", suggested=refund)[:3]
    assert all({"delivery", "refund"} & set(r.reply.tags) for r in first), [r.reply.key for r in first]
    question = suggested_tags(complaint=False, praise=False, question=True, spam=False, cues="")
    assert rank(replies, "", lang="en", suggested=question)[0].reply.key == "en-faq-answer"
    # Typing decides: a suggestion does not outrank a match; nor does it the "most used" order.
    assert rank(replies, "apolog", lang="en", suggested=praise)[0].reply.key == "en-apology"
    used = rank(replies, "", lang="en", suggested=praise, by_usage=True, usage={"en-faq-answer": 120})
    assert used[0].reply.key == "en-faq-answer"


@pytest.mark.parametrize(("text", "cues", "first"), [
    # A broken thing gets the defective-product reply, not the outage one ("Incident en cours",
    # tagged crisis too) that a service's outage gets.
    ("Mon vélo est tombé en panne au bout de 3 semaines, je veux être remboursé", "en panne|remboursement", "fr-vous-produit-defectueux"),
    ("Le site est en panne depuis ce matin, impossible de commander", "en panne", "fr-vous-incident-en-cours"),
    ("Plus de réseau depuis hier soir", "en panne", "fr-vous-incident-en-cours"),
    ("My kettle stopped working after a week", "not working", "en-defective-product"),
    ("The app is not working, I can't pay", "not working", "en-outage-in-progress"),
])
def test_an_outage_and_a_broken_thing_get_their_own_reply_first(text, cues, first):
    from cminbox.replies.suggest import suggested_tags

    replies = load_library(__import__("pathlib").Path("/nonexistent")).replies
    tags = suggested_tags(complaint=True, praise=False, question=False, spam=False, cues=cues, text=text)
    lang = "fr" if first.startswith("fr") else "en"
    assert rank(replies, "", lang=lang, tone="vous", suggested=tags)[0].reply.key == first


async def test_the_picker_opens_on_the_replies_that_suit_the_message(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "en1")  # "still waiting for my order #55555, any news?"
        await pilot.press("R")
        await settle(pilot)
        assert "delivery" in app.screen.ranked[0].reply.tags


async def test_the_app_crisis_hook_reaches_the_picker(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.pin_crisis_replies = True  # the palette's "crisis replies first" (crisis mode does it too)
        await go_to(pilot, store, "fr1")
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.request.crisis and app.screen.ranked[0].reply.crisis


async def test_picking_fills_placeholders_and_asks_for_the_unknown_ones(store):
    app = app_for(store, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("R")
        await settle(pilot)
        await pilot.press(*"retliv")
        await settle(pilot)
        assert app.screen.ranked[0].reply.key.endswith("retard-livraison")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen)
        text = app.screen.text
        assert text.startswith(("Bonjour Julie, votre commande BC-48213", "Salut Julie, ta commande BC-48213"))
        assert text.endswith("— Camille")
        await pilot.press("escape")
        await pick_reply(pilot, "attente")
        assert isinstance(app.screen, AskScreen)  # {next_update} is known to nobody but the CM
        await pilot.press(*"16h", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen)
        assert "avant 16h avec" in app.screen.text and "{" not in app.screen.text


async def test_a_value_left_blank_stays_for_the_composer_which_sends_nothing_with_it(store):
    # The CM does not know the value yet ("{next_update}": no time decided): the dialog used to
    # refuse a blank, leaving only escape. For one message the text goes to the composer, which
    # keeps it from leaving until the placeholder is written.
    app = app_for(store, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pick_reply(pilot, "attente")
        assert isinstance(app.screen, AskScreen)
        await pilot.press("enter")  # left blank
        await settle(pilot)
        composer = app.screen
        assert isinstance(composer, ComposerScreen) and "{next_update}" in composer.text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is composer and not store.replies_to(by_native(store, "fr1"))
        assert "Fill {next_update} before you send it" in composer._warning().plain


async def test_the_signature_is_asked_once_a_session_without_agent_in_the_config(store):
    app = app_for(store)  # no agent configured
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        for attempt in range(2):
            await pick_reply(pilot, "retliv")
            if attempt == 0:
                assert isinstance(app.screen, AskScreen)
                await pilot.press(*"Cam", "enter")
                await settle(pilot)
            assert isinstance(app.screen, ComposerScreen)  # the second time, straight to the composer
            assert app.screen.text.endswith("— Cam")
            await pilot.press("escape")
            await settle(pilot)


async def test_the_composer_warns_when_the_reply_is_not_in_the_messages_language(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")  # a French message
        await pilot.press("r")
        await settle(pilot)
        composer = app.screen
        await pilot.press(*"Hi Julie, we are sorry, your order is on its way")
        await settle(pilot)
        warning = str(composer.query_one("#composer-warning").render())
        assert "The message is in French; this reply reads English. Press send again" in warning
        await pilot.press("ctrl+s")  # the warning was on screen: the first press only confirms it
        await settle(pilot)
        assert app.screen is composer and store.replies_to(by_native(store, "fr1")) == []
        composer.query_one(TextArea).load_text("Bonjour Julie, nous sommes désolés, votre commande est en route")
        await settle(pilot)
        assert "this reply reads" not in str(composer.query_one("#composer-warning").render())
        await pilot.press("ctrl+s")  # in the message's language: one press sends
        await settle(pilot)
        assert [r.state for r in store.replies_to(by_native(store, "fr1"))] == ["sent"]


async def test_a_reply_in_the_other_language_leaves_on_a_second_press(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("r")
        await compose(pilot, "Hi Julie, we are sorry, your order is on its way")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen) and store.replies_to(by_native(store, "fr1")) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.state for r in store.replies_to(by_native(store, "fr1"))] == ["sent"]


async def test_keys_typed_in_one_burst_with_r_or_R_reach_the_dialog(store):
    # A paste, a fast typist, one SSH packet: "rBonjour" types Bonjour in the composer, and
    # "Rretliv" then enter picks that reply; nothing goes to the list behind the dialog.
    app = app_for(store, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        folder = app.view.folder
        burst(app, "rBonjour 2")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen) and app.screen.text == "Bonjour 2"
        assert app.view.folder == folder  # the 2 was not "go to Comments"
        await pilot.press("escape")
        await settle(pilot)
        store.discard_draft(by_native(store, "fr1"))
        burst(app, "Rretliv\r")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen)
        assert app.screen.text.startswith(("Bonjour Julie, votre commande", "Salut Julie, ta commande"))


@pytest.mark.parametrize("then", ["r", "R", "s1\r", "m1"])
async def test_moves_typed_in_the_same_burst_come_first(store, then):
    # "jjrTest" in one burst: the composer opens on the third row, where the cursor was going,
    # not on the first (the reply, its draft and its send went to the wrong customer).
    app = app_for(store, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        third = app.message_list.ids[2]
        name = store.message(third).author_name
        burst(app, "jj" + then)
        await settle(pilot)
        if then == "r":
            assert app.screen.context.message.id == third
        elif then == "R":
            assert name in app.screen.request.heading
        elif then.startswith("s"):
            assert store.message(third).snooze_until is not None
        else:
            assert store.message(third).sentiment_override == -1.0


async def test_every_key_of_a_burst_acts_where_the_cursor_is_at_its_turn(store):
    # "jdj": the second row is done, then the cursor moves on; "j*" stars the row after it.
    # And in the search box the same letters are text.
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second, third = list(app.message_list.ids)[:3]
        burst(app, "jdk*")
        await settle(pilot)
        assert store.message(second).status == "done" and store.message(third).status == "open"
        assert store.message(first).starred and not store.message(third).starred
        burst(app, "/jd*")
        await settle(pilot)
        assert app.inbox.query_one("#search").value == "jd*"
        assert store.message(first).status == "open"


async def test_r_from_the_palette_opens_the_composer(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("ctrl+p")
        await pilot.press(*"Reply")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen)


async def test_a_saved_reply_put_in_after_text_is_not_glued_to_it(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("r")
        await settle(pilot)
        composer = app.screen
        assert isinstance(composer, ComposerScreen)
        await pilot.press(*"Ça été remboursé ?")
        composer.set_text("Bonjour Julie, on regarde.", None)
        assert composer.text.endswith("remboursé ?\nBonjour Julie, on regarde.")
        await pilot.press(*" Et merci")
        composer.set_text("Camille", None)
        assert composer.text.endswith("Et merci Camille")


def test_a_bulk_plan_names_who_would_get_word_for_word_the_same_reply():
    from cminbox.replies import SavedReply
    from cminbox.replies.bulk import BulkItem, BulkPlan

    plan = BulkPlan(SavedReply(key="k", title="Merci", body="Merci !"), ready=[
        BulkItem(1, "Juliette", "bluesky", "Merci !"), BulkItem(2, "Juliette B.", "bluesky", "Merci !"),
        BulkItem(3, "Marc", "x", "Merci !"), BulkItem(4, "Léa", "bluesky", "Merci Léa !"),
    ])  # fmt: skip
    assert plan.repeated == 2 and plan.repeated_to == ["Juliette", "Juliette B."]
    assert "(Juliette, Juliette B.)" in BulkScreen(plan)._summary().plain
    assert "Use a reply with {first_name}" in BulkScreen(plan)._summary().plain
    # A reply that already greets by first name: two Martines still get the same text.
    named = BulkPlan(SavedReply(key="n", title="Merci", body="Merci {first_name} !"), ready=[
        BulkItem(1, "Martine Dubois", "facebook", "Merci Martine !"), BulkItem(2, "Martine Thomas", "facebook", "Merci Martine !"),
    ])  # fmt: skip
    said = BulkScreen(named)._summary().plain
    assert "They share a first name: a reply with {author} or {order_id}" in said and "Use a reply with" not in said


async def test_a_bulk_plan_with_nothing_ready_says_so_on_enter(store):
    from cminbox.replies import SavedReply
    from cminbox.replies.bulk import BulkPlan, Skipped

    plan = BulkPlan(SavedReply(key="k", title="Retard", body="Bonjour"), skipped=[Skipped(1, "Rachel", "written in English")])
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        answers = []
        app.push_screen(BulkScreen(plan), answers.append)
        await settle(pilot)
        footer = {b.binding.action: b.enabled for b in app.screen.active_bindings.values()}
        assert footer["confirm"] is False  # "Send them all" is dimmed: there is nothing to send
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BulkScreen) and answers == []
        assert any("Nothing to send" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert answers == [False]


async def pick_for_all(pilot, typed: str) -> None:
    """Select every message, open the picker for them, take the first reply `typed` finds."""
    await settle(pilot)
    await pilot.press("X", "R")
    await settle(pilot)
    await pilot.press(*typed, "enter")
    await settle(pilot)


async def test_bulk_answering_asks_for_no_value_when_nothing_could_be_sent(store):
    # Every selected message is on a network cminbox cannot post to from here: asking for
    # {next_update} first would be a question for nothing; the plan says why at once.
    app = app_for(store, config=Config(agent="Camille"), senders=Senders())
    async with app.run_test(size=SIZE) as pilot:
        await pick_for_all(pilot, "attente")
        assert isinstance(app.screen, BulkScreen)
        plan = app.screen.plan
        reasons = sorted(s.reason for s in plan.skipped)
        assert plan.ready == [] and reasons == [
            "cminbox cannot post on Facebook from this source: copy and paste",
            "cminbox cannot post on Facebook from this source: copy and paste",
            "written in English, the reply is in French",
        ]


async def test_bulk_answering_asks_for_a_shared_value_when_a_message_could_be_sent(store):
    app = app_for(store, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await pick_for_all(pilot, "attente")
        assert isinstance(app.screen, AskScreen)
        await pilot.press(*"16h", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BulkScreen)
        assert app.screen.plan.ready and all("avant 16h" in item.text for item in app.screen.plan.ready)


async def test_an_unknown_placeholder_is_never_sent_raw(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = await reply_with(pilot, store, "fr2", "Bonjour {first_name}, voici le lien : {faq_link}")
        assert isinstance(app.screen, ComposerScreen)
        assert "Fill {first_name}, {faq_link}" in status_of(app)
        await pilot.press("ctrl+b")
        assert "before you copy it" in status_of(app)
        assert store.replies_to(target) == []


# -- the composer ---------------------------------------------------------------------------------


async def test_the_composer_status_wraps_rather_than_cutting_its_end(store):
    # On a message cminbox cannot post to, the line ends with why; in a narrow terminal it was
    # cut ("…draft saved · cminbox cannot post on").
    from rich.cells import cell_len

    app = app_for(store, senders=Senders())
    async with app.run_test(size=(88, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("r")
        await compose(pilot, "Bonjour, nous regardons cela tout de suite.")
        await settle(pilot)
        status = app.screen.query_one("#composer-status")
        said = str(status.render())
        assert said.endswith("cminbox cannot post on Facebook from this source"), said
        assert cell_len(said) > status.size.width  # longer than one line here…
        drawn = "".join(status.render_line(y).text for y in range(status.size.height))
        assert "".join(drawn.split()) == "".join(said.split())  # …and all of it is drawn


async def test_the_composer_counts_as_the_network_does_and_refuses_too_long(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "en1")
        await pilot.press("r")
        await compose(pilot, "🎉" * 100)
        assert "200 / 280 X" in status_of(app)  # emoji weigh 2 on X
        await compose(pilot, "a" * 281)
        assert "281 / 280" in status_of(app) and "1 over" in status_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen) and "Shorten it first" in status_of(app)
        assert store.replies_to(by_native(store, "en1")) == []


async def test_send_and_done_posts_once_and_the_thread_shows_it(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = await reply_with(pilot, store, "fr1", "Bonjour Julie, on regarde tout de suite.", key="ctrl+t")
        [reply] = store.replies_to(target)
        assert reply.state == "sent" and reply.text == "Bonjour Julie, on regarde tout de suite."
        assert store.message(target).status == "done"
        assert store.draft(target) is None
        await pilot.press("9")
        await settle(pilot)
        app.action_jump_to(target)
        await settle(pilot)
        detail = app.query_one("#detail").plain()
        assert "↩ you replied" in detail and "on regarde tout de suite" in detail
        # The "done" half is undone like any done (the reply itself stays sent): it was not on
        # the undo stack, so z skipped it and undid whatever came before.
        await pilot.press("z")
        await settle(pilot)
        assert store.message(target).status == "open"
        assert [r.state for r in store.replies_to(target)] == ["sent"]


async def test_a_draft_survives_switching_messages_and_a_crash(store, tmp_path):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr2")
        target = by_native(store, "fr2")
        await pilot.press("r")
        area = app.screen.query_one(TextArea)
        area.focus()
        await pilot.press(*"Oui")
        await pilot.pause()
        # Written as typed: another connection (the app after a crash) already sees it.
        crashed = Store(tmp_path / "inbox.db")
        assert crashed.draft(target).text == "Oui"
        crashed.close()
        await pilot.press("escape", "k", "j")
        await settle(pilot)
        assert app.message_list.current_id == target
        assert "✎ draft" in app.query_one("#detail").plain()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.text == "Oui"


async def test_the_inbox_keeps_working_behind_an_open_composer(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr2")
        target = by_native(store, "fr2")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen)
        app._mark_read(target)  # the mark-as-read timer firing behind the modal
        app.check_for_changes()
        assert not store.message(target).unread


async def test_the_same_text_to_someone_else_within_the_hour_needs_a_second_press(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await reply_with(pilot, store, "fr1", "Merci, on regarde !")
        await go_to(pilot, store, "fr2")
        second = by_native(store, "fr2")
        await pilot.press("r")
        await compose(pilot, "merci,  on regarde !")
        assert "The same text went to Julie Martin" in status_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen) and store.replies_to(second) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.state for r in store.replies_to(second)] == ["sent"]


async def test_copy_uses_pyperclip_then_the_terminal_and_says_which(store, monkeypatch):
    copied = []
    monkeypatch.setattr("pyperclip.copy", copied.append)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr2")
        await pilot.press("r")
        await compose(pilot, "Oui, on livre à Lille !")
        await pilot.press("ctrl+b")
        assert copied == ["Oui, on livre à Lille !"] and "system clipboard" in status_of(app)

        def no_clipboard(_text):
            raise RuntimeError("could not find a copy/paste mechanism for your system")

        monkeypatch.setattr("pyperclip.copy", no_clipboard)
        await compose(pilot, "Oui, à Lille aussi.")
        await pilot.press("ctrl+b")
        assert app.clipboard == "Oui, à Lille aussi." and "terminal's clipboard (OSC 52)" in status_of(app)


async def test_copy_counts_the_saved_reply_once_and_ctrl_o_opens_the_page(store, monkeypatch):
    opened = []
    monkeypatch.setenv("DISPLAY", ":0")  # a graphical browser exists
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    monkeypatch.setattr("pyperclip.copy", lambda text: None)
    app = app_for(store, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "en1")
        await pilot.press("R")
        await settle(pilot)
        await pilot.press(*"deldel", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComposerScreen)
        await pilot.press("ctrl+b", "ctrl+b", "ctrl+o")
        await settle(pilot)
        assert store.reply_usage() == {"en-delivery-delay": 1}
        assert opened == ["https://example.com/en1"]


async def test_ctrl_o_without_a_browser_copies_the_link_and_says_so(store, monkeypatch):
    copied = []
    monkeypatch.setattr("cminbox.app.open_url", lambda url: False)  # no browser here (SSH)
    monkeypatch.setattr("pyperclip.copy", copied.append)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "en1")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "or copying the link where there is none" in status_of(app)
        assert copied == ["https://example.com/en1"]
        assert any("No browser here" in str(n.message) for n in app._notifications)


async def test_ctrl_n_saves_the_text_as_a_reply_with_placeholders_put_back(store, tmp_path):
    folder = tmp_path / "my-replies"
    app = app_for(store, config=Config(agent="Camille", workspaces=(WorkspaceConfig("brioche", "Brioche & Co", tone="vous"),)),
                  replies_folder=folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("r")
        await compose(pilot, "Bonjour Julie, votre commande BC-48213 chez Brioche & Co part demain. Camille")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, SaveReplyScreen)
        await pilot.press(*"Expedition", "enter", *"delivery", "enter")
        await settle(pilot)
    [saved] = [p for p in folder.glob("expedition*.md")]
    text = saved.read_text()
    assert "Bonjour {first_name}, votre commande {order_id} chez {brand} part demain. {agent}" in text
    assert 'lang = "fr"' in text and 'tone = "vous"' in text and 'tags = ["delivery"]' in text
    library = load_library(folder)
    assert library.by_key("expedition") is not None
    assert len(library.replies) > 30  # the starter set came along: nothing vanished from the picker
    # Written in this brand's inbox, it is this brand's: another brand's picker never offers it.
    slug = store.workspaces()[0].slug
    assert f'workspaces = ["{slug}"]' in text
    assert library.by_key("expedition").for_workspace(slug) and not library.by_key("expedition").for_workspace("velo")


async def test_the_picker_never_offers_another_brands_reply(store, tmp_path):
    from cminbox.replies.library import write_reply

    folder = tmp_path / "replies"
    write_reply(folder, title="Velo: on arrive", body="Bonjour {first_name}, VéloVert arrive.", workspaces=("velo",))
    write_reply(folder, title="Pour tous: merci", body="Merci {first_name} !")
    app = app_for(store, replies_folder=folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("R")
        await settle(pilot)
        titles = {r.reply.title for r in rank(app.screen.request.replies, "", only_suited=False)}
        assert "Pour tous: merci" in titles and "Velo: on arrive" not in titles


# -- the outbox in the app --------------------------------------------------------------------------


class Flaky(Source):
    """Refuses the first reply (bad token), then accepts."""

    can_reply = True

    def __init__(self) -> None:
        from cminbox.config import SourceEntry

        super().__init__(SourceEntry(key="demo", type="flaky", workspace="brioche", label="demo"), None, lambda name: "")
        self.calls = []

    async def reply(self, target, text, key):
        self.calls.append(key)
        if len(self.calls) == 1:
            raise AuthError("demo: the network refused our credentials (HTTP 401): re-authenticate")
        return Sent(native_id="ok")


async def test_a_failed_reply_waits_in_the_outbox_and_y_retries_it(store):
    flaky = Flaky()
    app = app_for(store, senders=senders_with(flaky))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = await reply_with(pilot, store, "fr2", "Oui !")
        assert store.message(target).reply_state == "failed"
        assert store.folder_counts(1)["outbox"] == 1
        await pilot.press("0")
        await settle(pilot)
        assert list(app.message_list.ids) == [target]
        assert "✗ not sent" in app.query_one("#detail").plain()
        await pilot.press("y")
        await settle(pilot)
        assert store.message(target).reply_state == "sent"
        assert flaky.calls[0] == flaky.calls[1]  # the same idempotency key
        assert store.folder_counts(1)["outbox"] == 0


async def test_r_on_a_failed_reply_brings_it_back_to_edit(store):
    app = app_for(store, senders=senders_with(Flaky()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await reply_with(pilot, store, "fr2", "Oui !")
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.text == "Oui !" and "was not sent" in status_of(app)


async def test_an_unknown_outcome_is_never_resent_without_the_user(store):
    class Ambiguous(Source):
        can_reply = True
        calls = 0

        async def reply(self, target, text, key):
            Ambiguous.calls += 1
            raise UnknownOutcome("demo: the connection dropped after the reply was sent")

    app = app_for(store, senders=senders_with(build_source(Ambiguous, "demo", "brioche")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = await reply_with(pilot, store, "fr2", "Oui !")
        assert store.message(target).reply_state == "unknown" and Ambiguous.calls == 1
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")  # "it is there"
        await settle(pilot)
        assert store.message(target).reply_state == "sent" and Ambiguous.calls == 1


async def test_replies_left_mid_send_become_unknown_at_start_and_queued_ones_go(store):
    ids = [by_native(store, "fr1"), by_native(store, "fr2")]
    [interrupted, queued] = store.queue_replies([QueuedReply(ids[0], "a"), QueuedReply(ids[1], "b")], now=NOW)
    store.claim(interrupted, NOW)  # the previous cminbox died here
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert store.outbox_item(interrupted).state == "unknown"
        assert store.outbox_item(queued).state == "sent"


async def test_without_a_sender_the_composer_says_copy_and_open(store):
    app = app_for(store, senders=Senders())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await reply_with(pilot, store, "fr2", "Oui !")
        assert isinstance(app.screen, ComposerScreen)
        assert "ctrl+b copies it, ctrl+o opens the page" in status_of(app)
        assert store.replies_to(by_native(store, "fr2")) == []


# -- bulk answering ---------------------------------------------------------------------------------


@pytest.fixture
def crowd(tmp_path):
    """A bad buzz: 200 complaints, French and English, on several networks."""
    networks = ("x", "facebook", "instagram", "bluesky", "mastodon")

    def name(i: int) -> str:  # 200 different first names, letters only
        return "Cli" + chr(97 + i // 26) + chr(97 + i % 26)

    rows = []
    for i in range(200):
        lang = "en" if i % 10 == 9 else "fr"
        text = "charged twice, refund me" if lang == "en" else "débité deux fois, remboursez-moi"
        rows.append(message(f"b{i}", text, network=networks[i % 5], kind="mention", name=f"{name(i)} Nom",
                            handle=f"@p{i}", lang=lang, age=10 + i))
    s = fixed_store(tmp_path / "crowd.db", rows)
    yield s
    s.close()


async def test_bulk_answering_200_selected_messages(crowd):
    answered = by_native(crowd, "b0")
    crowd.queue_replies([QueuedReply(answered, "déjà répondu")], now=NOW)
    with_draft = by_native(crowd, "b1")
    crowd.save_draft(with_draft, "je réponds à la main", now=NOW)
    app = app_for(crowd, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert crowd.outbox_item(1).state == "sent"  # queued before start: sent at start
        await pilot.press("X")
        assert len(app.message_list.selected) == 200
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.request.lang == "fr" and app.screen.request.network is None
        await pilot.press(*"passer", "enter")
        await settle(pilot)
        bulk = app.screen
        assert isinstance(bulk, BulkScreen)
        plan = bulk.plan
        reasons = {s.message_id: s.reason for s in plan.skipped}
        assert reasons[answered] == "already answered"
        assert "draft" in reasons[with_draft]
        assert sum("written in English" in r for r in reasons.values()) == 20
        assert len(plan.ready) == 178 and plan.repeated == 0
        texts = {item.message_id: item.text for item in plan.ready}
        assert texts[by_native(crowd, "b2")].startswith(("Bonjour Cliac,", "Salut Cliac,"))
        await pilot.press("enter")
        await settle(pilot)
        for item in plan.ready:
            assert crowd.message(item.message_id).status == "done"
            assert [r.state for r in crowd.replies_to(item.message_id)] == ["sent"]
        assert crowd.draft(with_draft).text == "je réponds à la main"  # never overwritten
        # What still needs an answer stays selected, ready for the English reply.
        assert app.message_list.selected == {s.message_id for s in plan.skipped if not s.answered}
        assert len(app.message_list.selected) == 21


# -- keys, help, palette -------------------------------------------------------------------------


async def test_help_and_palette_list_the_answering_keys(store):
    app = app_for(store, config=Config(keymap={"composer.send": "ctrl+g"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [title for title, _, _ in app.palette_commands()]
        for title in ("Reply", "Saved replies", "Select all in this view", "Retry the unsent reply"):
            assert title in titles
        assert any(t.startswith("Copy the starter replies") for t in titles)
        assert any(t.startswith("Crisis replies first") for t in titles)
        await pilot.press("question_mark")
        rows = {desc: keys for group in app.screen.groups.values() for keys, desc in group}
        assert isinstance(app.screen, HelpScreen)
        assert rows["Reply"] == "r" and rows["Saved replies"] == "R"
        assert rows["Send"] == "^g" and rows["Send and done"] == "^t"
        assert "In the composer (r)" in app.screen.groups
        await pilot.press("escape")
        await go_to(pilot, store, "fr2")
        await pilot.press("r")
        await compose(pilot, "Oui !")
        await pilot.press("ctrl+g")  # the remapped key sends
        await settle(pilot)
        assert [r.state for r in store.replies_to(by_native(store, "fr2"))] == ["sent"]


async def test_R_with_one_selected_message_answers_that_one(store):
    app = app_for(store, config=Config(agent="Camille"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "en1")
        await pilot.press("x")  # select Josh's message; the cursor moves on
        assert app.message_list.current_id != by_native(store, "en1")
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.request.lang == "en" and "Josh" in app.screen.request.heading


async def test_the_composer_dims_send_while_empty(store):
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr2")
        await pilot.press("r")
        await settle(pilot)
        composer = app.screen
        assert composer.check_action("send", (False,)) is None
        await compose(pilot, "Oui")
        assert composer.check_action("send", (False,)) is True


async def test_a_long_question_in_the_values_dialog_wraps_whole(store):
    question = "your signature, at the end of the reply (asked once a session; `agent` in the config file keeps it for good)"
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(AskScreen([("agent", question)], "Values for “Crise”"))
        await settle(pilot)
        label = app.screen.query_one("#ask-agent-question")
        drawn = " ".join(label.render_line(y).text.strip() for y in range(label.size.height))
        assert "keeps it for good)" in drawn and label.size.height >= 2


async def test_the_composer_footer_shows_send_and_close_at_100_columns(store):
    from textual.widgets._footer import FooterKey

    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, store, "fr1")
        await pilot.press("r")
        await settle(pilot)
        footer = app.screen.query_one("Footer")
        shown = [key for key in app.screen.query(FooterKey) if key.region.right <= footer.region.right - 12]
        assert {"send(False)", "close"} <= {key.action for key in shown}


async def test_the_bulk_picker_previews_a_reply_for_someone_who_wrote_in_its_language(tmp_path):
    store = fixed_store(tmp_path / "mixed.db", [
        message("en", "charged twice!!", network="x", kind="mention", name="Jenna Smith", lang="en", age=30),
        message("f1", "débitée deux fois", name="Chloé Martin", lang="fr", age=60),
        message("f2", "prélevé deux fois", name="Hugo Petit", lang="fr", age=90),
    ])
    app = app_for(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("X", "R")
            await settle(pilot)
            assert app.screen.request.lang == "fr" and app.screen.request.values["first_name"] == "Chloé"
    finally:
        store.close()


async def test_the_bulk_preview_shows_one_reply_whole(store):
    # Each recipient's line is cut to fit: the filled placeholders at the end of a long crisis
    # statement ("prochain point à 11 h") could not be checked before sending them all.
    from cminbox.replies import SavedReply
    from cminbox.replies.bulk import BulkItem, BulkPlan

    long = ("Bonjour Julie, nous avons bien vu vos messages et nous sommes désolés : une mise à jour de l'appli a débité "
            "certaines commandes deux fois. Les remboursements partent aujourd'hui, sans démarche de votre part. "
            "Prochain point à 11 h, ici même.")
    plan = BulkPlan(SavedReply(key="k", title="Crise", body="…"), ready=[
        BulkItem(1, "Julie", "facebook", long), BulkItem(2, "Marc", "x", long.replace("Julie", "Marc"))])
    drawn = " ".join(line.strip() for line in await bulk_sample_lines(store, plan))
    assert "The reply to Julie, in full:" in drawn and "Prochain point à 11 h, ici même." in drawn


async def test_the_bulk_preview_draws_a_customers_name_as_plain_text(store):
    # The whole reply carries the customer's name: a bidi override or a control character in it
    # must not reorder or drive what the terminal shows, and markup stays letters.
    from cminbox.replies import SavedReply
    from cminbox.replies.bulk import BulkItem, BulkPlan

    text = "Bonjour \u202eeiluJ\u202c [bold red]x[/] \x1b[2J, on regarde."
    plan = BulkPlan(SavedReply(key="k", title="Crise", body="…"), ready=[BulkItem(1, "Julie\u202e", "facebook", text)])
    drawn = " ".join(await bulk_sample_lines(store, plan))
    assert "Bonjour eiluJ [bold red]x[/] [2J, on regarde." in drawn
    assert not any(c in drawn for c in "\u202e\u202c\x1b")


async def bulk_sample_lines(store, plan) -> list[str]:
    """The lines bulk answering's whole-reply pane draws for `plan`."""
    from textual.widgets import Static

    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(BulkScreen(plan))
        await settle(pilot)
        sample = app.screen.query_one("#bulk-sample", Static)
        return [sample.render_line(y).text for y in range(sample.size.height)]
