"""Pilot tests for the platform rules in the app: DM countdowns, the expiring view, hide / unhide."""

from __future__ import annotations

import httpx
import pytest

from appkit import NOW, SIZE, make_app, settle
from cminbox.models import Incoming
from cminbox.sources.http import Http
from cminbox.sources.registry import build
from cminbox.store import Store
from cminbox.widgets.detail import DetailPane
from cminbox.widgets.sidebar import Sidebar
from cminbox.widgets.message_list import window_cell
from fake_graph import TOKEN, VERSION, FakeGraph
from fakeserver import FakeServer
from sourcekit import make_entry, secrets

H = 3600


def dm(native_id: str, thread: str, age: float, text: str) -> Incoming:
    return Incoming(native_id=native_id, network="facebook", kind="dm", text=text, created_at=NOW - age,
                    author_name=f"Client {native_id}", thread_id=thread, extra={"recipient": "5001"})


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "rules.db")
    s.ensure_workspace("brioche", "Brioche & Co", 60)
    s.register_source("brioche-facebook", "brioche", "facebook", "Facebook Brioche")
    s.ingest("brioche-facebook", [
        dm("d1", "t1", 20 * H, "Bonjour, ma commande ?"),  # 4 h left
        dm("d2", "t2", 23.5 * H, "Toujours rien reçu"),  # 30 min left
        dm("d3", "t3", 30 * H, "Allô ?"),  # closed
        Incoming(native_id="c1", network="facebook", kind="comment", text="Arnaque !!!", created_at=NOW - 600,
                 author_name="Troll", thread_id="p1", parent_id="p1", extra={"hidden": False, "top_level": "c1"}),
    ], cursor="x", now=NOW)
    yield s
    s.close()


def test_the_kind_cell_counts_down_the_window():
    assert window_cell(None, NOW) is None
    assert window_cell(NOW + 4 * H + 5, NOW) == "dm ⧗4h"
    assert window_cell(NOW + 30 * 60, NOW) == "dm ⧗30m"
    assert window_cell(NOW - 1, NOW) == "dm shut"


async def test_E_lists_open_dms_closing_soonest_first_and_the_detail_shows_the_countdown(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        order = [store.message(i).native_id for i in app.message_list.ids]
        assert order == ["d2", "d1"]  # d3's window has closed: it cannot be answered by DM any more
        assert "DMs expiring soonest · 2" in str(app.message_list.border_title)
        assert app.query_one(Sidebar).folder == "dms"  # the sidebar marks DMs, not the folder E came from
        body = app.query_one(DetailPane).plain()
        assert "Reply window  30m left" in body and "7 days with Messenger's human-agent tag" in body
        await pilot.press("1")
        await settle(pilot)
        closed = next(i for i in app.message_list.ids if store.message(i).native_id == "d3")
        app.message_list.select_index(app.message_list.index_of(closed))
        await settle(pilot)
        assert "Reply window  closed 6 h ago" in app.query_one(DetailPane).plain()


async def test_the_expiring_view_and_hide_are_in_the_palette_and_help(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [title for title, _help, _run in app.palette_commands()]
        assert "DMs whose reply window closes soonest" in titles
        assert "Hide / unhide comment on the network" in titles
        ids = {b.id for b in app.live_bindings()}
        assert {"inbox.hide", "view.expiring"} <= ids


async def test_H_hides_the_comment_on_the_network_and_z_unhides_it(store):
    with FakeServer() as server:
        graph = FakeGraph(server, page_id="111")
        graph.add_post("p1", "Nouvelle brioche", at=NOW - H)
        graph.add_comment("p1", "c1", "Arnaque !!!", at=NOW - 600)
        async with httpx.AsyncClient(timeout=5) as client:
            source = build(make_entry("facebook", server.url, key="brioche-facebook", page_id="111",
                                      credentials={"token": "env:T"}), Http(client, clock=lambda: NOW), secrets(token=TOKEN))
            app = make_app(store, sources={"brioche-facebook": source})
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                comment = next(i for i in app.message_list.ids if store.message(i).native_id == "c1")
                app.message_list.select_index(app.message_list.index_of(comment))
                await settle(pilot)
                await pilot.press("H")
                await settle(pilot)
                assert graph.objects["c1"]["is_hidden"] is True and store.message(comment).hidden is True
                assert store.list_rows([comment])[comment].hidden
                assert "Hidden  on facebook" in app.query_one(DetailPane).plain()
                await pilot.press("z")
                await settle(pilot)
                assert graph.objects["c1"]["is_hidden"] is False and store.message(comment).hidden is False
        bodies = [r.body for r in server.calls("POST", f"/{VERSION}/c1")]
        assert bodies == [b"is_hidden=true", b"is_hidden=false"]


async def test_H_on_a_dm_explains_instead_of_calling(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = next(i for i in app.message_list.ids if store.message(i).kind == "dm")
        app.message_list.select_index(app.message_list.index_of(first))
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)
        assert store.message(first).hidden is None and app.undo_stack == []


async def test_in_the_demo_H_hides_where_the_network_allows_it_and_says_why_elsewhere(tmp_path):
    from cminbox.outbox import Senders
    from cminbox.sources.demo import DemoSource

    s = Store(tmp_path / "demo.db")
    s.ensure_workspace("brioche", "Brioche & Co", 60)
    s.register_source("demo", "brioche", "demo", "demo")

    def comment(native_id: str, network: str, age: float) -> Incoming:
        return Incoming(native_id=native_id, network=network, kind="comment", text="Arnaque !!!", created_at=NOW - age,
                        author_name=f"Troll {native_id}", extra={"hidden": False})

    s.ingest("demo", [comment("ig", "instagram", 60), comment("yt", "youtube", 120),
                      Incoming(native_id="dm", network="instagram", kind="dm", text="Bonjour", created_at=NOW - 180)], now=NOW)
    senders = Senders()
    senders.register("demo", DemoSource())
    app = make_app(s, senders=senders)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app._say = said.append
        await settle(pilot)
        by_native = {s.message(i).native_id: i for i in app.message_list.ids}
        for native in ("ig", "yt", "dm"):
            app.message_list.select_index(app.message_list.index_of(by_native[native]))
            await settle(pilot)
            await pilot.press("H")
            await settle(pilot)
    assert s.message(by_native["ig"]).hidden is True and s.message(by_native["yt"]).hidden is not True
    assert "Hidden on instagram · z to undo" in said
    assert "Cannot hide it: only comments and mentions can be hidden, and this is a dm" in said
    s.close()


async def test_an_instagram_dms_window_does_not_mention_messengers_tag(store):
    store.register_source("brioche-instagram", "brioche", "instagram", "Instagram Brioche")
    [dm_id] = store.ingest("brioche-instagram", [Incoming(
        native_id="ig1", network="instagram", kind="dm", text="Bonjour ?", created_at=NOW - 2 * H, author_name="Léa",
        thread_id="it1", extra={"recipient": "8001"})], now=NOW).new_ids
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_jump_to(dm_id)
        await settle(pilot)
        body = app.query_one(DetailPane).plain()
    assert "(24 h after the customer's last message)" in body and "Messenger" not in body


async def test_H_on_an_imported_comment_says_it_came_from_a_file(tmp_path):
    s = Store(tmp_path / "imported.db")
    s.ensure_workspace("brioche", "Brioche & Co", 60)
    s.register_source("import-brioche", "brioche", "import", "import · Brioche & Co")
    s.ingest("import-brioche", [Incoming(native_id="c1", network="facebook", kind="comment", text="Arnaque",
                                         created_at=NOW - 60, author_name="Troll")], now=NOW)
    app = make_app(s)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app._say = said.append
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)
    assert said == ["Cannot hide it: it was imported from a file, and cminbox has no access to its network"]
    s.close()
