"""An Instagram professional account (Instagram API with Facebook Login, on the Graph API).

Reads:
- `comments`: comments and replies on the account's recent media (`/{ig-user-id}/media`, then
  one multi-id request per 50 media for `comments{…,replies{…}}` with explicit fields);
- `tags`: media the account is tagged in (`/{ig-user-id}/tags`), as mentions;
- `mentions`: @mentions in captions and comments. Instagram only tells a webhook about them;
  the API then answers `mentioned_comment.comment_id(…)` / `mentioned_media.media_id(…)` for
  the ids it sent. Point `mentions_file` at the JSON lines your webhook receiver writes (the
  notifications as Meta posts them, or `{"comment_id": …, "media_id": …}` per line): each new
  line is looked up once;
- `messages`: Instagram DMs (`/{page-id}/conversations?platform=instagram`; `page_id` is the
  Facebook Page linked to the account).

Replies: `POST /{ig-comment-id}/replies` (Instagram only threads one level: an answer to a reply
goes to its top-level comment); private reply and DM reply `POST /me/messages`; hide / unhide
`POST /{ig-comment-id}` with `hide`.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..config import SourceEntry
from ..models import Incoming
from . import options
from .apidata import as_object
from .base import ObjectGone, Page, PayloadError, ReplyTarget, Sent, Source, SourceError
from .graph import INSTAGRAM_MESSAGE_FIELDS, Graph, parse_time, read_conversations, walk
from .http import Http
from .items import one_item
from .reads import Reads
from .registry import Secret

COMMENT_FIELDS = "id,text,timestamp,username,from,hidden,like_count,parent_id"
MEDIA_FIELDS = "id,caption,permalink,timestamp,comments_count,username"
_COMMENT_LIMIT = 50  # the most the comments edge gives per request
_COMMENT_PAGES = 5  # per medium and poll
_REPLY_PAGES = 5  # more pages of one comment's replies per poll, beyond those that come with it
COMMENT_PAGE_FIELDS = f"{COMMENT_FIELDS},replies.limit({_COMMENT_LIMIT}){{{COMMENT_FIELDS}}}"
COMMENTS = f"comments.limit({_COMMENT_LIMIT}){{{COMMENT_PAGE_FIELDS}}}"
TAG_FIELDS = "id,caption,timestamp,username,permalink"
READS = ("comments", "tags", "mentions", "messages")
_SNIPPET = 140
# Mention look-ups per poll; the rest wait for the next one (the file offset says where).
_MENTIONS_PER_POLL = 50


class InstagramSource(Source):
    type = "instagram"
    credential_sets = (frozenset({"token"}),)
    network = "instagram"
    can_reply = True
    can_hide = True
    can_reply_privately = True
    default_interval = 120.0

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        super().__init__(entry, http, secret)
        self.ig_user_id = options.text(entry, "ig_user_id", required=True)
        self.page_id = options.text(entry, "page_id")
        self.since_days = options.number(entry, "since_days", 7, low=1, high=90)
        self.max_media = options.number(entry, "max_media", 25, low=1, high=500)
        mentions_file = options.text(entry, "mentions_file")
        self.mentions_file = Path(mentions_file).expanduser() if mentions_file else None
        default = ("comments", "tags") + (("mentions",) if self.mentions_file else ()) + (("messages",) if self.page_id else ())
        self.reads = options.reads(entry, READS, default)
        if "messages" in self.reads and not self.page_id:
            raise ValueError("reading messages needs page_id: the Facebook Page linked to the Instagram account")
        if "mentions" in self.reads and not self.mentions_file:
            raise ValueError("reading mentions needs mentions_file: where your webhook receiver writes Instagram's mention notifications")
        self.graph = Graph.for_source(self)

    async def verify(self) -> str:
        user = await self.graph.get(self.ig_user_id, fields="id,username")
        return f"Instagram @{user.get('username') or self.ig_user_id}"

    # -- reading ----------------------------------------------------------------------------

    async def fetch(self, cursor: str | None) -> Page:
        state = options.load_cursor(cursor)
        start = self.http.clock() - self.since_days * 86400
        messages: list[Incoming] = []
        reads = Reads(self.label)
        if "comments" in self.reads:
            with reads.part("comments"):
                since = float(state.get("comments", start))
                found = await self._comments(since)
                state["comments"] = max([since, *(m.created_at for m in found)])
                messages += found
        if "tags" in self.reads:
            with reads.part("tags"):
                since = float(state.get("tags", start))
                found = await self._tags(since)
                state["tags"] = max([since, *(m.created_at for m in found)])
                messages += found
        if "mentions" in self.reads:
            with reads.part("mentions"):
                found, state["mentions_offset"] = await self._mentions(int(state.get("mentions_offset", 0)))
                messages += found
        if "messages" in self.reads:
            with reads.part("DMs"):
                since = float(state.get("conversations", start))
                found, state["conversations"] = await read_conversations(
                    self.graph, self.page_id, platform="instagram", since=since,
                    own_ids={self.ig_user_id, self.page_id}, network="instagram", more_fields=INSTAGRAM_MESSAGE_FIELDS,
                )
                messages += found
        return reads.page(messages, options.dump_cursor(state))

    async def _comments(self, since: float) -> list[Incoming]:
        # Media carry no "last comment" time: every recent medium that has comments is checked
        # (one request each, `Graph.many`).
        horizon = self.http.clock() - self.since_days * 86400
        media = await walk(self.graph, f"{self.ig_user_id}/media", {"fields": MEDIA_FIELDS, "limit": 25},
                           until=lambda m: False, max_pages=max(1, -(-self.max_media // 25)))
        media = [m for m in media[: self.max_media] if m.get("id") and m.get("comments_count", 1)]
        details = await self.graph.many([str(m["id"]) for m in media], COMMENTS)
        floor = max(since, horizon)
        found: list[Incoming] = []
        for medium in media:
            media_id = str(medium["id"])
            caption = medium.get("caption")
            title = (caption.strip()[:_SNIPPET] or None) if isinstance(caption, str) else None
            edge = as_object(as_object(details.get(media_id)).get("comments"))
            for _ in range(_COMMENT_PAGES):
                comments = edge.get("data")
                comments = comments if isinstance(comments, list) else []
                for comment in comments:
                    replies = await self._replies(comment) if isinstance(comment, dict) else []
                    for item in [comment, *replies]:
                        if not isinstance(item, dict) or not item.get("id"):
                            continue
                        with one_item(item, "comment"):
                            message = self._comment(item, medium, media_id, title)
                            if message is not None and message.created_at >= floor:
                                found.append(message)
                # At most 50 comments come per request, newest first; a busy post has more since
                # the last poll. A nested edge gives only `paging.cursors` (no `next` URL): the
                # next page is asked with `after` while the page is full and still new enough.
                after = as_object(as_object(edge.get("paging")).get("cursors")).get("after")
                if not after or len(comments) < _COMMENT_LIMIT or not _newer_than(comments[-1], floor):
                    break
                edge = await self.graph.get(f"{media_id}/comments", fields=COMMENT_PAGE_FIELDS,
                                            limit=_COMMENT_LIMIT, after=after)
        return found

    async def _replies(self, comment: dict) -> list:
        """A comment's replies: those that came with it and, when they fill the page (a giveaway's
        "tag a friend" thread), the next pages, asked with the nested edge's `after` cursor. They
        come oldest first, so the newest are the ones a full page leaves out."""
        edge = as_object(comment.get("replies"))
        data = edge.get("data")
        replies = list(data) if isinstance(data, list) else []
        page = replies
        for _ in range(_REPLY_PAGES):
            after = as_object(as_object(edge.get("paging")).get("cursors")).get("after")
            if not after or len(page) < _COMMENT_LIMIT or not comment.get("id"):
                break
            edge = await self.graph.get(f"{comment['id']}/replies", fields=COMMENT_FIELDS, limit=_COMMENT_LIMIT, after=after)
            data = edge.get("data")
            page = data if isinstance(data, list) else []
            replies += page
        return replies

    def _comment(self, item: dict, medium: dict, media_id: str, title: str | None) -> Incoming | None:
        """A comment or reply on one of our media as a message; None for our own replies."""
        created = parse_time(item.get("timestamp"))
        author = as_object(item.get("from"))
        username = item.get("username") or author.get("username") or ""
        # Ours: by the account's id, or by the media owner's username in case `from` gives another
        # id for the account (an app-scoped one).
        if str(author.get("id")) == self.ig_user_id or (username and username == medium.get("username")):
            return None
        parent = item.get("parent_id")
        return Incoming(
            native_id=str(item["id"]), network="instagram", kind="comment", text=item.get("text") or "",
            created_at=created, author_name=username, author_handle=f"@{username}" if username else "",
            url=medium.get("permalink"), parent_id=str(parent) if parent else media_id, thread_id=media_id,
            title=title,
            extra={"media": media_id, "hidden": bool(item.get("hidden")),
                   "top_level": str(parent) if parent else str(item["id"])},
        )

    async def _tags(self, since: float) -> list[Incoming]:
        tagged = await walk(self.graph, f"{self.ig_user_id}/tags", {"fields": TAG_FIELDS, "limit": 25},
                            until=lambda m: parse_time(m.get("timestamp")) < since, max_pages=2)
        found = []
        for m in tagged:
            if not m.get("id"):
                continue
            with one_item(m, "tagged post"):
                found.append(Incoming(
                    native_id=str(m["id"]), network="instagram", kind="mention", text=m.get("caption") or "",
                    created_at=parse_time(m.get("timestamp")), author_name=m.get("username") or "",
                    author_handle=f"@{m['username']}" if m.get("username") else "", url=m.get("permalink"),
                    title="Tagged the account in a post", uri=m.get("permalink"), extra={"tagged_media": True},
                ))
        return found

    async def _mentions(self, offset: int) -> tuple[list[Incoming], int]:
        """New lines of the webhook file, each looked up once; returns them and the new offset."""
        try:
            with self.mentions_file.open("rb") as handle:
                handle.seek(offset)
                lines = handle.readlines()
        except FileNotFoundError:
            return [], 0
        except OSError as error:
            raise PayloadError(f"{self.label}: cannot read mentions_file {self.mentions_file} ({error.strerror})") from None
        found: list[Incoming] = []
        for line in lines:
            if not line.endswith(b"\n") or len(found) >= _MENTIONS_PER_POLL:
                break  # a line still being written, or enough for this poll
            offset += len(line)
            pairs: list[tuple[str | None, str | None]] = []
            with one_item(line.decode("utf-8", "replace").strip(), "mentions_file line"):
                pairs = _mention_ids(line)
            for comment_id, media_id in pairs:
                incoming = None
                with one_item({"comment_id": comment_id, "media_id": media_id}, "mention", comment_id or media_id):
                    incoming = await self._mention(comment_id, media_id)
                if incoming is not None:
                    found.append(incoming)
        return found, offset

    async def _mention(self, comment_id: str | None, media_id: str | None) -> Incoming | None:
        if comment_id:
            name, field = "mentioned_comment", f"mentioned_comment.comment_id({comment_id}){{id,text,timestamp,username,media{{id,permalink}}}}"
        else:
            name, field = "mentioned_media", f"mentioned_media.media_id({media_id}){{id,caption,timestamp,username,permalink}}"
        try:
            try:
                item = (await self.graph.get(self.ig_user_id, fields=field)).get(name)
            except SourceError as error:
                # The references list no author for these two nodes (mentioned_comment: id,
                # like_count, media, text, timestamp): if Graph refuses the field, the mention is
                # read without it rather than set aside.
                if type(error) is not SourceError or "nonexisting field" not in str(error):
                    raise
                item = (await self.graph.get(self.ig_user_id, fields=_without_author(field))).get(name)
        except ObjectGone:
            return None  # deleted since the notification: nothing to answer
        except SourceError as error:
            # A refusal of this one look-up (the reference: an error when comments are off on the
            # media): this line is set aside, the next ones are read. Without
            # this the file offset never moves and every later mention waits behind it.
            if type(error) is not SourceError:
                raise  # credentials, throttling, a network down: the whole fetch waits
            raise PayloadError(f"Instagram would not show it: {error}") from None
        with one_item(item, "mention", comment_id or media_id):
            item = as_object(item)
            if not item.get("id"):
                return None  # deleted since the notification: nothing to answer
            if comment_id:
                text, medium = item.get("text"), as_object(item.get("media"))
                url, media_id = medium.get("permalink"), medium.get("id") or media_id
            else:
                text, url = item.get("caption"), item.get("permalink")
            username = item.get("username") or ""
            return Incoming(
                native_id=f"mention:{item['id']}", network="instagram", kind="mention", text=text or "",
                created_at=parse_time(item.get("timestamp")), author_name=username,
                author_handle=f"@{username}" if username else "", url=url,
                extra={"mentioned_comment" if comment_id else "mentioned_media": str(item["id"]), "media": media_id},
            )
        return None

    # -- answering --------------------------------------------------------------------------

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        if target.kind == "dm":
            return await self._send_message({"id": target.extra.get("recipient") or ""}, text)
        if target.extra.get("mentioned_comment") or target.extra.get("mentioned_media"):
            # A mention on someone else's media: answered through the account's mentions edge.
            data = {"media_id": target.extra.get("media") or target.extra.get("mentioned_media"), "message": text}
            if target.extra.get("mentioned_comment"):
                data["comment_id"] = target.extra["mentioned_comment"]
            body = await self.graph.post(f"{self.ig_user_id}/mentions", data=data)
            return Sent(native_id=str(body.get("id") or "") or None)
        parent = target.extra.get("top_level") or target.native_id
        body = await self.graph.post(f"{parent}/replies", data={"message": text})
        return Sent(native_id=str(body.get("id") or "") or None)

    async def private_reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        return await self._send_message({"comment_id": target.native_id}, text)

    async def _send_message(self, recipient: dict, text: str) -> Sent:
        body = await self.graph.post("me/messages", json_body={"recipient": recipient, "message": {"text": text}})
        return Sent(native_id=str(body.get("message_id") or "") or None)

    async def hide(self, target: ReplyTarget, hidden: bool) -> None:
        await self.graph.post(target.native_id, data={"hide": "true" if hidden else "false"})


def _newer_than(comment: object, floor: float) -> bool:
    """Whether a comment is at or after `floor` (one without a readable time ends the walk)."""
    try:
        return parse_time(as_object(comment).get("timestamp")) >= floor
    except PayloadError:
        return False


def _mention_ids(line: bytes) -> list[tuple[str | None, str | None]]:
    """(comment id, media id) pairs from one line: a Meta webhook notification or a plain pair.
    A line that is not JSON raises (`one_item` sets it aside); a blank line has none."""
    if not line.strip():
        return []
    data = json.loads(line)
    values = []
    if isinstance(data, dict) and isinstance(data.get("entry"), list):
        for entry in data["entry"]:
            for change in as_object(entry).get("changes") or []:
                if isinstance(change, dict) and change.get("field") == "mentions":
                    values.append(change.get("value") or {})
    elif isinstance(data, dict):
        values.append(data.get("value") if isinstance(data.get("value"), dict) else data)
    out = []
    for value in values:
        comment_id, media_id = value.get("comment_id"), value.get("media_id")
        if comment_id or media_id:
            out.append((str(comment_id) if comment_id else None, str(media_id) if media_id else None))
    return out


def _without_author(field: str) -> str:
    """A mention look-up's fields without `username` and the media's `permalink`."""
    return field.replace(",username", "").replace("{id,permalink}", "{id}")
