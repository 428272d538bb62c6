"""The platforms' reply rules where the CM meets them: the composer refuses before sending, the
outbox checks again before calling the network, and a private reply goes out once."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from appkit import NOW, SIZE, fixed_store, make_app, settle
from cminbox.models import Incoming
from cminbox.outbox import Outbox, Senders
from cminbox.screens.composer import ComposerScreen
from cminbox.sources.base import ReplyTarget, Sent, Source
from cminbox.store import QueuedReply
from conftest import build_source

HOUR = 3600.0


class RecordingSource(Source):
    """A Facebook Page that records what it is asked to post (public and private replies)."""

    type = "test"
    network = "facebook"
    can_reply = True
    can_reply_privately = True

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.public: list[tuple[str, str]] = []
        self.private: list[tuple[str, str]] = []

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        self.public.append((target.native_id, text))
        return Sent(native_id=f"p{len(self.public)}")

    async def private_reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        self.private.append((target.native_id, text))
        return Sent(native_id=f"d{len(self.private)}")


def incoming(nid: str, *, kind: str, network: str = "facebook", age: float = 600, text: str = "Toujours pas reçu ma commande") -> Incoming:
    return Incoming(native_id=nid, network=network, kind=kind, text=text, created_at=NOW - age,
                    author_name="Julie Martin", author_handle="julie", author_reach=100,
                    url=f"https://example.com/{nid}", thread_id=f"t-{nid}", lang="fr")


@pytest.fixture
def store(tmp_path):
    s = fixed_store(tmp_path / "inbox.db", [
        incoming("comment", kind="comment"),
        incoming("old-dm", kind="dm", network="instagram", age=25 * HOUR),
        incoming("fresh-dm", kind="dm", network="instagram", age=2 * HOUR),
    ])
    yield s
    s.close()


@pytest.fixture
def source():
    return build_source(RecordingSource, "demo")


def id_of(store, native_id: str) -> int:
    return store.conn.execute("SELECT id FROM messages WHERE native_id = ?", (native_id,)).fetchone()[0]


def senders_for(source) -> Senders:
    senders = Senders()
    senders.register("demo", source)
    return senders


def outbox_for(store, source) -> Outbox:
    return Outbox(store, senders_for(source), clock=lambda: NOW)


# -- the outbox checks the rules before the network is called ---------------------------------


async def test_a_dm_past_its_messaging_window_fails_without_calling_the_network(store, source):
    outbox = outbox_for(store, source)
    [item_id] = outbox.queue([QueuedReply(id_of(store, "old-dm"), "Bonjour Julie, on regarde ça")])
    item = await outbox.send(item_id)
    assert item.state == "failed" and "within 24 hours" in item.error
    assert source.public == [] and source.private == []


async def test_a_dm_inside_its_window_is_sent(store, source):
    outbox = outbox_for(store, source)
    [item_id] = outbox.queue([QueuedReply(id_of(store, "fresh-dm"), "Bonjour Julie, on regarde ça")])
    assert (await outbox.send(item_id)).state == "sent"
    assert source.public == [("fresh-dm", "Bonjour Julie, on regarde ça")]


async def test_a_comment_gets_one_private_reply_and_a_second_is_refused_before_the_network(store, source):
    outbox = outbox_for(store, source)
    comment = id_of(store, "comment")
    [first] = outbox.queue([QueuedReply(comment, "On vous écrit en privé", reply_kind="private")])
    assert (await outbox.send(first)).state == "sent"
    [second] = outbox.queue([QueuedReply(comment, "Encore nous", reply_kind="private")])
    refused = await outbox.send(second)
    assert refused.state == "failed" and "only one" in refused.error
    assert source.private == [("comment", "On vous écrit en privé")] and source.public == []
    # A public reply in the thread is still possible.
    [public] = outbox.queue([QueuedReply(comment, "Merci Julie !")])
    assert (await outbox.send(public)).state == "sent" and source.public == [("comment", "Merci Julie !")]


async def test_a_reply_longer_than_the_kind_of_reply_allows_is_refused(store, source):
    outbox = outbox_for(store, source)
    comment = id_of(store, "comment")
    [too_long] = outbox.queue([QueuedReply(comment, "a" * 2_001, reply_kind="private")])  # Messenger: 2,000
    assert "at most 2000" in (await outbox.send(too_long)).error
    [fine] = outbox.queue([QueuedReply(comment, "a" * 2_001)])  # a comment reply: 8,000
    assert (await outbox.send(fine)).state == "sent"


def test_senders_fall_back_to_the_apps_sources(source):
    senders = Senders(fallback=lambda key: source if key == "page" else None)
    assert senders.get("page") is source and senders.can_reply_privately("page")
    assert senders.get("other") is None and not senders.can_reply("other")


# -- the composer -------------------------------------------------------------------------------


async def open_composer(pilot, store, native_id: str, text: str) -> ComposerScreen:
    pilot.app.action_jump_to(id_of(store, native_id))
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ComposerScreen)
    screen.query_one(TextArea).load_text(text)
    await pilot.pause()
    return screen


def shown(screen) -> str:
    return str(screen.query_one("#composer-status").render()) + " " + str(screen.query_one("#composer-warning").render())


async def test_ctrl_g_makes_it_a_private_reply_that_the_draft_remembers_and_the_outbox_sends(store, source):
    app = make_app(store, senders=senders_for(source))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_composer(pilot, store, "comment", "Julie, on vous écrit en privé")
        assert "Reply to" in str(screen.query_one("Vertical").border_title)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Private reply to" in str(screen.query_one("Vertical").border_title)
        assert "/ 2,000" in shown(screen)  # Messenger's limit, not the comment's 8,000
        assert store.draft(id_of(store, "comment")).reply_kind == "private"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert source.private == [("comment", "Julie, on vous écrit en privé")] and source.public == []
        # A second private reply to the same comment: refused on screen as soon as it is chosen.
        screen = await open_composer(pilot, store, "comment", "Encore nous")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "already got its private reply" in shown(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and len(source.private) == 1


async def test_the_composer_says_why_the_network_would_refuse_and_does_not_send(store, source):
    app = make_app(store, senders=senders_for(source))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_composer(pilot, store, "old-dm", "Bonjour Julie")
        assert "would refuse it" in shown(screen) and "messaging window closed" in shown(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and "Not sent" in shown(screen)
        await pilot.press("escape")
        await settle(pilot)
    assert source.public == [] and store.replies_to(id_of(store, "old-dm")) == []
    assert store.draft(id_of(store, "old-dm")).text == "Bonjour Julie"  # kept, to copy elsewhere


async def test_ctrl_g_is_not_offered_where_there_is_no_private_reply(store, source):
    app = make_app(store, senders=senders_for(source))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_composer(pilot, store, "fresh-dm", "Bonjour")
        assert "window closes in" in shown(screen)
        assert screen.check_action("switch_kind", ()) is False
        await pilot.press("ctrl+g")
        assert "Reply to" in str(screen.query_one("Vertical").border_title)


def test_bulk_answering_skips_the_dms_whose_window_closed_and_says_why(store):
    from cminbox.network_actions import refusal_for
    from cminbox.replies import SavedReply
    from cminbox.replies.bulk import plan_bulk
    from cminbox.reply_rules import reply_kinds

    def refusal(message, text):
        found = refusal_for(store, message.id, reply_kinds(message)[0], text, NOW)
        return found.reason if found else None

    ids = [id_of(store, "old-dm"), id_of(store, "fresh-dm")]
    reply = SavedReply(key="k", title="Retard", body="Bonjour, on regarde votre commande.", lang="fr")
    plan = plan_bulk(store, ids, reply, values_for=lambda m: {}, can_send=lambda i: True,
                     limit_for=lambda m: None, refusal=refusal)
    assert [item.message_id for item in plan.ready] == [id_of(store, "fresh-dm")]
    assert [s.message_id for s in plan.skipped] == [id_of(store, "old-dm")]
    assert "within 24 hours" in plan.skipped[0].reason


def test_bulk_answering_skips_what_the_user_set_aside_and_spam(tmp_path):
    from dataclasses import replace

    from cminbox.replies import SavedReply
    from cminbox.replies.bulk import plan_bulk

    names = ("snoozed", "not-complaint", "spam", "plain")
    store = fixed_store(tmp_path / "set-aside.db", [
        replace(incoming(n, kind="comment"), author_name=n, author_handle=n) for n in names
    ])  # fmt: skip
    snoozed, not_complaint, spam, plain = (id_of(store, n) for n in names)
    store.set_status([snoozed], "snoozed", snooze_until=NOW + 3600, now=NOW)
    store.set_complaint_override([not_complaint], False)
    with store.conn:
        store.conn.execute("UPDATE messages SET spam = 1 WHERE id = ?", (spam,))
    crisis = SavedReply(key="k", title="Incident", body="Bonjour, on est dessus.", lang="fr", tags=("crisis",))

    def plan(ids, reply):
        return plan_bulk(store, ids, reply, values_for=lambda m: {}, can_send=lambda i: True, limit_for=lambda m: None)

    crisis_plan = plan([snoozed, not_complaint, spam, plain], crisis)
    reasons = {s.message_id: s.reason for s in crisis_plan.skipped}
    assert [item.message_id for item in crisis_plan.ready] == [plain]
    assert reasons[snoozed].startswith("snoozed by you")
    assert reasons[not_complaint].startswith("you marked it not a complaint")
    assert reasons[spam].startswith("looks like spam")
    # A reply that is not for the crisis (thanks, say) still goes to a message that is no complaint.
    thanks = SavedReply(key="t", title="Merci", body="Merci beaucoup !", lang="fr")
    assert [item.message_id for item in plan([not_complaint], thanks).ready] == [not_complaint]
    store.close()
