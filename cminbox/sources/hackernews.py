"""Hacker News: stories and comments naming the brand, from Algolia's HN Search API (no token).

`GET {base}/api/v1/search_by_date?query=TERM&tags=(story,comment)&numericFilters=created_at_i>T`
returns the newest items first, `hitsPerPage` at a time, with `page` / `nbPages` for paging.
The cursor is the newest `created_at_i` seen; each poll asks again from a little before it,
because Algolia indexes some items minutes late (what was already stored is only refreshed).
Replies are not possible through this API: copy and open.
"""

from __future__ import annotations

import json
import re

from ..models import Incoming
from . import options
from .apicall import iso_time
from .apidata import load_cursor
from .base import Page, PayloadError, Source
from .html import html_to_text
from .items import one_item

DEFAULT_BASE = "https://hn.algolia.com"
ITEM_URL = "https://news.ycombinator.com/item?id={}"
HITS_PER_PAGE = 100
# Pages per term per poll: a brand mentioned more than this between two polls is news indeed.
MAX_PAGES = 5
# Ask again from this long before the newest item seen: late indexing never loses an item.
OVERLAP = 15 * 60
# A first poll looks back this far (days), unless the entry says `backfill_days`.
BACKFILL_DAYS = 7


class HackerNewsSource(Source):
    type = "hackernews"
    network = "hackernews"
    default_interval = 10 * 60.0

    def __init__(self, entry, http, secret) -> None:
        super().__init__(entry, http, secret)
        # HN has no hashtags, and its index keeps "#" inside words (hn-search's `separatorsToIndex
        # '+#$'`): "#BriocheAndCo" would find only that literal spelling. Searched as the word.
        self.queries = list(dict.fromkeys(t.strip().lstrip("#") for t in entry.terms if t.strip().lstrip("#")))
        self.phrases = {term: _words(term) for term in self.queries}
        if not self.queries:
            raise ValueError(options.NEEDS_TERMS)
        self.base = (entry.base_url or DEFAULT_BASE) + "/api/v1/search_by_date"
        days = entry.options.get("backfill_days", BACKFILL_DAYS)
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            raise ValueError("backfill_days must be a whole number of days (0 to 3650)")
        self.backfill = days * 86400

    async def _search(self, term: str, since: int, page: int) -> dict:
        data = await self.http.get_json(
            self.base,
            label=self.label,
            params={
                "query": term,
                "tags": "(story,comment)",
                "numericFilters": f"created_at_i>{since}",
                "hitsPerPage": HITS_PER_PAGE,
                "page": page,
            },
        )
        if not isinstance(data, dict) or not isinstance(data.get("hits"), list):
            raise PayloadError(f"{self.label}: the search answer has no list of hits")
        return data

    async def fetch(self, cursor: str | None) -> Page:
        state = load_cursor(cursor)  # an unreadable one starts afresh rather than failing every poll
        newest = int(state.get("newest", 0))
        since = newest - OVERLAP if newest else int(self.http.clock()) - self.backfill
        messages: dict[str, Incoming] = {}
        for term in self.queries:
            page, pages = 0, 1
            while page < min(pages, MAX_PAGES):
                data = await self._search(term, since, page)
                for hit in data["hits"]:
                    if _found_by_author_only(hit) or not _names(hit, self.phrases[term]):
                        continue
                    with one_item(hit, "Hacker News hit", lambda: hit["objectID"]):
                        message = self._message(hit)
                        messages.setdefault(message.native_id, message)
                        newest = max(newest, int(message.created_at))
                pages = data.get("nbPages") if isinstance(data.get("nbPages"), int) else 1
                page += 1
        return Page(list(messages.values()), json.dumps({"newest": newest}))

    def _message(self, hit: dict) -> Incoming:
        """A hit as a message (a hit without an id or a time raises: `one_item` sets it aside)."""
        if not hit.get("objectID"):
            raise KeyError("objectID")
        object_id = str(hit["objectID"])
        created = hit.get("created_at_i")
        if not isinstance(created, (int, float)):
            created = iso_time(hit.get("created_at"), "Hacker News")
        tags = hit.get("_tags") or []
        is_comment = "comment" in tags or hit.get("comment_text") is not None
        if is_comment:
            text = html_to_text(hit.get("comment_text"))
            title = hit.get("story_title")
        else:
            parts = [hit.get("title") or "", html_to_text(hit.get("story_text")), hit.get("url") or ""]
            text = "\n".join(p for p in parts if p)
            title = None
        url = ITEM_URL.format(object_id)
        story = hit.get("story_id")
        parent = hit.get("parent_id")
        return Incoming(
            native_id=object_id,
            network="hackernews",
            kind="mention",
            text=text,
            created_at=float(created),
            author_name=str(hit.get("author") or ""),
            author_handle=str(hit.get("author") or ""),
            url=url,
            uri=url,
            title=str(title) if title else None,
            parent_id=str(parent) if is_comment and parent else None,
            thread_id=str(story) if is_comment and story else None,
            extra={"points": hit["points"]} if isinstance(hit.get("points"), int) else {},
        )

    async def verify(self) -> str:
        await self._search(self.queries[0], int(self.http.clock()) - 86400, 0)
        return "search reachable (no account needed)"


# What hn-search indexes besides the author's name (`attributesToIndex`); it matches every word
# by prefix, so "brioche" also finds a comment by "briochefan" on anything at all.
_WORDS_FIELDS = ("title", "story_text", "comment_text", "url")


def _found_by_author_only(hit: object) -> bool:
    """Whether Algolia found this hit through its author's name alone (`_highlightResult`): no
    mention of the brand. A hit without highlights is kept."""
    highlights = hit.get("_highlightResult") if isinstance(hit, dict) else None
    if not isinstance(highlights, dict):
        return False

    def matched(field: str) -> bool:
        entry = highlights.get(field)
        return isinstance(entry, dict) and entry.get("matchLevel", "none") != "none"

    return matched("author") and not any(map(matched, _WORDS_FIELDS))


# A word as hn-search cuts the text (its `separatorsToIndex` keeps "+", "#" and "$" in words).
_WORD_RE = re.compile(r"[\w+#$]+")


def _words(text: str) -> list[str]:
    from ..triage.text import fold  # case and accents, as Algolia ignores them

    return _WORD_RE.findall(fold(text))


def _names(hit: object, phrase: list[str]) -> bool:
    """Whether a hit has a multi-word term's words in a row (each as a word's start, as Algolia
    matches them) in one of the fields it indexes. Algolia finds a hit with the words anywhere:
    "Brioche & Co" brought every post with "brioche" and a word starting with "co". A one-word
    term, and a hit whose fields cannot be read, are taken as Algolia found them."""
    if len(phrase) < 2 or not isinstance(hit, dict):
        return True
    for field in _WORDS_FIELDS:
        value = hit.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            return True  # for `_message` to report as unreadable, not to drop unsaid
        words = _words(html_to_text(value) if field in _HTML_FIELDS else value)
        last = len(words) - len(phrase)
        if any(all(words[at + i].startswith(w) for i, w in enumerate(phrase)) for at in range(last + 1)):
            return True
    return False


_HTML_FIELDS = ("story_text", "comment_text")
