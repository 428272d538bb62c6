"""A fake Graph API (Facebook Pages, Messenger, Instagram) on 127.0.0.1, as the references show it.

    graph = FakeGraph(server)          # takes over every path of a FakeServer
    post = graph.add_post("p1", "Nouvelle brioche !", at=NOW - 3600)
    graph.add_comment("p1", "c1", "Toujours pas reçu", at=NOW - 60, author=("u1", "Julie M."))

What it honours, like the real API:
- `fields=` with nested expansions (`comments.filter(stream).order(reverse_chronological)
  .limit(50){id,message,from{id,name}}`): a field not asked for is not returned, ids included;
- multi-id reads (`GET /vX/?ids=a,b`) are refused, as to an app created since 2026-11-04;
- cursor paging: `paging.cursors` and an absolute `paging.next` that points at
  graph.facebook.com and carries `access_token` (a client must rebase it and drop the token);
  an Instagram edge expanded inside `fields=` gives the cursors only;
- times as `2019-02-26T08:34:21+0000`;
- the token in `Authorization: Bearer`; an expired one gets error 190 (HTTP 400);
- usage headers (`x-app-usage`, `x-business-use-case-usage`) on every answer, and throttling
  (error 80001 with `estimated_time_to_regain_access`) when asked.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlencode

from fakeserver import FakeServer, Reply, Request

VERSION = "v24.0"
TOKEN = "page-token-ok"
REAL_HOST = "https://graph.facebook.com"


def graph_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


# -- fields= parsing and selection ------------------------------------------------------------


@dataclass
class Field:
    name: str
    mods: dict[str, str] = field(default_factory=dict)
    sub: list["Field"] | None = None


def parse_fields(spec: str) -> list[Field]:
    fields, rest = _fields(spec.replace(" ", ""), 0)
    return fields


def _fields(spec: str, i: int) -> tuple[list[Field], int]:
    out: list[Field] = []
    while i < len(spec) and spec[i] != "}":
        match = re.match(r"[A-Za-z_0-9]+", spec[i:])
        if not match:
            raise ValueError(f"bad fields at {spec[i:]!r}")
        current = Field(match.group(0))
        i += match.end()
        while i < len(spec) and spec[i] == ".":
            mod = re.match(r"\.([A-Za-z_]+)\(([^)]*)\)", spec[i:])
            current.mods[mod.group(1)] = mod.group(2)
            i += mod.end()
        if i < len(spec) and spec[i] == "{":
            current.sub, i = _fields(spec, i + 1)
            i += 1  # the closing brace
        out.append(current)
        if i < len(spec) and spec[i] == ",":
            i += 1
    return out, i


def _cursor(index: int) -> str:
    return base64.b64encode(str(index).encode()).decode()


def _uncursor(value: str | None) -> int:
    return int(base64.b64decode(value).decode()) if value else 0


class FakeGraph:
    def __init__(self, server: FakeServer, *, page_id: str = "111", ig_user_id: str = "178", page_name: str = "Brioche & Co") -> None:
        self.server = server
        self.page_id, self.ig_user_id, self.page_name = page_id, ig_user_id, page_name
        self.objects: dict[str, dict] = {
            page_id: {"id": page_id, "name": page_name, "feed": [], "ads_posts": [], "conversations": []},
            ig_user_id: {"id": ig_user_id, "username": "briocheandco", "media": [], "tags": [],
                         "mentioned_comment": {}, "mentioned_media": {}},
        }
        self.token = TOKEN
        self.cursor_only_edges: set[str] = set()  # top-level edges answered without `paging.next`
        # Posts whose comments Graph ranks: "If the comments can be ranked, then the order will always
        # be ranked regardless of this modifier" (Object Comments, `order`). Served in the order added.
        self.ranked_posts: set[str] = set()
        self.expired = False
        self.throttled_minutes: int | None = None
        self.app_usage = 5  # percent, grows by usage_step per call
        self.usage_step = 0
        self.sent: list[dict] = []  # what POST /me/messages sent
        self.posted: list[dict] = []  # comment replies created
        self.private_replied: set[str] = set()
        # Mentioned comments on media whose comments are now off: the reference says the lookup
        # "will return an error" (IG User Mentioned Comment, Limitations).
        self.comments_off: set[str] = set()
        # Fields a mention look-up may not ask for on a server whose nodes lack them.
        self.mention_fields_refused: set[str] = set()
        self.counter = 0
        self.override: Reply | None = None  # answer everything with this (a broken API)
        catch_all(server, self.handle)

    # -- building the world -------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def add_post(self, post_id: str, message: str, *, at: float, author: tuple[str, str] | None = None,
                 edge: str = "feed") -> dict:
        author_id, name = author or (self.page_id, self.page_name)
        post = {"id": post_id, "message": message, "created_time": graph_time(at), "updated_time": graph_time(at),
                "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{post_id}",
                "from": {"id": author_id, "name": name}, "comments": []}
        self.objects[post_id] = post
        self.objects[self.page_id][edge].insert(0, post)
        self.objects[self.page_id][edge].sort(key=lambda p: p["created_time"], reverse=True)
        return post

    def add_comment(self, post_id: str, comment_id: str, message: str, *, at: float,
                    author: tuple[str, str] = ("900", "Julie Martin"), parent: str | None = None,
                    attachment: dict | None = None) -> dict:
        post = self.objects[post_id]
        comment = {"id": comment_id, "message": message, "created_time": graph_time(at),
                   "from": {"id": author[0], "name": author[1]}, "is_hidden": False, "can_reply_privately": True,
                   "permalink_url": f"https://www.facebook.com/{post_id}?comment_id={comment_id}", "comments": []}
        if not message:
            del comment["message"]  # a photo or sticker alone: Graph leaves the field out
        if parent:
            comment["parent"] = {"id": parent}
        if attachment:
            comment["attachment"] = attachment  # {"type": "photo", "url": …, "media": {…}}
        post["comments"].append(comment)
        post["updated_time"] = max(post["updated_time"], graph_time(at))
        self.objects[comment_id] = comment
        return comment

    def add_message(self, conversation_id: str, message_id: str, text: str, *, at: float,
                    sender: tuple[str, str] = ("5001", "Marc Dupont"), platform: str = "messenger",
                    attachments: list[dict] | None = None, shares: list[dict] | None = None) -> dict:
        page = self.objects[self.page_id]
        conversation = self.objects.get(conversation_id)
        if conversation is None:
            conversation = {"id": conversation_id, "updated_time": graph_time(at), "platform": platform,
                            "participants": {"data": [{"id": sender[0], "name": sender[1]}, {"id": self.page_id, "name": self.page_name}]},
                            "messages": []}
            self.objects[conversation_id] = conversation
            page["conversations"].append(conversation)
        key = "username" if platform == "instagram" else "name"
        message = {"id": message_id, "created_time": graph_time(at), "message": text,
                   "from": {"id": sender[0], key: sender[1]}, "to": {"data": [{"id": self.page_id}]}}
        if attachments:  # edges, served as {"data": [...]}: [{"id", "mime_type", "name", "size", "image_data"}]
            message["attachments"] = attachments
        if shares:
            message["shares"] = shares
        conversation["messages"].insert(0, message)  # newest first
        conversation["updated_time"] = max(conversation["updated_time"], graph_time(at))
        page["conversations"].sort(key=lambda c: c["updated_time"], reverse=True)
        self.objects[message_id] = message
        return message

    def add_media(self, media_id: str, caption: str, *, at: float) -> dict:
        medium = {"id": media_id, "caption": caption, "timestamp": graph_time(at), "comments_count": 0,
                  "permalink": f"https://www.instagram.com/p/{media_id}/", "comments": [],
                  "username": self.objects[self.ig_user_id]["username"]}
        self.objects[media_id] = medium
        self.objects[self.ig_user_id]["media"].insert(0, medium)
        return medium

    def add_ig_comment(self, media_id: str, comment_id: str, text: str, *, at: float, username: str = "tom_b",
                       user_id: str = "7001", parent: str | None = None) -> dict:
        medium = self.objects[media_id]
        comment = {"id": comment_id, "text": text, "timestamp": graph_time(at), "username": username,
                   "from": {"id": user_id, "username": username}, "hidden": False, "like_count": 0, "replies": []}
        if parent:
            comment["parent_id"] = parent
            self.objects[parent]["replies"].append(comment)
        else:
            medium["comments"].insert(0, comment)
        medium["comments_count"] += 1
        self.objects[comment_id] = comment
        return comment

    # -- serving --------------------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        self.app_usage = min(100, self.app_usage + self.usage_step)
        usage = {"call_count": self.app_usage, "total_time": 1, "total_cputime": 1}
        buc = {self.page_id: [{"type": "pages", "call_count": self.app_usage, "total_time": 1, "total_cputime": 1,
                               "estimated_time_to_regain_access": self.throttled_minutes or 0}]}
        return {"x-app-usage": json.dumps(usage), "x-business-use-case-usage": json.dumps(buc)}

    def error(self, code: int, message: str, *, status: int = 400, subcode: int | None = None, kind: str = "OAuthException") -> Reply:
        body = {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}}
        if subcode:
            body["error"]["error_subcode"] = subcode
        return Reply.json(body, status, self.headers())

    def handle(self, request: Request) -> Reply:
        if self.override is not None:
            return self.override
        prefix = f"/{VERSION}/"
        if not request.path.startswith(prefix) and request.path != f"/{VERSION}":
            return self.error(2500, "Unknown path components", status=400)
        if "access_token" in request.query:
            return self.error(100, "test server: the token must not travel in the URL")
        if self.expired:
            return self.error(190, "Error validating access token: Session has expired on Monday, 24-Nov-25.", subcode=463)
        if request.headers.get("authorization") != f"Bearer {self.token}":
            sent = request.headers.get("authorization", "").removeprefix("Bearer ")
            if sent.startswith("EAA"):  # what Graph says of a token it cannot read: the token itself, quoted
                return self.error(190, f"Malformed access token {sent}")
            return self.error(190, "Invalid OAuth access token - Cannot parse access token")
        if self.throttled_minutes:
            return self.error(80001, "There have been too many calls to this Page account. Wait a bit and try again.",
                              kind="OAuthException")
        parts = [p for p in request.path[len(prefix):].split("/") if p]
        if request.method == "GET":
            return self.get(request, parts)
        if request.method == "POST":
            return self.post(request, parts)
        return self.error(100, "Unsupported request")

    def get(self, request: Request, parts: list[str]) -> Reply:
        fields = parse_fields(request.arg("fields") or "id")
        if not parts:  # a multi-id read (`?ids=a,b`): closed to apps created since 2026-11-04
            return self.error(100, "(#100) Multi-ID requests are not available to this app", kind="GraphMethodException")
        obj = self.objects.get(parts[0])
        if obj is None:
            return self.error(100, f"Unsupported get request. Object with ID '{parts[0]}' does not exist, cannot be loaded "
                              "due to missing permissions, or does not support this operation", subcode=33,
                              kind="GraphMethodException")
        if len(parts) == 1:
            for f in fields:
                if f.name == "mentioned_comment" and f.mods.get("comment_id") in self.comments_off:
                    return self.error(100, "(#100) Comments are disabled for this media", kind="GraphMethodException")
                refused = [sub.name for sub in f.sub or [] if sub.name in self.mention_fields_refused]
                if f.name in ("mentioned_comment", "mentioned_media") and refused:
                    return self.error(100, f"(#100) Tried accessing nonexisting field ({refused[0]}) on node type (ShadowIGComment)")
            return Reply.json(self.select(obj, fields), headers=self.headers())
        edge = parts[1]
        items = self.edge_items(obj, edge, request)
        if items is None:
            return self.error(100, f"(#100) Tried accessing nonexisting field ({edge})")
        mods = {"limit": request.arg("limit") or "25", "after": request.arg("after")}
        page = self.page_of(items, fields, mods, f"{parts[0]}/{edge}", request.query)
        if edge in self.cursor_only_edges:
            page.get("paging", {}).pop("next", None)
        return Reply.json(page, headers=self.headers())

    def edge_items(self, obj: dict, edge: str, request: Request, mods: dict | None = None) -> list[dict] | None:
        items = obj.get(edge)
        if not isinstance(items, list):
            return None
        if edge == "conversations":
            platform = (mods or {}).get("platform") or request.arg("platform") or "messenger"
            items = [c for c in items if c.get("platform", "messenger") == platform]
        if edge == "comments" and "created_time" in (items[0] if items else {}):
            if (mods or {}).get("filter", request.arg("filter")) != "stream":
                items = [c for c in items if "parent" not in c]
            reverse = (mods or {}).get("order", request.arg("order")) == "reverse_chronological"
            if obj.get("id") not in self.ranked_posts:
                items = sorted(items, key=lambda c: c["created_time"], reverse=reverse)
        return items

    def page_of(self, items: list[dict], fields: list[Field], mods: dict, path: str, query: dict) -> dict:
        start = _uncursor(mods.get("after"))
        limit = int(mods.get("limit") or 25)
        chunk = items[start : start + limit]
        body: dict = {"data": [self.select(i, fields) for i in chunk]}
        if chunk:
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk))}}
            if start + limit < len(items):
                params = {k: v[0] for k, v in query.items() if k not in ("after",)}
                params.update({"limit": limit, "after": _cursor(start + len(chunk)), "access_token": "LEAKED-IF-FOLLOWED"})
                body["paging"]["next"] = f"{REAL_HOST}/{VERSION}/{path}?{urlencode(params)}"
        return body

    def select(self, obj: dict, fields: list[Field]) -> dict:
        out: dict = {}
        for f in fields:
            if f.name in ("mentioned_comment", "mentioned_media"):
                table = obj.get(f.name, {})
                key = f.mods.get("comment_id") or f.mods.get("media_id")
                if key in table:
                    out[f.name] = self.select(table[key], f.sub or [Field("id")])
                continue
            if f.name not in obj:
                continue
            value = obj[f.name]
            if isinstance(value, list):  # an edge
                items = self.edge_items(obj, f.name, Request("GET", "", {}, {}, b""), f.mods) or []
                page = self.page_of(items, f.sub or [Field("id")], {"limit": f.mods.get("limit", "25")},
                                    f"{obj.get('id')}/{f.name}", {"fields": [""]})
                if "timestamp" in obj:  # Instagram: a nested edge pages by cursors only, no `next` URL
                    page.get("paging", {}).pop("next", None)
                out[f.name] = page
            elif isinstance(value, dict) and f.sub:
                out[f.name] = self.select(value, f.sub)
            else:
                out[f.name] = value
        return out

    def post(self, request: Request, parts: list[str]) -> Reply:
        form = {k: v[0] for k, v in _form(request).items()}
        if parts == ["me", "messages"]:
            payload = request.json()
            self.sent.append(payload)
            recipient = payload.get("recipient") or {}
            if "comment_id" in recipient:
                if recipient["comment_id"] in self.private_replied:
                    return self.error(10900, "Activity already replied to", kind="OAuthException")
                self.private_replied.add(recipient["comment_id"])
            return Reply.json({"recipient_id": recipient.get("id", "5001"), "message_id": self._id("m_")}, headers=self.headers())
        obj = self.objects.get(parts[0])
        if obj is None:
            return self.error(100, f"Unsupported post request. Object with ID '{parts[0]}' does not exist, cannot be loaded "
                              "due to missing permissions, or does not support this operation", subcode=33,
                              kind="GraphMethodException")
        if len(parts) == 1:
            for name, key in (("is_hidden", "is_hidden"), ("hide", "hidden")):
                if name in form:
                    obj[key] = form[name] == "true"
                    return Reply.json({"success": True}, headers=self.headers())
            return self.error(100, "(#100) Nothing to update")
        edge = parts[1]
        if edge in ("comments", "replies", "mentions"):
            new_id = self._id("r_")
            self.posted.append({"to": parts[0], "edge": edge, "id": new_id, "message": form.get("message")})
            return Reply.json({"id": new_id}, headers=self.headers())
        return self.error(100, f"(#100) Cannot post to {edge}")


def _form(request: Request) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return parse_qs(request.body.decode(), keep_blank_values=True)
    return dict(request.query)


class _CatchAll(dict):
    """A FakeServer route table that sends every path to one handler."""

    def __init__(self, handler) -> None:
        super().__init__()
        self.handler = handler

    def get(self, key, default=None):  # noqa: D401 - dict protocol
        return self.handler


def catch_all(server: FakeServer, handler) -> None:
    """Every request to `server` goes to `handler` (APIs with ids in their paths)."""
    server.routes = _CatchAll(handler)
