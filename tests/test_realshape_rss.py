"""RSS / Atom feeds in shapes real sites send, beyond the well-formed Google Alerts of the fake."""

from __future__ import annotations

from datetime import datetime, timezone


from fakeserver import Reply
from sourcekit import source_for


def _rss(*items: tuple[str, str, str]) -> bytes:
    """An RSS 2.0 document of (title, link, guid) items, newest first."""
    body = "".join(f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid></item>"
                   for title, link, guid in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Avis</title>{body}</channel></rss>'.encode()


async def test_entries_sharing_one_guid_are_each_read_and_a_later_one_still_arrives(server):
    # RSS 2.0 says a guid identifies its item, but some generators write one value for every item
    # (the site's address, a template's "0"): trusted as an identity, it kept the first entry only,
    # and every later entry passed for one already seen.
    items = [("Brioche &amp; Co : livraison en retard", "https://avis.example/r/2", "https://avis.example/"),
             ("Brioche &amp; Co : très bon accueil", "https://avis.example/r/1", "https://avis.example/")]
    server.route("GET", "/feed", lambda r: Reply(200, _rss(*items), {"Content-Type": "application/rss+xml"}))
    async with source_for("rss", url=server.url + "/feed") as source:
        first = await source.fetch(None)
        items.insert(0, ("Brioche &amp; Co : colis abîmé", "https://avis.example/r/3", "https://avis.example/"))
        second = await source.fetch(first.cursor)
        third = await source.fetch(second.cursor)
    assert sorted(m.url for m in first.messages) == ["https://avis.example/r/1", "https://avis.example/r/2"]
    assert [m.url for m in second.messages] == ["https://avis.example/r/3"]
    assert third.messages == []


async def test_the_same_entry_twice_in_one_feed_is_still_one_message(server):
    item = ("Brioche &amp; Co ouvre à Lyon", "https://news.example/lyon", "news-1")
    server.route("GET", "/feed", lambda r: Reply(200, _rss(item, item), {"Content-Type": "application/rss+xml"}))
    async with source_for("rss", url=server.url + "/feed") as source:
        page = await source.fetch(None)
    assert [(m.native_id, m.url) for m in page.messages] == [("news-1", "https://news.example/lyon")]


def _utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()


async def test_european_zone_names_in_a_pubdate_are_not_read_as_utc(server):
    # RFC 822 names only American zones, and feedparser reads any other name as UTC: a feed written
    # by a Java or Go server in Paris says "CEST" (seen in public feeds: "Tue, 19 Apr 2016 10:35:00
    # CEST"), which came in two hours late, in the future of every other message.
    dates = {"1": "Mon, 24 Nov 2025 16:00:00 CET", "2": "Tue, 03 Jun 2025 09:30:00 CEST",
             "3": "Tue, 03 Jun 2025 09:30:00 +0200", "4": "Tue, 03 Jun 2025 09:30:00 GMT",
             "5": "Wed, 04 Jun 2025 10:00:00 BST", "6": "Wed, 04 Jun 2025 10:00:00 EEST"}
    items = "".join(f"<item><title>Brioche &amp; Co n°{n}</title><link>https://forum.example.fr/t/{n}</link>"
                    f"<pubDate>{date}</pubDate></item>" for n, date in dates.items())
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Forum</title>{items}</channel></rss>'
    server.route("GET", "/feed", lambda r: Reply(200, body.encode(), {"Content-Type": "application/rss+xml"}))
    async with source_for("rss", url=server.url + "/feed") as source:
        page = await source.fetch(None)
    times = {m.url.rsplit("/", 1)[1]: m.created_at for m in page.messages}
    assert times == {"1": _utc("2025-11-24T15:00:00"), "2": _utc("2025-06-03T07:30:00"),
                     "3": _utc("2025-06-03T07:30:00"), "4": _utc("2025-06-03T09:30:00"),
                     "5": _utc("2025-06-04T09:00:00"), "6": _utc("2025-06-04T07:00:00")}


async def test_a_european_zone_counts_once_even_if_feedparser_learns_its_name(server, monkeypatch):
    # The name is read as its offset whatever feedparser makes of it: were a later feedparser to
    # know "CEST", the two hours must not be taken off twice.
    from feedparser.datetimes import rfc822

    monkeypatch.setitem(rfc822.timezone_names, "cest", 2)
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Forum</title>'
            "<item><title>Brioche &amp; Co</title><link>https://forum.example.fr/t/1</link>"
            "<pubDate>Tue, 03 Jun 2025 09:30:00 CEST</pubDate></item></channel></rss>")
    server.route("GET", "/feed", lambda r: Reply(200, body.encode(), {"Content-Type": "application/rss+xml"}))
    async with source_for("rss", url=server.url + "/feed") as source:
        page = await source.fetch(None)
    assert [m.created_at for m in page.messages] == [_utc("2025-06-03T07:30:00")]
