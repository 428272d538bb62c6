"""A Facebook Page: comments on its posts and ads, visitor posts, Messenger conversations.

Reads (Graph API, Page access token):
- `comments`: the Page's recent posts (`/{page-id}/feed`), and for each post changed since the
  last poll (`updated_time` moves with every new comment) its comments and replies in one
  multi-id request (`comments.filter(stream).order(reverse_chronological)` with explicit fields:
  the comments edge returns no id or author unless asked);
- `ads`: the same for the Page's ad posts (`/{page-id}/ads_posts`);
- `visitor_posts`: posts people wrote on the Page (feed items not from the Page), as mentions;
- `messages`: Messenger conversations (`/{page-id}/conversations?platform=messenger`).

Replies: a comment reply is `POST /{comment-id}/comments`; a private reply and a Messenger reply
are `POST /me/messages` (recipient `comment_id`, or the customer's page-scoped id), with the
HUMAN_AGENT tag when the Page has it; hide / unhide is `POST /{comment-id}` with `is_hidden`.
The platform rules (24-hour window, one private reply within 7 days) are checked before by
`cminbox/reply_rules.py`; this module only speaks to the API.
"""

from __future__ import annotations

from contextlib import suppress

from ..config import SourceEntry
from ..models import Incoming
from . import options
from .apidata import as_object
from .base import Page, ReplyTarget, Sent, Source
from .graph import Graph, parse_time, read_conversations, walk, with_attachments
from .http import Http
from .items import SHAPE_ERRORS, one_item
from .reads import Reads
from .registry import Secret

POST_FIELDS = "id,message,created_time,updated_time,permalink_url,from{id,name}"
COMMENT_FIELDS = ("id,message,created_time,from{id,name},parent{id},permalink_url,is_hidden,can_reply_privately,"
                  "attachment{type,title,url}")
COMMENTS = f"comments.filter(stream).order(reverse_chronological).limit(100){{{COMMENT_FIELDS}}}"
READS = ("comments", "ads", "visitor_posts", "messages")
DEFAULT_READS = ("comments", "visitor_posts", "messages")
_SNIPPET = 140


class FacebookSource(Source):
    type = "facebook"
    credential_sets = (frozenset({"token"}),)
    network = "facebook"
    can_reply = True
    can_hide = True
    can_reply_privately = True
    default_interval = 120.0

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        super().__init__(entry, http, secret)
        self.page_id = options.text(entry, "page_id", required=True)
        self.human_agent = options.flag(entry, "human_agent")
        self.since_days = options.number(entry, "since_days", 7, low=1, high=90)
        self.max_posts = options.number(entry, "max_posts", 50, low=1, high=500)
        self.reads = options.reads(entry, READS, DEFAULT_READS)
        self.graph = Graph.for_source(self)

    async def verify(self) -> str:
        page = await self.graph.get(self.page_id, fields="id,name")
        return f"Facebook Page {page.get('name') or self.page_id}"

    # -- reading ----------------------------------------------------------------------------

    async def fetch(self, cursor: str | None) -> Page:
        state = options.load_cursor(cursor)
        start = self.http.clock() - self.since_days * 86400
        messages: list[Incoming] = []
        reads = Reads(self.label)
        if {"comments", "ads", "visitor_posts"} & set(self.reads):
            with reads.part("posts and comments"):
                since = float(state.get("posts", start))
                found, state["posts"] = await self._posts(since)
                messages += found
        if "messages" in self.reads:
            with reads.part("Messenger"):
                since = float(state.get("conversations", start))
                found, state["conversations"] = await read_conversations(
                    self.graph, self.page_id, platform="messenger", since=since, own_ids={self.page_id},
                    network="facebook", human_agent=self.human_agent,
                )
                messages += found
        return reads.page(messages, options.dump_cursor(state))

    async def _posts(self, since: float) -> tuple[list[Incoming], float]:
        # The feed is ordered by creation, but an old post can get a new comment: walk the posts
        # of the look-back period (at most `max_posts`) and keep those updated since `since`.
        pages = max(1, -(-self.max_posts // 25))
        horizon = min(since, self.http.clock() - self.since_days * 86400)

        def beyond_horizon(post: dict) -> bool:
            return parse_time(post.get("created_time")) < horizon

        def changed(post: dict) -> bool:
            try:
                return parse_time(post.get("updated_time") or post.get("created_time")) >= since
            except SHAPE_ERRORS:
                return True  # read, and set aside if it cannot be (`items.one_item`)

        posts: list[dict] = []
        edges = [("comments", "feed"), ("visitor_posts", "feed"), ("ads", "ads_posts")]
        for edge in dict.fromkeys(e for read, e in edges if read in self.reads):
            listed = await walk(self.graph, f"{self.page_id}/{edge}", {"fields": POST_FIELDS, "limit": 25},
                                until=beyond_horizon, max_pages=pages)
            posts += [p for p in listed[: self.max_posts] if changed(p)]
        newest = since
        messages: list[Incoming] = []
        for post in posts:
            with suppress(*SHAPE_ERRORS):  # a post without a readable time does not move the mark
                newest = max(newest, parse_time(post.get("updated_time") or post.get("created_time")))
            author = as_object(post.get("from"))
            if "visitor_posts" in self.reads and author.get("id") and str(author["id"]) != self.page_id:
                with one_item(post, "visitor post"):
                    created = parse_time(post.get("created_time"))
                    if created >= since and post.get("id"):
                        messages.append(Incoming(
                            native_id=str(post["id"]), network="facebook", kind="mention", text=post.get("message") or "",
                            created_at=created, author_name=author.get("name") or "", url=post.get("permalink_url"),
                            title="Visitor post on the Page", extra={"visitor_post": True},
                        ))
        if "comments" in self.reads or "ads" in self.reads:
            by_post = {str(p["id"]): p for p in posts if p.get("id")}
            details = await self.graph.many(by_post, COMMENTS)
            for post_id, post in by_post.items():
                messages += await self._comments(post, as_object(as_object(details.get(post_id)).get("comments")), since)
        return messages, newest

    async def _comments(self, post: dict, edge: dict, since: float) -> list[Incoming]:
        """The post's comments newer than `since` (later pages only while a page brings new ones).

        Asked newest first, but Graph ranks the comments of a post that can be ranked "regardless
        of this modifier": an older comment may come before a new one, so it is passed over, not
        taken for the end."""
        found: list[Incoming] = []
        post_id = str(post["id"])
        caption = post.get("message")
        title = (caption.strip()[:_SNIPPET] or None) if isinstance(caption, str) else None
        for _ in range(10):
            data = edge.get("data") if isinstance(edge, dict) else None
            fresh = False
            for item in data if isinstance(data, list) else ():
                if not isinstance(item, dict) or not item.get("id"):
                    continue
                with one_item(item, "comment"):
                    created = parse_time(item.get("created_time"))
                    if created < since:
                        continue
                    fresh = True
                    comment = self._comment(item, post, post_id, title, created)
                    if comment is not None:
                        found.append(comment)
            next_url = as_object(edge.get("paging")).get("next") if isinstance(edge, dict) else None
            if not next_url or not fresh:
                break
            edge = await self.graph.follow(next_url)
        return found

    def _comment(self, item: dict, post: dict, post_id: str, title: str | None, created: float) -> Incoming | None:
        """One comment of the post as a message; None when the Page wrote it (not an inbox item)."""
        author = as_object(item.get("from"))
        if str(author.get("id")) == self.page_id:
            return None
        parent = as_object(item.get("parent")).get("id")
        return Incoming(
            native_id=str(item["id"]), network="facebook", kind="comment", text=with_attachments(item.get("message"), item),
            created_at=created, author_name=author.get("name") or "", url=item.get("permalink_url") or post.get("permalink_url"),
            parent_id=str(parent) if parent else post_id, thread_id=post_id, title=title,
            extra={"post": post_id, "hidden": bool(item.get("is_hidden")),
                   "can_reply_privately": item.get("can_reply_privately"),
                   "top_level": str(parent) if parent else str(item["id"])},
        )

    # -- answering --------------------------------------------------------------------------

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        if target.kind == "dm":
            return await self._send_message({"id": target.extra.get("recipient") or ""}, text)
        # Facebook threads are two levels deep: an answer to a reply goes in its top-level thread.
        parent = target.extra.get("top_level") or target.native_id
        if target.extra.get("visitor_post"):
            parent = target.native_id
        body = await self.graph.post(f"{parent}/comments", data={"message": text})
        return Sent(native_id=str(body.get("id") or "") or None)

    async def private_reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        recipient = {"post_id": target.native_id} if target.extra.get("visitor_post") else {"comment_id": target.native_id}
        return await self._send_message(recipient, text, private=True)

    async def _send_message(self, recipient: dict, text: str, *, private: bool = False) -> Sent:
        payload: dict = {"recipient": recipient, "message": {"text": text}}
        if not private:
            # A person answers: the human-agent tag (where the Page has it) keeps 7 days open.
            payload.update({"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"} if self.human_agent
                           else {"messaging_type": "RESPONSE"})
        body = await self.graph.post("me/messages", json_body=payload)
        return Sent(native_id=str(body.get("message_id") or "") or None)

    async def hide(self, target: ReplyTarget, hidden: bool) -> None:
        await self.graph.post(target.native_id, data={"is_hidden": "true" if hidden else "false"})
