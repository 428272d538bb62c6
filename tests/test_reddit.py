"""The Reddit source against a fake OAuth API on 127.0.0.1, answering as Reddit's API documents."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from cminbox.sources.base import AuthError, PayloadError, RateLimited, ReplyTarget, SourceError, TemporaryError
from fake_reddit import CLIENT_ID, CLIENT_SECRET, PASSWORD, START, USERNAME, FakeReddit
from fakeserver import Reply
from sourcekit import secrets, source_for

KEY = "brand-reddit"
TERMS = ("Brioche & Co", "#BriocheAndCo")


@pytest.fixture
def reddit(server):
    return FakeReddit(server)


@pytest.fixture
def brand_store(store):
    store.register_source(KEY, "brand", "reddit", "reddit test")
    return store


def reddit_source(server, *, password=PASSWORD, **entry):
    entry.setdefault("terms", TERMS)
    return source_for(
        "reddit", server.url, key=KEY, username=USERNAME, client_id=CLIENT_ID, auth_url=server.url,
        secret=secrets(client_secret=CLIENT_SECRET, password=password), **entry,
    )


def by_id(messages):
    return {m.native_id: m for m in messages}


def stored_count(store):
    return store.conn.execute("SELECT count(*) FROM messages").fetchone()[0]


def a_day(reddit):
    return {
        "reply": reddit.comment("Toujours pas reçu ma commande & j'attends", "julie_m"),
        "post_reply": reddit.comment("Merci pour la réponse", "marc", kind="post_reply"),
        "mention": reddit.comment("u/BriocheAndCo vous en pensez quoi ?", "lea", kind="username_mention"),
        "pm": reddit.message("Bonjour, un souci avec ma carte", "paul"),
        "modmail": reddit.message("Votre AMA est validé", None, subreddit="Boulangerie", subject="AMA"),
        "search": reddit.post("Brioche & Co à Lyon ?", "curieux", selftext="Quelqu'un a testé <leur> pain ?"),
        "link": reddit.post("BriocheAndCo ouvre à Québec", "news_bot", url="https://journal.example/brioche"),
    }


async def test_first_sync_brings_the_inbox_and_search_as_plain_text(server, reddit):
    day = a_day(reddit)
    reddit.comment("ma propre réponse", USERNAME)  # our own: left out
    async with reddit_source(server) as source:
        page = await source.fetch(None)
    got = by_id(page.messages)
    assert set(got) == {thing["name"] for thing in day.values()}

    reply = got[day["reply"]["name"]]
    assert (reply.kind, reply.network, reply.text) == ("comment", "reddit", "Toujours pas reçu ma commande & j'attends")
    assert (reply.author_name, reply.author_handle, reply.author_reach) == ("julie_m", "u/julie_m", None)
    assert reply.created_at == START and isinstance(reply.created_at, float)
    assert reply.url == "https://www.reddit.com" + day["reply"]["context"]
    assert reply.uri == "https://www.reddit.com" + day["reply"]["context"].split("?")[0]
    assert reply.parent_id == day["reply"]["parent_id"] and reply.thread_id == day["reply"]["parent_id"]
    assert reply.title == "Votre avis sur Brioche & Co ?"
    assert got[day["post_reply"]["name"]].kind == "comment"
    assert got[day["mention"]["name"]].kind == "mention"
    pm = got[day["pm"]["name"]]
    assert (pm.kind, pm.title, pm.url) == ("dm", "Ma commande", f"https://www.reddit.com/message/messages/{day['pm']['id']}")
    assert got[day["modmail"]["name"]].author_handle == "r/Boulangerie"
    found = got[day["search"]["name"]]
    assert (found.kind, found.title, found.text) == ("mention", "Brioche & Co à Lyon ?", "Quelqu'un a testé <leur> pain ?")
    assert got[day["link"]["name"]].text == "https://journal.example/brioche"

    [token] = server.calls("POST", "/api/v1/access_token")
    assert parse_qs(token.body.decode()) == {"grant_type": ["password"], "username": [USERNAME], "password": [PASSWORD]}
    inbox = server.calls("GET", "/message/inbox")[0]
    assert inbox.headers["authorization"].startswith("Bearer ") and inbox.query["raw_json"] == ["1"]
    assert inbox.headers["user-agent"] == f"python:cminbox:0.1.0 (by /u/{USERNAME})"
    search = server.calls("GET", "/search")[0]
    assert search.query["q"] == ['"Brioche & Co" OR "BriocheAndCo"'] and search.query["sort"] == ["new"]


async def test_html_escaped_once_more_still_reads_as_plain_text(server, reddit):
    # Without raw_json=1 (a client that did not ask, a recorded answer) Reddit escapes its HTML again.
    reddit.escapes_always = True
    comment = reddit.comment("Toujours pas reçu ma commande & j'attends <toujours>", "julie_m")
    post = reddit.post("Brioche & Co à Lyon ?", "curieux", selftext="Quelqu'un a testé <leur> pain ?")
    link = reddit.post("Brioche & Co <3 ouvre à Québec", "news_bot", url="https://journal.example/?a=1&b=2")
    async with reddit_source(server) as source:
        got = by_id((await source.fetch(None)).messages)
    assert got[comment["name"]].text == "Toujours pas reçu ma commande & j'attends <toujours>"
    assert got[comment["name"]].title == "Votre avis sur Brioche & Co ?"
    assert (got[post["name"]].text, got[post["name"]].title) == ("Quelqu'un a testé <leur> pain ?", "Brioche & Co à Lyon ?")
    assert (got[link["name"]].title, got[link["name"]].text) == ("Brioche & Co <3 ouvre à Québec", "https://journal.example/?a=1&b=2")


async def test_incremental_sync_brings_only_what_is_new(server, reddit):
    a_day(reddit)
    async with reddit_source(server) as source:
        first = await source.fetch(None)
        fresh = reddit.comment("Et alors ?", "julie_m")
        pm = reddit.message("Je relance", "paul")
        post = reddit.post("Encore Brioche & Co", "fan")
        second = await source.fetch(first.cursor)
        third = await source.fetch(second.cursor)
    assert set(by_id(second.messages)) == {fresh["name"], pm["name"], post["name"]}
    assert third.messages == []
    assert len(server.calls("POST", "/api/v1/access_token")) == 1  # the token is reused while valid


async def test_a_post_the_search_indexes_late_is_still_brought(server, reddit):
    # Reddit's search takes some posts in minutes (at times hours) after they were made: such a
    # post shows up under newer ones already read, and must not be taken as read.
    async with reddit_source(server, read=("search",)) as source:
        first = await source.fetch(None)
        late = reddit.post("Brioche & Co : commande jamais arrivée", "client")
        late_hit = reddit.search_hits.pop()  # not in the index yet
        indexed = reddit.post("Brioche & Co, super accueil", "fan")
        second = await source.fetch(first.cursor)
        reddit.search_hits.insert(reddit.search_hits.index(next(h for h in reddit.search_hits
                                                                 if h["data"] is indexed)), late_hit)
        third = await source.fetch(second.cursor)
        fourth = await source.fetch(third.cursor)
    assert [m.native_id for m in second.messages] == [indexed["name"]]
    assert [m.native_id for m in third.messages] == [late["name"]]
    assert fourth.messages == []


async def test_a_long_absence_pages_back_with_after(server, reddit):
    reddit.comment("premier", "fan")
    async with reddit_source(server, read=("inbox",)) as source:
        first = await source.fetch(None)
        backlog = [reddit.comment(f"message {n}", "fan") for n in range(230)]
        page = await source.fetch(first.cursor)
    assert {m.native_id for m in page.messages} == {c["name"] for c in backlog}
    afters = [c.query.get("after") for c in server.calls("GET", "/message/inbox")[1:]]
    assert afters == [None, [backlog[-100]["name"]], [backlog[-200]["name"]]]


async def test_a_restart_resumes_from_the_stored_cursor_without_duplicates(server, reddit, brand_store):
    a_day(reddit)
    async with reddit_source(server) as source:
        page = await source.fetch(None)
        brand_store.ingest(KEY, page.messages, cursor=page.cursor)
    before = stored_count(brand_store)
    later = reddit.message("après le redémarrage", "late")
    async with reddit_source(server) as restarted:
        page = await restarted.fetch(brand_store.source_cursor(KEY))
        brand_store.ingest(KEY, page.messages, cursor=page.cursor)
    assert [m.native_id for m in page.messages] == [later["name"]]
    assert stored_count(brand_store) == before + 1


async def test_a_wrong_password_means_re_authentication(server, reddit):
    async with reddit_source(server, password="faux") as source:
        with pytest.raises(AuthError, match="re-authenticate") as caught:
            await source.fetch(None)
    assert "faux" not in str(caught.value)


async def test_a_wrong_client_secret_means_re_authentication(server, reddit):
    async with source_for("reddit", server.url, key=KEY, username=USERNAME, client_id=CLIENT_ID, auth_url=server.url,
                          secret=secrets(client_secret="nope", password=PASSWORD)) as source:
        with pytest.raises(AuthError):
            await source.verify()


async def test_a_revoked_token_is_renewed_once_then_reported(server, reddit):
    async with reddit_source(server, read=("inbox",)) as source:
        first = await source.fetch(None)
        reddit.tokens.clear()  # revoked: one new token fixes it
        await source.fetch(first.cursor)
        assert len(server.calls("POST", "/api/v1/access_token")) == 2
        reddit.fail("/message/inbox", Reply.json({"message": "Unauthorized", "error": 401}, 401),
                    Reply.json({"message": "Unauthorized", "error": 401}, 401))
        with pytest.raises(AuthError):
            await source.fetch(first.cursor)


@pytest.mark.parametrize(
    "reply, error",
    [
        (Reply.json({"message": "Too Many Requests", "error": 429}, 429, {"Retry-After": "30"}), RateLimited),
        (Reply.json({"message": "Internal Server Error", "error": 500}, 500), TemporaryError),
        (Reply.text("<html><body>Our CDN was unable to reach our servers</body></html>", 503), TemporaryError),
        (Reply.text('{"kind": "Listing", "data": {"children": [{"kind": "t1"'), PayloadError),
        (Reply.json({"kind": "Listing", "data": {"children": "none"}}), PayloadError),
        (Reply(200, b'{"kind": "Listing", "data": {"after": null, "children": [{"kind": "t1", "da', {"Content-Type": "application/json"}, truncate=True), TemporaryError),
    ],
)
async def test_failures_are_reported_as_what_they_mean(server, reddit, reply, error):
    reddit.fail("/message/inbox", reply)
    async with reddit_source(server, read=("inbox",)) as source:  # alone: another read's success would keep the page
        with pytest.raises(error) as caught:
            await source.fetch(None)
    assert CLIENT_SECRET not in str(caught.value) and PASSWORD not in str(caught.value)


async def test_the_rate_limit_budget_is_read_from_the_headers(server, reddit):
    reddit.fail("/message/inbox", Reply.json({"kind": "Listing", "data": {"after": None, "children": []}},
                                             headers={"x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "240"}))
    async with reddit_source(server, read=("inbox",)) as source:
        await source.fetch(None)
        with pytest.raises(RateLimited) as caught:
            await source.fetch(None)
    assert caught.value.retry_after == 240
    assert len(server.calls("GET", "/message/inbox")) == 1


async def test_an_item_missing_optional_fields_is_still_read(server, reddit):
    thing = reddit.comment("minimal", "someone")
    for field in ("body_html", "link_title", "subreddit", "context", "parent_id", "author_fullname"):
        thing.pop(field)
    async with reddit_source(server, read=("inbox",)) as source:
        page = await source.fetch(None)
    [message] = page.messages
    assert (message.text, message.url, message.title, message.parent_id) == ("minimal", None, None, None)


async def test_a_deleted_account_is_nobody_not_one_person(server, reddit):
    # Reddit writes "[deleted]" as the author of whatever a deleted account wrote (its API's
    # comment and link templates); two such messages are not one customer writing twice.
    first = reddit.comment("[removed]", "[deleted]")
    second = reddit.comment("Encore un souci avec Brioche & Co", "[deleted]")
    post = reddit.post("Brioche & Co, arnaque ?", "[deleted]", selftext="[deleted]")
    async with reddit_source(server) as source:
        got = by_id((await source.fetch(None)).messages)
    for thing in (first, second, post):
        assert (got[thing["name"]].author_name, got[thing["name"]].author_handle) == ("", "")
    assert got[second["name"]].text == "Encore un souci avec Brioche & Co"


async def test_a_removed_post_is_read_by_its_title_not_the_placeholder(server, reddit):
    # A post removed by moderators or Reddit, or deleted by its author, keeps its title; its selftext
    # (and selftext_html) becomes Reddit's placeholder, with removed_by_category saying who removed it.
    removed = reddit.post("Brioche & Co m'a vendu du pain rassis", "client", selftext="[removed]")
    removed["removed_by_category"] = "moderator"
    by_reddit = reddit.post("Brioche & Co : arnaque", "spammer", selftext="[ Removed by Reddit ]")
    by_reddit["removed_by_category"] = "reddit"
    deleted = reddit.post("Brioche & Co, ça vaut le coup ?", "[deleted]", selftext="[deleted]")
    deleted["removed_by_category"] = "deleted"
    async with reddit_source(server, read=("search",)) as source:
        got = by_id((await source.fetch(None)).messages)
    for post in (removed, by_reddit, deleted):
        assert got[post["name"]].text == post["title"]


async def test_markup_and_escape_sequences_arrive_as_harmless_text(server, reddit, brand_store):
    reddit.message("[bold red]faux[/] \x1b]52;c;cGF3bmVk\x07 \x1b[2Jefface <script>x</script>", "evil\x1b[31m")
    async with reddit_source(server, read=("inbox",)) as source:
        page = await source.fetch(None)
    brand_store.ingest(KEY, page.messages, cursor=page.cursor)
    text, author = brand_store.conn.execute("SELECT text, author_name FROM messages").fetchone()
    assert text == "[bold red]faux[/] ]52;c;cGF3bmVk [2Jefface <script>x</script>"
    assert author == "evil [31m"


# -- replying --------------------------------------------------------------------------------


def target_of(message):
    return ReplyTarget(message.native_id, "reddit", message.kind, message.author_handle,
                       parent_id=message.parent_id, thread_id=message.thread_id, url=message.url, extra=message.extra)


async def test_a_reply_is_one_comment_on_the_right_thing(server, reddit):
    day = a_day(reddit)
    async with reddit_source(server) as source:
        page = await source.fetch(None)
        target = target_of(by_id(page.messages)[day["reply"]["name"]])
        sent = await source.reply(target, "Bonjour Julie, on regarde votre commande.", "outbox-1")
        retried = await source.reply(target, "Bonjour Julie, on regarde votre commande.", "outbox-1")
    [call] = server.calls("POST", "/api/comment")
    assert parse_qs(call.body.decode()) == {
        "thing_id": [day["reply"]["name"]], "text": ["Bonjour Julie, on regarde votre commande."], "api_type": ["json"]}
    assert sent == retried and sent.native_id.startswith("t1_") and sent.url.startswith("https://www.reddit.com/r/")


async def test_a_private_message_is_answered_in_its_thread(server, reddit):
    day = a_day(reddit)
    async with reddit_source(server) as source:
        page = await source.fetch(None)
        target = target_of(by_id(page.messages)[day["pm"]["name"]])
        await source.reply(target, "On vous répond en privé.", "outbox-2")
        await source.reply(target, "On vous répond en privé.", "outbox-2")
    assert [c["thing_id"] for c in reddit.comments_posted] == [day["pm"]["name"]]
    assert server.calls("GET", "/message/sent")


async def test_reddit_refusals_are_read_by_their_code(server, reddit):
    day = a_day(reddit)
    reddit.ratelimit_next_comment = 540.5
    async with reddit_source(server) as source:
        page = await source.fetch(None)
        target = target_of(by_id(page.messages)[day["mention"]["name"]])
        with pytest.raises(RateLimited) as caught:
            await source.reply(target, "Merci !", "outbox-3")
        assert caught.value.retry_after == 540.5
        with pytest.raises(SourceError, match="NO_TEXT"):
            await source.reply(target, "", "outbox-4")
        # Reddit's error triples carry an explanation: it is what the CM reads.
        reddit.refuse_next_comment = ["DELETED_COMMENT", "that comment has been deleted", "parent"]
        with pytest.raises(SourceError) as caught:
            await source.reply(target, "Merci !", "outbox-5")
        assert "that comment has been deleted" in str(caught.value) and "DELETED_COMMENT" in str(caught.value)
    assert reddit.comments_posted == []
