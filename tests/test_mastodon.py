"""The Mastodon source against a fake instance on 127.0.0.1 that answers as the API documentation shows."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs

import pytest

from cminbox.sources.base import AuthError, PayloadError, RateLimited, ReplyTarget, TemporaryError
from fake_mastodon import HOST, TOKEN, FakeMastodon
from fakeserver import Reply
from sourcekit import NOW, secrets, source_for

KEY = "brand-mastodon"
TERMS = ("Brioche & Co", "#BriocheAndCo")


@pytest.fixture
def mastodon(server):
    return FakeMastodon(server)


def mastodon_source(server, **entry):
    entry.setdefault("terms", TERMS)
    return source_for("mastodon", server.url, key=KEY, secret=secrets(token=TOKEN), **entry)


@pytest.fixture
def brand_store(store):
    store.register_source(KEY, "brand", "mastodon", "mastodon test")
    return store


def by_id(messages):
    return {m.native_id: m for m in messages}


def stored_count(store, key=KEY):
    return store.conn.execute(
        "SELECT count(*) FROM messages JOIN sources ON sources.id = messages.source_id WHERE sources.key = ?", (key,)
    ).fetchone()[0]


def a_day(mastodon):
    """One of everything the source reads, plus what it must leave out."""
    julie = mastodon.account("julie", display_name="Julie M.", followers=2400)
    marc = mastodon.account("marc", domain="mastodon.social", followers=87)
    ours = mastodon.status("<p>Nouvelle fournée ce matin !</p>", mastodon.me, mentions=[])
    found = {
        "mention": mastodon.mention(
            '<p><span class="h-card"><a href="https://piaille.example/@briocheandco" class="u-url mention">'
            "@<span>briocheandco</span></a></span> Toujours pas reçu ma commande&nbsp;!</p><p>Ça fait 10 jours.</p>",
            julie,
        ),
        "reply": mastodon.mention("<p>@briocheandco merci, délicieux</p>", marc, in_reply_to=ours, language="en"),
        "dm": mastodon.direct("<p>@briocheandco bonjour, un souci avec ma carte</p>", marc),
        "filtered": mastodon.filtered("<p>Hello, je vous écris en privé</p>", mastodon.account("stranger", followers=3)),
        "search": mastodon.found("Brioche & Co", mastodon.status("<p>Chez Brioche &amp; Co c'est top</p>", julie, mentions=[])),
    }
    booster = mastodon.account("booster")
    original = mastodon.status("<p>Le <a href='https://piaille.example/tags/briocheandco' class='mention hashtag'>#<span>BriocheAndCo</span></a> du jour</p>",
                               marc, mentions=[], tags=["briocheandco"])
    mastodon.found("#BriocheAndCo", mastodon.status("", booster, mentions=[], reblog=original))
    found["boosted"] = original
    mastodon.favourite(julie, ours)  # not a mention: left out
    mastodon.found("Brioche & Co", mastodon.status("<p>notre propre post Brioche &amp; Co</p>", mastodon.me, mentions=[]))
    return found


# -- reading ---------------------------------------------------------------------------------


async def test_first_sync_brings_every_kind_as_plain_text(server, mastodon):
    day = a_day(mastodon)
    async with mastodon_source(server) as source:
        page = await source.fetch(None)
    got = by_id(page.messages)
    assert set(got) == {s["id"] for s in day.values()}  # no favourite, no status of our own

    mention = got[day["mention"]["id"]]
    assert (mention.kind, mention.network, mention.text) == ("mention", "mastodon", "@briocheandco Toujours pas reçu ma commande !\n\nÇa fait 10 jours.")
    assert (mention.author_name, mention.author_handle, mention.author_reach) == ("Julie M.", f"@julie@{HOST}", 2400)
    assert mention.created_at == pytest.approx(NOW - 118.06)  # 2025-11-24T15:58:01.940Z
    assert mention.url == day["mention"]["url"] and mention.uri == day["mention"]["uri"]
    assert mention.lang == "fr"

    reply = got[day["reply"]["id"]]
    assert (reply.kind, reply.parent_id, reply.lang, reply.author_handle) == ("comment", day["reply"]["in_reply_to_id"], "en", "@marc@mastodon.social")
    assert got[day["dm"]["id"]].kind == "dm"
    assert got[day["filtered"]["id"]].kind == "dm" and got[day["filtered"]["id"]].extra["filtered"] is True
    assert got[day["search"]["id"]].text == "Chez Brioche & Co c'est top"
    boosted = got[day["boosted"]["id"]]  # the boost's original, by its own author
    assert (boosted.author_handle, boosted.text) == ("@marc@mastodon.social", "Le #BriocheAndCo du jour")

    notification_call = server.calls("GET", "/api/v1/notifications")[0]
    assert notification_call.query["types[]"] == ["mention", "quote"]
    assert notification_call.headers["authorization"] == f"Bearer {TOKEN}"
    assert server.calls("GET", "/api/v1/timelines/tag/BriocheAndCo")
    assert server.calls("GET", "/api/v2/search")[0].query["type"] == ["statuses"]


async def test_incremental_sync_brings_only_what_is_new(server, mastodon):
    a_day(mastodon)
    async with mastodon_source(server) as source:
        first = await source.fetch(None)
        new_mention = mastodon.mention("<p>Et ma commande ?</p>", mastodon.account("julie2"))
        new_dm = mastodon.direct("<p>Re-bonjour</p>", mastodon.account("paul"))
        second = await source.fetch(first.cursor)
        third = await source.fetch(second.cursor)
    assert set(by_id(second.messages)) == {new_mention["id"], new_dm["id"]}
    assert third.messages == [] and third.more is False
    cursor = json.loads(second.cursor)
    assert cursor["notifications"] == mastodon.notifications[-1]["id"]
    assert cursor["conversations"] == new_dm["id"]  # the last status id, not the conversation id
    last_call = server.calls("GET", "/api/v1/conversations")[-1]
    assert last_call.query["min_id"] == [new_dm["id"]]


async def test_a_long_absence_is_caught_up_page_by_page(server, mastodon):
    author = mastodon.account("fan")
    mastodon.mention("<p>premier</p>", author)
    async with mastodon_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
        backlog = [mastodon.mention(f"<p>message {n}</p>", author) for n in range(95)]
        seen, pages = [], 0
        while True:
            page = await source.fetch(page.cursor)
            pages += 1
            seen += [m.native_id for m in page.messages]
            if not page.more:
                break
    assert sorted(seen, key=int) == [s["id"] for s in backlog] and pages == 3


async def test_a_busy_search_term_loses_nothing_between_two_polls(server, mastodon):
    # Search sorts newest first and reads min_id as "after": 95 posts since the mark came back as
    # the newest 40, and moving the mark to the newest lost the 55 before them, in a bad buzz.
    author = mastodon.account("fan")
    mastodon.found("Brioche & Co", mastodon.status("<p>Brioche &amp; Co, premier</p>", author, mentions=[]))
    async with mastodon_source(server, read=("search",)) as source:
        first = await source.fetch(None)
        buzz = [mastodon.found("Brioche & Co", mastodon.status(f"<p>Brioche &amp; Co m'a débité deux fois ({n})</p>",
                                                               author, mentions=[])) for n in range(95)]
        second = await source.fetch(first.cursor)
        third = await source.fetch(second.cursor)
    assert sorted(m.native_id for m in second.messages) == sorted(s["id"] for s in buzz) and not second.more
    assert third.messages == []
    calls = server.calls("GET", "/api/v2/search")[1:4]
    assert [c.query.get("max_id") for c in calls] == [None, [buzz[55]["id"]], [buzz[15]["id"]]]


async def test_a_strangers_two_private_messages_between_polls_both_arrive(server, mastodon):
    # The notification policy (4.3+) files a stranger's private mentions as a request, which shows
    # only its last status: the first of two sent between polls was never read.
    async with mastodon_source(server) as source:
        first = await source.fetch(None)
        stranger = mastodon.account("nouvelle_cliente", followers=2)
        one = mastodon.filtered("<p>Bonjour, ma commande 48213 n'est pas arrivée</p>", stranger)
        two = mastodon.filtered("<p>Vous êtes là ?</p>", stranger)
        second = await source.fetch(first.cursor)
    got = by_id(second.messages)
    assert {one["id"], two["id"]} <= set(got) and all(got[s["id"]].extra.get("filtered") for s in (one, two))
    assert server.calls("GET", "/api/v1/notifications")[-1].query["include_filtered"] == ["true"]


async def test_a_restart_resumes_from_the_stored_cursor_without_duplicates(server, mastodon, brand_store):
    a_day(mastodon)
    async with mastodon_source(server) as source:
        page = await source.fetch(None)
        brand_store.ingest(KEY, page.messages, cursor=page.cursor, now=NOW)
    stored = stored_count(brand_store)
    later = mastodon.mention("<p>Après le redémarrage</p>", mastodon.account("late"))

    async with mastodon_source(server) as restarted:  # a new process: only the database remembers
        page = await restarted.fetch(brand_store.source_cursor(KEY))
        brand_store.ingest(KEY, page.messages, cursor=page.cursor, now=NOW)
        again = await restarted.fetch(brand_store.source_cursor(KEY))
        brand_store.ingest(KEY, again.messages, cursor=again.cursor, now=NOW)
    assert [m.native_id for m in page.messages] == [later["id"]]
    assert stored_count(brand_store) == stored + 1
    # A filtered request whose last status has not changed is not brought again either.
    assert again.messages == []


async def test_mentions_found_twice_are_one_message(server, mastodon, brand_store):
    status = mastodon.mention("<p>Brioche &amp; Co, vraiment</p>", mastodon.account("twice"))
    mastodon.found("Brioche & Co", status)  # the keyword search finds the same status
    async with mastodon_source(server) as source:
        page = await source.fetch(None)
    brand_store.ingest(KEY, page.messages, cursor=page.cursor, now=NOW)
    assert stored_count(brand_store) == 1


async def test_an_older_server_without_notification_requests_still_syncs(server, mastodon):
    mastodon.has_requests_api = False
    mention = mastodon.mention("<p>bonjour</p>", mastodon.account("old"))
    async with mastodon_source(server) as source:
        page = await source.fetch(None)
    assert [m.native_id for m in page.messages] == [mention["id"]]


async def test_an_item_missing_optional_fields_is_still_read(server, mastodon):
    bare = mastodon.account("bare", followers=None, display_name="")
    status = mastodon.mention("<p>minimal</p>", bare, language=None)
    for field in ("url", "spoiler_text", "media_attachments", "mentions", "tags", "emojis", "card", "poll", "application"):
        status.pop(field)
    async with mastodon_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
    [message] = page.messages
    assert (message.author_name, message.author_reach, message.lang) == ("bare", None, None)
    assert message.url == status["uri"]


async def test_a_content_warning_is_plain_text_not_html(server, mastodon):
    # Status.spoiler_text is plain text (Mastodon's web client escapes it before showing it), unlike
    # `content`: what looks like a tag or an entity is what the author typed.
    status = mastodon.mention("<p>Le détail</p>", mastodon.account("cw"),
                              spoiler_text="Avis <mitigé> sur Brioche &amp; Co")
    async with mastodon_source(server, read=("mentions",)) as source:
        [message] = (await source.fetch(None)).messages
    assert message.native_id == status["id"]
    assert (message.title, message.text) == ("Avis <mitigé> sur Brioche &amp; Co", "Le détail")


async def test_a_quote_of_our_post_is_read_like_a_mention(server, mastodon):
    # Mastodon 4.5 notifies `quote` when someone quotes one of our statuses; the status is the quoting post.
    ours = mastodon.status("<p>Nouvelle recette</p>", mastodon.me, mentions=[])
    quoting = mastodon.quote("<p>Franchement décevant</p>", mastodon.account("critique"), ours)
    mastodon.favourite(mastodon.account("fan"), ours)  # still left out
    async with mastodon_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
    [message] = page.messages
    assert (message.native_id, message.kind, message.text) == (quoting["id"], "mention", "Franchement décevant")


async def test_the_fallback_link_of_a_quote_is_left_out_as_the_docs_ask(server, mastodon):
    # Mastodon 4.5 prepends <p class="quote-inline">RE: <a …>…</a></p> to a quote post's content for
    # clients without quotes; docs.joinmastodon.org (client/quotes) asks clients reading `quote` to
    # hide it. Without `quote`, nothing is hidden.
    ours = mastodon.status("<p>Nouvelle recette</p>", mastodon.me, mentions=[])
    fallback = (f'<p class="quote-inline">RE: <a href="{ours["url"]}"><span class="invisible">https://</span>'
                f'{ours["url"].removeprefix("https://")}</a></p>')
    quoting = mastodon.quote(fallback + "<p>Franchement décevant</p>", mastodon.account("critique"), ours)
    plain = mastodon.mention(fallback + "<p>Vu ça ?</p>", mastodon.account("ancien"))
    async with mastodon_source(server, read=("mentions",)) as source:
        got = by_id((await source.fetch(None)).messages)
    assert got[quoting["id"]].text == "Franchement décevant"
    assert got[plain["id"]].text == f"RE: {ours['url']}\n\nVu ça ?"


async def test_a_link_the_server_shortened_reads_as_its_whole_address(server, mastodon):
    # Mastodon writes a link as the scheme in <span class="invisible">, the first 30 characters in
    # <span class="ellipsis"> and the rest invisible again: a browser shows "example.com/…" and
    # follows the href. In a terminal the CM must see, copy and open the whole address.
    link = "https://brioche.example/commandes/suivi/4471-8832?lang=fr"
    shown = link.removeprefix("https://")
    html = (f'<p>Ma commande : <a href="{link}" rel="nofollow noopener" target="_blank"><span class="invisible">https://'
            f'</span><span class="ellipsis">{shown[:30]}</span><span class="invisible">{shown[30:]}</span></a> toujours rien</p>')
    status = mastodon.mention(html, mastodon.account("client"))
    async with mastodon_source(server, read=("mentions",)) as source:
        got = by_id((await source.fetch(None)).messages)
    assert got[status["id"]].text == f"Ma commande : {link} toujours rien"


async def test_a_server_that_refuses_the_quote_type_still_brings_mentions(server, mastodon):
    # Pleroma and Akkoma speak Mastodon's API but refuse a notification type they do not know.
    mastodon.known_types = {"mention", "favourite", "reblog", "follow"}
    first = mastodon.mention("<p>Toujours pas reçu ma commande</p>", mastodon.account("client"))
    async with mastodon_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
        assert [m.native_id for m in page.messages] == [first["id"]]
        second = mastodon.mention("<p>Et toujours rien</p>", mastodon.account("client"))
        page = await source.fetch(page.cursor)
    assert [m.native_id for m in page.messages] == [second["id"]]
    asked = [(r.query.get("types[]"), r.query.get("include_filtered")) for r in server.requests if r.path == "/api/v1/notifications"]
    # Refused once, then mentions alone, without Mastodon 4.3's include_filtered (a strict server
    # could refuse that too).
    assert asked == [(["mention", "quote"], ["true"]), (["mention"], None), (["mention"], None)]


async def test_markup_and_escape_sequences_arrive_as_harmless_text(server, mastodon, brand_store):
    hostile = (
        "<p>[bold red]faux[/bold red] &lt;script&gt;alert(1)&lt;/script&gt;<script>alert(2)</script></p>"
        "<p>\x1b]52;c;cGF3bmVk\x07 \x1b[2J efface &#27;[31mrouge</p>"
    )
    mastodon.mention(hostile, mastodon.account("evil", display_name="\x1b[31mEvil[/]"))
    async with mastodon_source(server, read=("mentions",)) as source:
        page = await source.fetch(None)
    brand_store.ingest(KEY, page.messages, cursor=page.cursor, now=NOW)
    text, author = brand_store.conn.execute("SELECT text, author_name FROM messages").fetchone()
    assert text == "[bold red]faux[/bold red] <script>alert(1)</script>\n\n]52;c;cGF3bmVk [2J efface [31mrouge"
    assert "\x1b" not in text and "\x07" not in text and "alert(2)" not in text
    assert author == "[31mEvil[/]"


# -- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply, error",
    [
        (Reply.json({"error": "Trop de requêtes"}, 429, {"Retry-After": "30"}), RateLimited),
        (Reply.json({"error": "Le jeton d’accès n’est pas valide"}, 401), AuthError),
        (Reply.json({"error": "Erreur interne"}, 503), TemporaryError),
        (Reply.text("<html>502 Bad Gateway</html>", 502), TemporaryError),
        (Reply.text('[{"id": "1", "type": "mention"'), PayloadError),
        (Reply.json({"error": "not a list"}), PayloadError),
        (Reply(200, b'[{"id": "1", "type": "mention", "status": {"content": "coup', {"Content-Type": "application/json"}, truncate=True), TemporaryError),
    ],
)
async def test_failures_are_reported_as_what_they_mean(server, mastodon, reply, error):
    mastodon.fail("/api/v1/notifications", reply)
    async with mastodon_source(server, read=("mentions",)) as source:  # alone: another read's success would keep the page
        with pytest.raises(error) as caught:
            await source.fetch(None)
    assert TOKEN not in str(caught.value)
    if error is RateLimited:
        assert caught.value.retry_after == 30


async def test_an_expired_token_means_re_authentication(server, mastodon):
    async with mastodon_source(server) as source:
        mastodon.token = "rotated"
        with pytest.raises(AuthError, match="re-authenticate"):
            await source.verify()


async def test_after_429_the_source_waits_instead_of_calling_again(server, mastodon):
    mastodon.fail("/api/v1/notifications", Reply.json({"error": "Trop de requêtes"}, 429, {"Retry-After": "120"}))
    async with mastodon_source(server) as source:
        with pytest.raises(RateLimited):
            await source.fetch(None)
        with pytest.raises(RateLimited):
            await source.fetch(None)
    assert len(server.calls("GET", "/api/v1/notifications")) == 1


# -- replying --------------------------------------------------------------------------------


async def test_a_reply_is_posted_once_in_the_thread_with_the_idempotency_key(server, mastodon):
    day = a_day(mastodon)
    async with mastodon_source(server) as source:
        page = await source.fetch(None)
        message = by_id(page.messages)[day["mention"]["id"]]
        target = ReplyTarget(message.native_id, "mastodon", message.kind, message.author_handle, extra=message.extra)
        sent = await source.reply(target, "Bonjour Julie, on regarde ça tout de suite.", "outbox-42")
        retried = await source.reply(target, "Bonjour Julie, on regarde ça tout de suite.", "outbox-42")
    [call, second] = server.calls("POST", "/api/v1/statuses")
    form = {k: v[0] for k, v in parse_qs(call.body.decode()).items()}
    assert form == {
        "status": f"@julie@{HOST} Bonjour Julie, on regarde ça tout de suite.",
        "in_reply_to_id": day["mention"]["id"],
        "visibility": "public",
    }
    assert call.headers["idempotency-key"] == second.headers["idempotency-key"] == "outbox-42"
    assert len(mastodon.posted) == 1  # the retry was recognised by the server
    assert sent == retried and sent.native_id and sent.url


async def test_a_dm_is_answered_privately(server, mastodon):
    day = a_day(mastodon)
    async with mastodon_source(server) as source:
        page = await source.fetch(None)
        message = by_id(page.messages)[day["dm"]["id"]]
        target = ReplyTarget(message.native_id, "mastodon", "dm", message.author_handle, extra=message.extra)
        await source.reply(target, "@marc@mastodon.social On vous répond en privé.", "outbox-7")
    [posted] = mastodon.posted
    assert posted["visibility"] == "direct"
    assert posted["status"] == "@marc@mastodon.social On vous répond en privé."  # no doubled mention


# -- streaming -------------------------------------------------------------------------------


async def consume(source, cursor, store, stop: asyncio.Event, errors: list):
    """What the engine does with a stream: store each page as it comes."""
    try:
        async for page in source.stream(cursor):
            store.ingest(KEY, page.messages, cursor=page.cursor, keep_cursor=page.cursor is None, now=NOW)
            if stop.is_set():
                return
    except Exception as error:  # noqa: BLE001 - the test looks at it
        errors.append(error)


async def wait_for(predicate, timeout=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


async def test_a_streamed_item_is_stored_without_polling(server, mastodon, brand_store):
    async with mastodon_source(server) as source:
        page = await source.fetch(None)
        brand_store.ingest(KEY, page.messages, cursor=page.cursor, now=NOW)
        errors: list = []
        task = asyncio.create_task(consume(source, brand_store.source_cursor(KEY), brand_store, asyncio.Event(), errors))
        assert await asyncio.to_thread(mastodon.user_stream.wait_for_clients, 1)
        assert await asyncio.to_thread(mastodon.direct_stream.wait_for_clients, 1)
        await wait_for(lambda: len(server.calls("GET", "/api/v1/notifications")) == 2)  # the connect-time gap check
        polls = len(server.calls("GET", "/api/v1/notifications"))

        pushed = mastodon.mention("<p>En direct : colis arrivé abîmé</p>", mastodon.account("live"), push=True)
        dm = mastodon.direct("<p>Un message privé en direct</p>", mastodon.account("dmlive"), push=True)
        await wait_for(lambda: stored_count(brand_store) == 2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert errors == []
    assert len(server.calls("GET", "/api/v1/notifications")) == polls  # it came by the stream, not a poll
    kinds = dict(brand_store.conn.execute("SELECT native_id, kind FROM messages").fetchall())
    assert kinds == {pushed["id"]: "mention", dm["id"]: "dm"}
    stream_call = server.calls("GET", "/api/v1/streaming/user")[0]
    assert stream_call.headers["authorization"] == f"Bearer {TOKEN}"
    assert stream_call.headers["accept"] == "text/event-stream"


async def test_home_timeline_updates_count_only_when_they_name_the_brand(server, mastodon, brand_store):
    async with mastodon_source(server) as source:
        errors: list = []
        task = asyncio.create_task(consume(source, None, brand_store, asyncio.Event(), errors))
        assert await asyncio.to_thread(mastodon.user_stream.wait_for_clients, 1)
        friend = mastodon.account("friend")
        mastodon.user_stream.push("update", mastodon.status("<p>Il fait beau</p>", friend, mentions=[]))
        mastodon.user_stream.push("update", "{not json")
        mastodon.user_stream.comment()
        named = mastodon.status("<p>Goûté chez Brioche &amp; Co</p>", friend, mentions=[])
        mastodon.user_stream.push("update", named)
        await wait_for(lambda: stored_count(brand_store) == 1)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert errors == []
    assert brand_store.conn.execute("SELECT native_id FROM messages").fetchone()[0] == named["id"]


async def test_an_edited_mention_on_the_stream_refreshes_its_message(server, mastodon, brand_store):
    async with mastodon_source(server) as source:
        errors: list = []
        task = asyncio.create_task(consume(source, None, brand_store, asyncio.Event(), errors))
        assert await asyncio.to_thread(mastodon.user_stream.wait_for_clients, 1)
        customer = mastodon.account("client")
        mention = mastodon.mention("<p>Colis pas reçu</p>", customer, push=True)
        await wait_for(lambda: stored_count(brand_store) == 1)
        brand_store.set_starred([brand_store.conn.execute("SELECT id FROM messages").fetchone()[0]], True)
        # A friend's unrelated edit on the home timeline is no message of ours.
        mastodon.user_stream.push("status.update", mastodon.status("<p>Il pleut</p>", mastodon.account("friend"), mentions=[]))
        edited = {**mention, "content": "<p>Colis toujours pas reçu, commande 4417</p>", "edited_at": "2025-11-24T16:05:00.000Z"}
        mastodon.user_stream.push("status.update", edited)
        await wait_for(lambda: "4417" in brand_store.conn.execute("SELECT text FROM messages").fetchone()[0])
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert errors == []
    rows = brand_store.conn.execute("SELECT native_id, text, starred FROM messages").fetchall()
    assert [tuple(r) for r in rows] == [(mention["id"], "Colis toujours pas reçu, commande 4417", 1)]


async def test_a_dropped_stream_reconnects_and_back_fills_by_rest(server, mastodon, brand_store):
    async with mastodon_source(server) as source:
        errors: list = []
        task = asyncio.create_task(consume(source, None, brand_store, asyncio.Event(), errors))
        assert await asyncio.to_thread(mastodon.user_stream.wait_for_clients, 1)
        assert await asyncio.to_thread(mastodon.direct_stream.wait_for_clients, 1)
        await wait_for(lambda: brand_store.source_cursor(KEY) is not None)  # connected and checked the gap

        mastodon.user_stream.drop()
        await asyncio.wait_for(task, 5)
        assert len(errors) == 1 and isinstance(errors[0], TemporaryError)
        missed = mastodon.mention("<p>Pendant la coupure</p>", mastodon.account("gap"))

        # The engine backs off, then back-fills by REST and reconnects.
        page = await source.fetch(brand_store.source_cursor(KEY))
        brand_store.ingest(KEY, page.messages, cursor=page.cursor, now=NOW)
        errors.clear()
        task = asyncio.create_task(consume(source, brand_store.source_cursor(KEY), brand_store, asyncio.Event(), errors))
        assert await asyncio.to_thread(mastodon.user_stream.wait_for_connections, 2)
        after = mastodon.mention("<p>Après la reconnexion</p>", mastodon.account("back"))
        await asyncio.to_thread(mastodon.user_stream.wait_for_clients, 1)
        await wait_for(lambda: len(server.calls("GET", "/api/v1/notifications")) >= 3)
        mastodon.user_stream.push("notification", mastodon.notifications[-1])
        await wait_for(lambda: stored_count(brand_store) == 2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    ids = {row[0] for row in brand_store.conn.execute("SELECT native_id FROM messages")}
    assert ids == {missed["id"], after["id"]}


async def test_a_refused_stream_means_re_authentication(server, mastodon):
    server.route("GET", "/api/v1/streaming/user", lambda r: Reply.json({"error": "Le jeton d’accès n’est pas valide"}, 401))
    async with mastodon_source(server) as source:
        with pytest.raises(AuthError):
            async for _ in source.stream(None):
                pass


# -- through the sync engine -----------------------------------------------------------------


async def test_the_engine_streams_live_and_back_fills_a_dropped_stream(server, mastodon, store):
    from sourcekit import engine_for, health, make_entry

    entry = make_entry("mastodon", server.url, key=KEY, terms=TERMS, credentials={"token": "env:MASTODON_TOKEN"})

    async def wait(event, seconds):
        if seconds > 5:  # the poll loop's interval: longer than this test
            await event.wait()
        await asyncio.sleep(0.01)

    async with engine_for(store, entry, env={"MASTODON_TOKEN": TOKEN}, wait=wait) as engine:
        task = asyncio.create_task(engine.run())
        await wait_for(lambda: health(store, KEY).state == "live")
        live = mastodon.mention("<p>En direct</p>", mastodon.account("live"), push=True)
        await wait_for(lambda: stored_count(store) == 1)

        mastodon.user_stream.drop()
        missed = mastodon.mention("<p>Pendant la coupure</p>", mastodon.account("gap"))  # only REST has it
        await wait_for(lambda: stored_count(store) == 2)
        assert await asyncio.to_thread(mastodon.user_stream.wait_for_connections, 2)  # reconnected
        await wait_for(lambda: health(store, KEY).state == "live")
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    ids = {row[0] for row in store.conn.execute("SELECT native_id FROM messages")}
    assert ids == {live["id"], missed["id"]}


async def test_an_odd_status_on_the_stream_is_set_aside_and_the_stream_goes_on(server, mastodon, store):
    from sourcekit import engine_for, health, make_entry

    entry = make_entry("mastodon", server.url, key=KEY, terms=TERMS, credentials={"token": "env:MASTODON_TOKEN"})

    async def wait(event, seconds):
        if seconds > 5:
            await event.wait()
        await asyncio.sleep(0.01)

    async with engine_for(store, entry, env={"MASTODON_TOKEN": TOKEN}, wait=wait) as engine:
        task = asyncio.create_task(engine.run())
        await wait_for(lambda: health(store, KEY).state == "live")
        odd = mastodon.mention(["content", "as", "a", "list"], mastodon.account("odd"), push=True)
        good = mastodon.mention("<p>Toujours là</p>", mastodon.account("live"), push=True)
        await wait_for(lambda: stored_count(store) == 1 and len(store.unreadable()) == 1)
        assert health(store, KEY).state == "live"  # the stream was not dropped for it
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert {row[0] for row in store.conn.execute("SELECT native_id FROM messages")} == {good["id"]}
    (kept,) = store.unreadable()
    assert kept.item == odd["id"] and "status not readable" in kept.reason and health(store, KEY).unreadable == 1
