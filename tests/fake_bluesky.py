"""A Bluesky PDS (with the chat service behind it) on 127.0.0.1, answering as the lexicons define.

XRPC at `/xrpc/<nsid>`: sessions from an app password (`createSession`, `refreshSession`; an
expired access token gets `400 {"error": "ExpiredToken"}` as the PDS sends it), notifications,
post search, profiles, records, and the chat methods, which answer only when the request names
the chat service in `atproto-proxy`. Ids are real-looking: `did:plc:…` DIDs, TIDs for record
keys and chat revs (sortable), `at://` URIs. Every answer carries `ratelimit-*` headers.

    with FakeServer() as server:
        bsky = FakeBluesky(server)
        bsky.mention("Toujours pas reçu ma commande", bsky.profile("julie.bsky.social"))
"""

from __future__ import annotations

import itertools
import threading
from datetime import datetime, timezone

from fakeserver import FakeServer, Reply, Request

HANDLE = "brioche.bsky.social"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
_S32 = "234567abcdefghijklmnopqrstuvwxyz"
START_US = 1_763_999_000_000_000  # 2025-11-24 15:43:20 UTC, in microseconds


def tid(microseconds: int, clock: int = 7) -> str:
    """A timestamp identifier: 13 sortable base32 characters (µs since the epoch, clock id)."""
    value = (microseconds << 10) | clock
    return "".join(_S32[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def iso(microseconds: int) -> str:
    return datetime.fromtimestamp(microseconds / 1e6, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeBluesky:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self._lock = threading.Lock()
        self._clock = itertools.count(START_US, 1_000_000)  # each new thing one second later
        self._dids = itertools.count(1)
        self.app_password = APP_PASSWORD
        self.profiles: dict[str, dict] = {}  # what getProfiles finds, by DID
        self.me = self.profile(HANDLE, display_name="Brioche & Co", followers=5300)
        self.sessions: dict[str, str] = {}  # access token -> state ("ok" / "expired")
        self.refresh_tokens: set[str] = set()
        self._tokens = itertools.count(1)
        self.notifications: list[dict] = []
        self.posts: list[dict] = []
        self.records: list[dict] = []  # our own repo's posts
        self.convos: dict[str, dict] = {}
        self.messages: dict[str, list[dict]] = {}
        self.sent_messages: list[dict] = []
        self.failures: dict[str, list[Reply]] = {}
        self.override: Reply | None = None  # answer every call with this (a broken PDS)
        routes = {
            ("POST", "com.atproto.server.createSession"): self._create_session,
            ("POST", "com.atproto.server.refreshSession"): self._refresh_session,
            ("GET", "app.bsky.notification.listNotifications"): self._authed(self._list_notifications),
            ("GET", "app.bsky.feed.searchPosts"): self._authed(self._search_posts),
            ("GET", "app.bsky.actor.getProfiles"): self._authed(self._get_profiles),
            ("GET", "com.atproto.repo.listRecords"): self._authed(self._list_records),
            ("POST", "com.atproto.repo.createRecord"): self._authed(self._create_record),
            ("GET", "chat.bsky.convo.listConvos"): self._authed(self._list_convos, chat=True),
            ("GET", "chat.bsky.convo.getMessages"): self._authed(self._get_messages, chat=True),
            ("POST", "chat.bsky.convo.sendMessage"): self._authed(self._send_message, chat=True),
        }
        for (method, nsid), handler in routes.items():
            server.route(method, f"/xrpc/{nsid}", self._failing(nsid, handler))

    # -- building the world ---------------------------------------------------------------

    def now(self) -> int:
        with self._lock:
            return next(self._clock)

    def profile(self, handle: str, *, display_name: str | None = None, followers: int | None = 240,
                findable: bool = True) -> dict:
        """A profileViewDetailed; `findable=False` for an account getProfiles no longer returns."""
        did = "did:plc:" + tid(next(self._dids) * 7919).ljust(24, "a")
        profile = {
            "did": did,
            "handle": handle,
            "displayName": display_name if display_name is not None else handle.split(".")[0].title(),
            "description": "un profil",
            "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/bafkreia@jpeg",
            "associated": {"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": False, "chat": {"allowIncoming": "all"}},
            "followersCount": followers,
            "followsCount": 310,
            "postsCount": 1200,
            "indexedAt": "2024-11-02T10:00:00.000Z",
            "createdAt": "2023-05-01T09:00:00.000Z",
            "viewer": {"muted": False, "blockedBy": False},
            "labels": [],
        }
        if followers is None:
            del profile["followersCount"]
        if findable:
            self.profiles[did] = profile
        return profile

    @staticmethod
    def basic(profile: dict) -> dict:
        """profileViewBasic: what posts and notifications embed (no counts)."""
        keys = ("did", "handle", "displayName", "avatar", "associated", "viewer", "labels", "createdAt")
        return {k: profile[k] for k in keys if k in profile}

    def post(self, text: str, author: dict, *, reply_to: dict | None = None, langs: list[str] | None = None,
             embed: dict | None = None) -> dict:
        """A postView (uri, cid, author, record, counts, indexedAt)."""
        at = self.now()
        rkey = tid(at)
        record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": iso(at), "langs": langs or ["fr"]}
        if reply_to:
            root = reply_to["record"].get("reply", {}).get("root") or {"uri": reply_to["uri"], "cid": reply_to["cid"]}
            record["reply"] = {"root": root, "parent": {"uri": reply_to["uri"], "cid": reply_to["cid"]}}
        if embed:
            record["embed"] = embed
        view = {
            "uri": f"at://{author['did']}/app.bsky.feed.post/{rkey}",
            "cid": "bafyreig" + rkey,
            "author": self.basic(author),
            "record": record,
            "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
            "indexedAt": iso(at + 500_000),
            "viewer": {"threadMuted": False, "embeddingDisabled": False},
            "labels": [],
        }
        self.posts.append(view)
        if author["did"] == self.me["did"]:
            self.records.append({"uri": view["uri"], "cid": view["cid"], "value": record})
        return view

    def notify(self, reason: str, post: dict) -> dict:
        """A notification about a post (mention, reply, quote; like and repost are left to the client)."""
        notification = {
            "uri": post["uri"],
            "cid": post["cid"],
            "author": {k: v for k, v in post["author"].items()},
            "reason": reason,
            "record": post["record"],
            "isRead": False,
            "indexedAt": post["indexedAt"],
            "labels": [],
        }
        if reason in ("reply", "quote", "like", "repost"):
            notification["reasonSubject"] = post["record"].get("reply", {}).get("parent", {}).get("uri", "")
        self.notifications.append(notification)
        return notification

    def mention(self, text: str, author: dict, **kwargs) -> dict:
        return self.notify("mention", self.post(text, author, **kwargs))

    def dm(self, text: str, sender: dict, *, convo: str | None = None, embed: dict | None = None,
           facets: list[dict] | None = None) -> dict:
        """A chat message from `sender` to us, in a direct conversation (created if needed); `embed`
        is a shared post as the chat service shows it (`record_view`); `facets` as on a post."""
        at = self.now()
        convo_id = convo or next((cid for cid, c in self.convos.items()
                                  if any(m["did"] == sender["did"] for m in c["members"])), None) or tid(at, 3)
        message = {
            "$type": "chat.bsky.convo.defs#messageView",
            "id": tid(at, 11), "rev": tid(at, 12), "text": text,
            "sender": {"did": sender["did"]}, "sentAt": iso(at),
        }
        if embed is not None:
            message["embed"] = embed
        if facets is not None:
            message["facets"] = facets
        self.messages.setdefault(convo_id, []).append(message)
        member = {**self.basic(sender), "chatDisabled": False}
        convo = self.convos.setdefault(convo_id, {
            "id": convo_id, "members": [{**self.basic(self.me), "chatDisabled": False}, member],
            "muted": False, "status": "request", "unreadCount": 0,
        })
        convo.update(rev=message["rev"], lastMessage=message, unreadCount=convo["unreadCount"] + 1)
        return message

    def deleted_dm(self, sender: dict, convo: str) -> dict:
        """A message its sender deleted: a `deletedMessageView`, with no text."""
        at = self.now()
        message = {"$type": "chat.bsky.convo.defs#deletedMessageView", "id": tid(at, 11), "rev": tid(at, 12),
                   "sender": {"did": sender["did"]}, "sentAt": iso(at)}
        self.messages[convo].append(message)
        self.convos[convo].update(rev=message["rev"], lastMessage=message)
        return message

    def record_view(self, post: dict | None, *, gone: str | None = None) -> dict:
        """`app.bsky.embed.record#view` of a post shared in a chat; `gone` = "notFound" or "blocked"
        for a post deleted since, or whose author blocks us (`#viewNotFound`, `#viewBlocked`)."""
        if gone == "notFound":
            record = {"$type": "app.bsky.embed.record#viewNotFound", "uri": post["uri"], "notFound": True}
        elif gone == "blocked":
            record = {"$type": "app.bsky.embed.record#viewBlocked", "uri": post["uri"], "blocked": True,
                      "author": {"did": post["author"]["did"], "viewer": {"blockedBy": True}}}
        else:
            record = {"$type": "app.bsky.embed.record#viewRecord", "uri": post["uri"], "cid": post["cid"],
                      "author": post["author"], "value": post["record"], "labels": [], "likeCount": 0,
                      "replyCount": 0, "repostCount": 0, "quoteCount": 0, "indexedAt": post["indexedAt"], "embeds": []}
        return {"$type": "app.bsky.embed.record#view", "record": record}

    def fail(self, nsid: str, *replies: Reply) -> None:
        self.failures.setdefault(nsid, []).extend(replies)

    def expire_sessions(self) -> None:
        """Every access token given so far has expired (their refresh tokens still work)."""
        for token in self.sessions:
            self.sessions[token] = "expired"

    # -- the API --------------------------------------------------------------------------

    def _failing(self, nsid: str, handler):
        def serve(request: Request) -> Reply:
            queued = self.failures.get(nsid)
            reply = queued.pop(0) if queued else self.override or handler(request)
            reply.headers.update({"ratelimit-limit": "3000", "ratelimit-remaining": "2999",
                                  "ratelimit-reset": "1764000300", "ratelimit-policy": "3000;w=300"})
            return reply

        return serve

    def _new_session(self) -> Reply:
        access, refresh = f"access-{next(self._tokens)}", f"refresh-{next(self._tokens)}"
        self.sessions[access] = "ok"
        self.refresh_tokens.add(refresh)
        return Reply.json({"accessJwt": access, "refreshJwt": refresh, "handle": self.me["handle"],
                           "did": self.me["did"], "email": "cm@brioche.example", "emailConfirmed": True,
                           "active": True})

    def _create_session(self, request: Request) -> Reply:
        body = request.json() or {}
        if body.get("identifier") not in (self.me["handle"], self.me["did"]) or body.get("password") != self.app_password:
            return Reply.json({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)
        return self._new_session()

    def _refresh_session(self, request: Request) -> Reply:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.refresh_tokens:
            return Reply.json({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        self.refresh_tokens.discard(token)  # refresh tokens are single-use
        return self._new_session()

    def _authed(self, handler, *, chat: bool = False):
        def serve(request: Request) -> Reply:
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            state = self.sessions.get(token)
            if state == "expired":
                return Reply.json({"error": "ExpiredToken", "message": "Token has expired"}, 400)
            if state is None:
                return Reply.json({"error": "AuthenticationRequired", "message": "Invalid token"}, 401)
            if chat and request.headers.get("atproto-proxy") != CHAT_PROXY:
                return Reply.json({"error": "InvalidRequest", "message": "Method not found"}, 501)
            return handler(request)

        return serve

    @staticmethod
    def _window(request: Request, newest_first: list[dict], default_limit: int = 50) -> tuple[list[dict], str | None]:
        """Cursor paging over a newest-first list: the cursor is an opaque offset."""
        limit = int(request.arg("limit", str(default_limit)))
        start = int(request.arg("cursor", "0") or 0)
        window = newest_first[start : start + limit]
        return window, (str(start + limit) if start + limit < len(newest_first) else None)

    def _list_notifications(self, request: Request) -> Reply:
        newest_first = sorted(self.notifications, key=lambda n: n["indexedAt"], reverse=True)
        reasons = request.query.get("reasons")  # repeated: reasons=mention&reasons=reply
        if reasons:
            newest_first = [n for n in newest_first if n["reason"] in reasons]
        window, cursor = self._window(request, newest_first)
        return Reply.json({"notifications": window, **({"cursor": cursor} if cursor else {}), "priority": False,
                           "seenAt": "2025-11-24T15:00:00.000Z"})

    def _search_posts(self, request: Request) -> Reply:
        query = (request.arg("q") or "").casefold()
        since = request.arg("since")
        # `since` reads the sort time: the earlier of createdAt and indexedAt (searchPosts lexicon).
        hits = [p for p in self.posts[::-1] if query in p["record"]["text"].casefold()
                and (not since or min(p["record"]["createdAt"], p["indexedAt"]) >= since)]
        window, cursor = self._window(request, hits, 25)
        return Reply.json({"posts": window, **({"cursor": cursor} if cursor else {}), "hitsTotal": len(hits)})

    def _get_profiles(self, request: Request) -> Reply:
        wanted = request.query.get("actors", [])
        if len(wanted) > 25:
            return Reply.json({"error": "InvalidRequest", "message": "actors must not have more than 25 elements"}, 400)
        return Reply.json({"profiles": [self.profiles[did] for did in wanted if did in self.profiles]})

    def _list_records(self, request: Request) -> Reply:
        if request.arg("repo") != self.me["did"]:
            return Reply.json({"error": "InvalidRequest", "message": "Could not find repo"}, 400)
        window, cursor = self._window(request, self.records[::-1])
        return Reply.json({"records": window, **({"cursor": cursor} if cursor else {})})

    def _create_record(self, request: Request) -> Reply:
        body = request.json() or {}
        record = body.get("record") or {}
        if body.get("repo") != self.me["did"] or body.get("collection") != "app.bsky.feed.post" or not record.get("text"):
            return Reply.json({"error": "InvalidRequest", "message": "Input/record must have the property \"text\""}, 400)
        rkey = tid(self.now())
        created = {"uri": f"at://{self.me['did']}/app.bsky.feed.post/{rkey}", "cid": "bafyreic" + rkey}
        self.records.append({**created, "value": record})
        return Reply.json({**created, "commit": {"cid": "bafyreicommit", "rev": rkey}, "validationStatus": "valid"})

    def _list_convos(self, request: Request) -> Reply:
        convos = sorted(self.convos.values(), key=lambda c: c["rev"], reverse=True)
        window, cursor = self._window(request, convos)
        return Reply.json({"convos": window, **({"cursor": cursor} if cursor else {})})

    def _get_messages(self, request: Request) -> Reply:
        convo = request.arg("convoId")
        if convo not in self.convos:
            return Reply.json({"error": "InvalidConvo", "message": "Convo not found"}, 400)
        window, cursor = self._window(request, self.messages[convo][::-1])
        return Reply.json({"messages": window, **({"cursor": cursor} if cursor else {})})

    def _send_message(self, request: Request) -> Reply:
        body = request.json() or {}
        convo = body.get("convoId")
        if convo not in self.convos:
            return Reply.json({"error": "InvalidConvo", "message": "Convo not found"}, 400)
        at = self.now()
        message = {"$type": "chat.bsky.convo.defs#messageView", "id": tid(at, 11), "rev": tid(at, 12),
                   "text": body["message"]["text"], "sender": {"did": self.me["did"]}, "sentAt": iso(at)}
        self.messages[convo].append(message)
        self.convos[convo].update(rev=message["rev"], lastMessage=message)
        self.sent_messages.append(body)
        return Reply.json(message)
