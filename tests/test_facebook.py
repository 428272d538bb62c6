"""The Facebook Page source against a fake Graph API on 127.0.0.1."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from cminbox.network_actions import ReplyRefused, send_reply, set_hidden
from cminbox.reply_rules import DM, PRIVATE, PUBLIC
from cminbox.sources.base import AuthError, RateLimited, TemporaryError
from cminbox.sources.http import Http
from cminbox.sources.registry import build
from fake_graph import TOKEN, VERSION, FakeGraph
from fakeserver import FakeServer, Reply
from sourcekit import NOW, make_entry, secrets

PAGE = "111"


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


@pytest.fixture
def graph(server):
    g = FakeGraph(server, page_id=PAGE)
    g.add_post("p1", "Nouvelle brioche à la pistache !", at=NOW - 5 * 3600)
    g.add_comment("p1", "c1", "Toujours pas reçu ma commande BC-48213", at=NOW - 3600, author=("900", "Julie Martin"))
    g.add_comment("p1", "c2", "Pareil pour moi", at=NOW - 1800, author=("901", "Léa"), parent="c1")
    g.add_comment("p1", "c3", "Merci pour votre réponse", at=NOW - 1700, author=(PAGE, "Brioche & Co"), parent="c1")
    g.add_post("v1", "Bonjour, vous livrez à Laval ?", at=NOW - 7200, author=("902", "Kevin L."))
    g.add_message("t1", "mid.1", "Bonjour, ma commande est arrivée froide", at=NOW - 600)
    return g


def entry(server, **options):
    options.setdefault("page_id", PAGE)
    return make_entry("facebook", server.url, key="brand-facebook", credentials={"token": "env:FB_TOKEN"}, **options)


async def run(server, action, *, clock=lambda: NOW, **options):
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server, **options), Http(client, clock=clock), secrets(token=TOKEN))
        return await action(source)


def fetch(cursor=None):
    return lambda source: source.fetch(cursor)


async def test_first_sync_reads_comments_replies_visitor_posts_and_messenger(server, graph):
    page = await run(server, fetch())
    by_id = {m.native_id: m for m in page.messages}
    assert set(by_id) == {"c1", "c2", "v1", "mid.1"}  # the Page's own reply (c3) is not an inbox item
    c1, c2, v1, dm = by_id["c1"], by_id["c2"], by_id["v1"], by_id["mid.1"]
    assert (c1.kind, c1.author_name, c1.created_at, c1.thread_id, c1.parent_id) == ("comment", "Julie Martin", NOW - 3600, "p1", "p1")
    assert (c2.parent_id, c2.extra["top_level"]) == ("c1", "c1")
    assert c1.title.startswith("Nouvelle brioche") and c1.extra["hidden"] is False
    assert (v1.kind, v1.author_name, v1.extra["visitor_post"]) == ("mention", "Kevin L.", True)
    assert (dm.kind, dm.thread_id, dm.extra["recipient"], dm.author_name) == ("dm", "t1", "5001", "Marc Dupont")


async def test_photos_stickers_files_and_links_are_said_in_words(server, graph):
    graph.add_comment("p1", "c4", "", at=NOW - 900, author=("903", "Inès"),
                      attachment={"type": "photo", "url": "https://www.facebook.com/photo.php?fbid=1",
                                  "media": {"image": {"src": "https://scontent.example/1.jpg"}}})
    graph.add_comment("p1", "c5", "Voilà l'état du colis", at=NOW - 800, author=("903", "Inès"),
                      attachment={"type": "animated_image_share", "url": "https://giphy.example/x"})
    graph.add_comment("p1", "c6", "", at=NOW - 700, author=("904", "Tom"),
                      attachment={"type": "share", "title": "Avis Brioche & Co", "url": "https://avis.example/bc"})
    graph.add_message("t1", "mid.2", "", at=NOW - 500,
                      attachments=[{"id": "a1", "mime_type": "image/jpeg", "name": "colis.jpg", "size": 50_000,
                                    "image_data": {"url": "https://cdn.example/colis.jpg", "width": 800, "height": 600}}])
    graph.add_message("t1", "mid.3", "La facture", at=NOW - 400,
                      attachments=[{"id": "a2", "mime_type": "application/pdf", "name": "facture-48213.pdf",
                                    "file_url": "https://cdn.example/facture.pdf"},
                                   {"id": "a3", "mime_type": "audio/mpeg", "name": "audioclip-1764.mp4",
                                    "file_url": "https://cdn.example/a.mp4"}],
                      shares=[{"id": "s1", "name": "Brioche & Co", "link": "https://www.facebook.com/brioche"}])
    page = await run(server, fetch())
    text = {m.native_id: m.text for m in page.messages}
    assert text["c4"] == "[photo]"
    assert text["c5"] == "Voilà l'état du colis\n[GIF]"
    assert text["c6"] == "[link: Avis Brioche & Co]"
    assert text["mid.2"] == "[image]"
    assert text["mid.3"] == "La facture\n[file: facture-48213.pdf]\n[voice message]\n[link: https://www.facebook.com/brioche]"
    assert text["c1"] == "Toujours pas reçu ma commande BC-48213"  # words alone, as before


async def test_a_post_deleted_between_the_listing_and_its_read_leaves_the_others(server, graph):
    # The feed lists p2; it is deleted before its comments are read (Graph: code 100, subcode 33).
    # One multi-id request failed whole on such an id; now only that post is left out.
    graph.add_post("p2", "Jeu concours !", at=NOW - 4 * 3600)
    graph.add_comment("p2", "c9", "Je participe", at=NOW - 3000, author=("903", "Tom"))
    del graph.objects["p2"]
    page = await run(server, fetch())
    assert {"c1", "c2", "v1", "mid.1"} <= {m.native_id for m in page.messages}


async def test_fields_are_asked_explicitly_and_each_post_is_read_on_its_own(server, graph):
    # Multi-id requests (`/?ids=a,b`) are closed to apps created since 2026-11-04 (Graph API v27).
    await run(server, fetch())
    assert not [r for r in server.requests if r.arg("ids")]
    reads = {r.path.rsplit("/", 1)[1]: r for r in server.requests if r.method == "GET" and r.arg("fields")}
    assert {"p1", "v1", "t1"} <= set(reads)
    comments = reads["p1"]
    assert "comments.filter(stream).order(reverse_chronological)" in comments.arg("fields")
    assert "{id,message,created_time,from{id,name}" in comments.arg("fields")
    assert all("access_token" not in r.query and r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)


async def test_incremental_sync_brings_only_new_items_and_resumes_after_restart(server, graph, store):
    store.register_source("brand-facebook", "brand", "facebook", "fb")
    first = await run(server, fetch())
    store.ingest("brand-facebook", first.messages, cursor=first.cursor, now=NOW)
    graph.add_comment("p1", "c9", "Et maintenant ?", at=NOW + 60, author=("903", "Sam"))
    graph.add_message("t1", "mid.2", "Vous êtes là ?", at=NOW + 90)
    # A restart: a new source, the cursor read back from the database.
    later = lambda: NOW + 120  # noqa: E731
    second = await run(server, fetch(store.source_cursor("brand-facebook")), clock=later)
    result = store.ingest("brand-facebook", second.messages, cursor=second.cursor, now=NOW + 120)
    assert len(result.new_ids) == 2 and result.updated == 0
    stored = {store.message(i).native_id for i in result.new_ids}
    assert stored == {"c9", "mid.2"}
    third = await run(server, fetch(second.cursor), clock=later)
    assert len(store.ingest("brand-facebook", third.messages, cursor=third.cursor, now=NOW + 130).new_ids) == 0


async def test_paging_next_is_followed_on_the_configured_base_without_the_token(server, graph):
    for n in range(30):
        graph.add_post(f"q{n}", f"post {n}", at=NOW - 3 * 3600 + n)
    await run(server, fetch())
    feed = [r for r in server.requests if r.path == f"/{VERSION}/{PAGE}/feed"]
    assert len(feed) >= 2 and feed[1].arg("after")  # the second page came from paging.next
    assert all("access_token" not in r.query for r in server.requests)


async def test_graph_timestamps_without_colon_are_read_as_utc(server, graph):
    page = await run(server, fetch())
    assert {m.created_at for m in page.messages if m.native_id == "mid.1"} == {NOW - 600}


async def test_an_expired_token_is_error_190_and_says_reauthenticate(server, graph):
    graph.expired = True
    with pytest.raises(AuthError, match="190/463.*create a new Page token"):
        await run(server, fetch())


async def test_a_token_graph_quotes_back_never_shows_in_the_error(server, graph):
    # Graph quotes a token it cannot read: {"error": {"message": "Malformed access token EAAG…", "code": 190}}
    # (seen in the wild: facebookarchive/react-native-fbsdk#220).
    wrong = "EAAGm0PX4ZCpsBAKZAXq7ZBpU0Q1ZC2xZCvZBfake"
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server), Http(client, clock=lambda: NOW), secrets(token=wrong))
        with pytest.raises(AuthError, match="190") as caught:
            await source.fetch(None)
    assert "Malformed access token" in str(caught.value)
    assert wrong not in str(caught.value) and "EAAG" not in str(caught.value)


@pytest.mark.parametrize("error", [
    # "341 Application limit reached: temporary issue due to downtime or throttling. Wait and retry"
    # (Graph API, Handling Errors).
    {"message": "(#341) Application limit reached", "type": "OAuthException", "code": 341, "fbtrace_id": "A1"},
    # Graph flags a temporary failure with `is_transient`, whatever the code (seen in the wild:
    # code 324 / subcode 2069019 with "is_transient": true).
    {"message": "Missing or invalid image file", "type": "OAuthException", "code": 324, "error_subcode": 2069019,
     "is_transient": True, "fbtrace_id": "A2"},
])
async def test_an_error_graph_says_is_temporary_is_retried_later(server, graph, error):
    graph.override = Reply.json({"error": error}, 400)
    with pytest.raises(TemporaryError, match=str(error["code"])):
        await run(server, fetch())


async def test_throttling_waits_for_the_announced_time_without_calling_again(server, graph):
    graph.throttled_minutes = 19
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server), Http(client, clock=lambda: NOW), secrets(token=TOKEN))
        with pytest.raises(RateLimited) as caught:
            await source.fetch(None)
        assert caught.value.retry_after == pytest.approx(19 * 60)
        calls = len(server.requests)
        with pytest.raises(RateLimited):
            await source.fetch(None)
    assert len(server.requests) == calls  # refused here, before the API


async def test_usage_headers_stop_calls_before_the_limit(server, graph):
    graph.app_usage, graph.usage_step = 85, 3  # 88 %, then 91 % …
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server, read=("messages",)), Http(client, clock=lambda: NOW), secrets(token=TOKEN))
        with pytest.raises(RateLimited, match="waiting"):
            for _ in range(5):
                await source.fetch(None)
    assert graph.app_usage < 100  # never reached the limit


# -- replies and moderation, with the rules enforced first ----------------------------------------


async def stored(server, graph, store, **options):
    store.register_source("brand-facebook", "brand", "facebook", "fb")
    page = await run(server, fetch(), **options)
    store.ingest("brand-facebook", page.messages, cursor=page.cursor, now=NOW)
    return {store.message(i).native_id: i for i in range(1, store.max_id() + 1) if store.message(i)}


async def send(server, store, message_id, text, kind, *, now=NOW, **options):
    async def action(source):
        return await send_reply(store, source, message_id, text, kind_of_reply=kind, key="k1", now=now)

    return await run(server, action, clock=lambda: now, **options)


async def test_a_comment_reply_is_posted_once_on_the_comment(server, graph, store):
    ids = await stored(server, graph, store)
    sent = await send(server, store, ids["c1"], "Bonjour Julie, on regarde ça tout de suite !", PUBLIC)
    posts = server.calls("POST", f"/{VERSION}/c1/comments")
    assert len(posts) == 1 and b"message=Bonjour+Julie" in posts[0].body and sent.native_id
    await send(server, store, ids["c2"], "Bonjour Léa", PUBLIC)  # a reply's answer goes to its thread
    assert len(server.calls("POST", f"/{VERSION}/c1/comments")) == 2


async def test_a_reply_to_a_comment_deleted_meanwhile_is_refused_not_unsure(server, graph, store):
    # Graph: code 100, subcode 33. Nothing was posted: the reply is "not sent", to send elsewhere,
    # never "unsure it went".
    from cminbox.sources.base import ObjectGone, certainly_not_posted

    ids = await stored(server, graph, store)
    del graph.objects["c1"]
    with pytest.raises(ObjectGone) as caught:
        await send(server, store, ids["c1"], "Bonjour Julie", PUBLIC)
    assert certainly_not_posted(caught.value) and "no longer exists" in str(caught.value)


async def test_a_messenger_reply_inside_24_hours_goes_to_me_messages(server, graph, store):
    ids = await stored(server, graph, store)
    await send(server, store, ids["mid.1"], "Désolés ! On vous rembourse.", DM, now=NOW + 3600)
    assert len(server.calls("POST", f"/{VERSION}/me/messages")) == 1
    assert graph.sent[0] == {"recipient": {"id": "5001"}, "messaging_type": "RESPONSE",
                             "message": {"text": "Désolés ! On vous rembourse."}}


async def test_the_24_hour_window_is_refused_before_the_api(server, graph, store):
    ids = await stored(server, graph, store)
    with pytest.raises(ReplyRefused, match="within 24 hours.*closed"):
        await send(server, store, ids["mid.1"], "Toujours là ?", DM, now=NOW + 25 * 3600)
    assert server.calls("POST", f"/{VERSION}/me/messages") == []


async def test_the_human_agent_tag_keeps_7_days_where_the_page_has_it(server, graph, store):
    ids = await stored(server, graph, store, human_agent=True)
    await send(server, store, ids["mid.1"], "Voici votre avoir.", DM, now=NOW + 3 * 86400, human_agent=True)
    assert graph.sent[-1]["messaging_type"] == "MESSAGE_TAG" and graph.sent[-1]["tag"] == "HUMAN_AGENT"
    with pytest.raises(ReplyRefused, match="7 days"):
        await send(server, store, ids["mid.1"], "Encore là ?", DM, now=NOW + 8 * 86400, human_agent=True)


async def test_a_private_reply_is_sent_once_and_a_second_is_refused_before_the_api(server, graph, store):
    ids = await stored(server, graph, store)
    await send(server, store, ids["c1"], "Bonjour Julie, envoyez-nous votre numéro de commande ici.", PRIVATE)
    assert graph.sent == [{"recipient": {"comment_id": "c1"}, "message": {"text": "Bonjour Julie, envoyez-nous votre numéro de commande ici."}}]
    with pytest.raises(ReplyRefused, match="already got its private reply"):
        await send(server, store, ids["c1"], "Une autre ?", PRIVATE)
    assert len(server.calls("POST", f"/{VERSION}/me/messages")) == 1


async def test_a_private_reply_after_7_days_is_refused(server, graph, store):
    ids = await stored(server, graph, store)
    with pytest.raises(ReplyRefused, match="within 7 days"):
        await send(server, store, ids["c1"], "Bonjour", PRIVATE, now=NOW + 8 * 86400)
    assert server.calls("POST", f"/{VERSION}/me/messages") == []


async def test_hide_and_unhide_post_is_hidden_once_each(server, graph, store):
    ids = await stored(server, graph, store)

    async def hide(value):
        return await run(server, lambda source: set_hidden(store, source, ids["c1"], value))

    await hide(True)
    assert graph.objects["c1"]["is_hidden"] is True and store.message(ids["c1"]).hidden is True
    await hide(False)
    posts = server.calls("POST", f"/{VERSION}/c1")
    assert [p.body for p in posts] == [b"is_hidden=true", b"is_hidden=false"]
    assert store.message(ids["c1"]).hidden is False


async def test_a_failing_source_leaves_the_others_running(server, graph, store):
    with FakeServer() as other_server:
        healthy = FakeGraph(other_server, page_id="222")
        healthy.add_post("h1", "Autre page", at=NOW - 100)
        healthy.add_comment("h1", "hc1", "Super !", at=NOW - 50)
        graph.expired = True
        async with httpx.AsyncClient(timeout=5) as client:
            http = Http(client, clock=lambda: NOW)
            broken = build(entry(server), http, secrets(token=TOKEN))
            fine = build(make_entry("facebook", other_server.url, key="other", page_id="222",
                                    credentials={"token": "env:X"}), http, secrets(token=TOKEN))
            results = await asyncio.gather(broken.fetch(None), fine.fetch(None), return_exceptions=True)
    assert isinstance(results[0], AuthError)
    assert [m.native_id for m in results[1].messages] == ["hc1"]


def test_a_page_id_is_required():
    with pytest.raises(ValueError, match="page_id is required"):
        build(make_entry("facebook", "http://127.0.0.1:1"), None, secrets())
