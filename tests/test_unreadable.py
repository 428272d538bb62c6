"""Items a source cannot read are set aside with the reason, never fail the page around them:
the reader (`sources.items`), the store's `unreadable` table, the engine, every network, and
what the user sees (`cminbox sources`, the sidebar)."""

from __future__ import annotations

import json
import tomllib
from contextlib import ExitStack

import httpx
import pytest

from cminbox.config import parse
from cminbox.models import Incoming, Unreadable
from cminbox.sources import registry
from cminbox.sources.base import Page, PayloadError, Source, TemporaryError
from cminbox.sources.items import collecting, one_item
from cminbox.sync import Engine
from conftest import make_message
from fakenets import FAKE_NETWORKS
from fakeserver import FakeServer, Reply
from sourcekit import engine_for, health, make_entry


# -- the reader -------------------------------------------------------------------------------


def test_an_item_of_an_odd_shape_is_set_aside_with_its_id_why_and_content():
    read = []
    with collecting() as set_aside:
        for item in ({"id": "1", "text": "ok"}, {"id": "2", "text": 7}, {"text": None}, "not an object"):
            with one_item(item, "comment"):
                read.append(item["text"].strip())
    assert read == ["ok"]
    assert [u.item for u in set_aside[:1]] == ["2"]
    assert set_aside[0].reason == "comment not readable (AttributeError: 'int' object has no attribute 'strip')"
    assert json.loads(set_aside[0].raw) == {"id": "2", "text": 7}
    # Without an id: named by a digest of the content, the same each time it comes back.
    assert set_aside[1].item.startswith("sha1:") and set_aside[1].item == Unreadable.of({"text": None}, "x").item
    assert set_aside[2].raw == '"not an object"'


def test_the_id_can_be_named_and_a_payload_error_is_the_items_own():
    with collecting() as set_aside:
        with one_item({"objectID": "h1"}, "hit", lambda: "h1"):
            raise PayloadError("not a time: 'hier'")
        with one_item({"data": {}}, "thing", lambda: {}["name"]):  # the id itself is missing
            raise KeyError("name")
    assert [(u.item, u.reason) for u in set_aside][0] == ("h1", "hit not readable (PayloadError: not a time: 'hier')")
    assert set_aside[1].item.startswith("sha1:")


def test_a_failure_that_is_not_the_items_shape_still_fails_the_fetch():
    with collecting() as set_aside, pytest.raises(TemporaryError):
        with one_item({"id": "1"}, "comment"):
            raise TemporaryError("the network is down")
    assert set_aside == []


def test_without_a_collector_the_error_is_not_swallowed():
    with pytest.raises(AttributeError):
        with one_item({"id": "1", "text": 7}, "comment"):
            7 .strip()


def test_a_huge_item_is_kept_in_part():
    item = Unreadable.of({"id": "big", "text": "x" * 100_000}, "too odd")
    assert len(item.raw) == Unreadable.RAW_CHARS and item.item == "big"


# -- the store ----------------------------------------------------------------------------------


def test_what_is_set_aside_is_stored_with_the_cursor_and_counted_in_the_sources_health(store):
    odd = Unreadable.of({"id": "c9", "message": {"odd": 1}}, "comment not readable (AttributeError: …)")
    bad_time = Incoming(native_id="c8", network="facebook", kind="comment", text="hello", created_at="hier")
    result = store.ingest("test", [make_message(native_id="c1"), bad_time], cursor="after-c9", unreadable=[odd])
    assert len(result.new_ids) == 1
    assert sorted(result.rejected) == [("c8", "invalid timestamp 'hier'"), ("c9", odd.reason)]
    assert store.source_cursor("test") == "after-c9"
    kept = {u.item: u for u in store.unreadable()}
    assert set(kept) == {"c8", "c9"} and json.loads(kept["c9"].raw) == {"id": "c9", "message": {"odd": 1}}
    assert json.loads(kept["c8"].raw)["created_at"] == "hier"  # the refused message's fields as given
    row = health(store, "test")
    assert row.unreadable == 2 and row.unreadable_latest.startswith(("c8: ", "c9: "))

    # Set aside again (the next poll overlaps): still one row per item.
    store.ingest("test", [], cursor="after-c9", unreadable=[odd])
    assert health(store, "test").unreadable == 2
    # Read at last (a fixed payload, a newer cminbox): no longer unreadable.
    store.ingest("test", [make_message(native_id="c9")], cursor="later")
    assert [u.item for u in store.unreadable()] == ["c8"] and health(store, "test").unreadable == 1


def test_a_source_that_never_set_anything_aside_has_no_count(store):
    store.ingest("test", [make_message(native_id="m1")], cursor="c")
    row = health(store, "test")
    assert row.unreadable == 0 and row.unreadable_latest is None and store.unreadable() == []


# -- the engine ---------------------------------------------------------------------------------


class ReadsItems(Source):
    """Reads a list of JSON items as a network source does, with `one_item` around each."""

    type = "reads-items"
    network = "x"
    ITEMS: list = []

    async def fetch(self, cursor):
        messages = []
        for item in self.ITEMS:
            with one_item(item, "post"):
                messages.append(make_message(native_id=item["id"], text=item["text"].strip()))
        return Page(messages, f"after-{len(self.ITEMS)}")


@pytest.fixture
def reads_items(monkeypatch):
    monkeypatch.setitem(registry.SOURCE_TYPES, "reads-items", "test_unreadable:ReadsItems")
    monkeypatch.setattr(ReadsItems, "ITEMS", [])
    return ReadsItems


async def test_one_odd_item_no_longer_fails_the_poll_nor_blocks_the_source(store, reads_items):
    reads_items.ITEMS = [{"id": "1", "text": "Toujours pas reçu"}, {"id": "2", "text": None},
                         {"id": "3", "text": "Merci !"}]
    entry = make_entry("reads-items", key="odd", label="odd")
    async with engine_for(store, entry) as engine:
        (result,) = await engine.sync_once()
    assert not result.failed and result.new == 2
    assert result.rejected == [("2", "post not readable (AttributeError: 'NoneType' object has no attribute 'strip')")]
    assert store.source_cursor("odd") == "after-3"  # the source moves on
    row = health(store, "odd")
    assert row.state == "ok" and row.last_error is None and row.unreadable == 1


async def test_a_secret_in_an_odd_item_is_not_stored(store, reads_items):
    reads_items.ITEMS = [{"id": "1", "text": 5, "next": "https://api.example/next?access_token=tok_123456789"}]
    entry = make_entry("reads-items", key="odd", label="odd", credentials={"token": "env:T"})
    async with engine_for(store, entry, env={"T": "tok_123456789"}) as engine:
        engine.runtimes["odd"].source.secret("token")  # the engine knows the token once it is used
        await engine.sync_once()
    (kept,) = store.unreadable()
    assert "tok_123456789" not in kept.raw and "•••" in kept.raw


# -- every network, through its fake server ------------------------------------------------------

# A text each fake network's first sync brings (tests/fakenets.py): the item carrying it gets an
# object where the API documents a string, as a changed or broken API might send.
ODD_TEXT = {
    "hackernews": "charged me twice",
    "mastodon": "toujours pas reçu ma commande",
    "bluesky": "toujours pas reçu ma commande",
    "reddit": "Toujours pas reçu ma commande",
    "facebook": "Toujours pas reçu ma commande",
    "instagram": "C'est ouvert le dimanche",
    "youtube": "La recette de la brioche",
    "x": "toujours pas remboursé",
}
WORKSPACE = '[workspaces.brioche]\nname = "Brioche & Co"\nkeywords = ["Brioche & Co"]\n'


def _spoil(data: object, needle: str) -> object:
    if isinstance(data, dict):
        return {k: {"unexpected": [v]} if isinstance(v, str) and needle in v else _spoil(v, needle) for k, v in data.items()}
    if isinstance(data, list):
        return [_spoil(v, needle) for v in data]
    return data


@pytest.mark.parametrize("network", [n for n in FAKE_NETWORKS if n.name in ODD_TEXT], ids=lambda n: n.name)
async def test_each_network_sets_an_odd_item_aside_and_stores_the_others(network, store, monkeypatch):
    plain_json = Reply.json.__func__
    needle = ODD_TEXT[network.name]
    monkeypatch.setattr(Reply, "json", classmethod(lambda cls, data, *a, **k: plain_json(cls, _spoil(data, needle), *a, **k)))
    with FakeServer() as server:
        installed = network.setup(server)
        config = parse(tomllib.loads(WORKSPACE + installed.toml))
        store.ensure_workspace("brioche", "Brioche & Co", 60)
        resolve = lambda reference: installed.env[reference.partition(":")[2]]  # noqa: E731
        async with httpx.AsyncClient(timeout=5) as client:
            async with Engine(store, config, client=client, resolve=resolve, rng=lambda: 0.5) as engine:
                results = await engine.sync_once()
    assert [r.error for r in results] == [None] * len(results)
    brioche = next(w for w in store.workspaces() if w.slug == "brioche")
    assert store.folder_counts(brioche.id)["all"] == installed.first_sync - 1
    (odd,) = store.unreadable()  # set aside by the source ("… not readable") or refused by the store
    assert odd.reason and needle in odd.raw
    assert [h.unreadable for h in store.sources(brioche.id)] == [1]


# -- what the user sees ---------------------------------------------------------------------------


def _inbox_with_an_odd_item(tmp_path):
    from cminbox.store import Store

    config = tmp_path / "config.toml"
    config.write_text('[workspaces.brioche]\nname = "Brioche & Co"\n\n[[sources]]\nid = "alerts"\ntype = "rss"\n'
                      'workspace = "brioche"\nlabel = "Alerts"\nurl = "https://example.com/feed"\n')
    with Store(tmp_path / "inbox.db") as store:
        store.ensure_workspace("brioche", "Brioche & Co", 60)
        store.register_source("alerts", "brioche", "rss", "Alerts")
        odd = Unreadable.of({"id": "e7", "title": "\x1b]52;c;cm0gLXJmIH4=\x07[bold]Boom[/]\u202e"}, "feed entry not readable (TypeError: …)")
        store.ingest("alerts", [make_message(native_id="e1")], cursor="c", unreadable=[odd])
    return ["--config", str(config), "--db", str(tmp_path / "inbox.db")]


def test_cminbox_sources_says_how_many_items_were_set_aside(tmp_path):
    from test_cli import cminbox

    out = cminbox("sources", *_inbox_with_an_odd_item(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "1 item unreadable: e7: feed entry not readable (TypeError: …); see `cminbox sources --unreadable`" in out.stdout


def test_cminbox_sources_unreadable_lists_them_with_what_the_network_sent_as_plain_text(tmp_path):
    from test_cli import cminbox

    files = _inbox_with_an_odd_item(tmp_path)
    out = cminbox("sources", "--unreadable", *files)
    assert out.returncode == 0, out.stderr
    assert "Alerts (alerts) · " in out.stdout and "e7: feed entry not readable (TypeError: …)" in out.stdout
    assert '"id": "e7"' in out.stdout and "1 item set aside" in out.stdout
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout and "\u202e" not in out.stdout
    assert "nothing set aside" in cminbox("sources", "--unreadable", "alerts", "--db", str(tmp_path / "none.db")).stdout.lower()
    unknown = cminbox("sources", "--unreadable", "other", *files)
    assert unknown.returncode == 2 and "no source 'other'" in unknown.stderr and "alerts" in unknown.stderr


def test_the_sidebar_says_why_in_a_few_words():
    from cminbox.health import unreadable_why
    from cminbox.store import SourceHealth

    def why(latest):
        return unreadable_why(SourceHealth("hn", "hackernews", "HN", "ok", 0.0, None, None, None, 3, 1, latest))

    assert why("42000001: Hacker News hit not readable (TypeError: expected text, got dict)") == \
        "Hacker News hit: expected text, got dict"
    assert why("sha1:0a1b: status not readable (KeyError: missing 'id')") == "status: missing 'id'"
    assert why("c8: invalid timestamp 'hier'") == "invalid timestamp 'hier'"  # refused by the store


def test_doctor_reads_a_feed_with_an_odd_entry_and_says_so(tmp_path, monkeypatch, capsys):
    from cminbox import headless
    from cminbox.config import Config, SourceEntry, WorkspaceConfig
    from cminbox.sources.rss import RssSource
    from fake_feeds import FakeAlertsFeed

    read = RssSource._message

    def odd_second(self, entry, *args):
        if "recrute" in str(entry.get("title")):
            raise TypeError("expected text, got dict")
        return read(self, entry, *args)

    monkeypatch.setattr(RssSource, "_message", odd_second)
    with FakeServer() as server:
        feed = FakeAlertsFeed(server)
        feed.add("Brioche &amp; Co ouvre à Lyon", "https://www.leprogres.fr/lyon/brioche-co")
        feed.add("Brioche &amp; Co recrute", "https://emplois.example/brioche")
        entry = SourceEntry(key="alerts", type="rss", workspace="brioche", label="Alerts", options={"url": feed.url}, line=3)
        config = Config(workspaces=(WorkspaceConfig("brioche", "Brioche & Co"),), sources=(entry,))
        headless.doctor(config, None, tmp_path / "inbox.db")
    out = capsys.readouterr().out
    assert "✓ source alerts: rss: feed reachable, 1 entries (1 item it cannot read" in out
