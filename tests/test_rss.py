"""RSS / Atom against a real loopback server speaking Google Alerts' Atom: conditional GET, HTML, redirects."""

from __future__ import annotations

import pytest

from cminbox.sources.rss import unwrap_redirect
from cminbox.store import Store
from fake_feeds import NOW, FakeAlertsFeed
from fakeserver import FakeServer, Reply
from sourcekit import engine_for, health, make_entry, source_for


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


@pytest.fixture
def feed(server):
    feed = FakeAlertsFeed(server)
    feed.add("<b>Brioche</b> &amp; Co ouvre une boutique à Lyon", "https://www.leprogres.fr/lyon/brioche-co",
             "La chaîne <b>Brioche</b> &amp; Co s&#39;installe rue de la République…")
    feed.add("Avis : toujours pas reçu ma commande <b>Brioche &amp; Co</b>", "https://forum.example.fr/t/123",
             "Je n'ai <i>toujours pas reçu</i> ma commande, service client injoignable.")
    return feed


def rss(feed, **kwargs):
    return make_entry("rss", key="alerts", label="Google Alerts", url=feed.url, **kwargs)


def texts(store):
    ids, _ = store.folder_ids(1, "all")
    return {store.message(i).url: store.message(i) for i in ids}


async def test_first_sync_stores_entries_as_plain_text_with_real_links(store, feed):
    async with engine_for(store, rss(feed)) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 2 and not result.failed
    stored = texts(store)
    lyon = stored["https://www.leprogres.fr/lyon/brioche-co"]
    assert lyon.text.startswith("Brioche & Co ouvre une boutique à Lyon\nLa chaîne Brioche & Co s'installe")
    assert "<b>" not in lyon.text and "&amp;" not in lyon.text
    assert lyon.kind == "mention" and lyon.network == "rss" and lyon.author_handle == "leprogres.fr"
    assert lyon.created_at == NOW
    complaint = stored["https://forum.example.fr/t/123"]
    assert complaint.complaint  # "toujours pas reçu" is scored as it is stored
    assert health(store, "alerts").state == "ok"


async def test_unchanged_feed_costs_a_304_and_new_entries_arrive_alone(store, feed, server):
    async with engine_for(store, rss(feed)) as engine:
        await engine.sync_once()
        (again,) = await engine.sync_once()
        assert again.new == 0
        assert server.requests[-1].headers["if-none-match"] == '"v2"'
        feed.add("Brioche &amp; Co recrute", "https://emploi.example/brioche")
        (third,) = await engine.sync_once()
    assert third.new == 1 and third.updated == 0
    assert store.folder_counts(1)["all"] == 3


async def test_a_restart_resumes_from_the_stored_cursor(store, feed, server, tmp_path):
    async with engine_for(store, rss(feed)) as engine:
        await engine.sync_once()
    reopened = Store(tmp_path / "test.db")
    async with engine_for(reopened, rss(feed)) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 0 and server.requests[-1].headers.get("if-none-match") == '"v2"'
    reopened.close()


async def test_a_feed_without_etag_is_still_read_incrementally(store, server):
    feed = FakeAlertsFeed(server, etag=False)
    feed.add("Brioche &amp; Co", "https://a.example/1")
    async with engine_for(store, rss(feed)) as engine:
        assert (await engine.sync_once())[0].new == 1
        assert (await engine.sync_once())[0].new == 0
        feed.add("Brioche &amp; Co again", "https://a.example/2")
        (result,) = await engine.sync_once()
    assert result.new == 1 and result.updated == 0


async def test_the_same_article_from_two_alert_feeds_is_stored_once(store, server):
    google = FakeAlertsFeed(server)
    other = FakeAlertsFeed(server, path="/talkwalker/rss")
    google.add("<b>Brioche</b> à Lyon", "https://www.leprogres.fr/lyon/brioche-co")
    other.add("Brioche à Lyon", "https://www.leprogres.fr/lyon/brioche-co?utm_source=talkwalker", redirect=False)
    async with engine_for(store, rss(google), make_entry("rss", key="tw", url=other.url)) as engine:
        results = await engine.sync_once()
    assert sorted((r.new, r.duplicates) for r in results) == [(0, 1), (1, 0)]
    assert store.folder_counts(1)["all"] == 1


@pytest.mark.parametrize(
    "reply, state, words",
    [
        (Reply.text("<html><body>Service unavailable</body></html>", 200, {"Content-Type": "text/html"}), "error", "did not send an RSS or Atom feed"),
        (Reply(200, b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry><title>cut", {"Content-Type": "application/atom+xml"}, truncate=True), "backoff", "closed the connection"),
        (Reply.text("Too many requests", 429, {"Retry-After": "120"}), "backoff", "rate limited"),
        (Reply.text("Unauthorized", 401), "reauth", "re-authenticate"),
        (Reply.text("Bad gateway", 502), "backoff", "HTTP 502"),
    ],
)
async def test_failures_are_recorded_and_nothing_is_lost(store, feed, reply, state, words):
    async with engine_for(store, rss(feed)) as engine:
        await engine.sync_once()
        feed.override = reply
        (result,) = await engine.sync_once()
    assert result.failed and result.state == state and words in result.error
    recorded = health(store, "alerts")
    assert recorded.state == state and words in recorded.last_error
    assert store.folder_counts(1)["all"] == 2  # what was stored stays
    assert store.source_cursor("alerts")  # and so does the cursor


async def test_an_entry_missing_optional_fields_is_kept(store, server):
    feed = FakeAlertsFeed(server)
    server.route("GET", feed.path, lambda r: Reply(200, b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Forum</title><language>fr-FR</language>
<item><title>Brioche &amp; Co : avis ?</title></item>
<item><description>&lt;p&gt;Quelqu'un a d\xc3\xa9j\xc3\xa0 command\xc3\xa9 ?&lt;/p&gt;</description><guid>post-2</guid></item>
</channel></rss>""", {"Content-Type": "application/rss+xml"}))
    async with engine_for(store, rss(feed)) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 2
    stored = [store.message(i) for i in store.folder_ids(1, "all")[0]]
    assert sorted(m.text for m in stored) == ["Brioche & Co : avis ?", "Quelqu'un a déjà commandé ?"]
    assert all(m.created_at == NOW and m.lang == "fr" for m in stored)


async def test_a_feed_bigger_than_the_memory_of_ids_brings_nothing_twice(server):
    # RSS and Atom set no limit on how many entries a feed keeps: all of them stay known.
    feed = FakeAlertsFeed(server, etag=False)
    for n in range(600):
        feed.add(f"Brioche &amp; Co n°{n}", f"https://forum.example/t/{n}", at=NOW - 60 * n)
    async with source_for("rss", url=feed.url) as source:
        first = await source.fetch(None)
        again = await source.fetch(first.cursor)
        feed.add("Brioche &amp; Co, la suite", "https://forum.example/t/new", at=NOW + 60)
        third = await source.fetch(again.cursor)
    assert len(first.messages) == 600
    assert again.messages == []
    assert [m.url for m in third.messages] == ["https://forum.example/t/new"]


async def test_an_rss_author_is_named_not_mailed(store, server):
    # RSS 2.0: <author> is "the email address of the author", usually "jo@example.com (Jo Smith)";
    # feedparser gives its parts in author_detail. The name is shown, the address is not.
    server.route("GET", "/forum.rss", lambda r: Reply(200, """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Forum</title>
<item><title>Brioche &amp; Co : avis ?</title><link>https://forum.example.fr/t/1</link><guid>t-1</guid>
<author>jean.dupont@example.fr (Jean Dupont)</author></item>
<item><title>Brioche &amp; Co, encore</title><link>https://forum.example.fr/t/2</link><guid>t-2</guid>
<author>anonyme@example.fr</author></item>
<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>Brioche &amp; Co, merci</title>
<link>https://forum.example.fr/t/3</link><guid>t-3</guid><dc:creator>Marie</dc:creator></item>
</channel></rss>""".encode(), {"Content-Type": "application/rss+xml; charset=utf-8"}))
    async with source_for("rss", url=server.url + "/forum.rss") as source:
        page = await source.fetch(None)
    authors = {m.url.rsplit("/", 1)[1]: (m.author_name, m.author_handle) for m in page.messages}
    # A named author is that person, not the site: two reviewers on one site are two people
    # (the site as handle made every reviewer a repeat contact of every other). An entry without
    # an author is the site's own.
    assert authors == {"1": ("Jean Dupont", ""), "2": ("forum.example.fr", "forum.example.fr"), "3": ("Marie", "")}


async def test_two_reviewers_of_one_feed_are_not_one_person(store, server):
    from cminbox.store.scoring import author_key

    server.route("GET", "/reviews.atom", lambda r: Reply(200, """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Avis</title><id>avis</id><updated>2026-11-20T10:00:00Z</updated>
<entry><title>Top</title><id>r1</id><link href="https://avis.example.com/r/1"/><updated>2026-11-20T10:00:00Z</updated><author><name>Kim</name></author></entry>
<entry><title>Bof</title><id>r2</id><link href="https://avis.example.com/r/2"/><updated>2026-11-20T11:00:00Z</updated><author><name>Dave R.</name></author></entry>
</feed>""".encode(), {"Content-Type": "application/atom+xml"}))
    async with source_for("rss", url=server.url + "/reviews.atom", kind="review") as source:
        page = await source.fetch(None)
    keys = {author_key(m.network, m.author_handle or "", m.author_name or "") for m in page.messages}
    assert len(keys) == 2


async def test_a_placeholder_date_is_read_as_first_seen_not_refused(store, server):
    # Feeds without a real date often write the Unix epoch, which the store would refuse as no date.
    server.route("GET", "/old.rss", lambda r: Reply(200, b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Forum</title>
<item><title>Brioche &amp; Co : avis ?</title><link>https://forum.example.fr/t/9</link><guid>t-9</guid>
<pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate></item>
</channel></rss>""", {"Content-Type": "application/rss+xml"}))
    async with engine_for(store, make_entry("rss", key="old", url=server.url + "/old.rss")) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 1
    [stored] = [store.message(i) for i in store.folder_ids(1, "all")[0]]
    assert stored.created_at == NOW


async def test_an_unreadable_stored_cursor_starts_afresh(feed):
    async with source_for("rss", url=feed.url) as source:
        page = await source.fetch("{not json")
    assert len(page.messages) == 2


def test_google_redirects_are_unwrapped():
    wrapped = "https://www.google.com/url?rct=j&sa=t&url=https://www.leprogres.fr/a%3Fb%3D1&ct=ga&usg=x"
    assert unwrap_redirect(wrapped) == "https://www.leprogres.fr/a?b=1"
    assert unwrap_redirect("https://www.google.fr/url?q=https://x.example/") == "https://x.example/"
    assert unwrap_redirect("https://evil.example/url?url=https://x.example/") == "https://evil.example/url?url=https://x.example/"
    assert unwrap_redirect("https://www.google.com/url?url=javascript:alert(1)").startswith("https://www.google.com/")


def test_a_feed_entry_needs_its_url():
    from cminbox.sources.registry import build
    from sourcekit import secrets

    with pytest.raises(ValueError, match="url"):
        build(make_entry("rss"), None, secrets())
