"""Meta's Graph API, as the Facebook Page and Instagram sources use it.

Facts from the Graph API references this module encodes:

- Times look like `2019-02-26T08:34:21+0000` (no colon in the offset): `parse_time`.
- Each object is read with its own request (`GET /{id}?fields=…`, `Graph.many`): multi-id
  requests (`GET /?ids=a,b`) are closed to apps created from 2026-11-04 on, on every version
  (the Graph API v27.0 announcement), and one object deleted meanwhile failed the whole of one.
  An object that is gone answers code 100 with subcode 33 ("Object with ID … does not exist"),
  or 803: that one is left out, the others are read.
- Lists page with `paging.cursors` and `paging.next`, an absolute URL that carries the token
  in its query: `Graph.follow` keeps the path and query, drops the token and goes to the
  configured base URL (a proxy, a test server), never to wherever the URL points.
- Nothing is returned that `fields=` did not ask for (not even ids on some edges).
- Errors come as `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`,
  usually with HTTP 400: code 190 is an expired or revoked token; 4, 17, 32, 613 and
  80001-80014 are throttling; 1, 2 and 341, and any error with `"is_transient": true`, are
  temporary; 10 and 200-299 are missing permissions.
- Usage headers (`x-app-usage`, `x-business-use-case-usage`, `x-page-usage`) give the share of
  the budget used, in percent, and for business use cases `estimated_time_to_regain_access`
  in minutes. Past `USAGE_CEILING` percent no further call goes out until the time is up:
  the limit is never hit.

The token travels in the Authorization header, never in a URL this module builds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx

from ..models import Incoming
from .apicall import body_of, excerpt, exchange, json_object, pause, wait_from_headers, where
from .apidata import as_object, text_of
from .base import AuthError, ObjectGone, PayloadError, SourceError, TemporaryError
from .http import Budget, Http
from .items import SHAPE_ERRORS, one_item

DEFAULT_BASE = "https://graph.facebook.com"
DEFAULT_VERSION = "v24.0"
# Stop calling once any usage figure reaches this percentage of the budget.
USAGE_CEILING = 90
# How long to hold off when a usage header says we are near the limit without saying for how long
# (the app budget is a rolling hour).
USAGE_PAUSE = 15 * 60.0
THROTTLE_PAUSE = 60 * 60.0
_THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
# 1, 2: "temporary issue due to downtime"; 341: "application limit reached … wait and retry".
_TEMPORARY_CODES = frozenset({1, 2, 341})
_TOKEN_CODES = frozenset({190, 102})
# Meta's access tokens (user and Page tokens start "EAA", Instagram Login tokens "IGQV"/"IGAA"):
# Graph quotes a token it cannot read in its error ("Malformed access token EAAG…").
_TOKEN_LIKE = re.compile(r"\b(?:EAA|IG[A-Z]{2})[A-Za-z0-9_\-]{16,}")
# The version a Graph path starts with ("/v19.0/…").
_VERSION_PREFIX = re.compile(r"^/v\d+(?:\.\d+)?(?=/|$)")


def parse_time(value: object) -> float:
    """Seconds since the epoch from a Graph time (`2019-02-26T08:34:21+0000`)."""
    if not isinstance(value, str):
        raise PayloadError(f"not a Graph time: {excerpt(value)!r}")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+0000"
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"):
        try:
            return datetime.strptime(text, pattern).timestamp()
        except ValueError:
            continue
    raise PayloadError(f"not a Graph time: {excerpt(value)!r}")


def usage_percent(headers: httpx.Headers) -> tuple[float, float | None]:
    """(highest usage percentage announced, minutes until access is regained if said)."""
    highest, regain = 0.0, None
    for name in ("x-app-usage", "x-page-usage", "x-ad-account-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict):
            for key in ("call_count", "total_time", "total_cputime", "acc_id_util_pct"):
                value = data.get(key)
                if isinstance(value, (int, float)):
                    highest = max(highest, float(value))
    raw = headers.get("x-business-use-case-usage")
    if raw:
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        for entries in (data.values() if isinstance(data, dict) else ()):
            for entry in entries if isinstance(entries, list) else ():
                if not isinstance(entry, dict):
                    continue
                for key in ("call_count", "total_time", "total_cputime"):
                    value = entry.get(key)
                    if isinstance(value, (int, float)):
                        highest = max(highest, float(value))
                minutes = entry.get("estimated_time_to_regain_access")
                if isinstance(minutes, (int, float)) and minutes > 0:
                    regain = max(regain or 0.0, float(minutes))
    return highest, regain


class Graph:
    """Calls to one Graph API host for one source."""

    def __init__(self, http: Http, *, base_url: str | None, version: str, token: Callable[[], str],
                 label: str, bucket: str) -> None:
        self.http = http
        self.base = (base_url or DEFAULT_BASE).rstrip("/")
        self.version = version.strip("/")
        self.token = token
        self.label = label
        self.bucket = bucket

    @classmethod
    def for_source(cls, source) -> "Graph":
        """The Graph client of a Facebook or Instagram source (its base URL, API version, token)."""
        from . import options

        entry = source.entry
        return cls(source.http, base_url=entry.base_url, version=options.text(entry, "api_version", DEFAULT_VERSION),
                   token=lambda: source.secret("token"), label=source.label, bucket=f"graph:{entry.key}")

    def url(self, path: str) -> str:
        return f"{self.base}/{self.version}/{path.lstrip('/')}"

    async def call(self, method: str, path_or_url: str, *, params: dict | None = None, data: dict | None = None,
                   json_body: object | None = None) -> dict:
        url = path_or_url if path_or_url.startswith(self.base) else self.url(path_or_url)
        response = await exchange(
            self.http, method, url, label=self.label, bucket=self.bucket,
            headers={"Authorization": f"Bearer {self.token()}"}, params=params, data=data, json_body=json_body,
        )
        return self._check(response)

    async def get(self, path: str, **params: object) -> dict:
        return await self.call("GET", path, params={k: v for k, v in params.items() if v is not None})

    async def post(self, path: str, *, data: dict | None = None, json_body: object | None = None) -> dict:
        return await self.call("POST", path, data=data, json_body=json_body)

    def rebase(self, next_url: str) -> str:
        """A `paging.next` URL pointed back at the configured base, without its access token."""
        parts = urlsplit(next_url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"]
        # The URL names the version that served the call (an unversioned or retired one is served
        # by the oldest available): ours replaces it, never stacks on it.
        path = f"/{self.version}/" + _VERSION_PREFIX.sub("", parts.path).lstrip("/")
        return f"{self.base}{path}" + (f"?{urlencode(query)}" if query else "")

    async def follow(self, next_url: str) -> dict:
        return await self.call("GET", self.rebase(next_url))

    async def many(self, ids: Iterable[str], fields: str) -> dict[str, dict]:
        """Several objects, one request each: `{id: object}`, without those deleted since they
        were listed (see the module's notes)."""
        out: dict[str, dict] = {}
        for object_id in dict.fromkeys(ids):
            try:
                out[object_id] = await self.get(quote(object_id, safe=""), fields=fields)
            except ObjectGone:
                continue
        return out

    # -- answers ----------------------------------------------------------------------------

    def _check(self, response: httpx.Response) -> dict:
        self._note_usage(response)
        status = response.status_code
        body = body_of(response)
        error = body.get("error") if isinstance(body, dict) else None
        if status < 300 and error is None:
            return json_object(body, self.label, "Graph")
        if status == 429:
            wait = wait_from_headers(self.http, response)
            raise pause(self.http, self.bucket, wait, f"{self.label}: rate limited by Graph, retrying in {int(wait) + 1} s")
        if not isinstance(error, dict):
            if status >= 500:
                raise TemporaryError(f"{self.label}: Graph failed on its side (HTTP {status})")
            if status == 401:
                raise AuthError(f"{self.label}: Graph refused the token (HTTP 401): create a new one")
            raise SourceError(f"{self.label}: Graph refused {where(str(response.request.url))} (HTTP {status}): "
                              f"{excerpt(self._untokened(response.text))}")
        raise self._error(error, status)

    def _untokened(self, text: object) -> str:
        """What Graph said, without the token it may quote: a message must never show it."""
        text = str(text or "")
        try:
            token = self.token()
        except Exception:  # no token configured: nothing of ours to hide
            token = ""
        if len(token) >= 8:
            text = text.replace(token, "[token]")
        return _TOKEN_LIKE.sub("[token]", text)

    def _error(self, error: dict, status: int) -> Exception:
        code = error.get("code")
        subcode = error.get("error_subcode")
        message = excerpt(self._untokened(error.get("error_user_msg") or error.get("message")))
        numbered = f"Graph error {code}" + (f"/{subcode}" if subcode else "")
        if code in _TOKEN_CODES:
            return AuthError(f"{self.label}: the access token no longer works ({numbered}: {message}): "
                             "create a new Page token and store it again")
        if code in _THROTTLE_CODES:
            # The usage headers of this answer were noted first: their regain time wins.
            budget = self.http.budgets.get(self.bucket)
            wait = (budget.reset_at - self.http.clock()) if budget and budget.reset_at else THROTTLE_PAUSE
            return pause(self.http, self.bucket, max(60.0, wait), f"{self.label}: Graph is throttling this app ({numbered}): waiting before the next call")
        if code in _TEMPORARY_CODES or status >= 500 or error.get("is_transient") is True:
            return TemporaryError(f"{self.label}: Graph had a temporary problem ({numbered}): {message}")
        if (code == 100 and subcode == 33) or code == 803:
            return ObjectGone(f"{self.label}: that object no longer exists ({numbered}): {message}")
        if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
            return SourceError(f"{self.label}: a permission is missing ({numbered}): {message}")
        return SourceError(f"{self.label}: Graph refused the request ({numbered}): {message}")

    def _note_usage(self, response: httpx.Response) -> None:
        """Near the limit, close the bucket until access is regained: the next call waits here."""
        highest, regain = usage_percent(response.headers)
        if regain or highest >= USAGE_CEILING:
            wait = regain * 60 if regain else USAGE_PAUSE
            self.http.budgets[self.bucket] = Budget(0, self.http.clock() + wait)


async def walk(graph: Graph, path: str, params: dict, *, until: Callable[[dict], bool], max_pages: int) -> list[dict]:
    """Items of a paged list, newest first, up to the first one `until` says is old enough."""
    items: list[dict] = []
    body = await graph.get(path, **params)
    for _ in range(max_pages):
        data = body.get("data")
        if not isinstance(data, list):
            raise PayloadError(f"{graph.label}: {path} answered without a data list")
        for item in data:
            if not isinstance(item, dict):
                continue
            try:
                old = until(item)
            except SHAPE_ERRORS:
                old = False  # kept: reading it sets it aside with the reason (`items.one_item`)
            if old:
                return items
            items.append(item)
        paging = as_object(body.get("paging"))
        if paging.get("next"):
            body = await graph.follow(paging["next"])
            continue
        # Some edges (Instagram's /tags among them) may give only the cursors: a full page
        # asks for the next one with `after`; a short one was the last.
        after = as_object(paging.get("cursors")).get("after")
        if not after or len(data) < int(params.get("limit") or 25):
            break
        body = await graph.get(path, **{**params, "after": after})
    return items


# -- what a comment or a message carries besides words -------------------------------------------

# A comment's attachment (`attachment{type}`, a StoryAttachment) in words.
_STORY_ATTACHMENTS = {"photo": "photo", "sticker": "sticker", "video_inline": "video", "video_autoplay": "video",
                      "video": "video", "animated_image_share": "GIF", "animated_image_video": "GIF",
                      "animated_image_autoplay": "GIF"}


def with_attachments(words: object, item: dict) -> str:
    """A comment's or a message's words, then a line per thing attached: "[photo]", "[GIF]",
    "[image]", "[file: facture.pdf]", "[link: …]". A customer's photo of a broken parcel has no
    words at all: without this it would read as an empty message."""
    lines = [text_of(words)]
    attachment = item.get("attachment")  # a comment's one attachment
    if isinstance(attachment, dict):
        kind = _STORY_ATTACHMENTS.get(str(attachment.get("type")))
        title = text_of(attachment.get("title")) or text_of(attachment.get("url"))
        lines.append(f"[{kind}]" if kind else f"[link: {title}]" if title else "[attachment]")
    for file in as_object(item.get("attachments")).get("data") or []:  # a message's files
        if isinstance(file, dict):
            lines.append(_file_words(file))
    for share in as_object(item.get("shares")).get("data") or []:
        if isinstance(share, dict):
            lines.append(f"[link: {text_of(share.get('name')) or text_of(share.get('link'))}]")
    return "\n".join(line for line in lines if line)


def _file_words(file: dict) -> str:
    mime, name = str(file.get("mime_type") or ""), text_of(file.get("name"))
    if file.get("image_data") or mime.startswith("image/"):
        return "[image]"
    if file.get("video_data") or mime.startswith("video/"):
        return "[video]"
    if mime.startswith("audio/") or name.startswith("audioclip"):  # Messenger names voice notes so
        return "[voice message]"
    return f"[file: {name}]" if name else "[file]"


# -- Messenger and Instagram conversations ----------------------------------------------------

# Attachment and share sub-fields that both Messenger and Instagram messages have (asking for one
# that a platform lacks fails the whole request).
_MESSAGE_FIELDS = "id,created_time,from,to,message,attachments{name,image_data,video_data,file_url},shares{link}"
# Instagram only: a story that mentions the account, or a reply to one of its stories, comes as a
# message whose `story` holds the story's link (Instagram's "Story Mention" guide).
INSTAGRAM_MESSAGE_FIELDS = ("story",)
_STORY_WORDS = {"mention": "[mentioned us in their story]", "reply_to": "[reply to our story]"}


def _story(item: dict) -> tuple[str, str | None]:
    """What a message's `story` says in words, and the story's link (None if it has none). The
    link is a CDN address that stops working when the story expires or is deleted: it is kept
    for the CM to open, never fetched."""
    story = as_object(item.get("story"))
    for key, words in _STORY_WORDS.items():
        if isinstance(story.get(key), dict):
            link = text_of(story[key].get("link"))
            return words, link if link.startswith("https://") else None
    return "", None


async def read_conversations(graph: Graph, page_id: str, *, platform: str, since: float, own_ids: set[str],
                             network: str, human_agent: bool = False, max_pages: int = 4,
                             more_fields: tuple[str, ...] = ()) -> tuple[list[Incoming], float]:
    """Customers' messages in the conversations updated since `since`, and the new watermark.

    Conversations come newest first (time-based paging is not available on this edge); their
    messages are read with one multi-id request per 50 conversations. Messages sent by the Page
    or account itself (`own_ids`) are not inbox items. `more_fields`: the message fields only
    this platform has (asking for one that a platform lacks fails the whole request).
    """
    newest = since

    def old(conversation: dict) -> bool:
        return parse_time(conversation.get("updated_time")) < since

    conversations = await walk(
        graph, f"{page_id}/conversations",
        {"platform": platform, "fields": "id,updated_time,participants", "limit": 25},
        until=old, max_pages=max_pages,
    )
    messages: list[Incoming] = []
    fields = ",".join((_MESSAGE_FIELDS, *more_fields))
    details = await graph.many([str(c["id"]) for c in conversations if c.get("id")], f"messages.limit(20){{{fields}}}")
    for conversation in conversations:
        conversation_id = str(conversation.get("id") or "")
        with suppress(*SHAPE_ERRORS):  # a conversation without a readable time does not move the mark
            newest = max(newest, parse_time(conversation.get("updated_time")))
        thread = as_object(as_object(details.get(conversation_id)).get("messages")).get("data")
        for item in thread if isinstance(thread, list) else ():
            with one_item(item, "message"):
                sender = as_object(item.get("from"))
                if not item.get("id") or str(sender.get("id")) in own_ids:
                    continue
                created = parse_time(item.get("created_time"))
                if created < since:
                    continue
                name = sender.get("name") or sender.get("username") or ""
                handle = sender.get("username") or ""
                story, story_link = _story(item)
                text = "\n".join(part for part in (with_attachments(item.get("message"), item), story) if part)
                messages.append(Incoming(
                    native_id=str(item["id"]), network=network, kind="dm", text=text,
                    created_at=created, author_name=name, author_handle=f"@{handle}" if handle else "",
                    thread_id=conversation_id, url=story_link,
                    extra={"recipient": str(sender.get("id") or ""), "conversation": conversation_id,
                           "human_agent": human_agent},
                ))
    return messages, newest
