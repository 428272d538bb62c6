"""YouTube: comment threads on the channel's videos and their replies (YouTube Data API v3).

Reading needs an API key (`api_key`): `commentThreads?allThreadsRelatedToChannelId=…` newest
first, with the replies the thread carries; a thread with more replies than it carries (it
carries up to five) is completed with `comments?parentId=…`. Replying needs an OAuth token of
the channel (`token`, scope youtube.force-ssl): `comments.insert` with `snippet.parentId`.
Without one, replies are copy + open: the message's page is `watch?v=VIDEO&lc=COMMENT`.

Facts from the reference this module encodes: times come with and without milliseconds
(`2024-05-01T09:30:00Z`, `2024-05-01T09:30:00.123Z`); a reply's id is `<parent id>.<suffix>`;
an exhausted daily quota is HTTP 403 with reason `quotaExceeded` (it resets at midnight,
Pacific time); an invalid key is 400 `keyInvalid`; an expired OAuth token is 401.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import httpx

from ..config import SourceEntry
from ..models import Incoming
from . import options
from .apicall import body_of, excerpt, exchange, iso_time, json_object, pause, wait_from_headers
from .apidata import text_of
from .base import AuthError, NotSupported, Page, PayloadError, ReplyTarget, SourceError, Sent, Source, TemporaryError
from .html import html_to_text
from .http import Http
from .items import one_item
from .registry import Secret

DEFAULT_BASE = "https://www.googleapis.com/youtube/v3"
MAX_PAGES = 5
# Threads whose reply counts are remembered, so a new reply to an older thread is noticed.
_REMEMBERED_THREADS = 300


def parse_time(value: object) -> float:
    return iso_time(value, "YouTube")


def parent_of(comment_id: str) -> str | None:
    """The top-level comment a reply answers: its id is `<parent>.<suffix>`."""
    head, dot, _ = comment_id.partition(".")
    return head if dot else None


def watch_url(video_id: str | None, comment_id: str) -> str | None:
    return f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else None


def next_quota_reset(now: float) -> float:
    """Midnight Pacific time after `now` (the daily quota's reset)."""
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo("America/Los_Angeles")
    except Exception:  # no time zone database: assume PST
        zone = timezone(timedelta(hours=-8))
    local = datetime.fromtimestamp(now, zone)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.timestamp()


class YouTubeSource(Source):
    type = "youtube"
    credential_sets = (frozenset({"api_key"}), frozenset({"token"}))
    network = "youtube"
    default_interval = 600.0  # a list call costs 1 unit of a 10,000-unit daily quota

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        super().__init__(entry, http, secret)
        self.channel_id = options.text(entry, "channel_id", required=True)
        self.base = (entry.base_url or DEFAULT_BASE).rstrip("/")
        self.bucket = f"youtube:{entry.key}"
        # Replying through the API needs the channel's OAuth token; otherwise copy + open.
        self.can_reply = "token" in entry.credentials
        if "api_key" not in entry.credentials and "token" not in entry.credentials:
            raise ValueError('needs api_key = "env:YOUTUBE_API_KEY" to read (and token for replying)')

    # -- calls ------------------------------------------------------------------------------

    def _auth(self) -> tuple[dict, dict]:
        """(params, headers) that authenticate a read: the API key, else the OAuth token."""
        if "api_key" in self.entry.credentials:
            return {"key": self.secret("api_key")}, {}
        return {}, {"Authorization": f"Bearer {self.secret('token')}"}

    async def _call(self, method: str, path: str, *, params: dict, headers: dict | None = None,
                    json_body: object | None = None) -> dict:
        response = await exchange(self.http, method, f"{self.base}/{path}", label=self.label, bucket=self.bucket,
                                  params=params, headers=headers, json_body=json_body)
        return self._check(response)

    async def _list(self, path: str, **params: object) -> dict:
        auth_params, headers = self._auth()
        return await self._call("GET", path, params={**params, **auth_params}, headers=headers)

    def _check(self, response: httpx.Response) -> dict:
        status = response.status_code
        body = body_of(response)
        if status < 300:
            return json_object(body, self.label, "YouTube")
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        reasons = [e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)]
        # Google APIs now say "badRequest" for a bad key and put the precise reason in
        # `details[].reason` (an ErrorInfo: "API_KEY_INVALID", "API_KEY_EXPIRED").
        reasons += [d.get("reason") for d in error.get("details") or [] if isinstance(d, dict)]
        reasons = [r for r in reasons if isinstance(r, str) and r]
        # The messages are HTML ("The video identified by the <code><a href=…>videoId</a></code>
        # parameter has disabled comments."): said as plain words.
        message = excerpt(html_to_text(str(error.get("message") or "")) if error else response.text)
        if "quotaExceeded" in reasons or "dailyLimitExceeded" in reasons:
            now = self.http.clock()
            wait = next_quota_reset(now) - now
            raise pause(self.http, self.bucket, wait,
                        f"{self.label}: the YouTube API daily quota is used up; it comes back at midnight Pacific time "
                        f"(in {int(wait // 3600)} h {int(wait % 3600 // 60):02d} min)")
        if status == 429 or "rateLimitExceeded" in reasons or "userRateLimitExceeded" in reasons:
            wait = wait_from_headers(self.http, response)
            raise pause(self.http, self.bucket, wait, f"{self.label}: YouTube asks us to slow down, retrying in {int(wait) + 1} s")
        if status == 401 or {"keyInvalid", "keyExpired", "authError", "API_KEY_INVALID", "API_KEY_EXPIRED"} & set(reasons):
            raise AuthError(f"{self.label}: YouTube refused the credentials ({message}): check the API key or renew the token")
        if status >= 500:
            raise TemporaryError(f"{self.label}: YouTube failed on its side (HTTP {status})")
        reason = f" ({', '.join(reasons)})" if reasons else ""
        raise SourceError(f"{self.label}: YouTube refused the request (HTTP {status}{reason}): {message}")

    async def verify(self) -> str:
        body = await self._list("channels", part="snippet", id=self.channel_id)
        items = body.get("items") or []
        title = items[0].get("snippet", {}).get("title") if items else None
        if not title:
            raise SourceError(f"{self.label}: no YouTube channel {self.channel_id}")
        return f"YouTube channel {title}"

    # -- reading ----------------------------------------------------------------------------

    async def fetch(self, cursor: str | None) -> Page:
        state = options.load_cursor(cursor)
        since = float(state.get("since", self.http.clock() - 7 * 86400))
        counts: dict[str, int] = state.get("replies") or {}
        messages: list[Incoming] = []
        newest = since
        token = None
        walked: dict[str, int] = {}
        for _ in range(MAX_PAGES):
            body = await self._list(
                "commentThreads", part="snippet,replies", allThreadsRelatedToChannelId=self.channel_id,
                maxResults=100, order="time", textFormat="plainText", pageToken=token,
            )
            items = body.get("items")
            if not isinstance(items, list):
                raise PayloadError(f"{self.label}: commentThreads answered without items")
            reached_old = False
            for thread in items:
                replies = None
                with one_item(thread, "comment thread"):
                    snippet = thread.get("snippet") or {}
                    top = snippet.get("topLevelComment") or {}
                    top_id = str(top.get("id") or thread.get("id") or "")
                    if not top_id:
                        continue
                    top_time = parse_time((top.get("snippet") or {}).get("publishedAt"))
                    video = snippet.get("videoId") or (top.get("snippet") or {}).get("videoId")
                    total = int(snippet.get("totalReplyCount") or 0)
                    walked[top_id] = total
                    if top_time >= since:
                        if not self._ours(top):  # a thread the channel started: only its replies are for us
                            with one_item(top, "comment"):  # its replies are read even if it cannot be
                                messages.append(self._incoming(top, video, None))
                        newest = max(newest, top_time)
                    elif total <= int(counts.get(top_id, 0)):
                        reached_old = True
                        continue
                    if total > int(counts.get(top_id, 0)):
                        replies = ((thread.get("replies") or {}).get("comments")) or []
                        replies = replies if isinstance(replies, list) else []
                if replies is None:
                    continue
                if len(replies) < total:  # the thread carries a few replies: ask for them all
                    replies = await self._all_replies(thread, top_id, replies)
                for reply in replies:
                    with one_item(reply, "reply"):
                        when = parse_time((reply.get("snippet") or {}).get("publishedAt"))
                        if top_time >= since or when >= since:
                            if not self._ours(reply):
                                messages.append(self._incoming(reply, video, top_id))
                            newest = max(newest, when)
            token = body.get("nextPageToken")
            if reached_old or not token:
                break
        remembered = {**counts, **walked}
        state = {"since": newest, "replies": dict(list(remembered.items())[-_REMEMBERED_THREADS:])}
        return Page(messages, options.dump_cursor(state))

    async def _all_replies(self, thread: dict, top_id: str, carried: list[dict]) -> list[dict]:
        """A thread's replies, or the ones it carries if YouTube refuses to list them (404 for a
        comment deleted in between, 403 for one it will not show): the thread is set aside with
        the reason, and one thread no longer stops every other at every poll."""
        try:
            return await self._replies(top_id)
        except SourceError as error:
            if type(error) is not SourceError:
                raise  # credentials, the quota, a network down: the whole fetch waits
            with one_item(thread, "comment thread", top_id):
                raise PayloadError(f"YouTube would not list its replies: {error}") from None
            return carried

    async def _replies(self, parent_id: str) -> list[dict]:
        replies: list[dict] = []
        token = None
        for _ in range(MAX_PAGES):
            body = await self._list("comments", part="snippet", parentId=parent_id, maxResults=100,
                                    textFormat="plainText", pageToken=token)
            replies += [c for c in body.get("items") or [] if isinstance(c, dict)]
            token = body.get("nextPageToken")
            if not token:
                break
        return replies

    def _ours(self, comment: object) -> bool:
        """Whether the channel itself wrote this comment (its replies, its pinned comments): the
        channel's threads list them with everyone else's, and they are not for it to answer."""
        snippet = comment.get("snippet") if isinstance(comment, dict) else None
        author = snippet.get("authorChannelId") if isinstance(snippet, dict) else None
        return isinstance(author, dict) and author.get("value") == self.channel_id

    def _incoming(self, comment: dict, video: str | None, parent: str | None) -> Incoming:
        comment_id = str(comment.get("id") or "")
        snippet = comment.get("snippet") or {}
        parent = parent or snippet.get("parentId") or parent_of(comment_id)
        handle = snippet.get("authorDisplayName") or ""
        return Incoming(
            native_id=comment_id, network="youtube", kind="comment",
            text=_comment_text(snippet),
            created_at=parse_time(snippet.get("publishedAt")), author_name=handle.lstrip("@"),
            author_handle=handle if handle.startswith("@") else "",
            url=watch_url(video or snippet.get("videoId"), comment_id), parent_id=parent,
            thread_id=parent or comment_id, uri=watch_url(video or snippet.get("videoId"), comment_id),
            extra={"video": video, "author_channel": (snippet.get("authorChannelId") or {}).get("value")},
        )

    # -- answering --------------------------------------------------------------------------

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        if not self.can_reply:
            raise NotSupported(f"{self.label}: replying needs the channel's OAuth token (token = \"env:…\"): "
                               "copy the reply and open the comment instead")
        parent = parent_of(target.native_id) or target.native_id
        body = await self._call(
            "POST", "comments", params={"part": "snippet"},
            headers={"Authorization": f"Bearer {self.secret('token')}"},
            json_body={"snippet": {"parentId": parent, "textOriginal": text}},
        )
        created = str(body.get("id") or "")
        return Sent(native_id=created or None, url=watch_url(target.extra.get("video"), created) if created else None)


# Tags and entities of a comment's HTML form (`<br>`, `<a href=…>`, `&#39;`, `&quot;`).
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);")


def _comment_text(snippet: dict) -> str:
    """The comment as written. `textOriginal` is only guaranteed to its author; `textDisplay` is
    asked as plain text, but is the HTML form when the API answers with its default format."""
    original = text_of(snippet.get("textOriginal"))
    if original:
        return original
    shown = text_of(snippet.get("textDisplay"))
    return html_to_text(shown) if _MARKUP.search(shown) else shown
