"""Fake feed servers that answer as the real ones do: a Google Alerts Atom feed and Algolia's HN search.

    feed = FakeAlertsFeed(server)          # routes GET /alerts/feeds/1/2, with ETag / 304
    feed.add("Brioche & Co ouvre à Lyon", "https://www.leprogres.fr/lyon/brioche")
    hn = FakeHackerNews(server)            # routes GET /api/v1/search_by_date
    hn.add_comment("Brioche & Co charged me twice", author="pg")

Shapes follow the real answers: Google Alerts entries are Atom with `type="html"` titles holding
<b> tags and links through https://www.google.com/url?…&url=REAL; HN hits carry objectID,
created_at(_i), author, comment_text or title/url/story_text, story_id, parent_id, _tags.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timezone
from html import escape
from urllib.parse import quote

from fakeserver import FakeServer, Reply, Request

NOW = 1_764_000_000


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeAlertsFeed:
    PATH = "/alerts/feeds/0123456789/9876543210"

    def __init__(self, server: FakeServer, *, path: str = PATH, etag: bool = True) -> None:
        self.server = server
        self.path = path
        self.entries: list[dict] = []
        self.version = 0
        self.etag = etag
        self.override: Reply | None = None  # answer this instead (errors, broken bodies)
        self._ids = itertools.count(12501224780620368192)
        server.route("GET", path, self.handle)

    @property
    def url(self) -> str:
        return self.server.url + self.path

    def add(self, title_html: str, link: str, content_html: str = "", *, at: float | None = None, redirect: bool = True) -> str:
        entry_id = f"tag:google.com,2013:googlealerts/feed:{next(self._ids)}"
        href = (f"https://www.google.com/url?rct=j&sa=t&url={link}&ct=ga&cd=CAIyGjUwMjhiYWRm&usg=AFQjCNGc3F9NBj810v4"
                if redirect else link)
        self.entries.insert(0, {"id": entry_id, "title": title_html, "link": href, "content": content_html,
                                "at": at or NOW - 60 * len(self.entries)})
        self.version += 1
        return entry_id

    def body(self) -> bytes:
        items = "".join(
            f"""<entry>
<id>{e['id']}</id>
<title type="html">{escape(e['title'])}</title>
<link href="{escape(e['link'])}"></link>
<published>{_iso(e['at'])}</published>
<updated>{_iso(e['at'])}</updated>
<content type="html">{escape(e['content'])}</content>
<author><name></name></author>
</entry>
"""
            for e in self.entries
        )
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">
<id>tag:google.com,2005:reader/user/0123456789/state/com.google/alerts/9876543210</id>
<title>Google Alert - Brioche &amp; Co</title>
<link href="https://www.google.com/alerts/feeds/0123456789/9876543210" rel="self"></link>
<updated>{_iso(NOW)}</updated>
{items}</feed>
""".encode()

    def handle(self, request: Request) -> Reply:
        if self.override is not None:
            return self.override
        tag = f'"v{self.version}"'
        if self.etag and request.headers.get("if-none-match") == tag:
            return Reply(304, b"", {"ETag": tag})
        headers = {"Content-Type": "application/atom+xml; charset=utf-8"}
        if self.etag:
            headers["ETag"] = tag
        return Reply(200, self.body(), headers)


_HN_INDEXED = ("title", "story_text", "comment_text", "url")


class FakeHackerNews:
    PATH = "/api/v1/search_by_date"

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.hits: list[dict] = []
        self.override: Reply | None = None
        self._ids = itertools.count(42_000_001)
        server.route("GET", self.PATH, self.handle)

    def add_comment(self, text_html: str, *, author: str = "jdoe", at: int | None = None, story_id: int = 41_999_999,
                    story_title: str = "Show HN: Brioche & Co's new ordering app") -> str:
        object_id = str(next(self._ids))
        self.hits.append({
            "created_at": _iso(at or NOW), "created_at_i": at or NOW, "author": author,
            "comment_text": text_html, "story_id": story_id, "story_title": story_title,
            "story_url": "https://brioche.example/app", "parent_id": story_id, "objectID": object_id,
            "_tags": ["comment", f"author_{author}", f"story_{story_id}"],
            "points": None, "num_comments": None, "title": None, "url": None, "story_text": None,
        })
        return object_id

    def add_story(self, title: str, *, url: str | None = None, text_html: str | None = None, author: str = "jdoe",
                  at: int | None = None, points: int = 3) -> str:
        object_id = str(next(self._ids))
        self.hits.append({
            "created_at": _iso(at or NOW), "created_at_i": at or NOW, "author": author, "title": title,
            "url": url, "story_text": text_html, "points": points, "num_comments": 0, "objectID": object_id,
            "story_id": int(object_id), "_tags": ["story", f"author_{author}", f"story_{object_id}"],
        })
        return object_id

    def handle(self, request: Request) -> Reply:
        if self.override is not None:
            return self.override
        query = (request.arg("query") or "").lower()
        since = 0
        for condition in (request.arg("numericFilters") or "").split(","):
            if condition.startswith("created_at_i>"):
                since = int(condition.split(">", 1)[1])
        per_page = int(request.arg("hitsPerPage", "20"))
        page = int(request.arg("page", "0"))

        words = re.findall(r"[\w+#$]+", query)  # as hn-search cuts words: "&" is a separator

        def matches(hit: dict) -> bool:
            # As hn-search indexes: title, story_text, comment_text, url, and the author's name.
            haystack = " ".join(str(hit.get(k) or "") for k in (*_HN_INDEXED, "author")).lower()
            return hit["created_at_i"] > since and all(word in haystack for word in words)

        def highlighted(hit: dict) -> dict:
            """Each highlighted field's match level, as `_highlightResult` gives it."""
            out = {}
            for field in (*_HN_INDEXED, "author", "story_title", "story_url"):
                if hit.get(field) is None:
                    continue
                value = str(hit[field]).lower()
                matched = [w for w in words if w in value]
                level = "full" if matched and len(matched) == len(words) else "partial" if matched else "none"
                out[field] = {"value": str(hit[field]), "matchLevel": level, "matchedWords": matched}
            return out

        found = sorted(({**h, "_highlightResult": highlighted(h)} for h in self.hits if matches(h)),
                       key=lambda h: -h["created_at_i"])
        pages = max(1, -(-len(found) // per_page))
        return Reply.json({
            "hits": found[page * per_page:(page + 1) * per_page],
            "nbHits": len(found), "page": page, "nbPages": pages, "hitsPerPage": per_page,
            "exhaustiveNbHits": True, "query": request.arg("query") or "",
            "params": f"query={quote(query)}&hitsPerPage={per_page}", "processingTimeMS": 1,
        })
