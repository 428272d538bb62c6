"""Mastodon: mentions and replies, direct conversations, filtered message requests, brand search, streaming.

Reads (the entry's `read`, all by default):
- `mentions`: `GET /api/v1/notifications?types[]=mention&types[]=quote` (replies to us are
  mentions too; quotes of our posts, Mastodon 4.5+, are read as mentions), paged forward with
  `min_id` from the newest notification id seen;
- `dms`: `GET /api/v1/conversations`, paged by the id of each conversation's last status (the
  Link header pages by it, not by the conversation id);
- `requests`: `GET /api/v1/notifications/requests` (Mastodon 4.3+): messages from strangers that
  the account's notification policy filtered out, one request per account with its last status;
- `search`: the brand terms, `#tags` through `GET /api/v1/timelines/tag/:tag`, words and names
  through `GET /api/v2/search?type=statuses`, each paged forward by `min_id`.

`stream()` follows `/api/v1/streaming/user` and `/api/v1/streaming/direct` (server-sent events)
so new items arrive within a second; an edited status (`status.update`) refreshes its message. Replies go through `POST /api/v1/statuses` with
`in_reply_to_id` and the outbox key as `Idempotency-Key` (Mastodon keeps it an hour), so a
retried send never posts twice.

Statuses are HTML: stored as plain text. Boosts carry the original in `reblog`: the message is
the original. Error messages from the server are localised, so only status codes and fields
are read, never the `error` text.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import httpx
from httpx_sse import SSEError, aconnect_sse

from ..models import Incoming
from .apidata import check_reads, dump_cursor, expect, id_key, iso_seconds, load_cursor, mentions_term, newest, text_of
from .base import Page, PayloadError, ReplyTarget, Sent, Source, SourceError, TemporaryError
from .html import html_to_text
from .http import decode_json, transport_error
from .items import one_item
from .reads import Reads

if TYPE_CHECKING:
    from ..config import SourceEntry
    from .http import Http
    from .registry import Secret

READS = ("mentions", "dms", "requests", "search")
PAGE_SIZE = 40  # the largest page conversations, search and tag timelines allow
SEARCH_PAGES = 10  # pages of a term's search per poll, newest first: 400 statuses since the last
# A stream with no event and no heartbeat (the server sends one every ~15 s) for this long is dead.
STREAM_SILENCE = 90.0
_REPLY_VISIBILITIES = ("public", "unlisted", "private")
# Notifications that bring someone's words to us: mentions (replies and DMs included) and, since
# Mastodon 4.5, quotes of our posts (the status is the quoting post). A server that does not know a
# type in `types[]` leaves it out.
_MESSAGE_NOTIFICATIONS = ("mention", "quote")
_QUOTE_FALLBACK = frozenset({"quote-inline"})


class MastodonSource(Source):
    type = "mastodon"
    credential_sets = (frozenset({"token"}),)
    network = "mastodon"
    can_reply = True
    default_interval = 120.0

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        super().__init__(entry, http, secret)
        if not entry.base_url:
            raise ValueError('a mastodon source needs base_url, the address of your instance (like "https://piaille.fr")')
        parts = urlsplit(entry.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http(s) address, not {entry.base_url!r}")
        self.base = entry.base_url.rstrip("/")
        self.host = parts.hostname
        self.reads = check_reads(entry.read, READS, "mastodon")
        self.terms = tuple(t.strip() for t in entry.terms if t.strip())
        self.streaming_url = entry.options.get("streaming_url")
        self._me: dict | None = None
        self._instance: dict | None = None
        self._notification_types = _MESSAGE_NOTIFICATIONS  # narrowed if the server refuses "quote"

    # -- talking to the server ----------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret('token')}"}

    async def _get(self, path: str, params: list[tuple[str, str]] | None = None, **kwargs) -> httpx.Response:
        return await self.http.request(
            "GET", self.base + path, label=self.label, headers=self._auth(), params=params, **kwargs
        )

    async def _get_json(self, path: str, params: list[tuple[str, str]] | None = None) -> object:
        return decode_json(await self._get(path, params), self.label)

    async def _account(self) -> dict:
        """Our own account (id and acct), asked once: to tell our statuses from others'."""
        if self._me is None:
            me = expect(await self._get_json("/api/v1/accounts/verify_credentials"), dict, "verify_credentials", self.label)
            if not me.get("id"):
                raise PayloadError(f"{self.label}: verify_credentials gave no account id")
            self._me = me
        return self._me

    async def _instance_info(self) -> dict:
        """The instance's own description, asked once: its account domain (which may differ from
        the web address: handles read `@user@example.com` on a server at social.example.com) and
        where its streaming API lives. A server without `/api/v2/instance` (before 4.0) gets the
        web address for both."""
        if self._instance is None:
            info: object = None
            response = await self._get("/api/v2/instance", ok_statuses=(404, 410))
            if response.status_code == 200:
                try:
                    info = json.loads(response.content)
                except ValueError:
                    info = None
            self._instance = info if isinstance(info, dict) else {}
            domain = self._instance.get("domain")
            if isinstance(domain, str) and domain:
                self.host = domain
        return self._instance

    async def verify(self) -> str:
        me = await self._account()
        await self._instance_info()
        return f"@{me.get('acct', '?')}@{self.host}"

    # -- fetching -----------------------------------------------------------------------

    async def fetch(self, cursor: str | None) -> Page:
        state = load_cursor(cursor)
        me = await self._account()
        await self._instance_info()
        messages: list[Incoming] = []
        more = False
        reads = Reads(self.label)
        if "mentions" in self.reads:
            with reads.part("mentions"):
                found, state["notifications"], full = await self._notifications(state.get("notifications"), me)
                messages += found
                more |= full
        if "dms" in self.reads:
            with reads.part("DMs"):
                found, state["conversations"], full = await self._conversations(state.get("conversations"), me)
                messages += found
                more |= full
        if "requests" in self.reads:
            with reads.part("follow requests"):
                found, state["requests"] = await self._requests(state.get("requests") or {}, me)
                messages += found
        if "search" in self.reads and self.terms:
            marks = state.get("search") or {}
            # The current terms' marks: a search that fails below keeps its own (a dropped term's goes).
            state["search"] = {term: marks[term] for term in self.terms if term in marks}
            for term in self.terms:
                with reads.part(f"search {term!r}"):
                    found, state["search"][term], full = await self._search(term, marks.get(term), me)
                    messages += found
                    more |= full
        return reads.page(messages, dump_cursor(state), more)

    def _forward(self, mark: str | None) -> list[tuple[str, str]]:
        """Query for the page right after `mark` (oldest new items first), or the newest page."""
        params = [("limit", str(PAGE_SIZE))]
        if mark:
            params.append(("min_id", mark))
        return params

    @staticmethod
    def _caught_up(mark: str | None, count: int) -> bool:
        # A full page after a known mark means more is waiting; the first sync takes the newest page only.
        return bool(mark) and count >= PAGE_SIZE

    async def _notifications(self, mark: str | None, me: dict) -> tuple[list[Incoming], str | None, bool]:
        data = await self._notification_page(mark)
        found = [n for n in expect(data, list, "notifications", self.label) if isinstance(n, dict)]
        messages = []
        for notification in found:
            status = notification.get("status")
            # Older servers ignore `types[]`: keep those types only, and skip those whose status is gone.
            if notification.get("type") in _MESSAGE_NOTIFICATIONS and isinstance(status, dict):
                message = self._message(status, me)
                if message:
                    if notification.get("filtered") is True:
                        message.extra["filtered"] = True
                    messages.append(message)
        top = newest(mark, *(str(n["id"]) for n in found if n.get("id")))
        return messages, top, self._caught_up(mark, len(found))

    async def _notification_page(self, mark: str | None) -> object:
        """One page of the notifications we read. Mastodon drops a `types[]` value it does not
        know; other servers speaking its API (Pleroma, Akkoma) refuse the request instead: there,
        ask for mentions alone from then on."""
        # A stranger's private mentions, which the notification policy (4.3+) files as a request,
        # come too: the request shows only its last one, and two sent between polls lost the first.
        forward = [*self._forward(mark), ("include_filtered", "true")]
        if len(self._notification_types) > 1:
            types = [("types[]", t) for t in self._notification_types]
            response = await self._get("/api/v1/notifications", [*types, *forward], ok_statuses=(400, 422))
            if response.status_code not in (400, 422):
                return decode_json(response, self.label)
            self._notification_types = ("mention",)
        # Narrowed: a server that refused the full request (Pleroma, Akkoma) gets the plain one.
        return await self._get_json("/api/v1/notifications", [("types[]", "mention"), *self._forward(mark)])

    async def _conversations(self, mark: str | None, me: dict) -> tuple[list[Incoming], str | None, bool]:
        data = await self._get_json("/api/v1/conversations", self._forward(mark))
        found = [c for c in expect(data, list, "conversations", self.label) if isinstance(c, dict)]
        messages, last_ids = [], []
        for conversation in found:
            status = conversation.get("last_status")
            if not isinstance(status, dict):
                continue
            if status.get("id"):
                last_ids.append(str(status["id"]))
            message = self._message(status, me)
            if message:
                messages.append(message)
        return messages, newest(mark, *last_ids), self._caught_up(mark, len(found))

    async def _requests(self, seen: dict, me: dict) -> tuple[list[Incoming], dict]:
        # A request stands for one account and keeps its id while new messages arrive: what
        # changes is its last status, so the cursor remembers that per request.
        response = await self._get("/api/v1/notifications/requests", [("limit", str(PAGE_SIZE))], ok_statuses=(404,))
        if response.status_code == 404:  # a server older than 4.3 has no filtered notifications
            return [], {}
        found = [r for r in expect(decode_json(response, self.label), list, "notification requests", self.label) if isinstance(r, dict)]
        messages, marks = [], {}
        for request in found:
            status = request.get("last_status")
            if not request.get("id") or not isinstance(status, dict) or not status.get("id"):
                continue
            marks[str(request["id"])] = str(status["id"])
            if seen.get(str(request["id"])) != str(status["id"]):
                message = self._message(status, me)
                if message:
                    message.extra["filtered"] = True
                    messages.append(message)
        return messages, marks

    async def _search(self, term: str, mark: str | None, me: dict) -> tuple[list[Incoming], str | None, bool]:
        if term.startswith("#") and len(term) > 1:
            data = await self._get_json(f"/api/v1/timelines/tag/{quote(term[1:], safe='')}", self._forward(mark))
            found = expect(data, list, "the hashtag timeline", self.label)
            more = self._caught_up(mark, len(found))  # a timeline pages forward from the mark
        else:
            found, more = await self._search_since(term, mark), False
        found = [s for s in found if isinstance(s, dict)]
        messages = [m for m in (self._message(s, me) for s in found) if m]
        top = newest(mark, *(str(s["id"]) for s in found if s.get("id")))
        return messages, top, more

    async def _search_since(self, term: str, mark: str | None) -> list:
        """Every status matching `term` since `mark` (the newest page on a first sync). Search
        does not page as timelines do: it sorts newest first and reads `min_id` as "after that
        status's time" (Mastodon's StatusesSearchService), so a full page is the newest 40 since
        the mark, and the next page is older: asked for with `max_id`, down to the mark."""
        found: list = []
        older_than = None
        for _ in range(SEARCH_PAGES):
            params = [("q", term), ("type", "statuses"), ("resolve", "false"), ("limit", str(PAGE_SIZE))]
            params += [("min_id", mark)] if mark else []
            params += [("max_id", older_than)] if older_than else []
            data = expect(await self._get_json("/api/v2/search", params), dict, "search", self.label)
            page = data.get("statuses") or []
            if not isinstance(page, list):
                raise PayloadError(f"{self.label}: search gave no list of statuses")
            found += page
            ids = [str(s["id"]) for s in page if isinstance(s, dict) and s.get("id")]
            if not mark or len(page) < PAGE_SIZE or not ids:
                break
            older_than = min(ids, key=id_key)
        return found

    # -- statuses to messages -------------------------------------------------------------

    def _full_acct(self, acct: object) -> str:
        """`user@server` for everyone: local accounts come as a bare `user`."""
        acct = str(acct or "")
        return acct if "@" in acct or not acct else f"{acct}@{self.host}"

    def _message(self, status: dict, me: dict) -> Incoming | None:
        """One status as a message; None for our own statuses, and for a status of a shape we
        cannot read (set aside, see `items.one_item`)."""
        with one_item(status, "status"):
            return self._status_message(status, me)
        return None

    def _status_message(self, status: dict, me: dict) -> Incoming | None:
        original = status.get("reblog") if isinstance(status.get("reblog"), dict) else status
        account = original.get("account") if isinstance(original.get("account"), dict) else {}
        if account.get("id") is not None and str(account.get("id")) == str(me.get("id")):
            return None
        visibility = original.get("visibility")
        if visibility == "direct":
            kind = "dm"
        elif original.get("in_reply_to_account_id") is not None and str(original.get("in_reply_to_account_id")) == str(me.get("id")):
            kind = "comment"  # an answer to one of our posts
        else:
            kind = "mention"
        acct = self._full_acct(account.get("acct") or account.get("username"))
        others = [
            self._full_acct(m.get("acct"))
            for m in original.get("mentions") or []
            if isinstance(m, dict) and m.get("acct") and str(m.get("id")) != str(me.get("id"))
        ]
        followers = account.get("followers_count")
        # The content warning is plain text, not HTML like `content` (Mastodon's own client escapes it):
        # "<3" or "&amp;" in it are the author's characters.
        spoiler = text_of(original.get("spoiler_text")).strip() or None
        return Incoming(
            native_id=str(original.get("id") or ""),
            network=self.network,
            kind=kind,
            text=_status_text(original),
            created_at=iso_seconds(original.get("created_at")),
            author_name=str(account.get("display_name") or account.get("username") or ""),
            author_handle=f"@{acct}" if acct else "",
            author_reach=followers if isinstance(followers, int) and followers >= 0 else None,
            url=original.get("url") or original.get("uri"),
            uri=original.get("uri"),
            parent_id=str(original["in_reply_to_id"]) if original.get("in_reply_to_id") else None,
            lang=original.get("language") or None,
            title=spoiler,
            extra={"visibility": visibility or "public", "mentions": [a for a in others if a != acct]},
        )

    # -- replying -----------------------------------------------------------------------

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        if target.kind == "dm":
            visibility = "direct"
        else:
            original = target.extra.get("visibility")
            visibility = original if original in _REPLY_VISIBILITIES else "public"
        # The API does not add mentions itself: without them a DM reaches no one, and a reply
        # does not notify its author. Everyone the message addressed is kept in the answer.
        people = [target.author_handle.lstrip("@"), *(target.extra.get("mentions") or [])]
        prefix = " ".join(f"@{p}" for p in dict.fromkeys(people) if p and f"@{p}".casefold() not in text.casefold())
        body = f"{prefix} {text}" if prefix else text
        headers = {**self._auth(), "Idempotency-Key": key}
        response = await self.http.request(
            "POST", self.base + "/api/v1/statuses", label=self.label, headers=headers,
            data={"status": body, "in_reply_to_id": target.native_id, "visibility": visibility},
        )
        created = expect(decode_json(response, self.label), dict, "the new status", self.label)
        return Sent(native_id=str(created.get("id") or "") or None, url=created.get("url") or created.get("uri"))

    # -- streaming ----------------------------------------------------------------------

    async def stream(self, cursor: str | None) -> AsyncIterator[Page]:
        """Follow the user and direct streams; yields `Page([], None)` once connected, then a
        REST page covering anything that arrived before the connection, then one page per item.

        Raises `TemporaryError` when a stream drops (the engine backs off, back-fills and calls
        again), `AuthError` / `RateLimited` when the server refuses the connection.
        """
        me = await self._account()
        base = await self._streaming_base()
        paths = []
        if self.reads & {"mentions", "search"}:
            paths.append("/api/v1/streaming/user")
        if "dms" in self.reads:
            paths.append("/api/v1/streaming/direct")
        if not paths:
            return
        queue: asyncio.Queue = asyncio.Queue()
        listeners = [asyncio.create_task(self._listen(base + path, queue)) for path in paths]
        try:
            waiting = len(paths)
            while True:
                what, payload = await queue.get()
                if what == "error":
                    raise payload
                if what == "connected":
                    waiting -= 1
                    if waiting == 0:
                        yield Page([], None)
                        # Whatever came between the engine's back-fill and the connection.
                        while True:
                            page = await self.fetch(cursor)
                            cursor = page.cursor
                            yield page
                            if not page.more:
                                break
                    continue
                messages = self._from_event(payload.event, payload.data, me)
                if messages:
                    yield Page(messages, None)
        finally:
            for task in listeners:
                task.cancel()
            await asyncio.gather(*listeners, return_exceptions=True)

    async def _listen(self, url: str, queue: asyncio.Queue) -> None:
        """One server-sent events connection: its events, then ("error", why) when it ends."""
        bucket = self.http.bucket_for(url)
        try:
            self.http.check_budget(bucket)
            timeout = httpx.Timeout(10.0, read=STREAM_SILENCE)
            async with aconnect_sse(self.http.client, "GET", url, headers=self._auth(), timeout=timeout) as source:
                if source.response.status_code != 200:
                    await source.response.aread()
                    self.http.check_response(source.response, label=self.label, bucket=bucket)
                    raise TemporaryError(f"{self.label}: the stream answered HTTP {source.response.status_code}")
                queue.put_nowait(("connected", url))
                async for event in source.aiter_sse():
                    queue.put_nowait(("event", event))
            raise TemporaryError(f"{self.label}: the server closed the stream")
        except SourceError as error:
            queue.put_nowait(("error", error))
        except SSEError:
            queue.put_nowait(("error", TemporaryError(f"{self.label}: the stream is not a server-sent event stream")))
        except httpx.HTTPError as error:
            queue.put_nowait(("error", transport_error(error, url, self.label)))

    def _from_event(self, event: str, data: str, me: dict) -> list[Incoming]:
        try:
            payload = json.loads(data) if data else None
        except ValueError:
            return []  # one unreadable event must not end the stream
        if not isinstance(payload, dict):
            return []
        with one_item(payload, f"stream {event}"):
            status = None
            if event == "notification" and payload.get("type") in _MESSAGE_NOTIFICATIONS and "mentions" in self.reads:
                status = payload.get("status")
            elif event == "conversation" and "dms" in self.reads:
                status = payload.get("last_status")
            elif event == "update" and "search" in self.reads and self._names_brand(payload):
                # The home timeline: only posts that name the brand belong in the inbox.
                status = payload
            elif event == "status.update":
                # An edited status: stored again, it refreshes the message's text (the store keeps
                # what the user did to it). Only statuses the inbox would have taken are kept.
                read = "dms" if payload.get("visibility") == "direct" else "mentions"
                if read in self.reads and _addresses(payload, me):
                    status = payload
                elif "search" in self.reads and self._names_brand(payload):
                    status = payload
            message = self._message(status, me) if isinstance(status, dict) else None
            return [message] if message else []
        return []

    def _names_brand(self, status: dict) -> bool:
        original = status.get("reblog") if isinstance(status.get("reblog"), dict) else status
        tags = [str(t.get("name", "")) for t in original.get("tags") or [] if isinstance(t, dict)]
        return mentions_term(_status_text(original), tags, self.terms)

    async def _streaming_base(self) -> str:
        """Where the streaming API lives: the instance says (`configuration.urls.streaming`), as a
        `wss://` address that serves server-sent events over https too."""
        if not self.streaming_url:
            info = await self._instance_info()
            try:
                url = info["configuration"]["urls"]["streaming"]
            except (KeyError, TypeError):
                url = None
            self.streaming_url = url if isinstance(url, str) and url else self.base
        url = str(self.streaming_url).rstrip("/")
        if url.startswith("wss://"):
            url = "https://" + url[6:]
        elif url.startswith("ws://"):
            url = "http://" + url[5:]
        return url


def _addresses(status: dict, me: dict) -> bool:
    """Whether a status mentions our account (replies to us and DMs do)."""
    mentions = status.get("mentions") or []
    return any(isinstance(m, dict) and str(m.get("id")) == str(me.get("id")) for m in mentions)


def _status_text(status: dict) -> str:
    """A status's words: its HTML as text, then one line per attached medium (with its description)."""
    # A quote post (Mastodon 4.4+) carries a "RE: <link>" paragraph for clients that cannot show
    # quotes; the docs ask those that read `quote` to hide it (client/quotes).
    text = html_to_text(status.get("content"), _QUOTE_FALLBACK if status.get("quote") else frozenset())
    media = []
    for attachment in status.get("media_attachments") or []:
        if isinstance(attachment, dict):
            description = (attachment.get("description") or "").strip()
            media.append(f"[{attachment.get('type') or 'media'}{': ' + description if description else ''}]")
    if isinstance(status.get("poll"), dict):
        options = [str(o.get("title", "")) for o in status["poll"].get("options") or [] if isinstance(o, dict)]
        media.append("[poll: " + " / ".join(options) + "]")
    return "\n".join(part for part in [text, *media] if part)
