"""Reddit's OAuth API on 127.0.0.1, answering as reddit.com/dev/api documents it.

A script app's password grant at `/api/v1/access_token` (client id and secret as HTTP Basic; a
wrong password is `200 {"error": "invalid_grant"}`, as Reddit answers it), then bearer calls:
`/message/inbox` (t1 comment replies and mentions, t4 private messages), `/search`,
`/user/<name>/comments`, `/message/sent`, `/api/v1/me`, `POST /api/comment`. Listings are
`{"kind": "Listing", "data": {"after", "before", "children": [{"kind", "data"}]}}`, newest first,
paged with `after` / `before` fullnames. Without `raw_json=1` text comes HTML-escaped, as on
Reddit; a generic User-Agent is refused; every answer has `x-ratelimit-*` headers.
"""

from __future__ import annotations

import base64
import html
import itertools
from urllib.parse import parse_qs

from fakeserver import FakeServer, Reply, Request

USERNAME = "BriocheAndCo"
PASSWORD = "mot-de-passe"
CLIENT_ID = "p-jcoLKBynTLew"
CLIENT_SECRET = "gko_LXELoV07ZBNUXrvWZfzE3aI"
START = 1_763_999_000.0  # created_utc of the first thing: 2025-11-24 15:43:20 UTC
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(number: int) -> str:
    out = ""
    while number:
        number, digit = divmod(number, 36)
        out = _B36[digit] + out
    return out or "0"


class FakeReddit:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.password = PASSWORD
        self._ids = itertools.count(36**6)
        self._clock = itertools.count(0)
        self._tokens = itertools.count(1)
        self.tokens: set[str] = set()
        self.inbox: list[dict] = []  # newest last
        self.search_hits: list[dict] = []
        self.my_comments: list[dict] = []
        self.sent: list[dict] = []
        self.comments_posted: list[dict] = []
        self.failures: dict[str, list[Reply]] = {}
        self.override: Reply | None = None  # answer every call with this (a broken API)
        self.escapes_always = False  # serve the legacy escaped text even to raw_json=1 (a recorded answer)
        self.ratelimit_next_comment: float | None = None
        self.refuse_next_comment: list | None = None  # an error triple, e.g. ["DELETED_COMMENT", "…", "parent"]
        routes = {
            ("POST", "/api/v1/access_token"): self._access_token,
            ("GET", "/api/v1/me"): self._authed(lambda r: Reply.json({"name": USERNAME, "id": "abc12", "link_karma": 12})),
            ("GET", "/message/inbox"): self._authed(lambda r: self._listing(r, self.inbox)),
            ("GET", "/message/sent"): self._authed(lambda r: self._listing(r, self.sent)),
            ("GET", "/search"): self._authed(self._search),
            ("GET", f"/user/{USERNAME}/comments"): self._authed(lambda r: self._listing(r, self.my_comments)),
            ("POST", "/api/comment"): self._authed(self._comment),
        }
        for (method, path), handler in routes.items():
            server.route(method, path, self._failing(path, handler))

    # -- building the world ---------------------------------------------------------------

    def _thing_id(self) -> str:
        return base36(next(self._ids))

    def _created(self) -> float:
        return START + 60.0 * next(self._clock)

    def comment(self, body: str, author: str, *, kind: str = "comment_reply", subreddit: str = "Boulangerie",
                link_title: str = "Votre avis sur Brioche & Co ?", parent: str | None = None) -> dict:
        """An inbox comment message (t1): a reply to our comment or post, or a username mention."""
        thing_id, link = self._thing_id(), base36(1_000_000 + next(self._ids))
        created = self._created()
        data = {
            "first_message": None, "first_message_name": None, "subreddit": subreddit, "likes": None,
            "replies": "", "author_fullname": "t2_" + self._thing_id(), "id": thing_id,
            "subject": kind.replace("_", " "), "associated_awarding_id": None, "score": 1, "author": author,
            "num_comments": 4, "parent_id": parent or f"t3_{link}", "subreddit_name_prefixed": f"r/{subreddit}",
            "new": True, "type": kind, "body": body,
            "link_title": link_title, "dest": USERNAME, "was_comment": True,
            "body_html": f'<!-- SC_OFF --><div class="md"><p>{html.escape(body)}</p>\n</div><!-- SC_ON -->',
            "name": f"t1_{thing_id}", "created": created, "created_utc": created,
            "context": f"/r/{subreddit}/comments/{link}/votre_avis_sur_brioche_co/{thing_id}/?context=3",
            "distinguished": None,
        }
        self.inbox.append({"kind": "t1", "data": data})
        return data

    def message(self, body: str, author: str | None, *, subject: str = "Ma commande", subreddit: str | None = None,
                parent: dict | None = None) -> dict:
        """A private message (t4) to us; `author=None` with `subreddit` for a subreddit's message."""
        thing_id = self._thing_id()
        created = self._created()
        data = {
            "first_message": None, "first_message_name": parent["name"] if parent else None,
            "subreddit": subreddit, "likes": None, "replies": "", "author_fullname": None if author is None else "t2_x",
            "id": thing_id, "subject": subject, "associated_awarding_id": None, "score": 0, "author": author,
            "num_comments": None, "parent_id": parent["name"] if parent else None,
            "subreddit_name_prefixed": f"r/{subreddit}" if subreddit else None, "new": True, "type": "unknown",
            "body": body, "dest": USERNAME, "was_comment": False,
            "body_html": f'<!-- SC_OFF --><div class="md"><p>{html.escape(body)}</p>\n</div><!-- SC_ON -->',
            "name": f"t4_{thing_id}", "created": created, "created_utc": created, "context": "",
            "distinguished": "moderator" if subreddit else None,
        }
        self.inbox.append({"kind": "t4", "data": data})
        return data

    def post(self, title: str, author: str, *, selftext: str = "", subreddit: str = "france", url: str | None = None) -> dict:
        """A submission (t3) the brand search finds."""
        thing_id = self._thing_id()
        created = self._created()
        slug = "_".join(title.lower().split())[:40]
        data = {
            "subreddit": subreddit, "selftext": selftext, "author_fullname": "t2_y", "title": title,
            "subreddit_name_prefixed": f"r/{subreddit}", "name": f"t3_{thing_id}", "score": 12,
            "is_self": url is None, "created": created, "created_utc": created, "domain": f"self.{subreddit}",
            "selftext_html": (f'<!-- SC_OFF --><div class="md"><p>{html.escape(selftext)}</p>\n</div><!-- SC_ON -->'
                              if selftext else None),
            "id": thing_id, "author": author, "num_comments": 3, "over_18": False,
            "permalink": f"/r/{subreddit}/comments/{thing_id}/{slug}/",
            "url": url or f"https://www.reddit.com/r/{subreddit}/comments/{thing_id}/{slug}/",
            "subreddit_subscribers": 700000,
        }
        self.search_hits.append({"kind": "t3", "data": data})
        return data

    def fail(self, path: str, *replies: Reply) -> None:
        self.failures.setdefault(path, []).extend(replies)

    # -- the API --------------------------------------------------------------------------

    def _failing(self, path: str, handler):
        def serve(request: Request) -> Reply:
            if "by /u/" not in request.headers.get("user-agent", ""):
                return Reply.text("Too Many Requests: use a unique and descriptive User-Agent", 429)
            queued = self.failures.get(path)
            reply = queued.pop(0) if queued else self.override or handler(request)
            for name, value in {"x-ratelimit-used": "2", "x-ratelimit-remaining": "598.0", "x-ratelimit-reset": "412"}.items():
                reply.headers.setdefault(name, value)
            return reply

        return serve

    def _access_token(self, request: Request) -> Reply:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return Reply.json({"message": "Unauthorized", "error": 401}, 401)
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") != "password" or form.get("username") != USERNAME or form.get("password") != self.password:
            return Reply.json({"error": "invalid_grant"})
        token = f"eyJhbGciOiJSUzI1NiIs-{next(self._tokens)}"
        self.tokens.add(token)
        return Reply.json({"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*"})

    def _authed(self, handler):
        def serve(request: Request) -> Reply:
            token = request.headers.get("authorization", "").removeprefix("bearer ").removeprefix("Bearer ")
            if token not in self.tokens:
                return Reply.json({"message": "Unauthorized", "error": 401}, 401)
            return handler(request)

        return serve

    def _listing(self, request: Request, things: list[dict]) -> Reply:
        """A Listing, newest first; `after` / `before` take the fullname to page from."""
        newest_first = things[::-1]
        names = [t["data"]["name"] for t in newest_first]
        limit = min(int(request.arg("limit", "25")), 100)
        start = 0
        if request.arg("after") in names:
            start = names.index(request.arg("after")) + 1
        page = newest_first[start : start + limit]
        if request.arg("before") in names:
            end = names.index(request.arg("before"))
            page = newest_first[max(0, end - limit) : end]
        raw = request.arg("raw_json") == "1" and not self.escapes_always
        children = [{"kind": t["kind"], "data": t["data"] if raw else _escaped(t["data"])} for t in page]
        more = bool(page) and names.index(page[-1]["data"]["name"]) + 1 < len(names)
        return Reply.json({"kind": "Listing", "data": {
            "after": page[-1]["data"]["name"] if more else None, "dist": len(children), "modhash": None,
            "geo_filter": "", "children": children, "before": None,
        }})

    def _search(self, request: Request) -> Reply:
        words = [w.strip('"').casefold() for w in (request.arg("q") or "").split(" OR ")]
        hits = [t for t in self.search_hits
                if any(w in (t["data"]["title"] + " " + t["data"]["selftext"]).casefold() for w in words)]
        return self._listing(request, hits)

    def _comment(self, request: Request) -> Reply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if self.ratelimit_next_comment is not None:
            wait, self.ratelimit_next_comment = self.ratelimit_next_comment, None
            return Reply.json({"json": {"ratelimit": wait, "errors": [
                ["RATELIMIT", "Looks like you've been doing that a lot. Take a break for 9 minutes before trying again.", "ratelimit"]]}})
        if self.refuse_next_comment is not None:
            error, self.refuse_next_comment = self.refuse_next_comment, None
            return Reply.json({"json": {"errors": [error]}})
        if not form.get("text"):
            return Reply.json({"json": {"errors": [["NO_TEXT", "we need something here", "text"]]}})
        self.comments_posted.append(form)
        thing_id = self._thing_id()
        created = self._created()
        kind = "t4" if form["thing_id"].startswith("t4_") else "t1"
        data = {"id": thing_id, "name": f"{kind}_{thing_id}", "parent_id": form["thing_id"], "body": form["text"],
                "author": USERNAME, "created_utc": created,
                "permalink": f"/r/Boulangerie/comments/abc/x/{thing_id}/" if kind == "t1" else None}
        (self.sent if kind == "t4" else self.my_comments).append({"kind": kind, "data": data})
        return Reply.json({"json": {"errors": [], "data": {"things": [{"kind": kind, "data": data}]}}})


def _escaped(data: dict) -> dict:
    """What Reddit sends without raw_json=1: &, < and > as HTML entities in every string, the
    `*_html` fields included ("&lt;div class=\"md\"&gt;")."""
    return {k: v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if isinstance(v, str) else v
            for k, v in data.items()}
