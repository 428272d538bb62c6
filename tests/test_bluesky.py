"""The Bluesky source against a fake PDS and chat service on 127.0.0.1, answering as the lexicons define."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from cminbox.sources.base import AuthError, PayloadError, RateLimited, ReplyTarget, TemporaryError
from fake_bluesky import APP_PASSWORD, CHAT_PROXY, HANDLE, FakeBluesky
from fakeserver import Reply
from sourcekit import secrets, source_for

KEY = "brand-bluesky"
TERMS = ("Brioche & Co",)


@pytest.fixture
def bsky(server):
    return FakeBluesky(server)


@pytest.fixture
def brand_store(store):
    store.register_source(KEY, "brand", "bluesky", "bluesky test")
    return store


def bluesky_source(server, **entry):
    entry.setdefault("terms", TERMS)
    entry.setdefault("handle", HANDLE)
    return source_for("bluesky", server.url, key=KEY, secret=secrets(app_password=APP_PASSWORD), **entry)


def by_id(messages):
    return {m.native_id: m for m in messages}


def stored_ids(store):
    return {row[0] for row in store.conn.execute("SELECT native_id FROM messages")}


def a_day(bsky):
    julie = bsky.profile("julie.bsky.social", display_name="Julie M.", followers=2400)
    marc = bsky.profile("marc.example.com", followers=87)
    ours = bsky.post("Nouvelle fournée ce matin !", bsky.me)
    day = {
        "mention": bsky.mention("@brioche.bsky.social toujours pas reçu ma commande", julie),
        "reply": bsky.notify("reply", bsky.post("Délicieux, merci !", marc, reply_to=ours, langs=["en"])),
        "quote": bsky.notify("quote", bsky.post("Regardez ça", marc, embed={
            "$type": "app.bsky.embed.record", "record": {"uri": ours["uri"], "cid": ours["cid"]}})),
        "search": bsky.post("Testé Brioche & Co hier soir", julie),
        "dm": bsky.dm("Bonjour, un souci avec ma carte de fidélité", marc),
    }
    bsky.notify("like", ours)  # a like is no message
    bsky.post("Brioche & Co vous souhaite une bonne journée", bsky.me)  # our own post, found by search
    return day


async def test_images_videos_and_links_of_a_post_are_said_in_words(server, bsky):
    julie = bsky.profile("julie.bsky.social")
    blob = {"$type": "blob", "ref": {"$link": "bafkrei"}, "mimeType": "image/jpeg", "size": 1000}
    photo = bsky.mention("@brioche.bsky.social voilà le colis", julie, embed={
        "$type": "app.bsky.embed.images", "images": [{"alt": "carton écrasé", "image": blob}]})
    clip = bsky.mention("", julie, embed={
        "$type": "app.bsky.embed.video", "video": dict(blob, mimeType="video/mp4"), "alt": "le livreur"})
    quoted = bsky.mention("@brioche.bsky.social regardez", julie, embed={
        "$type": "app.bsky.embed.recordWithMedia", "record": {"record": {"uri": "at://x/y/z", "cid": "c"}},
        "media": {"$type": "app.bsky.embed.video", "video": blob}})
    link = bsky.mention("@brioche.bsky.social lu ici", julie, embed={
        "$type": "app.bsky.embed.external", "external": {"uri": "https://avis.example/bc", "title": "Avis", "description": ""}})
    async with bluesky_source(server) as source:
        got = {m.native_id: m.text for m in (await source.fetch(None)).messages}
    assert got[photo["uri"]] == "@brioche.bsky.social voilà le colis\n[image: carton écrasé]"
    assert got[clip["uri"]] == "[video: le livreur]"
    assert got[quoted["uri"]] == "@brioche.bsky.social regardez\n[video]"
    assert got[link["uri"]] == "@brioche.bsky.social lu ici\n[link: Avis]"


async def test_a_link_card_beside_a_quoted_post_is_said_in_words(server, bsky):
    # app.bsky.embed.recordWithMedia: `media` is images, a video or an external link card.
    quoted = bsky.mention("@brioche.bsky.social vu ça ?", bsky.profile("julie.bsky.social"), embed={
        "$type": "app.bsky.embed.recordWithMedia", "record": {"record": {"uri": "at://x/y/z", "cid": "c"}},
        "media": {"$type": "app.bsky.embed.external",
                  "external": {"uri": "https://avis.example/bc", "title": "Avis Brioche", "description": ""}}})
    async with bluesky_source(server, read=("mentions",)) as source:
        [message] = (await source.fetch(None)).messages
    assert message.native_id == quoted["uri"]
    assert message.text == "@brioche.bsky.social vu ça ?\n[link: Avis Brioche]"


async def test_a_client_declared_time_that_cannot_be_true_gives_way_to_the_indexed_time(server, bsky):
    # createdAt is whatever the client declared (docs.bsky.app, "Timestamps"); indexedAt is the network's.
    fan = bsky.profile("fan.bsky.social")
    future = bsky.mention("posté depuis le futur", fan)
    future["record"]["createdAt"] = "2099-01-01T00:00:00.000Z"
    ancient = bsky.mention("posté en l'an 1", fan)
    ancient["record"]["createdAt"] = "0001-01-01T00:00:00.000Z"
    garbled = bsky.mention("date illisible", fan)
    garbled["record"]["createdAt"] = "hier"
    skewed = bsky.mention("horloge un peu en avance", fan)
    indexed = {n["uri"]: datetime.fromisoformat(n["indexedAt"].replace("Z", "+00:00")).timestamp()
               for n in (future, ancient, garbled, skewed)}
    # A minute ahead of the network (a phone's clock), written with an offset and no fraction: kept.
    ahead = int(indexed[skewed["uri"]]) + 60
    skewed["record"]["createdAt"] = datetime.fromtimestamp(ahead, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    async with bluesky_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
    got = by_id(page.messages)
    for replaced in (future, ancient, garbled):
        assert got[replaced["uri"]].created_at == pytest.approx(indexed[replaced["uri"]])
    assert got[skewed["uri"]].created_at == ahead


async def test_authors_whose_handle_is_invalid_are_told_apart_by_their_did(server, bsky):
    # The AppView shows "handle.invalid" for every handle that fails verification: not an identity.
    first = bsky.mention("un", bsky.profile("handle.invalid", display_name=""))
    second = bsky.mention("deux", bsky.profile("handle.invalid", display_name="Paul"))
    async with bluesky_source(server, read=("mentions",)) as source:
        got = by_id((await source.fetch(None)).messages)
    one, two = got[first["uri"]], got[second["uri"]]
    assert (one.author_handle, one.author_name) == (first["author"]["did"], first["author"]["did"])
    assert (two.author_handle, two.author_name) == (second["author"]["did"], "Paul")
    assert one.url == f"https://bsky.app/profile/{first['author']['did']}/post/{first['uri'].rsplit('/', 1)[1]}"


async def test_a_post_shared_in_a_chat_is_said_in_words(server, bsky):
    # chat.bsky.convo.defs#messageView: `embed` is an app.bsky.embed.record#view, and `text` may be "".
    marc, julie = bsky.profile("marc.bsky.social"), bsky.profile("julie.bsky.social")
    post = bsky.post("Brioche & Co a fermé ?", julie)
    shared = bsky.dm("", marc, embed=bsky.record_view(post))
    convo = next(iter(bsky.convos))
    gone = bsky.dm("vous avez vu ?", marc, embed=bsky.record_view(post, gone="notFound"))
    blocked = bsky.dm("", marc, embed=bsky.record_view(post, gone="blocked"))
    bsky.deleted_dm(marc, convo)  # no text: nothing to answer
    async with bluesky_source(server, read=("dms",)) as source:
        got = {m.native_id: m.text for m in (await source.fetch(None)).messages}
    assert got == {
        shared["id"]: "[shared post by @julie.bsky.social: Brioche & Co a fermé ?]",
        gone["id"]: "vous avez vu ?\n[shared post: no longer available]",
        blocked["id"]: "[shared post: no longer available]",
    }


async def test_a_shortened_link_in_a_chat_message_is_written_out_whole(server, bsky):
    # The Bluesky app shortens links in chat messages as in posts (social-app's onSendMessage runs
    # shortenLinks before chat.bsky.convo.sendMessage): messageView.facets keeps the whole address.
    text = "Le suivi dit livré : brioche.example/suivi/commande-4..."
    start = len("Le suivi dit livré : ".encode())
    link = {"index": {"byteStart": start, "byteEnd": len(text.encode())},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://brioche.example/suivi/commande-48213"}]}
    message = bsky.dm(text, bsky.profile("marc.bsky.social"), facets=[link])
    async with bluesky_source(server, read=("dms",)) as source:
        [got] = (await source.fetch(None)).messages
    assert (got.native_id, got.text) == (message["id"], "Le suivi dit livré : https://brioche.example/suivi/commande-48213")


@pytest.mark.parametrize("error, says", [
    ("AuthFactorTokenRequired", "use an app password"),
    ("AccountTakedown", "taken this account down"),
])
async def test_a_refused_sign_in_says_why_when_bluesky_names_it(server, bsky, error, says):
    # com.atproto.server.createSession lists these errors; the account password of an account with
    # sign-in codes by email gets AuthFactorTokenRequired.
    bsky.fail("com.atproto.server.createSession", Reply.json({"error": error, "message": "refused"}, 401))
    async with bluesky_source(server) as source:
        with pytest.raises(AuthError, match=says) as caught:
            await source.fetch(None)
    assert APP_PASSWORD not in str(caught.value)


def test_a_shortened_link_is_written_out_whole_from_its_facet():
    from cminbox.sources.bluesky import _post_text

    text = "Déçue 😡 par brioche.example/avis-sur-la-livr... et voir aussi x.example"
    start = len("Déçue 😡 par ".encode())  # facets count UTF-8 bytes: é and 😡 are 2 and 4 of them
    end = start + len("brioche.example/avis-sur-la-livr...".encode())
    facets = [
        {"index": {"byteStart": start, "byteEnd": end},
         "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://brioche.example/avis-sur-la-livraison"}]},
        {"index": {"byteStart": 0, "byteEnd": 3}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "x"}]},
        {"index": {"byteStart": 5, "byteEnd": 1}, "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://bad"}]},
    ]
    assert _post_text({"text": text, "facets": facets}) == (
        "Déçue 😡 par https://brioche.example/avis-sur-la-livraison et voir aussi x.example")
    assert _post_text({"text": text, "facets": "odd"}) == text


async def test_first_sync_brings_notifications_search_and_dms(server, bsky):
    day = a_day(bsky)
    async with bluesky_source(server) as source:
        page = await source.fetch(None)
    got = by_id(page.messages)
    assert set(got) == {day[k]["uri"] for k in ("mention", "reply", "quote", "search")} | {day["dm"]["id"]}

    mention = got[day["mention"]["uri"]]
    assert (mention.kind, mention.network, mention.text) == ("mention", "bluesky", "@brioche.bsky.social toujours pas reçu ma commande")
    assert (mention.author_name, mention.author_handle, mention.author_reach) == ("Julie M.", "@julie.bsky.social", 2400)
    rkey = day["mention"]["uri"].rsplit("/", 1)[1]
    assert mention.url == f"https://bsky.app/profile/julie.bsky.social/post/{rkey}"
    assert mention.uri == day["mention"]["uri"] and mention.lang == "fr"

    reply = got[day["reply"]["uri"]]
    parent = day["reply"]["record"]["reply"]["parent"]
    assert (reply.kind, reply.parent_id, reply.thread_id, reply.lang) == ("comment", parent["uri"], parent["uri"], "en")
    assert got[day["quote"]["uri"]].kind == "mention"
    assert got[day["search"]["uri"]].kind == "mention"

    dm = got[day["dm"]["id"]]
    assert (dm.kind, dm.text, dm.author_handle, dm.thread_id, dm.author_reach) == (
        "dm", "Bonjour, un souci avec ma carte de fidélité", "@marc.example.com", dm.extra["convo"], 87)

    [session] = server.calls("POST", "/xrpc/com.atproto.server.createSession")
    assert session.json() == {"identifier": HANDLE, "password": APP_PASSWORD}
    for call in server.calls("GET", "/xrpc/chat.bsky.convo.listConvos") + server.calls("GET", "/xrpc/chat.bsky.convo.getMessages"):
        assert call.headers["atproto-proxy"] == CHAT_PROXY
    assert server.calls("GET", "/xrpc/app.bsky.feed.searchPosts")[0].query["sort"] == ["latest"]


async def test_a_post_indexed_late_is_still_found_by_search(server, bsky):
    # searchPosts' `since` reads the sort time (the earlier of createdAt and indexedAt): a post
    # written 20 minutes before the newest one seen, that reached the index after the last poll
    # (a slow relay, a bridged post), sorted before the mark minus 5 minutes and was never found.
    fan = bsky.profile("fan.bsky.social")
    seen = bsky.post("Brioche & Co, premier", fan)
    async with bluesky_source(server, read=("search",)) as source:
        first = await source.fetch(None)
        late = bsky.post("Brioche & Co m'a débité deux fois", fan)
        written = datetime.fromisoformat(seen["record"]["createdAt"].replace("Z", "+00:00")).timestamp() - 20 * 60
        late["record"]["createdAt"] = datetime.fromtimestamp(written, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        second = await source.fetch(first.cursor)
    assert seen["uri"] in by_id(first.messages) and set(by_id(second.messages)) == {late["uri"]}


async def test_incremental_sync_brings_only_what_is_new(server, bsky):
    day = a_day(bsky)
    quiet = bsky.profile("quiet.bsky.social")
    bsky.dm("Un autre fil, sans suite", quiet)
    async with bluesky_source(server) as source:
        first = await source.fetch(None)
        fresh = bsky.mention("@brioche.bsky.social et ma commande ?", bsky.profile("paul.bsky.social"))
        followup = bsky.dm("Vous êtes là ?", bsky.profile("marc2.bsky.social"))
        again = bsky.dm("Je relance", next(p for p in bsky.profiles.values() if p["handle"] == "marc.example.com"))
        found = bsky.post("Brioche & Co, le meilleur pain", bsky.profile("lea.bsky.social"))
        message_calls = len(server.calls("GET", "/xrpc/chat.bsky.convo.getMessages"))
        second = await source.fetch(first.cursor)
        third = await source.fetch(second.cursor)
    assert set(by_id(second.messages)) == {fresh["uri"], followup["id"], again["id"], found["uri"]}
    assert third.messages == []
    # Only the two conversations that moved were opened again, not the quiet one.
    assert len(server.calls("GET", "/xrpc/chat.bsky.convo.getMessages")) - message_calls == 2
    assert day["dm"]["id"] not in by_id(second.messages)


async def test_a_long_absence_walks_back_to_what_was_seen(server, bsky):
    fan = bsky.profile("fan.bsky.social")
    bsky.mention("premier", fan)
    async with bluesky_source(server, read=("mentions",)) as source:
        first = await source.fetch(None)
        backlog = [bsky.mention(f"message {n}", fan) for n in range(120)]
        page = await source.fetch(first.cursor)
    assert set(by_id(page.messages)) == {n["uri"] for n in backlog}
    assert len(server.calls("GET", "/xrpc/app.bsky.notification.listNotifications")) == 4  # 1 + three pages of 50


async def test_a_restart_resumes_from_the_stored_cursor(server, bsky, brand_store):
    a_day(bsky)
    async with bluesky_source(server) as source:
        page = await source.fetch(None)
        brand_store.ingest(KEY, page.messages, cursor=page.cursor)
    before = stored_ids(brand_store)
    later = bsky.mention("après le redémarrage", bsky.profile("late.bsky.social"))
    async with bluesky_source(server) as restarted:
        page = await restarted.fetch(brand_store.source_cursor(KEY))
        brand_store.ingest(KEY, page.messages, cursor=page.cursor)
    assert stored_ids(brand_store) == before | {later["uri"]}
    # The search overlaps its mark a little: what it brings again is stored once.
    assert len(stored_ids(brand_store)) == brand_store.conn.execute("SELECT count(*) FROM messages").fetchone()[0]


async def test_an_expired_session_is_refreshed_once(server, bsky):
    bsky.mention("avant", bsky.profile("a.bsky.social"))
    async with bluesky_source(server, read=("mentions",)) as source:
        first = await source.fetch(None)
        bsky.expire_sessions()
        later = bsky.mention("après expiration", bsky.profile("b.bsky.social"))
        page = await source.fetch(first.cursor)
        assert [m.native_id for m in page.messages] == [later["uri"]]
        assert len(server.calls("POST", "/xrpc/com.atproto.server.refreshSession")) == 1
        # Refresh token spent or revoked too: the app password signs in again.
        bsky.expire_sessions()
        bsky.refresh_tokens.clear()
        await source.fetch(page.cursor)
    assert len(server.calls("POST", "/xrpc/com.atproto.server.createSession")) == 2


async def test_a_wrong_app_password_means_re_authentication(server, bsky):
    async with source_for("bluesky", server.url, key=KEY, handle=HANDLE, secret=secrets(app_password="wrong")) as source:
        with pytest.raises(AuthError, match="re-authenticate") as caught:
            await source.fetch(None)
    assert "wrong" not in str(caught.value)


async def test_a_revoked_token_means_re_authentication(server, bsky):
    async with bluesky_source(server) as source:
        await source.verify()
        bsky.sessions.clear()
        with pytest.raises(AuthError):
            await source.fetch(None)


async def test_an_app_password_without_dm_access_says_what_to_do(server, bsky):
    bsky.fail("chat.bsky.convo.listConvos", Reply.json({"error": "InvalidToken", "message": "Bad token scope"}, 400))
    async with bluesky_source(server) as source:
        with pytest.raises(AuthError, match="direct messages"):
            await source.fetch(None)


@pytest.mark.parametrize(
    "reply, error",
    [
        (Reply.json({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, 429, {"Retry-After": "30"}), RateLimited),
        (Reply.json({"error": "InternalServerError", "message": "Internal Server Error"}, 500), TemporaryError),
        (Reply.text("upstream connect error", 502), TemporaryError),
        (Reply.text('{"notifications": [{"uri": "at://'), PayloadError),
        (Reply.json({"notifications": "none"}), PayloadError),
        (Reply(200, b'{"notifications": [{"uri": "at://did:plc:x/app.bsky', {"Content-Type": "application/json"}, truncate=True), TemporaryError),
    ],
)
async def test_failures_are_reported_as_what_they_mean(server, bsky, reply, error):
    bsky.fail("app.bsky.notification.listNotifications", reply)
    async with bluesky_source(server, read=("mentions",)) as source:  # alone: another read's success would keep the page
        with pytest.raises(error) as caught:
            await source.fetch(None)
    assert APP_PASSWORD not in str(caught.value) and "access-" not in str(caught.value)


async def test_an_item_missing_optional_fields_is_still_read(server, bsky):
    gone = bsky.profile("gone.bsky.social", display_name="", findable=False)
    notification = bsky.mention("sans langue ni nom", gone)
    del notification["record"]["langs"]
    del notification["author"]["displayName"]
    async with bluesky_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
    [message] = page.messages
    assert (message.author_name, message.author_reach, message.lang) == ("gone.bsky.social", None, None)


async def test_profiles_are_looked_up_once_per_author(server, bsky):
    julie = bsky.profile("julie.bsky.social")
    bsky.mention("un", julie)
    async with bluesky_source(server, read=("mentions",)) as source:
        first = await source.fetch(None)
        bsky.mention("deux", julie)
        await source.fetch(first.cursor)
    [lookup] = server.calls("GET", "/xrpc/app.bsky.actor.getProfiles")
    assert lookup.query["actors"] == [julie["did"]]


async def test_markup_and_escape_sequences_arrive_as_harmless_text(server, bsky, brand_store):
    bsky.mention("[bold red]faux[/] \x1b]52;c;cGF3bmVk\x07 \x1b[2Jefface <b>gras</b>", bsky.profile("evil.bsky.social", display_name="\x1b[31mEvil"))
    async with bluesky_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
    brand_store.ingest(KEY, page.messages, cursor=page.cursor)
    text, author = brand_store.conn.execute("SELECT text, author_name FROM messages").fetchone()
    assert text == "[bold red]faux[/] ]52;c;cGF3bmVk [2Jefface <b>gras</b>" and author == "[31mEvil"


# -- replying --------------------------------------------------------------------------------


def target_of(message):
    return ReplyTarget(message.native_id, "bluesky", message.kind, message.author_handle,
                       parent_id=message.parent_id, thread_id=message.thread_id, extra=message.extra)


async def test_a_reply_keeps_the_thread_root_and_is_posted_once(server, bsky):
    day = a_day(bsky)
    async with bluesky_source(server) as source:
        page = await source.fetch(None)
        reply = by_id(page.messages)[day["reply"]["uri"]]
        sent = await source.reply(target_of(reply), "Merci Marc, à bientôt !", "outbox-1")
        retried = await source.reply(target_of(reply), "Merci Marc, à bientôt !", "outbox-1")
    [call] = server.calls("POST", "/xrpc/com.atproto.repo.createRecord")
    body = call.json()
    assert (body["repo"], body["collection"]) == (bsky.me["did"], "app.bsky.feed.post")
    record = body["record"]
    root = day["reply"]["record"]["reply"]["root"]  # our post, which Marc answered
    assert record["reply"] == {"root": root, "parent": {"uri": day["reply"]["uri"], "cid": day["reply"]["cid"]}}
    assert (record["$type"], record["text"]) == ("app.bsky.feed.post", "Merci Marc, à bientôt !")
    assert record["createdAt"].endswith("Z")
    assert sent == retried and sent.url.startswith(f"https://bsky.app/profile/{HANDLE}/post/")


async def test_a_reply_to_a_root_post_uses_it_as_root_and_parent(server, bsky):
    day = a_day(bsky)
    async with bluesky_source(server) as source:
        page = await source.fetch(None)
        await source.reply(target_of(by_id(page.messages)[day["mention"]["uri"]]), "Bonjour Julie", "outbox-2")
    record = server.calls("POST", "/xrpc/com.atproto.repo.createRecord")[0].json()["record"]
    ref = {"uri": day["mention"]["uri"], "cid": day["mention"]["cid"]}
    assert record["reply"] == {"root": ref, "parent": ref}


async def test_a_dm_is_answered_in_its_conversation_once(server, bsky):
    day = a_day(bsky)
    async with bluesky_source(server) as source:
        page = await source.fetch(None)
        dm = by_id(page.messages)[day["dm"]["id"]]
        await source.reply(target_of(dm), "On regarde votre carte tout de suite.", "outbox-3")
        await source.reply(target_of(dm), "On regarde votre carte tout de suite.", "outbox-3")
    assert bsky.sent_messages == [{"convoId": dm.thread_id, "message": {"text": "On regarde votre carte tout de suite."}}]
    assert server.calls("POST", "/xrpc/chat.bsky.convo.sendMessage")[0].headers["atproto-proxy"] == CHAT_PROXY
