"""RSS / Atom feeds: alert feeds (Google Alerts, Talkwalker Alerts), forums, review sites.

Each entry is a mention (or a review, with `kind = "review"`). The feed is fetched with a
conditional GET (ETag / Last-Modified): an unchanged feed costs a 304 and nothing else. Entries
already seen are remembered in the cursor, so a feed that keeps its last 20 entries is not
re-scored on every poll. HTML in titles and summaries becomes plain text; Google Alerts' redirect
links (`https://www.google.com/url?…&url=REAL`) are unwrapped to the real address.

    [[sources]]
    type = "rss"
    workspace = "brioche"
    url = "https://www.google.com/alerts/feeds/0123/4567"
    kind = "mention"          # or "review"
    network = "rss"           # or the site's network code (trustpilot, google…) for review feeds
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import io
import json
import re
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

from ..models import NETWORKS, Incoming
from .apidata import load_cursor
from .base import Page, PayloadError, Source
from .html import html_to_text
from .items import one_item

# How many entry ids the cursor remembers: more than any feed keeps at once.
_SEEN = 500
# Dates before this are placeholders ("Thu, 01 Jan 1970" where a feed has no date), which the store
# would refuse: such an entry is dated when first seen, like an undated one.
_PLACEHOLDER_DATES = 946_684_800  # 2000-01-01
_GOOGLE_HOST = re.compile(r"^(www\.)?google\.[a-z.]+$")
# European zone names as offsets: RFC 822 names only American zones, and feedparser reads any
# other name as UTC ("10:35:00 CEST", as Java and Go servers write it, came in two hours late).
_ZONE_NAMES = {"WET": "+0000", "WEST": "+0100", "BST": "+0100", "CET": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300"}
_ZONE_AT_END = re.compile(r"\s([A-Za-z]{3,4})\s*$")


def unwrap_redirect(link: str | None) -> str | None:
    """The real address behind a Google (Alerts) redirect link; other links unchanged."""
    if not link:
        return link
    try:
        parts = urlsplit(link)
    except ValueError:
        return link
    if parts.path == "/url" and _GOOGLE_HOST.match((parts.hostname or "").lower()):
        query = parse_qs(parts.query)
        for name in ("url", "q"):
            target = (query.get(name) or [""])[0]
            if target.startswith(("http://", "https://")):
                return target
    return link


def _european_zone_time(date: object) -> float | None:
    """The time of an RFC 822 date whose zone is a European name (read with its offset, so
    whatever feedparser makes of the name does not matter); None for any other date."""
    found = _ZONE_AT_END.search(date) if isinstance(date, str) else None
    offset = _ZONE_NAMES.get(found.group(1).upper()) if found else None
    if offset is None:
        return None
    try:
        return parsedate_to_datetime(date[: found.start(1)] + offset).timestamp()
    except (TypeError, ValueError):  # not an RFC 822 date after all: feedparser's reading stands
        return None


def _text(detail, value: str | None) -> str:
    """An entry field as plain text, whether the feed declared it HTML or text."""
    if not value:
        return ""
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, dict) else "text/html"
    return html_to_text(value) if "html" in kind else value.strip()


def _shared_ids(entries) -> frozenset[str]:
    """The ids a feed gives to several different entries (other links or titles), as some
    generators do with the site's address or a template's "0"; the same entry listed twice is
    still one entry."""
    found: dict[str, set] = {}
    for entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(ident, str) and ident:
            found.setdefault(ident, set()).add((entry.get("link"), entry.get("title")))
    return frozenset(ident for ident, variants in found.items() if len(variants) > 1)


class RssSource(Source):
    type = "rss"
    network = "rss"
    default_interval = 15 * 60.0

    def __init__(self, entry, http, secret) -> None:
        super().__init__(entry, http, secret)
        url = entry.options.get("url") or entry.base_url
        if not isinstance(url, str) or not url:
            raise ValueError('url = "https://…" (the feed\'s address) is required')
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"url must be a web address, http:// or https:// (not {url[:60]!r}); a feed file on this "
                             "computer can be served with `python3 -m http.server` from its folder")
        self.url = url
        self.kind = entry.options.get("kind", "mention")
        if self.kind not in ("mention", "review", "comment"):
            raise ValueError('kind must be "mention", "review" or "comment"')
        self.network_code = entry.options.get("network", "rss")
        if self.network_code not in NETWORKS:
            raise ValueError(f"network must be one of {', '.join(NETWORKS)}")

    async def fetch(self, cursor: str | None) -> Page:
        state = load_cursor(cursor)  # an unreadable one starts afresh rather than failing every poll
        headers = {"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("modified"):
            headers["If-Modified-Since"] = state["modified"]
        response = await self.http.request("GET", self.url, label=self.label, headers=headers)
        if response.status_code == 304:
            return Page([], None)
        # Parsing a big feed takes a while: off the event loop, so the app's screen stays live.
        feed = await asyncio.to_thread(self._parse, response)
        known = set(state.get("seen", []))
        language = (feed.feed.get("language") or "")[:2].lower() or None
        messages = []
        in_feed: dict[str, None] = {}  # every entry of this document, new or not, in feed order
        shared = _shared_ids(feed.entries)
        for entry in feed.entries:
            with one_item(dict(entry), "feed entry"):
                message = self._message(entry, language, shared)
                if message is None:
                    continue
                if message.native_id not in known and message.native_id not in in_feed:
                    messages.append(message)
                in_feed[message.native_id] = None
        # Remember all that the feed holds now, even past _SEEN (keeping only some of a big feed's
        # entries would bring the others back as new at every poll), and the latest older ids.
        older = [i for i in state.get("seen", []) if i not in in_feed]
        room = max(0, _SEEN - len(in_feed))
        seen = (older[-room:] if room else []) + list(in_feed)
        new_state = {
            "etag": response.headers.get("etag"),
            "modified": response.headers.get("last-modified"),
            "seen": seen,
        }
        return Page(messages, json.dumps(new_state))

    def _parse(self, response):
        import feedparser  # on first fetch only: it is slow to import

        # A stream, never a string: feedparser would fetch a string that looks like a URL, or
        # open one that names a file. Its HTML sanitiser is skipped (it is most of the parsing
        # time): every field becomes plain text in `html_to_text`, which keeps no markup at all.
        feed = feedparser.parse(
            io.BytesIO(response.content),
            response_headers={
                "content-type": response.headers.get("content-type", "application/xml"),
                "content-location": str(response.url),
            },
            sanitize_html=False,
            resolve_relative_uris=False,
        )
        if not feed.get("version") and not feed.entries:
            problem = type(feed.get("bozo_exception")).__name__ if feed.get("bozo") else "no entries"
            raise PayloadError(f"{self.label}: {urlsplit(self.url).hostname} did not send an RSS or Atom feed ({problem})")
        return feed

    def _message(self, entry, language: str | None, shared: frozenset[str] = frozenset()) -> Incoming | None:
        link = unwrap_redirect(entry.get("link"))
        title = _text(entry.get("title_detail"), entry.get("title"))
        summary = _text(entry.get("summary_detail"), entry.get("summary"))
        if not summary and entry.get("content"):
            first = entry["content"][0]
            summary = _text(first, first.get("value"))
        if not (title or summary):
            return None
        digest = hashlib.sha1((title + summary).encode()).hexdigest()
        native = entry.get("id") or link or digest
        if native in shared:  # one guid written on every entry identifies none of them: the link does
            native = link or digest
        field = "published" if entry.get("published_parsed") else "updated"
        when = entry.get(f"{field}_parsed")
        created = (_european_zone_time(entry.get(field)) or calendar.timegm(when)) if when else None
        if created is None or created < _PLACEHOLDER_DATES:  # undated, or "Thu, 01 Jan 1970": first seen now
            created = self.http.clock()
        host = (urlsplit(link).hostname or "") if link else ""
        # RSS 2.0's <author> is an e-mail address ("jo@example.com (Jo Smith)"): feedparser splits it
        # into author_detail's name and email; the name is who wrote it, the address is not shown.
        detail = entry.get("author_detail") if isinstance(entry.get("author_detail"), dict) else {}
        author = html_to_text(detail.get("name") or ("" if detail.get("email") else entry.get("author")) or "")
        text = f"{title}\n{summary}" if title and summary and not summary.startswith(title) else (summary or title)
        return Incoming(
            native_id=str(native),
            network=self.network_code,
            kind=self.kind,
            text=text,
            created_at=float(created),
            # A named author is that person; without one, the entry is the site's (an alert's
            # article). The site as every reviewer's handle made them all one repeat contact.
            author_name=author or host.removeprefix("www."),
            author_handle="" if author else host.removeprefix("www."),
            url=link,
            uri=link,
            lang=language if language in ("fr", "en") else None,
        )

    async def verify(self) -> str:
        page = await self.fetch(None)
        return f"feed reachable, {len(page.messages)} entries"
