"""The X source against a fake X API v2 on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest

from cminbox.network_actions import ReplyRefused, send_reply, set_hidden
from cminbox.reply_rules import DM, PUBLIC
from cminbox.sources.base import AuthError, RateLimited, SourceError
from cminbox.sources.http import Http
from cminbox.sources.registry import build
from fake_x import ME, RESET, TOKEN, FakeX
from fakeserver import FakeServer, Reply
from sourcekit import NOW, make_entry, secrets


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


@pytest.fixture
def x(server):
    fake = FakeX(server)
    fake.add_user("42", "kev_l", "Kévin L.", 3400)
    fake.first = fake.add_tweet("@BriocheAndCo toujours pas remboursé", at=NOW - 600, author="42")
    fake.add_tweet("J'adore Brioche & Co, meilleure brioche de Montréal", at=NOW - 300, author="42", mention=False)
    fake.add_dm("Bonjour, une question sur ma commande", at=NOW - 200, sender="42", conversation="1500-42")
    fake.add_dm("Bien sûr, dites-nous", at=NOW - 100, sender=ME, conversation="1500-42")
    return fake


def entry(server, tier="basic", **options):
    return make_entry("x", server.url, key="brand-x", user_id=ME, tier=tier, credentials={"token": "env:X_TOKEN"},
                      terms=("Brioche & Co", "#BriocheGate"), **options)


async def run(server, action, *, tier="basic", clock=lambda: NOW, token=TOKEN, **options):
    async with httpx.AsyncClient(timeout=5) as client:
        return await action(build(entry(server, tier, **options), Http(client, clock=clock), secrets(token=token)))


async def test_first_sync_reads_mentions_search_and_dms_with_author_time_and_reach(server, x):
    page = await run(server, lambda s: s.fetch(None))
    by_text = {m.text: m for m in page.messages}
    mention = by_text["@BriocheAndCo toujours pas remboursé"]
    assert (mention.author_handle, mention.author_reach, mention.created_at) == ("@kev_l", 3400, NOW - 600)
    assert mention.url == f"https://x.com/kev_l/status/{x.first}"
    found = by_text["J'adore Brioche & Co, meilleure brioche de Montréal"]
    assert found.kind == "mention" and found.author_name == "Kévin L."
    dm = by_text["Bonjour, une question sur ma commande"]
    assert (dm.kind, dm.thread_id) == ("dm", "1500-42")
    assert "Bien sûr, dites-nous" not in by_text  # our own DM
    for call in server.requests:
        if call.path != "/2/dm_events":
            assert call.arg("expansions") == "author_id" and "public_metrics" in call.arg("user.fields")
            assert "created_at" in call.arg("tweet.fields")
    assert server.calls("GET", "/2/tweets/search/recent")[0].arg("query") == '("Brioche & Co" OR #BriocheGate) -is:retweet'


async def test_a_post_reads_as_written_entities_undone_and_a_long_post_whole(server, x):
    x.add_tweet("@BriocheAndCo 2 < 3 & vous > eux ; j'ai tapé &eacute; exprès", at=NOW - 60, author="42")
    long_post = "@BriocheAndCo " + "Commande BC-48213 jamais arrivée, service client injoignable. " * 8
    x.add_tweet(long_post, at=NOW - 30, author="42")
    page = await run(server, lambda s: s.fetch(None))
    texts = {m.text for m in page.messages}
    assert "@BriocheAndCo 2 < 3 & vous > eux ; j'ai tapé &eacute; exprès" in texts
    assert long_post in texts  # not the first 280 characters and "…"
    assert "note_tweet" in server.calls("GET", f"/2/users/{ME}/mentions")[0].arg("tweet.fields")


async def test_t_co_links_read_as_where_they_lead_and_media_as_media(server, x):
    x.add_tweet("@BriocheAndCo lisez https://t.co/AbC123 et voilà le colis https://t.co/Pic456", at=NOW - 60,
                author="42", links={
                    "https://t.co/AbC123": {"expanded_url": "https://avis.example/brioche-co",
                                            "display_url": "avis.example/brioche-co"},
                    "https://t.co/Pic456": {"expanded_url": "https://x.com/kev_l/status/1/photo/1",
                                            "display_url": "pic.x.com/Pic456", "media_key": "3_1"}})
    page = await run(server, lambda s: s.fetch(None))
    assert "@BriocheAndCo lisez https://avis.example/brioche-co et voilà le colis [media]" in {m.text for m in page.messages}
    assert "entities" in server.calls("GET", f"/2/users/{ME}/mentions")[0].arg("tweet.fields")


async def test_a_retweet_in_the_mentions_is_not_a_message_but_a_quote_is(server, x):
    # A retweet of a post naming the brand names it too ("RT @BriocheAndCo: …"), so the mentions
    # timeline lists it: its text is the original's, cut short, under the retweeter's name, with
    # `referenced_tweets: [{"type": "retweeted", "id": …}]` (Post object reference). Search already
    # leaves retweets out (-is:retweet); a quote has words of its own and stays.
    ours = x.add_tweet("Nouvelle brioche à la pistache, dispo dès demain !", at=NOW - 900, author=ME, mention=False)
    retweet = x.add_tweet("RT @BriocheAndCo: Nouvelle brioche à la pistache, dispo dès demain !", at=NOW - 60, author="42")
    quote = x.add_tweet("@BriocheAndCo encore une hausse de prix ? https://t.co/Qt1", at=NOW - 30, author="42")
    for post_id, kind in ((retweet, "retweeted"), (quote, "quoted")):
        next(t for t in x.tweets if t["id"] == post_id)["referenced_tweets"] = [{"type": kind, "id": ours}]
    page = await run(server, lambda s: s.fetch(None), read=("mentions",))
    assert {m.extra["post_id"] for m in page.messages} == {x.first, quote}


async def test_a_mention_that_search_also_finds_is_stored_once(server, x, store):
    store.register_source("brand-x", "brand", "x", "x")
    x.add_tweet("@BriocheAndCo Brioche & Co c'est top", at=NOW - 50, author="42")
    page = await run(server, lambda s: s.fetch(None))
    result = store.ingest("brand-x", page.messages, cursor=page.cursor, now=NOW)
    texts = [store.message(i).text for i in result.new_ids]
    assert texts.count("@BriocheAndCo Brioche & Co c'est top") == 1


async def test_incremental_sync_uses_since_id_and_resumes_after_restart(server, x, store):
    store.register_source("brand-x", "brand", "x", "x")
    first = await run(server, lambda s: s.fetch(None))
    store.ingest("brand-x", first.messages, cursor=first.cursor, now=NOW)
    x.add_tweet("@BriocheAndCo et alors ?", at=NOW + 10, author="42")
    x.add_dm("Vous êtes là ?", at=NOW + 20, sender="42", conversation="1500-42")
    second = await run(server, lambda s: s.fetch(store.source_cursor("brand-x")))
    result = store.ingest("brand-x", second.messages, cursor=second.cursor, now=NOW + 30)
    assert sorted(store.message(i).text for i in result.new_ids) == ["@BriocheAndCo et alors ?", "Vous êtes là ?"]
    assert server.calls("GET", "/2/users/1500/mentions")[-1].arg("since_id") == x.first


async def test_a_since_id_older_than_recent_search_reaches_reads_afresh(server, x, store):
    # After a week without a poll, recent search answers 400 "Invalid 'since_id' … must be a tweet id
    # created after …" (seen in the wild: rooteco/tweetscape#421): read what it covers, don't fail forever.
    store.register_source("brand-x", "brand", "x", "x")
    first = await run(server, lambda s: s.fetch(None), read=("search",))
    store.ingest("brand-x", first.messages, cursor=first.cursor, now=NOW)
    x.add_tweet("Brioche & Co, enfin de retour", at=NOW + 8 * 86400, author="42", mention=False)
    x.oldest_searchable = int(x.counter)  # everything read before is now out of reach
    second = await run(server, lambda s: s.fetch(store.source_cursor("brand-x")), read=("search",))
    result = store.ingest("brand-x", second.messages, cursor=second.cursor, now=NOW + 8 * 86400)
    assert [store.message(i).text for i in result.new_ids] == ["Brioche & Co, enfin de retour"]
    calls = server.calls("GET", "/2/tweets/search/recent")
    assert calls[-2].arg("since_id") and calls[-1].arg("since_id") is None
    third = await run(server, lambda s: s.fetch(second.cursor), read=("search",))
    assert third.messages == [] and server.calls("GET", "/2/tweets/search/recent")[-1].arg("since_id")


async def test_an_edited_post_refreshes_its_message_and_replies_go_to_the_latest_version(server, x, store):
    # An edit is a new post with a new id; `edit_history_tweet_ids` lists every version, oldest first
    # (X API v2 reference, "Edit Tweets"). It must not come in as a second message.
    store.register_source("brand-x", "brand", "x", "x")
    first = await run(server, lambda s: s.fetch(None), read=("mentions",))
    store.ingest("brand-x", first.messages, cursor=first.cursor, now=NOW)
    edited = x.edit_tweet(x.first, "@BriocheAndCo toujours pas remboursé, commande BC-48213")
    second = await run(server, lambda s: s.fetch(store.source_cursor("brand-x")), read=("mentions",))
    result = store.ingest("brand-x", second.messages, cursor=second.cursor, now=NOW + 60)
    assert result.new_ids == [] and result.updated == 1
    message_id = next(i for i in range(1, store.max_id() + 1) if store.message(i).native_id == x.first)
    assert store.message(message_id).text == "@BriocheAndCo toujours pas remboursé, commande BC-48213"
    await run(server, lambda s: send_reply(store, s, message_id, "Bonjour Kévin, on regarde", kind_of_reply=PUBLIC,
                                           key="k", now=NOW))
    assert x.posted[-1]["reply"] == {"in_reply_to_tweet_id": edited}
    both = await run(server, lambda s: s.fetch(None), read=("mentions",))  # both versions in one page
    assert [m.extra["post_id"] for m in both.messages if m.native_id == x.first] == [edited]


async def test_not_found_with_200_keeps_the_partial_data(server, x):
    x.add_tweet("@BriocheAndCo compte suspendu", at=NOW - 30, author="999")  # unknown author
    page = await run(server, lambda s: s.fetch(None), read=("mentions",))
    orphan = next(m for m in page.messages if m.text == "@BriocheAndCo compte suspendu")
    assert orphan.author_handle == "" and orphan.author_reach is None
    assert len(page.messages) == 2


async def test_an_answer_of_errors_only_fails_the_poll_instead_of_reading_as_empty(server, x):
    # HTTP 200 with an `errors` list and neither `data` nor `meta` (the shape of HunterLarco/twitter-v2#26,
    # here for a user_id X does not know): nothing was read. An empty timeline says
    # `meta.result_count: 0`; this must not pass for one, poll after poll.
    x.override = Reply.json({"errors": [{
        "value": ME, "detail": f"Could not find user with id: [{ME}].", "title": "Not Found Error",
        "resource_type": "user", "parameter": "id", "resource_id": ME,
        "type": "https://api.twitter.com/2/problems/resource-not-found"}]})
    for read in ("mentions", "dms"):
        with pytest.raises(SourceError, match=rf"Could not find user with id: \[{ME}\]"):
            await run(server, lambda s: s.fetch(None), read=(read,))
    x.override = Reply.json({"meta": {"result_count": 0}})
    assert (await run(server, lambda s: s.fetch(None), read=("mentions",))).messages == []


async def test_a_plain_text_429_waits_until_the_announced_reset(server, x):
    x.remaining["/2/users/:id/mentions"] = 0
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server, read=("mentions",)), Http(client, clock=lambda: NOW), secrets(token=TOKEN))
        with pytest.raises(RateLimited) as caught:
            await source.fetch(None)
        assert caught.value.retry_after == pytest.approx(RESET - NOW)
        with pytest.raises(RateLimited):
            await source.fetch(None)
    assert len(server.calls("GET", "/2/users/1500/mentions")) == 1


async def test_a_spent_monthly_cap_is_said_and_not_retried_at_the_15_minute_reset(server, x):
    # The 429 of a used-up monthly cap, as xdevplatform/xdk#25 shows it: the endpoint's own window
    # is nearly untouched (x-rate-limit-remaining 39999), so its reset says nothing of when reads
    # come back. Said as what it is, and asked again much later, not every 15 minutes.
    x.override = Reply.json({"account_id": "2244994945", "product_name": "standard-basic", "title": "UsageCapExceeded",
                             "period": "Monthly", "scope": "Product", "detail": "Usage cap exceeded: Monthly product cap",
                             "type": "https://api.twitter.com/2/problems/usage-capped"}, 429,
                            {"x-rate-limit-limit": "40000", "x-rate-limit-remaining": "39999", "x-rate-limit-reset": str(RESET)})
    with pytest.raises(RateLimited, match="monthly usage cap") as caught:
        await run(server, lambda s: s.fetch(None), read=("mentions",))
    assert caught.value.retry_after >= 3600 > RESET - NOW


async def test_the_remaining_budget_is_honoured_before_the_limit(server, x):
    x.remaining["/2/users/:id/mentions"] = 1  # this call leaves 0
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server, read=("mentions",)), Http(client, clock=lambda: NOW), secrets(token=TOKEN))
        await source.fetch(None)
        with pytest.raises(RateLimited):
            await source.fetch(None)
    assert len(server.calls("GET", "/2/users/1500/mentions")) == 1


async def test_the_free_tier_reads_nothing_and_says_why(server, x):
    source_notices = []

    async def action(source):
        source_notices.extend(source.notices)
        return await source.fetch(None)

    page = await run(server, action, tier="free")
    assert page.messages == [] and server.requests == []
    assert any("mentions not read: the X free tier" in n for n in source_notices)


async def test_an_expired_token_needs_reauthentication(server, x):
    with pytest.raises(AuthError):
        await run(server, lambda s: s.fetch(None), token="expired")


async def test_reply_dm_and_hide_are_posted_once_with_the_right_calls(server, x, store):
    store.register_source("brand-x", "brand", "x", "x")
    reply_id = x.add_tweet("@BriocheAndCo nul", at=NOW - 20, author="42", reply_to="1234")
    page = await run(server, lambda s: s.fetch(None))
    store.ingest("brand-x", page.messages, cursor=page.cursor, now=NOW)
    ids = {store.message(i).text: i for i in range(1, store.max_id() + 1)}

    async def send(message_id, text, kind):
        return await run(server, lambda s: send_reply(store, s, message_id, text, kind_of_reply=kind, key="k", now=NOW))

    sent = await send(ids["@BriocheAndCo toujours pas remboursé"], "Bonjour Kévin, écrivez-nous en DM", PUBLIC)
    assert x.posted[-1] == {"text": "Bonjour Kévin, écrivez-nous en DM", "reply": {"in_reply_to_tweet_id": x.first}}
    assert sent.url.endswith(sent.native_id)
    await send(ids["Bonjour, une question sur ma commande"], "Oui ?", DM)
    assert x.posted[-1] == {"dm_conversation": "1500-42", "text": "Oui ?"}
    with pytest.raises(ReplyRefused, match="280"):
        await send(ids["@BriocheAndCo nul"], "é" * 281, PUBLIC)
    assert len(server.calls("POST", "/2/tweets")) == 1
    await run(server, lambda s: set_hidden(store, s, ids["@BriocheAndCo nul"], True))
    hides = server.calls("PUT", f"/2/tweets/{reply_id}/hidden")
    assert len(hides) == 1 and hides[0].json() == {"hidden": True}


def test_a_tier_is_required_and_checked():
    with pytest.raises(ValueError, match="tier"):
        build(make_entry("x", "http://127.0.0.1:1", user_id=ME, tier="gold"), None, secrets())
