"""A Mastodon instance on 127.0.0.1 that answers as docs.joinmastodon.org documents it.

Entities (Account, Status, Notification, Conversation, NotificationRequest) carry the fields of
the documentation's samples; pagination follows the server's rules (`min_id` gives the page just
after the id, `max_id` / `since_id` the newest below / above, `Link` headers with next and prev);
conversations page by their last status id; every answer carries `X-RateLimit-*` headers;
`Idempotency-Key` on `POST /api/v1/statuses` returns the first status again. Errors come with
a French `error` text, as a server set to French sends them: the client must not read it.

    with FakeServer() as server:
        mastodon = FakeMastodon(server)
        mastodon.mention("Toujours pas reçu ma commande", author=mastodon.account("julie"))
"""

from __future__ import annotations

import itertools
import threading
from urllib.parse import parse_qs

from fakeserver import FakeServer, Reply, Request

TOKEN = "mastodon-test-token"
HOST = "piaille.example"
INVALID_TOKEN = {"error": "Le jeton d’accès n’est pas valide"}  # localised: never matched on


class FakeMastodon:
    def __init__(self, server: FakeServer, *, token: str = TOKEN) -> None:
        self.server = server
        self.token = token
        self._ids = itertools.count(113_400_000_000_000_001)
        self._lock = threading.Lock()
        self.me = self.account("briocheandco", display_name="Brioche & Co", followers=5300, account_id="1000")
        self.notifications: list[dict] = []
        self.conversations: dict[str, dict] = {}
        self.requests: dict[str, dict] = {}
        self.search_results: dict[str, list[dict]] = {}
        self.tag_timelines: dict[str, list[dict]] = {}
        self.posted: list[dict] = []
        self.by_key: dict[str, dict] = {}
        self.failures: dict[str, list[Reply]] = {}
        self.override: Reply | None = None  # answer every REST call with this (a broken server)
        self.has_requests_api = True
        self.known_types: set[str] | None = None  # a server refusing other `types[]` (Akkoma): 400
        self.remaining = 300
        self.user_stream = server.event_stream("/api/v1/streaming/user")
        self.direct_stream = server.event_stream("/api/v1/streaming/direct")
        routes = {
            ("GET", "/api/v1/accounts/verify_credentials"): lambda r: Reply.json(self.me),
            ("GET", "/api/v1/notifications"): self._notifications,
            ("GET", "/api/v1/conversations"): self._conversations,
            ("GET", "/api/v1/notifications/requests"): self._requests,
            ("GET", "/api/v2/search"): self._search,
            ("GET", "/api/v2/instance"): self._instance,
            ("POST", "/api/v1/statuses"): self._post_status,
        }
        for (method, path), handler in routes.items():
            server.route(method, path, self._guarded(path, handler))
        server.route_prefix("GET", "/api/v1/timelines/tag/", self._guarded("/api/v1/timelines/tag", self._tag))

    # -- building the world ---------------------------------------------------------------

    def next_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def account(self, username: str, *, display_name: str | None = None, followers: int | None = 120,
                domain: str | None = None, account_id: str | None = None) -> dict:
        acct = f"{username}@{domain}" if domain else username
        server = domain or HOST
        account = {
            "id": account_id or self.next_id(),
            "username": username,
            "acct": acct,
            "display_name": display_name if display_name is not None else username.title(),
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": "2022-08-27T00:00:00.000Z",
            "note": "<p>a profile</p>",
            "url": f"https://{server}/@{username}",
            "avatar": f"https://{server}/avatars/original/missing.png",
            "avatar_static": f"https://{server}/avatars/original/missing.png",
            "header": f"https://{server}/headers/original/missing.png",
            "header_static": f"https://{server}/headers/original/missing.png",
            "followers_count": followers,
            "following_count": 41,
            "statuses_count": 18442,
            "last_status_at": "2025-11-24",
            "emojis": [],
            "fields": [],
        }
        if followers is None:
            del account["followers_count"]
        return account

    def status(self, content: str, author: dict, *, visibility: str = "public", language: str | None = "fr",
               in_reply_to: dict | None = None, mentions: list[dict] | None = None, created_at: str | None = None,
               reblog: dict | None = None, spoiler_text: str = "", tags: list[str] | None = None) -> dict:
        status_id = self.next_id()
        server = author["acct"].split("@")[1] if "@" in author["acct"] else HOST
        mentioned = mentions if mentions is not None else [self.me]
        return {
            "id": status_id,
            "created_at": created_at or "2025-11-24T15:58:01.940Z",
            "in_reply_to_id": in_reply_to["id"] if in_reply_to else None,
            "in_reply_to_account_id": in_reply_to["account"]["id"] if in_reply_to else None,
            "sensitive": bool(spoiler_text),
            "spoiler_text": spoiler_text,
            "visibility": visibility,
            "language": language,
            "uri": f"https://{server}/users/{author['username']}/statuses/{status_id}",
            "url": f"https://{server}/@{author['username']}/{status_id}",
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": None,
            "favourited": False,
            "reblogged": False,
            "muted": False,
            "bookmarked": False,
            "content": content,
            "filtered": [],
            "reblog": reblog,
            "application": {"name": "Web", "website": None},
            "account": author,
            "media_attachments": [],
            "mentions": [
                {"id": m["id"], "username": m["username"], "url": m["url"], "acct": m["acct"]} for m in mentioned
            ],
            "tags": [{"name": t, "url": f"https://{HOST}/tags/{t}"} for t in tags or []],
            "emojis": [],
            "card": None,
            "poll": None,
        }

    def mention(self, content: str, author: dict, *, push: bool = False, **kwargs) -> dict:
        """Someone mentions (or answers) the brand: a status and its mention notification."""
        status = self.status(content, author, **kwargs)
        notification = {
            "id": self.next_id(),
            "type": "mention",
            "created_at": status["created_at"],
            "account": author,
            "status": status,
        }
        self.notifications.append(notification)
        if push:
            self.user_stream.push("notification", notification)
        return status

    def quote(self, content: str, author: dict, quoted: dict) -> dict:
        """Someone quotes one of our statuses (Mastodon 4.5+): a `quote` notification whose status is
        the quoting post, which carries the quoted one under `quote` and does not mention us."""
        status = self.status(content, author, mentions=[])
        status["quote"] = {"state": "accepted", "quoted_status": quoted}
        self.notifications.append({"id": self.next_id(), "type": "quote", "created_at": status["created_at"],
                                   "account": author, "status": status})
        return status

    def favourite(self, author: dict, status: dict) -> dict:
        notification = {"id": self.next_id(), "type": "favourite", "created_at": status["created_at"],
                        "account": author, "status": status}
        self.notifications.append(notification)
        return notification

    def direct(self, content: str, author: dict, *, conversation: str | None = None, push: bool = False) -> dict:
        """A direct message: it lands in a conversation (and, as on a real server, a mention)."""
        status = self.status(content, author, visibility="direct")
        conversation_id = conversation or self.next_id()
        self.conversations[conversation_id] = {
            "id": conversation_id,
            "unread": True,
            "accounts": [author],
            "last_status": status,
        }
        if push:
            self.direct_stream.push("conversation", self.conversations[conversation_id])
        return status

    def filtered(self, content: str, author: dict) -> dict:
        """A stranger's private mention that the notification policy filtered into a request."""
        status = self.status(content, author, visibility="direct")
        request = next((r for r in self.requests.values() if r["account"]["id"] == author["id"]), None)
        if request is None:
            request = {"id": self.next_id(), "created_at": status["created_at"], "notifications_count": "0",
                       "account": author}
            self.requests[request["id"]] = request
        request.update(updated_at=status["created_at"], last_status=status,
                       notifications_count=str(int(request["notifications_count"]) + 1))
        # Its notification is kept, marked filtered: listed only with include_filtered=true (4.3+).
        self.notifications.append({"id": self.next_id(), "type": "mention", "created_at": status["created_at"],
                                   "account": author, "status": status, "filtered": True})
        return status

    def found(self, term: str, status: dict) -> dict:
        if term.startswith("#"):
            self.tag_timelines.setdefault(term[1:].lower(), []).append(status)
        else:
            self.search_results.setdefault(term, []).append(status)
        return status

    def fail(self, path: str, *replies: Reply) -> None:
        """The next calls to `path` get these replies instead of the real answer."""
        self.failures.setdefault(path, []).extend(replies)

    # -- the API --------------------------------------------------------------------------

    def _guarded(self, path: str, handler):
        def serve(request: Request) -> Reply:
            queued = self.failures.get(path)
            if queued:
                return queued.pop(0)
            if self.override is not None:
                return self.override
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return Reply.json(INVALID_TOKEN, 401)
            reply = handler(request)
            self.remaining = max(0, self.remaining - 1)
            reply.headers.update({
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Remaining": str(self.remaining),
                "X-RateLimit-Reset": "2025-11-24T16:05:00.000Z",
            })
            return reply

        return serve

    def _page(self, request: Request, items: list[dict], key=lambda item: item["id"]) -> Reply:
        page, headers = self._paged(request, items, key)
        return Reply.json(page, headers=headers)

    def _paged(self, request: Request, items: list[dict], key=lambda item: item["id"]) -> tuple[list[dict], dict]:
        """Mastodon's id pagination, with the Link header a server sends."""
        limit = min(int(request.arg("limit", "20")), 80)
        order = sorted(items, key=lambda item: int(key(item)), reverse=True)
        min_id, max_id, since_id = request.arg("min_id"), request.arg("max_id"), request.arg("since_id")
        if max_id:
            order = [i for i in order if int(key(i)) < int(max_id)]
        if min_id:
            page = [i for i in reversed(order) if int(key(i)) > int(min_id)][:limit][::-1]
        else:
            if since_id:
                order = [i for i in order if int(key(i)) > int(since_id)]
            page = order[:limit]
        headers = {}
        if page:
            url = f"{self.server.url}{request.path}"
            headers["Link"] = (f'<{url}?max_id={key(page[-1])}>; rel="next", '
                               f'<{url}?min_id={key(page[0])}>; rel="prev"')
        return page, headers

    def _notifications(self, request: Request) -> Reply:
        types = request.query.get("types[]")
        if self.known_types is not None and not set(types or ()) <= self.known_types:
            return Reply.json({"error": "types[]: Invalid value for enum"}, 400)
        with_filtered = request.arg("include_filtered") == "true"
        items = [n for n in self.notifications if (not types or n["type"] in types) and (with_filtered or not n.get("filtered"))]
        return self._page(request, items)

    def _conversations(self, request: Request) -> Reply:
        # Paged by the last status id, as the server does.
        return self._page(request, list(self.conversations.values()), key=lambda c: c["last_status"]["id"])

    def _requests(self, request: Request) -> Reply:
        if not self.has_requests_api:
            return Reply.json({"error": "Record not found"}, 404)
        return self._page(request, list(self.requests.values()))

    def _search(self, request: Request) -> Reply:
        """As Mastodon's StatusesSearchService: newest first; `min_id` and `max_id` are bounds
        (it reads them as "after" and "before" that status's time), not a page after the mark."""
        limit = min(int(request.arg("limit", "20")), 40)
        order = sorted(self.search_results.get(request.arg("q", ""), []), key=lambda s: int(s["id"]), reverse=True)
        min_id, max_id = request.arg("min_id"), request.arg("max_id")
        order = [s for s in order if (not min_id or int(s["id"]) > int(min_id)) and (not max_id or int(s["id"]) < int(max_id))]
        return Reply.json({"accounts": [], "statuses": order[:limit], "hashtags": []})

    def _tag(self, request: Request) -> Reply:
        tag = request.path.rsplit("/", 1)[1].lower()
        return self._page(request, self.tag_timelines.get(tag, []))

    def _instance(self, request: Request) -> Reply:
        streaming = self.server.url.replace("http://", "ws://")
        return Reply.json({
            "domain": HOST,
            "title": "Piaille",
            "version": "4.3.0",
            "configuration": {"urls": {"streaming": streaming}, "statuses": {"max_characters": 500}},
        })

    def _post_status(self, request: Request) -> Reply:
        key = request.headers.get("idempotency-key")
        if key and key in self.by_key:
            return Reply.json(self.by_key[key])
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if not form.get("status"):
            return Reply.json({"error": "Échec de validation : le texte ne peut pas être vide"}, 422)
        status = self.status(f"<p>{form['status']}</p>", self.me, visibility=form.get("visibility", "public"))
        status["in_reply_to_id"] = form.get("in_reply_to_id")
        self.posted.append(form)
        if key:
            self.by_key[key] = status
        return Reply.json(status)
