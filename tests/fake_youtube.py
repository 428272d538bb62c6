"""A fake YouTube Data API v3 on 127.0.0.1: commentThreads, comments, comments.insert, quota.

Resources have the documented shapes (`youtube#commentThread` with `snippet.topLevelComment`
and up to five `replies.comments`; `youtube#comment` with `snippet.parentId` on replies, whose
ids are `<parent>.<suffix>`). `publishedAt` alternates between the two published formats (with
and without milliseconds). Only the `part`s asked for are returned. Every call costs one unit of
`quota`; when it is spent the answer is 403 `quotaExceeded`, as the API's error shape says.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timezone

from fakeserver import FakeServer, Reply, Request

PREFIX = "/youtube/v3"
API_KEY = "yt-key-ok"
OAUTH = "yt-oauth-ok"
CHANNEL = "UCbrioche"

_formats = itertools.cycle(["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.123Z"])


def yt_time(epoch: float, with_millis: bool | None = None) -> str:
    fmt = next(_formats) if with_millis is None else ("%Y-%m-%dT%H:%M:%S.123Z" if with_millis else "%Y-%m-%dT%H:%M:%SZ")
    # With milliseconds, ".123" is added to a whole second: keep the epoch exact by flooring.
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime(fmt)


def error(status: int, reason: str, message: str, domain: str = "global") -> Reply:
    return Reply.json({"error": {"code": status, "message": message,
                                 "errors": [{"message": message, "domain": domain, "reason": reason}]}}, status)


class FakeYouTube:
    def __init__(self, server: FakeServer, *, page_size: int = 100) -> None:
        self.server = server
        self.threads: list[dict] = []  # newest first
        self.quota = 10_000
        self.page_size = page_size
        self.inserted: list[dict] = []
        self.counter = 0
        self.override: Reply | None = None  # answer everything with this (a broken API)
        self.refused_replies: dict[str, Reply] = {}  # comments.list?parentId=… answered with this
        server.route("GET", f"{PREFIX}/commentThreads", self.comment_threads)
        server.route("GET", f"{PREFIX}/comments", self.comments)
        server.route("POST", f"{PREFIX}/comments", self.insert)
        server.route("GET", f"{PREFIX}/channels", self.channels)

    def comment(self, comment_id: str, text: str, *, at: float, author: str = "@mezianel", video: str = "vid1",
                parent: str | None = None) -> dict:
        snippet = {"channelId": CHANNEL, "videoId": video, "textDisplay": text, "textOriginal": text,
                   "authorDisplayName": author, "authorChannelUrl": f"http://www.youtube.com/{author}",
                   "authorChannelId": {"value": f"UC{author.strip('@')}"}, "canRate": True, "viewerRating": "none",
                   "likeCount": 0, "publishedAt": yt_time(at), "updatedAt": yt_time(at)}
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": f"e{comment_id}", "id": comment_id, "snippet": snippet}

    def add_thread(self, thread_id: str, text: str, *, at: float, author: str = "@mezianel", video: str = "vid1") -> dict:
        thread = {"kind": "youtube#commentThread", "etag": f"t{thread_id}", "id": thread_id,
                  "snippet": {"channelId": CHANNEL, "videoId": video,
                              "topLevelComment": self.comment(thread_id, text, at=at, author=author, video=video),
                              "canReply": True, "totalReplyCount": 0, "isPublic": True},
                  "all_replies": []}
        self.threads.insert(0, thread)
        return thread

    def add_reply(self, thread_id: str, suffix: str, text: str, *, at: float, author: str = "@amelie") -> dict:
        thread = next(t for t in self.threads if t["id"] == thread_id)
        reply = self.comment(f"{thread_id}.{suffix}", text, at=at, author=author,
                             video=thread["snippet"]["videoId"], parent=thread_id)
        thread["all_replies"].append(reply)
        thread["snippet"]["totalReplyCount"] += 1
        return reply

    # -- serving --------------------------------------------------------------------------------

    def _gate(self, request: Request) -> Reply | None:
        if self.override is not None:
            return self.override
        if self.quota <= 0:
            return error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your "
                         '<a href="/youtube/v3/getting-started#quota">quota</a>.', domain="youtube.quota")
        self.quota -= 1
        if request.arg("key") == API_KEY or request.headers.get("authorization") == f"Bearer {OAUTH}":
            return None
        if request.arg("key"):
            # As Google APIs answer a bad key today: reason "badRequest", the precise one in `details`.
            reply = error(400, "badRequest", "API key not valid. Please pass a valid API key.")
            reply_body = {"error": {**json.loads(reply.body)["error"], "status": "INVALID_ARGUMENT", "details": [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                 "domain": "googleapis.com", "metadata": {"service": "youtube.googleapis.com"}}]}}
            return Reply.json(reply_body, 400)
        return error(401, "authError", "Request had invalid authentication credentials.")

    def _page(self, request: Request, items: list[dict], kind: str) -> Reply:
        start = int(request.arg("pageToken") or 0)
        size = min(int(request.arg("maxResults") or 20), self.page_size)
        chunk = items[start : start + size]
        body = {"kind": kind, "etag": "x", "pageInfo": {"totalResults": len(chunk), "resultsPerPage": size}, "items": chunk}
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        return Reply.json(body)

    def comment_threads(self, request: Request) -> Reply:
        refused = self._gate(request)
        if refused:
            return refused
        if request.arg("allThreadsRelatedToChannelId") != CHANNEL:
            # The API's messages are HTML, like its documentation.
            return error(404, "channelNotFound", 'The channel identified by the <code><a href="/youtube/v3/docs/'
                         'commentThreads/list#allThreadsRelatedToChannelId">allThreadsRelatedToChannelId</a></code> '
                         "parameter could not be found.", domain="youtube.commentThread")
        parts = set((request.arg("part") or "").split(","))
        items = []
        for thread in self.threads:
            item = {"kind": thread["kind"], "etag": thread["etag"], "id": thread["id"]}
            if "snippet" in parts:
                item["snippet"] = thread["snippet"]
            if "replies" in parts and thread["all_replies"]:
                item["replies"] = {"comments": thread["all_replies"][-5:]}
            items.append(item)
        return self._page(request, items, "youtube#commentThreadListResponse")

    def comments(self, request: Request) -> Reply:
        refused = self._gate(request)
        if refused:
            return refused
        parent = request.arg("parentId")
        if parent in self.refused_replies:
            return self.refused_replies[parent]
        thread = next((t for t in self.threads if t["id"] == parent), None)
        return self._page(request, thread["all_replies"] if thread else [], "youtube#commentListResponse")

    def insert(self, request: Request) -> Reply:
        if self.quota <= 0:
            return self._gate(request)
        self.quota -= 50
        if request.headers.get("authorization") != f"Bearer {OAUTH}":
            return error(401, "authError", "Request had invalid authentication credentials.")
        snippet = (request.json() or {}).get("snippet") or {}
        self.counter += 1
        created = self.comment(f"{snippet.get('parentId')}.AZy{self.counter}", snippet.get("textOriginal", ""),
                               at=1_764_000_000, author="@briocheandco", parent=snippet.get("parentId"))
        self.inserted.append(created)
        return Reply.json(created)

    def channels(self, request: Request) -> Reply:
        refused = self._gate(request)
        if refused:
            return refused
        return Reply.json({"kind": "youtube#channelListResponse", "items": [
            {"kind": "youtube#channel", "id": CHANNEL, "snippet": {"title": "Brioche & Co"}}]})
