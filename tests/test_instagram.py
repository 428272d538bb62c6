"""The Instagram source against the fake Graph API on 127.0.0.1."""

from __future__ import annotations

import json

import httpx
import pytest

from cminbox.network_actions import ReplyRefused, send_reply, set_hidden
from cminbox.reply_rules import DM, PRIVATE, PUBLIC
from cminbox.sources.base import AuthError
from cminbox.sources.http import Http
from cminbox.sources.items import collecting
from cminbox.sources.registry import build
from fake_graph import TOKEN, VERSION, FakeGraph, graph_time
from fakeserver import FakeServer
from sourcekit import NOW, make_entry, secrets

IG = "178"
PAGE = "111"


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


@pytest.fixture
def graph(server):
    g = FakeGraph(server, page_id=PAGE, ig_user_id=IG)
    g.add_media("m1", "Notre nouvelle boutique à Montréal 🥐", at=NOW - 86400)
    g.add_ig_comment("m1", "ic1", "C'est ouvert le dimanche ?", at=NOW - 3000, username="tom_b")
    g.add_ig_comment("m1", "ic2", "Oui ! dès 8h", at=NOW - 2000, username="briocheandco", user_id=IG, parent="ic1")
    g.add_ig_comment("m1", "ic3", "Et le lundi ?", at=NOW - 1000, username="amelie", parent="ic1")
    g.objects[IG]["tags"].append({"id": "t9", "caption": "Brunch chez @briocheandco", "timestamp": graph_time(NOW - 500),
                                  "username": "sarah", "permalink": "https://www.instagram.com/p/t9/"})
    g.add_message("ig_t1", "ig_mid.1", "Bonjour, je n'ai pas reçu mon colis", at=NOW - 400,
                  sender=("8001", "kev_l"), platform="instagram")
    return g


def entry(server, **options):
    options.setdefault("ig_user_id", IG)
    options.setdefault("page_id", PAGE)
    return make_entry("instagram", server.url, key="brand-instagram", credentials={"token": "env:IG_TOKEN"}, **options)


async def run(server, action, *, clock=lambda: NOW, **options):
    async with httpx.AsyncClient(timeout=5) as client:
        return await action(build(entry(server, **options), Http(client, clock=clock), secrets(token=TOKEN)))


async def test_first_sync_reads_comments_replies_tags_and_dms(server, graph):
    page = await run(server, lambda s: s.fetch(None))
    by_id = {m.native_id: m for m in page.messages}
    assert set(by_id) == {"ic1", "ic3", "t9", "ig_mid.1"}  # our own reply (ic2) is left out
    assert (by_id["ic1"].author_handle, by_id["ic1"].created_at, by_id["ic1"].thread_id) == ("@tom_b", NOW - 3000, "m1")
    assert (by_id["ic3"].parent_id, by_id["ic3"].extra["top_level"]) == ("ic1", "ic1")
    assert by_id["t9"].kind == "mention" and by_id["ig_mid.1"].kind == "dm"
    assert by_id["ig_mid.1"].extra["recipient"] == "8001" and by_id["ig_mid.1"].author_handle == "@kev_l"
    conversations = [r for r in server.requests if r.path == f"/{VERSION}/{PAGE}/conversations"]
    assert conversations[0].arg("platform") == "instagram"


async def test_incremental_sync_and_restart(server, graph, store):
    store.register_source("brand-instagram", "brand", "instagram", "ig")
    first = await run(server, lambda s: s.fetch(None))
    store.ingest("brand-instagram", first.messages, cursor=first.cursor, now=NOW)
    graph.add_ig_comment("m1", "ic4", "Trop bon 😍", at=NOW + 30, username="lea")
    second = await run(server, lambda s: s.fetch(store.source_cursor("brand-instagram")), clock=lambda: NOW + 60)
    result = store.ingest("brand-instagram", second.messages, cursor=second.cursor, now=NOW + 60)
    assert [store.message(i).native_id for i in result.new_ids] == ["ic4"] and result.updated == 0


async def test_a_busy_post_is_read_past_the_50_comments_a_request_gives(server, graph):
    # The comments edge gives at most 50 comments per request, newest first, and nested in
    # `fields=` only `paging.cursors` (no `next`): a giveaway post gets more between two polls.
    for n in range(70):
        graph.add_ig_comment("m1", f"busy{n}", f"Je participe ! {n}", at=NOW - 900 + n, username=f"fan{n}")
    page = await run(server, lambda s: s.fetch(None), read=("comments",))
    ids = {m.native_id for m in page.messages}
    assert {f"busy{n}" for n in range(70)} <= ids and {"ic1", "ic3"} <= ids
    follow = server.calls("GET", f"/{VERSION}/m1/comments")
    assert len(follow) == 1 and follow[0].arg("after") and "replies.limit(50){" in follow[0].arg("fields")


@pytest.mark.parametrize("with_next_url", [True, False])
async def test_tagged_posts_are_read_past_the_first_page(server, graph, with_next_url):
    # 30 new tagged posts since the last poll: more than a page of 25. Whether the edge gives a
    # `next` URL or only `paging.cursors`, the second page is read, and the short page ends it.
    if not with_next_url:
        graph.cursor_only_edges.add("tags")
    fresh = [{"id": f"tag{n}", "caption": f"Merci @briocheandco {n}", "timestamp": graph_time(NOW - 300 + n),
              "username": f"fan{n}", "permalink": f"https://www.instagram.com/p/tag{n}/"} for n in range(30)]
    graph.objects[IG]["tags"][:0] = fresh[::-1]  # newest first, as the edge lists them
    page = await run(server, lambda s: s.fetch(None), read=("tags",))
    assert {m.native_id for m in page.messages} == {f"tag{n}" for n in range(30)} | {"t9"}
    assert len(server.calls("GET", f"/{VERSION}/{IG}/tags")) == 2


async def fetch_mention(server, graph, tmp_path):
    """A mention announced by the webhook file, fetched (checks included)."""
    graph.objects[IG]["mentioned_comment"]["mc1"] = {
        "id": "mc1", "text": "@briocheandco vous êtes les meilleurs", "timestamp": graph_time(NOW - 100),
        "username": "julie", "media": {"id": "x5", "permalink": "https://www.instagram.com/p/x5/"}}
    hooks = tmp_path / "mentions.jsonl"
    notification = {"object": "instagram", "entry": [{"id": IG, "time": 1, "changes": [
        {"field": "mentions", "value": {"media_id": "x5", "comment_id": "mc1"}}]}]}
    hooks.write_text(json.dumps(notification) + "\n" + '{"comment_id": "mc1"')  # a line still being written
    page = await run(server, lambda s: s.fetch(None), mentions_file=str(hooks), read=("mentions",))
    assert [(m.native_id, m.kind, m.author_handle) for m in page.messages] == [("mention:mc1", "mention", "@julie")]
    lookup = next(r for r in server.requests if r.path == f"/{VERSION}/{IG}")
    assert "mentioned_comment.comment_id(mc1)" in lookup.arg("fields")
    again = await run(server, lambda s: s.fetch(page.cursor), mentions_file=str(hooks), read=("mentions",))
    assert again.messages == []
    return page


async def test_mentions_are_looked_up_from_the_webhook_file_once(server, graph, tmp_path):
    await fetch_mention(server, graph, tmp_path)


async def test_a_mention_is_read_without_its_author_where_graph_refuses_that_field(server, graph, tmp_path):
    # The mentioned_comment reference lists id, like_count, media, text and timestamp: no author.
    # Refused, the field cost the mention (set aside); it is asked again without it.
    graph.mention_fields_refused = {"username"}
    graph.objects[IG]["mentioned_comment"]["mc3"] = {
        "id": "mc3", "text": "@briocheandco toujours pas de réponse", "timestamp": graph_time(NOW - 40), "username": "tom",
        "media": {"id": "x7", "permalink": "https://www.instagram.com/p/x7/"}}
    hooks = tmp_path / "mentions.jsonl"
    hooks.write_text('{"comment_id": "mc3", "media_id": "x7"}\n')
    page = await run(server, lambda s: s.fetch(None), mentions_file=str(hooks), read=("mentions",))
    assert [(m.native_id, m.text, m.author_handle) for m in page.messages] == [
        ("mention:mc3", "@briocheandco toujours pas de réponse", "")]


async def test_a_mention_is_answered_through_the_mentions_edge(server, graph, tmp_path, store):
    page = await fetch_mention(server, graph, tmp_path)
    store.register_source("brand-instagram", "brand", "instagram", "ig")
    store.ingest("brand-instagram", page.messages, cursor=page.cursor, now=NOW)
    await run(server, lambda s: send_reply(store, s, 1, "Merci Julie !", kind_of_reply=PUBLIC, key="k", now=NOW),
              mentions_file=str(tmp_path / "mentions.jsonl"), read=("mentions",))
    posts = server.calls("POST", f"/{VERSION}/{IG}/mentions")
    assert len(posts) == 1 and posts[0].body == b"media_id=x5&message=Merci+Julie+%21&comment_id=mc1"


async def test_a_mention_instagram_will_not_show_is_set_aside_and_the_next_ones_are_read(server, graph, tmp_path):
    # "This endpoint will return an error if comments have been disabled on the IG Media"
    # (IG User Mentioned Comment reference): that line must not stop every later mention.
    graph.objects[IG]["mentioned_comment"]["mc2"] = {
        "id": "mc2", "text": "@briocheandco merci !", "timestamp": graph_time(NOW - 50), "username": "lea",
        "media": {"id": "x6", "permalink": "https://www.instagram.com/p/x6/"}}
    graph.comments_off.add("mc_off")
    hooks = tmp_path / "mentions.jsonl"
    hooks.write_text('{"comment_id": "mc_off", "media_id": "x5"}\n{"comment_id": "mc2", "media_id": "x6"}\n')
    with collecting() as set_aside:
        page = await run(server, lambda s: s.fetch(None), mentions_file=str(hooks), read=("mentions",))
    assert [m.native_id for m in page.messages] == ["mention:mc2"]
    assert [u.item for u in set_aside] == ["mc_off"] and "Graph error 100" in set_aside[0].reason
    calls = len(server.requests)
    again = await run(server, lambda s: s.fetch(page.cursor), mentions_file=str(hooks), read=("mentions",))
    assert again.messages == [] and len(server.requests) == calls  # the cursor moved past both lines


async def test_an_expired_token_needs_reauthentication(server, graph):
    graph.expired = True
    with pytest.raises(AuthError, match="190"):
        await run(server, lambda s: s.fetch(None))


async def stored(server, graph, store):
    store.register_source("brand-instagram", "brand", "instagram", "ig")
    page = await run(server, lambda s: s.fetch(None))
    store.ingest("brand-instagram", page.messages, cursor=page.cursor, now=NOW)
    return {store.message(i).native_id: i for i in range(1, store.max_id() + 1)}


async def send(server, store, message_id, text, kind, now=NOW):
    return await run(server, lambda s: send_reply(store, s, message_id, text, kind_of_reply=kind, key="k", now=now),
                     clock=lambda: now)


async def test_a_reply_goes_to_the_top_level_comment_once(server, graph, store):
    ids = await stored(server, graph, store)
    await send(server, store, ids["ic3"], "Le lundi aussi, dès 8h !", PUBLIC)
    posts = server.calls("POST", f"/{VERSION}/ic1/replies")
    assert len(posts) == 1 and b"message=Le+lundi" in posts[0].body


async def test_dm_reply_within_24_hours_and_refused_after(server, graph, store):
    ids = await stored(server, graph, store)
    await send(server, store, ids["ig_mid.1"], "On regarde votre colis.", DM, now=NOW + 60)
    assert graph.sent == [{"recipient": {"id": "8001"}, "message": {"text": "On regarde votre colis."}}]
    with pytest.raises(ReplyRefused, match="24 hours"):
        await send(server, store, ids["ig_mid.1"], "Toujours là ?", DM, now=NOW + 2 * 86400)
    assert len(server.calls("POST", f"/{VERSION}/me/messages")) == 1


async def test_private_reply_once(server, graph, store):
    ids = await stored(server, graph, store)
    await send(server, store, ids["ic1"], "On vous répond en privé", PRIVATE)
    with pytest.raises(ReplyRefused):
        await send(server, store, ids["ic1"], "Encore", PRIVATE)
    assert graph.sent == [{"recipient": {"comment_id": "ic1"}, "message": {"text": "On vous répond en privé"}}]


async def test_hidden_comments_refuse_public_replies_until_unhidden(server, graph, store):
    ids = await stored(server, graph, store)
    await run(server, lambda s: set_hidden(store, s, ids["ic1"], True))
    assert server.calls("POST", f"/{VERSION}/ic1")[0].body == b"hide=true" and graph.objects["ic1"]["hidden"] is True
    with pytest.raises(ReplyRefused, match="unhide"):
        await send(server, store, ids["ic1"], "Merci", PUBLIC)
    await run(server, lambda s: set_hidden(store, s, ids["ic1"], False))
    await send(server, store, ids["ic1"], "Merci", PUBLIC)
    assert len(server.calls("POST", f"/{VERSION}/ic1/replies")) == 1


def test_messages_need_the_linked_page():
    with pytest.raises(ValueError, match="page_id"):
        build(make_entry("instagram", "http://127.0.0.1:1", ig_user_id=IG, read=("messages",)), None, secrets())
