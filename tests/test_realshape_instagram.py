"""Instagram Graph answers of shapes the main tests' fake does not show by default."""

from __future__ import annotations

import httpx

from cminbox.sources.http import Http
from cminbox.sources.registry import build
from fake_graph import TOKEN, FakeGraph
from sourcekit import NOW, make_entry, secrets

IG = "17841400000000001"


async def test_our_reply_is_ours_even_when_from_gives_another_id_for_the_account(server):
    # `from.id` on a comment is an Instagram-scoped id; should it differ from the account's own
    # id for the account's replies, they must not come back into the inbox as customer comments:
    # the media's owner (their `username`) says whose they are too.
    graph = FakeGraph(server, ig_user_id=IG)
    graph.add_media("m1", "Nouvelle boutique 🥐", at=NOW - 86400)
    graph.add_ig_comment("m1", "c1", "Ouvert le dimanche ?", at=NOW - 3000, username="tom_b")
    graph.add_ig_comment("m1", "c2", "Oui, dès 8h !", at=NOW - 2000, username="briocheandco", user_id="9999", parent="c1")
    entry = make_entry("instagram", server.url, key="brand-instagram", credentials={"token": "env:IG_TOKEN"},
                       ig_user_id=IG, read=("comments",))
    async with httpx.AsyncClient(timeout=5) as client:
        page = await build(entry, Http(client, clock=lambda: NOW), secrets(token=TOKEN)).fetch(None)
    assert [m.native_id for m in page.messages] == ["c1"]


async def test_a_comment_with_more_replies_than_a_page_gives_is_read_to_its_newest_reply(server):
    # A nested `replies` edge gives one page (oldest first) and a cursor: on a giveaway's "tag a
    # friend" thread, the newest replies, the ones still to answer, were past it and never read.
    graph = FakeGraph(server, ig_user_id=IG)
    graph.add_media("m1", "Concours : gagnez une box 🎁", at=NOW - 86400)
    graph.add_ig_comment("m1", "c1", "Je participe !", at=NOW - 80000, username="tom_b")
    for n in range(120):
        graph.add_ig_comment("m1", f"r{n}", f"@ami{n} viens voir", at=NOW - 70000 + n * 60, username=f"fan{n}", parent="c1")
    entry = make_entry("instagram", server.url, key="brand-instagram", credentials={"token": "env:IG_TOKEN"},
                       ig_user_id=IG, read=("comments",))
    async with httpx.AsyncClient(timeout=5) as client:
        page = await build(entry, Http(client, clock=lambda: NOW), secrets(token=TOKEN)).fetch(None)
    assert {m.native_id for m in page.messages} == {"c1", *(f"r{n}" for n in range(120))}


async def test_a_story_that_mentions_the_account_arrives_as_a_dm_that_says_so(server):
    # Someone mentions the brand in their story: Instagram puts a message in the account's inbox
    # with no words, whose `story` field (asked for by name) holds the story's link (a CDN address
    # that stops working when the story expires) and id; a reply to one of our stories likewise
    # has `story.reply_to`. Without it the CM saw an empty DM. The link is what `o` opens.
    graph = FakeGraph(server, page_id="104000000000001", ig_user_id=IG)
    mention = graph.add_message("t1", "mid.1", "", at=NOW - 600, sender=("6001", "lea_m"), platform="instagram")
    mention["story"] = {"mention": {"link": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1", "id": "1799"}}
    reply = graph.add_message("t2", "mid.2", "trop beau 😍", at=NOW - 300, sender=("6002", "sam_k"), platform="instagram")
    reply["story"] = {"reply_to": {"link": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=2", "id": "1800"}}
    entry = make_entry("instagram", server.url, key="brand-instagram", credentials={"token": "env:IG_TOKEN"},
                       ig_user_id=IG, page_id="104000000000001", read=("messages",))
    async with httpx.AsyncClient(timeout=5) as client:
        page = await build(entry, Http(client, clock=lambda: NOW), secrets(token=TOKEN)).fetch(None)
    found = {m.native_id: (m.text, m.url) for m in page.messages}
    assert found == {
        "mid.1": ("[mentioned us in their story]", "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"),
        "mid.2": ("trop beau 😍\n[reply to our story]", "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=2"),
    }
