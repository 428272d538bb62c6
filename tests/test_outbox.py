"""The outbox: drafts that survive, and replies sent at most once, against a real loopback server."""

from __future__ import annotations

import threading

import httpx
import pytest

from cminbox.outbox import Outbox, Senders
from cminbox.sources.base import ReplyTarget, Sent, Source, UnknownOutcome
from cminbox.sources.demo import DemoSource
from cminbox.sources.http import Http, decode_json
from cminbox.store import QueuedReply, Store
from cminbox.config import SourceEntry
from conftest import NOW, build_source, make_message
from fakeserver import FakeServer, Reply


class LoopbackSource(Source):
    """A network reached over HTTP: posts the reply with its idempotency key in a header."""

    type = "loopback"
    network = "x"
    can_reply = True

    def __init__(self, base_url: str, client: httpx.AsyncClient) -> None:
        entry = SourceEntry(key="test", type="loopback", workspace="brand", label="loopback")
        super().__init__(entry, Http(client, clock=lambda: NOW), lambda name: "")
        self.base_url = base_url

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        response = await self.http.request(
            "POST", f"{self.base_url}/reply", label="loopback", headers={"Idempotency-Key": key},
            json_body={"in_reply_to": target.native_id, "text": text},
        )
        data = decode_json(response, "loopback")
        return Sent(native_id=data["id"], url=data.get("url"))


class ServerNetwork:
    """The fake network's side: records every post, answers slowly or with an error on demand."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        self.delay = 0.0
        self.reply: Reply | None = None
        self.release = threading.Event()

    def handle(self, request) -> Reply:
        self.posts.append((request.headers.get("idempotency-key"), request.json()))
        if self.delay:
            self.release.wait(self.delay)  # posted, but the answer comes too late
        return self.reply or Reply.json({"id": f"r{len(self.posts)}", "url": "https://x.example/r"})


@pytest.fixture
def network():
    state = ServerNetwork()
    with FakeServer() as server:
        server.route("POST", "/reply", state.handle)
        state.url = server.url
        yield state
        state.release.set()


@pytest.fixture
def message_id(store):
    return store.ingest("test", [make_message(native_id="m-1", network="x", author_name="Julie Martin")], now=NOW).new_ids[0]


def outbox_for(store, source: Source, **kwargs) -> Outbox:
    senders = Senders()
    senders.register("test", source)
    return Outbox(store, senders, clock=lambda: NOW, **kwargs)


# -- drafts -------------------------------------------------------------------------------------


def test_a_draft_is_kept_per_message_and_survives_reopening(store, message_id, tmp_path):
    store.save_draft(message_id, "Bonjour Ju", now=NOW)
    store.save_draft(message_id, "Bonjour Julie", reply_key="fr-vous-retard", now=NOW + 1)
    other = Store(tmp_path / "test.db")  # another process, or the app after a crash
    draft = other.draft(message_id)
    assert (draft.text, draft.reply_key, draft.state) == ("Bonjour Julie", "fr-vous-retard", "draft")
    other.close()
    assert store.message(message_id).reply_state == "draft"
    store.save_draft(message_id, "   ")
    assert store.draft(message_id) is None and store.message(message_id).reply_state is None


# -- sending --------------------------------------------------------------------------------------


async def test_a_reply_is_sent_and_the_message_marked_done(store, message_id):
    store.save_draft(message_id, "Bonjour Julie", reply_key="k1", now=NOW)
    outbox = outbox_for(store, DemoSource(key="test"))
    [item_id] = outbox.queue([QueuedReply(message_id, "Bonjour Julie !", mark_done=True)])
    assert store.draft(message_id) is None  # the draft became the reply
    item = await outbox.send(item_id)
    assert item.state == "sent" and item.text == "Bonjour Julie !" and item.sent_native_id == "demo-reply-1"
    assert store.message(message_id).status == "done"
    assert store.message(message_id).reply_state == "sent"
    assert [r.text for r in store.replies_to(message_id)] == ["Bonjour Julie !"]
    assert store.reply_usage() == {"k1": 1}


async def test_a_timeout_after_posting_is_unknown_and_never_sent_again(store, message_id, network, tmp_path):
    async with httpx.AsyncClient(timeout=0.3) as client:
        outbox = outbox_for(store, LoopbackSource(network.url, client))
        network.delay = 3.0
        [item_id] = outbox.queue([QueuedReply(message_id, "We're on it")])
        item = await outbox.send(item_id)
        assert item.state == "unknown" and "did not answer in time" in item.error
        assert len(network.posts) == 1
        network.release.set()
        # Flushing again, or restarting, never re-sends a reply whose outcome is unknown.
        assert await outbox.flush() == []
        restarted = Store(tmp_path / "test.db")
        assert await outbox_for(restarted, LoopbackSource(network.url, client)).flush() == []
        restarted.close()
        assert len(network.posts) == 1
        assert store.folder_counts(1)["outbox"] == 1  # shown to the user
        # The user checked and asks to send it again: same idempotency key, so the network can tell.
        network.delay = 0
        assert store.requeue(item_id, NOW)
        item = await outbox.send(item_id)
        assert item.state == "sent" and item.attempts == 2
    assert len(network.posts) == 2 and network.posts[0][0] == network.posts[1][0] == item.idem_key
    assert store.folder_counts(1)["outbox"] == 0


async def test_the_outbox_deadline_makes_a_hung_send_unknown(store, message_id, network):
    async with httpx.AsyncClient(timeout=10) as client:
        outbox = outbox_for(store, LoopbackSource(network.url, client), timeout=0.3)
        network.delay = 3.0
        [item_id] = outbox.queue([QueuedReply(message_id, "hello")])
        item = await outbox.send(item_id)
    assert item.state == "unknown" and "within 0.3 s" in item.error
    assert len(network.posts) == 1


@pytest.mark.parametrize(
    "reply, state, words",
    [
        (Reply.json({"error": "invalid token"}, 401), "failed", "re-authenticate"),
        (Reply.json({"error": "slow down"}, 429, {"Retry-After": "30"}), "failed", "rate limited"),
        (Reply.json({"error": "Validation failed: Text too long"}, 422), "failed", "HTTP 422"),
        (Reply.json({"error": "oops"}, 500), "unknown", "HTTP 500"),
        (Reply(200, b'{"id": "r1", "url"', {"Content-Type": "application/json"}), "unknown", "not valid JSON"),
    ],
)
async def test_only_a_clear_refusal_counts_as_not_sent(store, message_id, network, reply, state, words):
    network.reply = reply
    async with httpx.AsyncClient(timeout=5) as client:
        outbox = outbox_for(store, LoopbackSource(network.url, client))
        [item_id] = outbox.queue([QueuedReply(message_id, "hello")])
        item = await outbox.send(item_id)
    assert item.state == state and words in item.error
    assert store.message(message_id).reply_state == state


async def test_a_failed_reply_can_be_retried_or_edited(store, message_id, network):
    network.reply = Reply.json({"error": "invalid token"}, 401)
    async with httpx.AsyncClient(timeout=5) as client:
        outbox = outbox_for(store, LoopbackSource(network.url, client))
        [item_id] = outbox.queue([QueuedReply(message_id, "first try")])
        await outbox.send(item_id)
        network.reply = None
        assert store.requeue(item_id, NOW)
        assert (await outbox.flush())[0].state == "sent"
        [second] = outbox.queue([QueuedReply(message_id, "second reply")])
        store.claim(second)
        store.finish_unsent(second, "failed", "refused")
        assert store.reopen_as_draft(second)
        assert store.draft(message_id).text == "second reply"
        assert store.message(message_id).reply_state == "draft"


async def test_a_source_saying_unknown_outcome_is_believed(store, message_id):
    class Ambiguous(Source):
        can_reply = True

        async def reply(self, target, text, key):
            raise UnknownOutcome("connection cut after the request was sent")

    class Broken(Source):
        can_reply = True

        async def reply(self, target, text, key):
            raise KeyError("id")

    for source in (build_source(Ambiguous, "test"), build_source(Broken, "test")):
        outbox = outbox_for(store, source)
        [item_id] = outbox.queue([QueuedReply(message_id, f"hello {source}")])
        assert (await outbox.send(item_id)).state == "unknown"


async def test_a_process_killed_mid_send_leaves_an_unknown_reply(store, message_id, tmp_path):
    outbox = outbox_for(store, DemoSource(key="test"))
    [item_id] = outbox.queue([QueuedReply(message_id, "hello")])
    assert store.claim(item_id, NOW) is not None  # then the process dies
    restarted = Store(tmp_path / "test.db")
    after = outbox_for(restarted, DemoSource(key="test"))
    assert after.recover() == [item_id]
    assert await after.flush() == []
    item = restarted.outbox_item(item_id)
    assert item.state == "unknown" and "stopped while" in item.error
    restarted.confirm_sent(item_id, NOW)  # the user saw it on the network
    assert restarted.outbox_item(item_id).state == "sent"
    restarted.close()


async def test_two_processes_cannot_claim_one_reply(store, message_id, tmp_path):
    [item_id] = store.queue_replies([QueuedReply(message_id, "hello")], now=NOW)
    other = Store(tmp_path / "test.db")
    assert store.claim(item_id, NOW) is not None
    assert other.claim(item_id, NOW) is None
    other.close()


async def test_a_message_whose_source_cannot_reply_fails_clearly(store, message_id):
    outbox = Outbox(store, Senders(), clock=lambda: NOW)
    assert not outbox.can_send(message_id)
    [item_id] = outbox.queue([QueuedReply(message_id, "hello")])
    item = await outbox.send(item_id)
    assert item.state == "failed" and "copy the reply and open the page" in item.error


def test_identical_replies_to_someone_else_within_the_hour_are_spotted(store):
    people = [make_message(network="x", author_name=f"P{i}", author_handle=f"@p{i}") for i in range(3)]
    again = make_message(network="x", author_name="P0", author_handle="@p0")  # P0's second message
    ids = store.ingest("test", [*people, again], now=NOW).new_ids
    outbox = Outbox(store, Senders(), clock=lambda: NOW)
    outbox.queue([QueuedReply(ids[0], "We're on it, sorry!")])
    duplicate = outbox.duplicate_of("we're on it,   SORRY!", ids[1], "x")
    assert duplicate is not None and duplicate.to == "P0"
    assert outbox.duplicate_of("We're on it, sorry!", ids[0], "x") is None  # the same message
    assert outbox.duplicate_of("We're on it, sorry!", ids[3], "x") is None  # the same person
    assert outbox.duplicate_of("We're on it, sorry!", ids[1], "mastodon") is None
    later = Outbox(store, Senders(), clock=lambda: NOW + 3601)
    assert later.duplicate_of("We're on it, sorry!", ids[1], "x") is None


def test_usage_is_counted_once_per_reply(store):
    ids = store.ingest("test", [make_message() for _ in range(2)], now=NOW).new_ids
    store.save_draft(ids[0], "a", reply_key="k", now=NOW)
    store.count_use(ids[0], NOW)  # copied
    store.count_use(ids[0], NOW)  # copied again
    store.queue_replies([QueuedReply(ids[0], "a")], now=NOW)  # then sent
    store.queue_replies([QueuedReply(ids[1], "b", reply_key="k")], now=NOW)
    assert store.reply_usage() == {"k": 2}


def test_answered_lists_messages_with_a_reply_out_or_possibly_out(store):
    ids = store.ingest("test", [make_message() for _ in range(4)], now=NOW).new_ids
    store.save_draft(ids[0], "draft only", now=NOW)
    [queued, failed] = store.queue_replies([QueuedReply(ids[1], "q"), QueuedReply(ids[2], "f")], now=NOW)
    store.claim(failed)
    store.finish_unsent(failed, "failed", "refused")
    assert store.answered(ids) == {ids[1]}


def test_a_database_from_before_the_outbox_is_upgraded_in_place(tmp_path):
    import sqlite3

    from sqlite_utils import Database

    from cminbox.store import schema

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    schema.migrations.apply(Database(conn), stop_before="m004_outbox")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    old = Store(path)  # opening migrates
    old.ensure_workspace("brand", "Brand", 60)
    old.register_source("test", "brand", "test", "test")
    [mid] = old.ingest("test", [make_message()], now=NOW).new_ids
    assert old.folder_counts(1)["all"] == 1 and old.folder_counts(1)["outbox"] == 0
    [item] = old.queue_replies([QueuedReply(mid, "hello")], now=NOW)
    old.claim(item, NOW)
    old.finish_unsent(item, "failed", "refused", NOW)
    assert old.folder_counts(1)["outbox"] == 1 and old.in_folder([mid], "outbox") == {mid}
    old.requeue(item, NOW)
    old.claim(item, NOW)
    old.finish_sent(item, native_id="n1", url=None, now=NOW)
    assert old.folder_counts(1)["outbox"] == 0 and old.message(mid).reply_state == "sent"
    old.close()
