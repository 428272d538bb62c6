"""Hacker News through a loopback server answering as Algolia's HN Search API does."""

from __future__ import annotations

import pytest

from cminbox.store import Store
from fake_feeds import NOW, FakeHackerNews
from fakeserver import FakeServer, Reply
from sourcekit import engine_for, health, make_entry, source_for


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


@pytest.fixture
def hn(server):
    hn = FakeHackerNews(server)
    hn.add_comment("I ordered from <i>Brioche &amp; Co</i> and was charged twice.<p>Still waiting for a refund.",
                   author="alice", at=NOW - 600)
    hn.add_story("Brioche & Co opens its API", url="https://brioche.example/api", author="bob", at=NOW - 300)
    hn.add_comment("Unrelated comment about sourdough", at=NOW - 200)
    return hn


def entry(server, **kwargs):
    kwargs.setdefault("terms", ("Brioche & Co",))
    return make_entry("hackernews", server.url, key="hn", **kwargs)


async def test_first_sync_brings_stories_and_comments_naming_the_brand(store, hn, server):
    async with engine_for(store, entry(server)) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 2
    request = server.calls("GET", "/api/v1/search_by_date")[0]
    assert request.arg("tags") == "(story,comment)" and request.arg("query") == "Brioche & Co"
    assert request.arg("numericFilters") == f"created_at_i>{int(NOW) - 7 * 86400}"
    ids, _ = store.folder_ids(1, "all")
    by_author = {store.message(i).author_handle: store.message(i) for i in ids}
    comment = by_author["alice"]
    assert comment.text == "I ordered from Brioche & Co and was charged twice.\n\nStill waiting for a refund."
    assert comment.title == "Show HN: Brioche & Co's new ordering app"  # the story it answers
    assert comment.url.startswith("https://news.ycombinator.com/item?id=") and comment.complaint
    assert comment.thread_id == "41999999" and comment.created_at == NOW - 600
    story = by_author["bob"]
    assert story.text == "Brioche & Co opens its API\nhttps://brioche.example/api" and story.parent_id is None


async def test_incremental_sync_asks_from_the_newest_item_and_stores_only_new_ones(store, hn, server):
    async with engine_for(store, entry(server)) as engine:
        await engine.sync_once()
        hn.add_comment("Brioche &amp; Co answered my DM within the hour, impressed", at=NOW + 60)
        (result,) = await engine.sync_once()
    assert result.new == 1 and store.folder_counts(1)["all"] == 3
    # From a little before the newest item seen: late-indexed items are not missed.
    assert server.requests[-1].arg("numericFilters") == f"created_at_i>{int(NOW) - 300 - 15 * 60}"


async def test_restart_resumes_from_the_stored_cursor(store, hn, server, tmp_path):
    async with engine_for(store, entry(server)) as engine:
        await engine.sync_once()
    reopened = Store(tmp_path / "test.db")
    async with engine_for(reopened, entry(server)) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 0 and server.requests[-1].arg("numericFilters") == f"created_at_i>{int(NOW) - 300 - 15 * 60}"
    reopened.close()


async def test_paging_goes_through_every_page(store, server):
    hn = FakeHackerNews(server)
    for n in range(250):
        hn.add_comment(f"Brioche &amp; Co comment {n}", at=NOW - n)
    async with engine_for(store, entry(server)) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 250
    assert [r.arg("page") for r in server.calls("GET", "/api/v1/search_by_date")] == ["0", "1", "2"]


async def test_each_term_is_searched_and_an_item_found_twice_is_stored_once(store, hn, server):
    hn.add_comment("Brioche &amp; Co vs #BriocheAndCo, same thing", at=NOW - 100)
    async with engine_for(store, entry(server, terms=("Brioche & Co", "#BriocheAndCo"))) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 3
    assert [r.arg("query") for r in server.requests] == ["Brioche & Co", "BriocheAndCo"]


async def test_an_unreadable_stored_cursor_starts_from_the_backfill(hn, server):
    async with source_for("hackernews", server.url, terms=("Brioche & Co",)) as source:
        page = await source.fetch("[broken")
    assert len(page.messages) == 2
    assert server.calls("GET", "/api/v1/search_by_date")[0].arg("numericFilters") == f"created_at_i>{int(NOW) - 7 * 86400}"


async def test_a_hashtag_term_is_searched_as_the_word(store, server):
    # HN has no hashtags; its index keeps "#" in the word (hn-search: separatorsToIndex '+#$'),
    # so "#BriocheAndCo" would only find that literal spelling, not "BriocheAndCo".
    hn = FakeHackerNews(server)
    hn.add_comment("BriocheAndCo never answered my email", at=NOW - 100)
    async with engine_for(store, entry(server, terms=("#BriocheAndCo", "BriocheAndCo"))) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 1
    assert [r.arg("query") for r in server.requests] == ["BriocheAndCo"]


async def test_a_hit_found_only_by_its_authors_name_is_left_out(store, server):
    # Algolia matches the author's name too, by prefix: "brioche" finds everything "briochefan"
    # writes. A hit that names the brand stays, whoever wrote it.
    hn = FakeHackerNews(server)
    hn.add_comment("Rust's borrow checker finally clicked for me", author="briochefan", at=NOW - 300)
    named = hn.add_comment("Brioche support answered in an hour, well done", author="briochefan", at=NOW - 200)
    by_link = hn.add_story("Show HN: our bakery's ordering site", url="https://brioche.example/", author="bob", at=NOW - 100)
    async with engine_for(store, entry(server, terms=("brioche",))) as engine:
        (result,) = await engine.sync_once()
    stored = {store.message(i).native_id for i in store.folder_ids(1, "all")[0]}
    assert stored == {named, by_link} and result.new == 2


async def test_hits_missing_optional_fields_are_kept_and_broken_ones_skipped(store, server):
    server.route("GET", "/api/v1/search_by_date", lambda r: Reply.json({
        "hits": [
            {"objectID": "1", "created_at": "2025-11-24T15:00:00.000Z", "author": "x", "title": "Brioche & Co", "_tags": ["story"]},
            {"objectID": "2", "created_at_i": NOW, "comment_text": "Brioche &amp; Co rocks"},
            {"created_at_i": NOW, "comment_text": "no id"},
            "not even an object",
        ],
        "nbPages": 1, "page": 0,
    }))
    async with engine_for(store, entry(server)) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 2 and not result.failed


@pytest.mark.parametrize(
    "reply, state",
    [
        (Reply.text("{not json", 200), "error"),
        (Reply.json({"message": "Too many requests"}, 429, {"Retry-After": "600"}), "backoff"),
        (Reply.json({"hits": "nope"}), "error"),
        (Reply(200, b'{"hits": [{"objectID": "1", "comment_text": "cut', {"Content-Type": "application/json"}, truncate=True), "backoff"),
    ],
)
async def test_bad_answers_fail_the_poll_and_keep_the_cursor(store, hn, server, reply, state):
    async with engine_for(store, entry(server)) as engine:
        await engine.sync_once()
        cursor = store.source_cursor("hn")
        hn.override = reply
        (result,) = await engine.sync_once()
    assert result.failed and health(store, "hn").state == state
    assert store.source_cursor("hn") == cursor


async def test_without_terms_the_entry_is_refused(store, server):
    async with engine_for(store, entry(server, terms=())) as engine:
        (result,) = await engine.sync_once()
    assert result.failed and "needs terms" in result.error and health(store, "hn").state == "error"


async def test_replies_are_copy_and_open(server):
    from cminbox.sources.base import NotSupported, ReplyTarget
    from sourcekit import source_for

    async with source_for("hackernews", server.url, terms=("Brioche",)) as source:
        with pytest.raises(NotSupported, match="copy the text and open"):
            await source.reply(ReplyTarget("1", "hackernews", "mention", "alice"), "Merci !", "k1")
    assert server.requests == []


async def test_a_term_of_several_words_must_be_named_as_a_phrase(store, server):
    # Algolia finds the words anywhere, each as a prefix: "Brioche & Co" brought every post with
    # "brioche" and a word starting with "co" (a coworker, a cookbook). Only the brand stays.
    hn = FakeHackerNews(server)
    noise = hn.add_comment("Made brioche for the team, the recipe is from my coworker", at=NOW - 400)
    story = hn.add_story("Show HN: I cloned the Brioche & Co ordering app", at=NOW - 300)
    comment = hn.add_comment("<p>Anyone else charged twice by brioche &amp; co's app?</p>", at=NOW - 200)
    url = hn.add_story("Bakery chain's outage", url="https://news.example/brioche-co-outage", at=NOW - 100)
    async with engine_for(store, entry(server, terms=("Brioche & Co", "Brioché Co"))) as engine:
        (result,) = await engine.sync_once()
    stored = {store.message(i).native_id for i in store.folder_ids(1, "all")[0]}
    assert stored == {story, comment, url} and noise not in stored and result.new == 3
