"""Reddit: the account's inbox (comment and post replies, username mentions, private messages) and
a search of the brand terms, through a "script" app.

Signs in with the OAuth password grant (`POST /api/v1/access_token` on www.reddit.com, the app's
client id and secret as HTTP Basic), then calls oauth.reddit.com with the bearer token, renewed
when it expires or is refused once. Every request carries the descriptive User-Agent Reddit
requires (`python:cminbox:<version> (by /u/<username>)`) and `raw_json=1` (no HTML entities in
text). Listings are newest first: each sync walks back with `after` (fullnames, `t1_…`) until the
newest item already read. `x-ratelimit-*` headers are honoured by the shared `Http`.

Replies are `POST /api/comment` with the fullname as `thing_id` (a comment, a post or a private
message). Reddit has no idempotency key: before posting, our latest comments (or sent messages)
are checked for the same answer to the same thing, so a retry after a timeout never posts twice.
"""

from __future__ import annotations

import base64
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import __version__
from ..models import Incoming
from ..textsafe import clean_line
from .apidata import TimeMark, check_reads, dump_cursor, expect, load_cursor, text_of
from .base import AuthError, Page, PayloadError, RateLimited, ReplyTarget, Sent, Source, SourceError
from .html import html_to_text
from .http import decode_json
from .items import one_item
from .reads import Reads

if TYPE_CHECKING:
    from ..config import SourceEntry
    from .http import Http
    from .registry import Secret

READS = ("inbox", "search")
API_BASE = "https://oauth.reddit.com"
AUTH_BASE = "https://www.reddit.com"
SITE = "https://www.reddit.com"
PAGE_SIZE = 100
MAX_PAGES = 10  # Reddit listings stop at about 1,000 items anyway
TOKEN_MARGIN = 60.0  # renew the token this long before Reddit says it expires
RATELIMIT_WAIT = 60.0  # when a RATELIMIT error gives no duration
# Reddit's search index takes in some posts late (minutes, at times hours): the search is read
# again this far back before its newest post, so a post indexed late is not taken as read.
SEARCH_OVERLAP = 3 * 3600.0
_KINDS = {"comment_reply": "comment", "post_reply": "comment", "username_mention": "mention"}
# What Reddit writes as the author of a deleted account's comment, post or message: not a person
# (counted as one, every deleted author would be the same "repeat" customer).
_NO_AUTHOR = "[deleted]"
# What Reddit puts in place of a post's text once removed (by moderators, by Reddit) or deleted.
_GONE = frozenset({"[removed]", "[deleted]", "[ Removed by Reddit ]"})
# Reddit's own removals may also say why, in a sentence: "[ Removed by reddit in response to a
# copyright notice. ]", "[ Removed by reddit on account of violating the content policy. ]".
_REMOVED_BY_REDDIT = "[ removed by reddit"


class RedditSource(Source):
    type = "reddit"
    credential_sets = (frozenset({"client_secret", "password"}),)
    network = "reddit"
    can_reply = True
    default_interval = 300.0

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        super().__init__(entry, http, secret)
        self.username = str(entry.options.get("username") or "").strip().removeprefix("u/").removeprefix("/u/")
        self.client_id = str(entry.options.get("client_id") or "").strip()
        if not self.username:
            raise ValueError('a reddit source needs username = "…" (the account the script app belongs to)')
        if not self.client_id:
            raise ValueError('a reddit source needs client_id = "…" (under the app\'s name at reddit.com/prefs/apps)')
        self.reads = check_reads(entry.read, READS, "reddit")
        self.base = (entry.base_url or API_BASE).rstrip("/")
        self.auth_base = str(entry.options.get("auth_url") or AUTH_BASE).rstrip("/")
        self.user_agent = str(entry.options.get("user_agent") or f"python:cminbox:{__version__} (by /u/{self.username})")
        # Reddit's search has no hashtags: "#BriocheAndCo" is searched as the word.
        words = dict.fromkeys(t.strip().lstrip("#") for t in entry.terms if t.strip().lstrip("#"))
        self.query = " OR ".join(f'"{w}"' for w in words)
        self._token: str | None = None
        self._token_until = 0.0

    # -- the token ----------------------------------------------------------------------

    async def _access_token(self) -> str:
        if self._token and self.http.clock() < self._token_until:
            return self._token
        basic = base64.b64encode(f"{self.client_id}:{self.secret('client_secret')}".encode()).decode()
        response = await self.http.request(
            "POST", self.auth_base + "/api/v1/access_token", label=self.label,
            headers={"Authorization": f"Basic {basic}", "User-Agent": self.user_agent},
            data={"grant_type": "password", "username": self.username, "password": self.secret("password")},
            auth_statuses=(400, 401, 403),
        )
        body = expect(decode_json(response, self.label), dict, "the token endpoint", self.label)
        if body.get("error") or not body.get("access_token"):
            # Reddit answers a wrong password with 200 and {"error": "invalid_grant"}.
            raise AuthError(f"{self.label}: Reddit refused the username or password ({body.get('error', 'no token')}): re-authenticate")
        expires = body.get("expires_in")
        lifetime = float(expires) if isinstance(expires, (int, float)) else 3600.0
        self._token, self._token_until = str(body["access_token"]), self.http.clock() + max(0.0, lifetime - TOKEN_MARGIN)
        return self._token

    async def _call(self, method: str, path: str, *, params: dict | None = None, data: dict | None = None) -> object:
        """One API call with the bearer token; a refused token is renewed once, then reported."""
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {await self._access_token()}", "User-Agent": self.user_agent}
            response = await self.http.request(
                method, self.base + path, label=self.label, headers=headers,
                params={**(params or {}), "raw_json": "1"}, data=data, ok_statuses=(401,) if attempt == 1 else (),
            )
            if response.status_code == 401:
                self._token = None
                continue
            return decode_json(response, self.label)
        raise AuthError(f"{self.label}: Reddit refused the token: re-authenticate")  # pragma: no cover

    async def verify(self) -> str:
        me = expect(await self._call("GET", "/api/v1/me"), dict, "/api/v1/me", self.label)
        return f"u/{me.get('name') or self.username}"

    # -- fetching -----------------------------------------------------------------------

    async def fetch(self, cursor: str | None) -> Page:
        state = load_cursor(cursor)
        messages: list[Incoming] = []
        reads = Reads(self.label)
        if "inbox" in self.reads:
            with reads.part("inbox"):
                found, state["inbox"] = await self._walk("/message/inbox", {}, state.get("inbox"), self._inbox_message)
                messages += found
        if "search" in self.reads and self.query:
            with reads.part("search"):
                marks = state.get("search") or {}
                params = {"q": self.query, "sort": "new", "type": "link"}
                found, mark = await self._walk("/search", params, marks.get(self.query), self._post_message,
                                               overlap=SEARCH_OVERLAP)
                state["search"] = {self.query: mark}  # a changed query starts its own mark
                messages += found
        return reads.page(messages, dump_cursor(state))

    async def _walk(self, path: str, params: dict, raw_mark: object, convert, *, overlap: float = 0.0
                    ) -> tuple[list[Incoming], dict]:
        """A listing, newest first, page by page with `after` until what was already read.

        With an `overlap`, the walk goes on that far back before the newest item read: what
        appears there late is new unless its name is among those read there (`recent`)."""
        mark = TimeMark(raw_mark)
        recent = _recent(raw_mark) if overlap else {}
        messages: list[Incoming] = []
        after = None
        for _ in range(MAX_PAGES):
            query = {**params, "limit": str(PAGE_SIZE), **({"after": after} if after else {})}
            listing = expect(await self._call("GET", path, params=query), dict, path, self.label)
            data = listing.get("data") if isinstance(listing.get("data"), dict) else None
            if data is None or not isinstance(data.get("children"), list):
                raise PayloadError(f"{self.label}: {path} did not answer with a listing as documented")
            reached_mark = False
            for child in data["children"]:
                thing = child.get("data") if isinstance(child, dict) and isinstance(child.get("data"), dict) else None
                if thing is None:
                    continue
                thing = _unescaped(thing)
                created = thing.get("created_utc")
                when = float(created) if isinstance(created, (int, float)) and not isinstance(created, bool) else None
                name = thing.get("name")
                if mark.known(when + overlap if when is not None else None, name):
                    reached_mark = True
                    continue
                if isinstance(name, str) and name in recent:
                    continue
                mark.note(when, name)
                if overlap and when is not None and isinstance(name, str):
                    recent[name] = when
                with one_item(child, "Reddit item", lambda: thing["name"]):
                    message = convert(child.get("kind"), thing)
                    if message:
                        messages.append(message)
            after = data.get("after")
            if reached_mark or not after or mark.empty:
                break
        if not overlap:
            return messages, mark.dump()
        since = (mark.at or 0.0) - overlap
        return messages, {**mark.dump(), "recent": {n: t for n, t in recent.items() if t >= since}}

    def _inbox_message(self, kind: str | None, thing: dict) -> Incoming | None:
        author = _author(thing)
        if isinstance(author, str) and author.casefold() == self.username.casefold():
            return None
        context = str(thing.get("context") or "")
        if kind == "t4" or thing.get("was_comment") is False:
            message_kind = "dm"
            sender = author or (f"r/{thing['subreddit']}" if thing.get("subreddit") else "")
            url = f"{SITE}/message/messages/{thing.get('id')}" if thing.get("id") else None
            thread = thing.get("first_message_name") or thing.get("name")
            uri = url
        else:
            message_kind = _KINDS.get(str(thing.get("type")), "comment")
            sender = author or ""
            path = urlsplit(context).path if context else ""
            url = SITE + context if context else None
            uri = SITE + path if path else None
            thread = _link_fullname(path)
        text = html_to_text(thing.get("body_html")) if thing.get("body_html") else text_of(thing.get("body"))
        subject = thing.get("link_title") if message_kind != "dm" else thing.get("subject")
        return self._message(thing, message_kind, text, sender, url=url, uri=uri, thread=thread, title=subject)

    def _post_message(self, kind: str | None, thing: dict) -> Incoming | None:
        author = _author(thing)
        if isinstance(author, str) and author.casefold() == self.username.casefold():
            return None
        html = thing.get("selftext_html")
        body = html_to_text(html) if html else text_of(thing.get("selftext"))
        if _gone(body):  # removed or deleted since: the title is all that is left of its words
            body = ""
        title = text_of(thing.get("title"))
        permalink = str(thing.get("permalink") or "")
        text = body or (thing.get("url") if thing.get("url") and not thing.get("is_self") else "") or title
        return self._message(thing, "mention", str(text), author or "", url=SITE + permalink if permalink else thing.get("url"),
                             uri=SITE + permalink if permalink else None, thread=None, title=title or None)

    def _message(self, thing: dict, kind: str, text: str, sender: str, *, url, uri, thread, title) -> Incoming:
        created = thing.get("created_utc")
        parent = thing.get("parent_id")
        return Incoming(
            native_id=str(thing.get("name") or ""),
            network=self.network,
            kind=kind,
            text=text,
            created_at=created if isinstance(created, (int, float)) else str(created),
            author_name=str(sender),
            author_handle=f"u/{sender}" if sender and not sender.startswith("r/") else str(sender),
            url=url,
            uri=uri,
            parent_id=str(parent) if parent else None,
            thread_id=str(thread) if thread and thread != thing.get("name") else None,
            title=str(title) if title else None,
            extra={"subreddit": thing.get("subreddit")} if thing.get("subreddit") else {},
        )

    # -- replying -----------------------------------------------------------------------

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        thing_id = target.native_id
        if thing_id[:3] not in ("t1_", "t3_", "t4_"):
            raise PayloadError(f"{self.label}: {thing_id!r} is not something Reddit can answer")
        existing = await self._already_sent(thing_id, text)
        if existing:
            return existing
        answer = expect(
            await self._call("POST", "/api/comment", data={"thing_id": thing_id, "text": text, "api_type": "json"}),
            dict, "/api/comment", self.label,
        )
        body = answer.get("json") if isinstance(answer.get("json"), dict) else {}
        errors = body.get("errors") or []
        if errors:
            codes = [str(e[0]) for e in errors if isinstance(e, list) and e]
            if "RATELIMIT" in codes:
                wait = body.get("ratelimit")
                wait = float(wait) if isinstance(wait, (int, float)) else RATELIMIT_WAIT
                raise RateLimited(f"{self.label}: Reddit asks to wait before commenting again ({int(wait) + 1} s)", wait)
            # Each error is [CODE, explanation, field]: the explanation says what went wrong in words
            # ("that comment has been deleted"), the code names it for a bug report.
            said = [f"{clean_line(str(e[1]))[:200]} ({e[0]})" if len(e) > 1 and e[1] else str(e[0])
                    for e in errors if isinstance(e, list) and e]
            raise SourceError(f"{self.label}: Reddit refused the reply: {'; '.join(said) or 'unknown error'}")
        things = ((body.get("data") or {}).get("things") or []) if isinstance(body.get("data"), dict) else []
        created = things[0].get("data", {}) if things and isinstance(things[0], dict) else {}
        return _sent(created)

    async def _already_sent(self, thing_id: str, text: str) -> Sent | None:
        """Our latest comments (or sent messages) answering `thing_id` with this text, if any."""
        path = "/message/sent" if thing_id.startswith("t4_") else f"/user/{self.username}/comments"
        listing = expect(await self._call("GET", path, params={"limit": "25"}), dict, path, self.label)
        children = (listing.get("data") or {}).get("children") if isinstance(listing.get("data"), dict) else None
        for child in children or []:
            thing = child.get("data") if isinstance(child, dict) and isinstance(child.get("data"), dict) else {}
            if thing.get("parent_id") == thing_id and str(thing.get("body") or "").strip() == text.strip():
                return _sent(thing)
        return None


def _recent(raw_mark: object) -> dict[str, float]:
    """The names read within the overlap, and their times, from a stored mark."""
    raw = raw_mark.get("recent") if isinstance(raw_mark, dict) else None
    if not isinstance(raw, dict):
        return {}
    return {str(n): float(t) for n, t in raw.items() if isinstance(t, (int, float)) and not isinstance(t, bool)}


def _author(thing: dict) -> str | None:
    author = thing.get("author")
    return None if author == _NO_AUTHOR else author


def _gone(body: str) -> bool:
    """Whether a post's text is Reddit's placeholder for words removed or deleted."""
    return body in _GONE or (body.casefold().startswith(_REMOVED_BY_REDDIT) and body.endswith("]"))


def _sent(thing: dict) -> Sent:
    permalink = thing.get("permalink") or thing.get("context")
    return Sent(native_id=thing.get("name") or None, url=SITE + str(permalink) if permalink else None)


_LEGACY_ENTITIES = ("&amp;", "&lt;", "&gt;")


def _unescaped(thing: dict) -> dict:
    """The thing as raw_json=1 gives it. We ask for that; without it (a recorded answer, another
    client's) Reddit escapes &, < and > in every string, its HTML included ("&lt;div
    class="md"&gt;…"), which would read as tags and "&amp;"."""
    html = thing.get("body_html") or thing.get("selftext_html")
    if isinstance(html, str):
        escaped = html.lstrip().startswith("&lt;")
    else:  # a link post or a message without HTML: its title, body or link tells (a link's "&" too)
        texts = [v for v in (thing.get("title"), thing.get("body"), thing.get("subject"), thing.get("url"))
                 if isinstance(v, str)]
        escaped = any(entity in text for text in texts for entity in _LEGACY_ENTITIES)
    return {k: unescape(v) if isinstance(v, str) else v for k, v in thing.items()} if escaped else thing


def _link_fullname(path: str) -> str | None:
    """`t3_<id>` of the post a comment belongs to, from its path `/r/<sub>/comments/<id>/…`."""
    parts = path.strip("/").split("/")
    if "comments" in parts:
        index = parts.index("comments")
        if index + 1 < len(parts) and parts[index + 1]:
            return "t3_" + parts[index + 1]
    return None
