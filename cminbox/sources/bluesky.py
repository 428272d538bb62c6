"""Bluesky: notifications (mentions, replies, quotes), post search for the brand terms, chat DMs.

Signs in with an app password (`com.atproto.server.createSession`) and keeps the session in
memory only; an expired access token (`ExpiredToken`) is renewed with `refreshSession`, and a
refused refresh signs in again. Reads (the entry's `read`, all by default):

- `mentions`: `app.bsky.notification.listNotifications`, newest first, paged back with its
  `cursor` until the newest notification time already seen; asks for reasons mention, reply and
  quote only;
- `search`: `app.bsky.feed.searchPosts?sort=latest&since=…` for each brand term;
- `dms`: `chat.bsky.convo.listConvos` then `getMessages` for the conversations whose `rev` moved
  since the last sync, through the PDS with the `atproto-proxy` header of the chat service.

Reach comes from `app.bsky.actor.getProfiles` (followers), asked once per author and cached.
Replies are `com.atproto.repo.createRecord` posts with the thread's root and parent refs (uri +
cid); DMs are answered with `chat.bsky.convo.sendMessage`. Before posting, our latest posts (or
the conversation's latest messages) are checked for the same answer, so a retry after a timeout
never posts twice.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import unquote

import httpx

from ..models import Incoming
from .apidata import TimeMark, check_reads, dump_cursor, expect, items, iso_seconds, load_cursor, text_of
from .base import AuthError, Page, PayloadError, ReplyTarget, Sent, Source
from .http import decode_json
from .items import one_item
from .reads import Reads

if TYPE_CHECKING:
    from ..config import SourceEntry
    from .http import Http
    from .registry import Secret

READS = ("mentions", "search", "dms")
DEFAULT_BASE = "https://bsky.social"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
POST = "app.bsky.feed.post"
NOTIFICATION_REASONS = {"mention": "mention", "reply": "comment", "quote": "mention"}
PAGE_SIZE = 50
MAX_PAGES = 10  # pages walked back per sync to reach what was already seen
# `since` in search compares the posts' sort time, which may be earlier than when we saw them:
# ask a little before the mark, the store keeps each post once.
SEARCH_OVERLAP = 1800.0  # search asks again from this long before the mark: posts indexed late
SEEN_LIMIT = 200  # posts remembered from that overlap, per term (the cursor stays small)
PROFILE_BATCH = 25  # getProfiles takes at most 25 actors
PROFILE_CACHE = 5000
# createdAt is whatever the client declared (docs.bsky.app, "Timestamps"): a post claiming to be
# from later than it reached the network, beyond this clock skew, is dated when it was indexed.
CLOCK_SKEW = 120.0
EARLIEST = 946_684_800.0  # 2000-01-01: earlier is no real posting time (the store refuses it)
INVALID_HANDLE = "handle.invalid"  # what the AppView shows for a handle that failed verification


class BlueskySource(Source):
    type = "bluesky"
    credential_sets = (frozenset({"app_password"}),)
    network = "bluesky"
    can_reply = True
    default_interval = 120.0

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        super().__init__(entry, http, secret)
        identifier = entry.options.get("handle") or entry.options.get("identifier")
        if not isinstance(identifier, str) or not identifier.strip():
            raise ValueError('a bluesky source needs handle = "yourname.bsky.social" (the account to sign in as)')
        self.identifier = identifier.strip().lstrip("@")
        self.base = (entry.base_url or DEFAULT_BASE).rstrip("/")
        self.reads = check_reads(entry.read, READS, "bluesky")
        self.terms = tuple(t.strip() for t in entry.terms if t.strip())
        self._session: dict | None = None
        self._followers: dict[str, int | None] = {}

    # -- the session --------------------------------------------------------------------

    async def _sign_in(self) -> dict:
        response = await self.http.request(
            "POST", self._xrpc("com.atproto.server.createSession"), label=self.label,
            json_body={"identifier": self.identifier, "password": self.secret("app_password")},
            ok_statuses=(400, 401),  # a refusal: its XRPC error name says which (createSession lexicon)
        )
        if response.status_code in (400, 401):
            error = _xrpc_error(response)
            if error == "AuthFactorTokenRequired":  # the account password, with sign-in codes by email
                raise AuthError(
                    f"{self.label}: Bluesky asks for a sign-in code for this password: use an app password "
                    "(Settings > Privacy and security > App passwords), not the account password"
                )
            if error == "AccountTakedown":
                raise AuthError(f"{self.label}: Bluesky has taken this account down: it cannot sign in")
            raise AuthError(
                f"{self.label}: the network refused our credentials (HTTP {response.status_code}): re-authenticate"
            )
        return self._keep_session(decode_json(response, self.label))

    def _keep_session(self, data: object) -> dict:
        session = expect(data, dict, "the session", self.label)
        if not session.get("accessJwt") or not session.get("did"):
            raise PayloadError(f"{self.label}: the session answer has no token or account")
        self._session = session
        return session

    async def _refresh(self) -> dict:
        """A new access token from the refresh token; signing in again if that one is spent too."""
        session = self._session or {}
        response = await self.http.request(
            "POST", self._xrpc("com.atproto.server.refreshSession"), label=self.label,
            headers={"Authorization": f"Bearer {session.get('refreshJwt', '')}"}, ok_statuses=(400, 401),
        )
        if response.status_code in (400, 401):
            return await self._sign_in()
        return self._keep_session(decode_json(response, self.label))

    async def _me(self) -> dict:
        return self._session or await self._sign_in()

    def _xrpc(self, nsid: str) -> str:
        return f"{self.base}/xrpc/{nsid}"

    async def _call(self, method: str, nsid: str, *, params=None, json_body=None, chat: bool = False) -> object:
        """One authenticated XRPC call, renewing the session once if its token expired."""
        for attempt in (1, 2):
            session = await self._me()
            headers = {"Authorization": f"Bearer {session['accessJwt']}"}
            if chat:
                headers["atproto-proxy"] = CHAT_PROXY
            response = await self.http.request(
                method, self._xrpc(nsid), label=self.label, headers=headers, params=params, json_body=json_body,
                ok_statuses=(400, 401, 403),
            )
            if response.status_code in (400, 401, 403):
                error = _xrpc_error(response)
                if error == "ExpiredToken" and attempt == 1:
                    await self._refresh()
                    continue
                if chat and (response.status_code in (401, 403) or error == "InvalidToken"):
                    raise AuthError(
                        f"{self.label}: the chat service refused this app password: create one with "
                        "\"Allow access to your direct messages\" ticked, or leave \"dms\" out of read"
                    )
                self.http.check_response(response, label=self.label, auth_statuses=(401, 403))
            return decode_json(response, self.label)
        raise AuthError(f"{self.label}: the session keeps expiring: re-authenticate")  # pragma: no cover

    async def verify(self) -> str:
        session = await self._me()
        return f"@{session.get('handle') or self.identifier}"

    # -- fetching -----------------------------------------------------------------------

    async def fetch(self, cursor: str | None) -> Page:
        state = load_cursor(cursor)
        me = await self._me()
        messages: list[Incoming] = []
        reads = Reads(self.label)
        if "mentions" in self.reads:
            with reads.part("mentions"):
                found, state["notifications"] = await self._notifications(state.get("notifications"), me)
                messages += found
        if "search" in self.reads and self.terms:
            marks = state.get("search") or {}
            # The current terms' marks: a search that fails below keeps its own (a dropped term's goes).
            state["search"] = {term: marks[term] for term in self.terms if term in marks}
            for term in self.terms:
                with reads.part(f"search {term!r}"):
                    found, state["search"][term] = await self._search(term, marks.get(term), me)
                    messages += found
        if "dms" in self.reads:
            with reads.part("DMs"):
                found, state["chat"] = await self._chat(state.get("chat"), me)
                messages += found
        page = reads.page(messages, dump_cursor(state))  # raises if every read failed
        await self._add_reach(messages)
        return page

    async def _notifications(self, raw_mark: object, me: dict) -> tuple[list[Incoming], dict]:
        """Newest first, walking back with the listing's cursor until what was already read."""
        mark = TimeMark(raw_mark)
        messages = []
        page_cursor = None
        for _ in range(MAX_PAGES):
            # Only the reasons read here: on a busy account, likes and follows would fill the pages
            # walked back and push older mentions out of reach.
            params = {"limit": PAGE_SIZE, "reasons": list(NOTIFICATION_REASONS),
                      **({"cursor": page_cursor} if page_cursor else {})}
            data = await self._call("GET", "app.bsky.notification.listNotifications", params=params)
            found = items(data, "notifications", "listNotifications", self.label)
            reached_mark = False
            for notification in found:
                when, uri = _seconds(notification.get("indexedAt")), notification.get("uri")
                if mark.known(when, uri):
                    reached_mark = True
                    continue
                mark.note(when, uri)
                kind = NOTIFICATION_REASONS.get(str(notification.get("reason")))
                if kind and isinstance(notification.get("record"), dict):
                    message = self._post(notification, notification["record"], me, kind)
                    if message:
                        messages.append(message)
            page_cursor = data.get("cursor") if isinstance(data, dict) else None
            # The first sync takes the newest page only; later ones walk back to the mark.
            if reached_mark or not page_cursor or not found or mark.empty:
                break
        return messages, mark.dump()

    async def _search(self, term: str, mark: dict | None, me: dict) -> tuple[list[Incoming], dict]:
        """Posts naming `term` since the last search. The mark is the newest sort time seen and
        the posts seen in the overlap before it, so asking early never brings one twice. Search's
        `since` reads a post's sort time (`sortAt`: its createdAt, or when it was indexed if that
        is earlier; the searchPosts lexicon), not `indexedAt`: a post indexed minutes after it was
        written (a slow relay, a bridged post) sorts before posts indexed earlier."""
        mark = mark if isinstance(mark, dict) else {}
        params: dict = {"q": term, "sort": "latest", "limit": 100}
        since = _seconds(mark.get("at"))
        if since is not None:
            params["since"] = _iso(since - SEARCH_OVERLAP)
        seen = set(mark.get("seen") or ())
        messages, newest, recent = [], mark.get("at"), []
        for _ in range(MAX_PAGES):
            data = await self._call("GET", "app.bsky.feed.searchPosts", params=params)
            found = items(data, "posts", "searchPosts", self.label)
            for post in found:
                sort_at = _sort_at(post)
                newest = _later(newest, sort_at)
                recent.append((sort_at, post.get("uri")))
                record = post.get("record")
                if post.get("uri") not in seen and isinstance(record, dict):
                    message = self._post(post, record, me, None)
                    if message:
                        messages.append(message)
            next_cursor = data.get("cursor") if isinstance(data, dict) else None
            if since is None or not next_cursor or not found:
                break
            params["cursor"] = next_cursor
        window = (_seconds(newest) or 0.0) - SEARCH_OVERLAP
        keep = [uri for at, uri in recent if uri and (_seconds(at) or 0.0) >= window]
        keep += [uri for uri in seen if uri not in keep]
        return messages, {"at": newest, "seen": keep[:SEEN_LIMIT]}

    def _post(self, view: dict, record: dict, me: dict, kind: str | None) -> Incoming | None:
        """A post (a notification or a search hit: both carry uri, cid, author, record) as a message;
        None for our own posts and for a post we cannot read (set aside, see `items.one_item`)."""
        with one_item(view, "post", lambda: view["uri"]):
            return self._post_message(view, record, me, kind)
        return None

    def _post_message(self, view: dict, record: dict, me: dict, kind: str | None) -> Incoming | None:
        author = view.get("author") if isinstance(view.get("author"), dict) else {}
        if author.get("did") == me.get("did"):
            return None
        uri = str(view.get("uri") or "")
        reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
        parent = reply.get("parent") if isinstance(reply.get("parent"), dict) else {}
        root = reply.get("root") if isinstance(reply.get("root"), dict) else {}
        if kind is None:  # a search hit: an answer to one of our posts is a comment
            kind = "comment" if str(parent.get("uri", "")).startswith(f"at://{me.get('did')}/") else "mention"
        handle = _handle(author)
        langs = record.get("langs")
        return Incoming(
            native_id=uri,
            network=self.network,
            kind=kind,
            text=_post_text(record),
            created_at=_post_time(record, view),
            author_name=str(author.get("displayName") or handle or author.get("did") or ""),
            author_handle=f"@{handle}" if handle else str(author.get("did") or ""),
            url=_permalink(handle, str(author.get("did") or ""), uri),
            uri=uri or None,
            parent_id=str(parent["uri"]) if parent.get("uri") else None,
            thread_id=str(root["uri"]) if root.get("uri") else None,
            lang=langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None,
            extra={
                "did": author.get("did"),
                "cid": view.get("cid"),
                "root": {"uri": root.get("uri"), "cid": root.get("cid")} if root.get("uri") else None,
            },
        )

    async def _chat(self, mark: str | None, me: dict) -> tuple[list[Incoming], str | None]:
        messages, newest = [], mark
        page_cursor = None
        for _ in range(MAX_PAGES):
            params = {"limit": PAGE_SIZE, **({"cursor": page_cursor} if page_cursor else {})}
            data = await self._call("GET", "chat.bsky.convo.listConvos", params=params, chat=True)
            convos = items(data, "convos", "listConvos", self.label)
            reached_mark = False
            for convo in convos:
                rev = str(convo.get("rev") or "")
                if mark and rev <= mark:  # revs are sortable ids (TIDs)
                    reached_mark = True
                    continue
                newest = max(filter(None, (newest, rev)), default=None)
                messages += await self._convo_messages(convo, mark, me)
            page_cursor = data.get("cursor") if isinstance(data, dict) else None
            if reached_mark or not page_cursor or not convos or mark is None:
                break
        return messages, newest

    async def _convo_messages(self, convo: dict, mark: str | None, me: dict) -> list[Incoming]:
        convo_id = str(convo.get("id") or "")
        members = {m.get("did"): m for m in convo.get("members") or [] if isinstance(m, dict)}
        found: list[Incoming] = []
        page_cursor = None
        for _ in range(MAX_PAGES):
            params = {"convoId": convo_id, "limit": PAGE_SIZE, **({"cursor": page_cursor} if page_cursor else {})}
            data = await self._call("GET", "chat.bsky.convo.getMessages", params=params, chat=True)
            reached_mark = False
            for message in items(data, "messages", "getMessages", self.label):
                if mark and str(message.get("rev") or "") <= mark:
                    reached_mark = True
                    continue
                with one_item(message, "chat message"):
                    sender = message.get("sender") if isinstance(message.get("sender"), dict) else {}
                    # Deleted and system messages carry no text: nothing to answer.
                    if "text" not in message or sender.get("did") == me.get("did"):
                        continue
                    profile = members.get(sender.get("did")) or {}
                    handle = _handle(profile)
                    # A post shared in the chat comes as an embed, often with no words of its own. The
                    # app shortens links in chat messages as in posts: the facets keep them whole.
                    words = _full_links(text_of(message.get("text")), message.get("facets"))
                    text = "\n".join(p for p in (words, _shared(message.get("embed"))) if p)
                    found.append(Incoming(
                        native_id=str(message.get("id") or ""),
                        network=self.network,
                        kind="dm",
                        text=text,
                        created_at=iso_seconds(message.get("sentAt")),
                        author_name=str(profile.get("displayName") or handle or sender.get("did") or ""),
                        author_handle=f"@{handle}" if handle else str(sender.get("did") or ""),
                        url="https://bsky.app/messages/" + convo_id if convo_id else None,
                        thread_id=convo_id or None,
                        extra={"did": sender.get("did"), "convo": convo_id, "rev": message.get("rev")},
                    ))
            page_cursor = data.get("cursor") if isinstance(data, dict) else None
            if reached_mark or not page_cursor or mark is None:
                break
        return found

    async def _add_reach(self, messages: list[Incoming]) -> None:
        """Followers for each author, from getProfiles: asked once per author, then cached."""
        missing = list(dict.fromkeys(
            m.extra.get("did") for m in messages if m.extra.get("did") and m.extra["did"] not in self._followers
        ))
        for start in range(0, len(missing), PROFILE_BATCH):
            batch = missing[start : start + PROFILE_BATCH]
            data = await self._call("GET", "app.bsky.actor.getProfiles", params=[("actors", did) for did in batch])
            for profile in items(data, "profiles", "getProfiles", self.label):
                count = profile.get("followersCount")
                self._followers[profile.get("did")] = count if isinstance(count, int) and count >= 0 else None
            for did in batch:
                self._followers.setdefault(did, None)  # not found (deleted, blocked): do not ask again
        if len(self._followers) > PROFILE_CACHE:
            for did in list(self._followers)[: len(self._followers) - PROFILE_CACHE]:
                del self._followers[did]
        for message in messages:
            message.author_reach = self._followers.get(message.extra.get("did"))

    # -- replying -----------------------------------------------------------------------

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        me = await self._me()
        if target.kind == "dm":
            return await self._send_message(target, text, me)
        parent = {"uri": target.native_id, "cid": target.extra.get("cid")}
        if not parent["cid"]:
            raise PayloadError(f"{self.label}: this post's reference (cid) is unknown: sync again before answering")
        root = target.extra.get("root") or parent
        # Answered already (a retry after a timeout)? Our latest posts say.
        recent = await self._call("GET", "com.atproto.repo.listRecords",
                                  params={"repo": me["did"], "collection": POST, "limit": 25})
        for record in items(recent, "records", "listRecords", self.label):
            value = record.get("value") if isinstance(record.get("value"), dict) else {}
            if value.get("text") == text and ((value.get("reply") or {}).get("parent") or {}).get("uri") == parent["uri"]:
                return Sent(native_id=record.get("uri"), url=_permalink(me.get("handle", ""), me["did"], str(record.get("uri"))))
        post = {
            "$type": POST,
            "text": text,
            "createdAt": _iso(self.http.clock()),
            "reply": {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent},
        }
        created = expect(
            await self._call("POST", "com.atproto.repo.createRecord",
                             json_body={"repo": me["did"], "collection": POST, "record": post}),
            dict, "createRecord", self.label,
        )
        return Sent(native_id=created.get("uri"), url=_permalink(me.get("handle", ""), me["did"], str(created.get("uri", ""))))

    async def _send_message(self, target: ReplyTarget, text: str, me: dict) -> Sent:
        convo = target.extra.get("convo") or target.thread_id
        if not convo:
            raise PayloadError(f"{self.label}: this message's conversation is unknown: sync again before answering")
        # Sent already (a retry after a timeout)? The conversation's latest messages say.
        latest = await self._call("GET", "chat.bsky.convo.getMessages", params={"convoId": convo, "limit": 20}, chat=True)
        after = str(target.extra.get("rev") or "")
        for message in items(latest, "messages", "getMessages", self.label):
            sender = message.get("sender") if isinstance(message.get("sender"), dict) else {}
            if sender.get("did") == me["did"] and message.get("text") == text and str(message.get("rev") or "") > after:
                return Sent(native_id=message.get("id"), url=f"https://bsky.app/messages/{convo}")
        sent = expect(
            await self._call("POST", "chat.bsky.convo.sendMessage",
                             json_body={"convoId": convo, "message": {"text": text}}, chat=True),
            dict, "sendMessage", self.label,
        )
        return Sent(native_id=sent.get("id"), url=f"https://bsky.app/messages/{convo}")


def _xrpc_error(response: httpx.Response) -> str | None:
    """The XRPC error name (`ExpiredToken`, `InvalidToken`…): a field, unlike the message text."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def _post_text(record: dict) -> str:
    text = _full_links(text_of(record.get("text")), record.get("facets"))
    embed = record.get("embed") if isinstance(record.get("embed"), dict) else {}
    media = embed.get("media") if isinstance(embed.get("media"), dict) else {}  # a quote with images
    images = embed.get("images") or media.get("images")
    extras = []
    for image in images or []:
        if isinstance(image, dict):
            alt = str(image.get("alt") or "").strip()
            extras.append(f"[image{': ' + alt if alt else ''}]")
    video = next((e for e in (embed, media) if e.get("$type") == "app.bsky.embed.video"), None)
    if video is not None:
        alt = str(video.get("alt") or "").strip()
        extras.append(f"[video{': ' + alt if alt else ''}]")
    # A link card, on its own or beside a quoted post (recordWithMedia's media).
    external = next((e["external"] for e in (embed, media) if isinstance(e.get("external"), dict)), None)
    if external and external.get("uri"):
        extras.append(f"[link: {external.get('title') or external.get('uri')}]")
    return "\n".join(part for part in [text, *extras] if part)


def _shared(embed: object) -> str:
    """A post shared in a chat message (`app.bsky.embed.record#view`), in words: who wrote it and
    what it says, or that it is gone (deleted, blocked or detached views carry no content)."""
    view = embed.get("record") if isinstance(embed, dict) else None
    if not isinstance(view, dict):
        return ""
    if view.get("notFound") or view.get("blocked") or view.get("detached"):
        return "[shared post: no longer available]"
    if not isinstance(view.get("value"), dict):  # a feed, a list, a starter pack: a name, no post
        name = view.get("displayName") or view.get("name")
        return f"[shared: {name}]" if isinstance(name, str) and name else "[shared item]"
    author = view.get("author") if isinstance(view.get("author"), dict) else {}
    who = _handle(author)
    who = f"@{who}" if who else str(author.get("did") or "")
    words = _post_text(view["value"])
    return f"[shared post{' by ' + who if who else ''}{': ' + words if words else ''}]"


def _handle(profile: dict) -> str:
    """The account's handle; "" for none or `handle.invalid` (one shared placeholder for every
    unverified handle: the DID tells those authors apart)."""
    handle = str(profile.get("handle") or "")
    return "" if handle == INVALID_HANDLE else handle


def _post_time(record: dict, view: dict) -> float | str:
    """When a post was written: its `createdAt`, unless that is unreadable, before 2000, or later than
    when the network indexed it (clients may declare any time): then its `indexedAt`."""
    created, indexed = _seconds(record.get("createdAt")), _seconds(view.get("indexedAt"))
    if indexed is not None and (created is None or created < EARLIEST or created > indexed + CLOCK_SKEW):
        return indexed
    return iso_seconds(record.get("createdAt") or view.get("indexedAt"))


def _full_links(text: str, facets: object) -> str:
    """A post's (or chat message's) text with each link written out whole. Apps shorten a long link in the text
    ("example.com/la-recette-de-la-bri...") and keep the address in a link facet, whose range
    counts UTF-8 bytes, not characters. A link on words ("Go to this site", the docs' example)
    keeps them, with the address after them."""
    links = []
    for facet in facets if isinstance(facets, list) else ():
        index = facet.get("index") if isinstance(facet, dict) else None
        features = facet.get("features") if isinstance(facet, dict) else None
        uri = next((f.get("uri") for f in features or () if isinstance(f, dict)
                    and f.get("$type") == "app.bsky.richtext.facet#link"), None) if isinstance(features, list) else None
        if isinstance(index, dict) and isinstance(uri, str) and uri.startswith(("https://", "http://")):
            start, end = index.get("byteStart"), index.get("byteEnd")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                links.append((start, end, uri))
    if not links:
        return text
    data = text.encode("utf-8")
    for start, end, uri in sorted(links, reverse=True):  # from the end: earlier offsets stay right
        if end <= len(data) and not any(s < end and start < e for s, e, _ in links if (s, e) != (start, end)):
            shown = data[start:end].decode("utf-8", "replace")
            whole = uri if _shows_address(shown, uri) else f"{shown} ({uri})"
            data = data[:start] + whole.encode("utf-8") + data[end:]
    return data.decode("utf-8", "replace")


def _shows_address(shown: str, uri: str) -> bool:
    """Whether a link's text is its address as apps show it: without the scheme or "www.", cut
    short with "...", its accents percent-encoded."""
    def bare(address: str) -> str:
        return unquote(address).casefold().split("://", 1)[-1].removeprefix("www.")

    shown = shown.strip().removesuffix("...").removesuffix("…")
    return bool(shown) and bare(uri).startswith(bare(shown))


def _permalink(handle: str, did: str, uri: str) -> str | None:
    """https://bsky.app/profile/{handle}/post/{rkey} (the DID when the handle is unusable)."""
    if not uri.startswith("at://"):
        return None
    who = handle if handle and handle != INVALID_HANDLE else did
    return f"https://bsky.app/profile/{who}/post/{uri.rsplit('/', 1)[-1]}" if who else None


def _seconds(value: object) -> float | None:
    seconds = iso_seconds(value)
    return seconds if isinstance(seconds, float) else None


def _sort_at(post: dict) -> object:
    """A search hit's sort time, as the server gave it: the earlier of its record's createdAt and
    its indexedAt (a createdAt that is no time leaves indexedAt)."""
    indexed = post.get("indexedAt")
    record = post.get("record")
    created = record.get("createdAt") if isinstance(record, dict) else None
    if _seconds(created) is not None and (_seconds(indexed) is None or _seconds(created) < _seconds(indexed)):
        return created
    return indexed


def _later(current: str | None, candidate: object) -> str | None:
    """The later of two ISO times, kept as the text the server gave."""
    if not isinstance(candidate, str) or _seconds(candidate) is None:
        return current
    if current is None or _seconds(current) is None or _seconds(candidate) > _seconds(current):
        return candidate
    return current


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
