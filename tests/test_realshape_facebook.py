"""The Facebook Page source against answers shaped as the real Graph API gives them, where they
differ from the tidy ones of `fake_graph` (order, absent fields, paging)."""

from __future__ import annotations

import httpx
import pytest

from cminbox.sources.http import Http
from cminbox.sources.registry import build
from fake_graph import TOKEN, FakeGraph
from sourcekit import NOW, make_entry, secrets

PAGE = "111"


@pytest.fixture
def graph(server):
    g = FakeGraph(server, page_id=PAGE)
    g.add_post("p1", "Nouvelle brioche à la pistache !", at=NOW - 5 * 3600)
    g.add_comment("p1", "c1", "Toujours pas reçu ma commande BC-48213", at=NOW - 3600, author=("900", "Julie Martin"))
    return g


async def fetch(server, cursor=None, *, at=NOW, **options):
    options.setdefault("page_id", PAGE)
    entry = make_entry("facebook", server.url, key="brand-facebook", credentials={"token": "env:FB_TOKEN"}, **options)
    async with httpx.AsyncClient(timeout=5) as client:
        return await build(entry, Http(client, clock=lambda: at), secrets(token=TOKEN)).fetch(cursor)


async def test_ranked_comments_are_read_past_an_older_one_at_the_top(server, graph):
    # "If the comments can be ranked, then the order will always be ranked regardless of this
    # modifier" (Graph API, Object Comments, `order`): the liked comment of an hour ago comes
    # first, the new one after it. Stopping at the first older comment loses the new one.
    graph.add_comment("p1", "c2", "Pareil pour moi", at=NOW - 600, author=("901", "Léa"))
    first = await fetch(server, read=("comments",))
    assert {m.native_id for m in first.messages} == {"c1", "c2"}
    graph.ranked_posts.add("p1")
    graph.add_comment("p1", "c9", "Et maintenant, toujours rien", at=NOW + 60, author=("903", "Sam"))
    assert [c["id"] for c in graph.objects["p1"]["comments"]] == ["c1", "c2", "c9"]  # the ranked order
    later = await fetch(server, first.cursor, at=NOW + 120, read=("comments",))
    assert "c9" in {m.native_id for m in later.messages} and "c1" not in {m.native_id for m in later.messages}
