"""A fake X API v2 on 127.0.0.1: mentions, recent search, DM events, posting, hiding replies.

As the reference shows it: the default payload of a post is `id` and `text` only (plus
`edit_history_tweet_ids`); `created_at`, `author_id`… come only when `tweet.fields` asks,
`includes.users` only with `expansions=author_id`, followers only with
`user.fields=public_metrics`. A missing author is reported as HTTP 200 with an `errors` list
beside the data. A post's text has `&`, `<` and `>` as HTML entities, and a post longer than 280
characters is cut in `text`, whole in `note_tweet` (when `tweet.fields` asks). Every answer carries `x-rate-limit-limit/remaining/reset`; a spent endpoint
answers 429 with a plain-text body. Problems are `{"title", "detail", "type", "status"}`.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from fake_graph import catch_all
from fakeserver import FakeServer, Reply, Request

TOKEN = "x-user-token-ok"
ME = "1500"
RESET = 1_764_000_900  # epoch seconds, as X sends them


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def x_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeX:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.tweets: list[dict] = []  # newest first
        self.users: dict[str, dict] = {ME: {"id": ME, "name": "Brioche & Co", "username": "BriocheAndCo",
                                            "public_metrics": {"followers_count": 12000}}}
        self.dm_events: list[dict] = []  # newest first
        self.remaining: dict[str, int] = {}
        self.posted: list[dict] = []
        self.counter = 2_000_000
        self.override: Reply | None = None  # answer everything with this (a broken API)
        # Recent search only covers 7 days: a since_id below this id is refused with a 400.
        self.oldest_searchable: int | None = None
        catch_all(server, self.handle)

    def _next_id(self) -> str:
        self.counter += 1
        return str(self.counter)

    def add_user(self, user_id: str, username: str, name: str, followers: int) -> None:
        self.users[user_id] = {"id": user_id, "name": name, "username": username,
                               "public_metrics": {"followers_count": followers, "following_count": 10, "tweet_count": 99}}

    def add_tweet(self, text: str, *, at: float, author: str, mention: bool = True, reply_to: str | None = None,
                  links: dict[str, dict] | None = None) -> str:
        """`links`: t.co address in `text` -> its URL entity (expanded_url, display_url, media_key…)."""
        tweet_id = self._next_id()
        tweet = {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id], "created_at": x_time(at),
                 "author_id": author, "conversation_id": reply_to or tweet_id, "lang": "fr", "mention": mention}
        if links:
            tweet["entities"] = {"urls": [{"start": text.index(short), "end": text.index(short) + len(short),
                                           "url": short, **entity} for short, entity in links.items()]}
        if reply_to:
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
            tweet["in_reply_to_user_id"] = ME
        self.tweets.insert(0, tweet)
        return tweet_id

    def edit_tweet(self, tweet_id: str, text: str) -> str:
        """An edit, as X makes it: a new post with a new id, whose `edit_history_tweet_ids` lists
        every version, oldest first (the earlier versions stay readable by their ids)."""
        old = next(t for t in self.tweets if t["id"] == tweet_id)
        new_id = self._next_id()
        history = [*old["edit_history_tweet_ids"], new_id]
        self.tweets.insert(0, {**old, "id": new_id, "text": text, "edit_history_tweet_ids": history})
        return new_id

    def add_dm(self, text: str, *, at: float, sender: str, conversation: str, urls: list[dict] | None = None,
               media_keys: list[str] | None = None) -> str:
        """`urls`: the event's link entities (UrlEntityDm), served at the event's top level, as X
        does, when `dm_event.fields` asks for `entities`; `media_keys`: its attached photos or
        videos (`attachments`)."""
        event_id = self._next_id()
        event = {"id": event_id, "event_type": "MessageCreate", "text": text, "created_at": x_time(at),
                 "sender_id": sender, "dm_conversation_id": conversation}
        if urls:
            event["urls"] = urls
        if media_keys:
            event["attachments"] = {"media_keys": media_keys}
        self.dm_events.insert(0, event)
        return event_id

    # -- serving --------------------------------------------------------------------------------

    def limits(self, endpoint: str) -> dict[str, str]:
        left = self.remaining.setdefault(endpoint, 450)
        return {"x-rate-limit-limit": "450", "x-rate-limit-remaining": str(max(0, left)), "x-rate-limit-reset": str(RESET)}

    def problem(self, status: int, title: str, detail: str, kind: str = "about:blank", **extra) -> Reply:
        return Reply.json({"title": title, "detail": detail, "type": kind, "status": status, **extra}, status)

    def handle(self, request: Request) -> Reply:
        if self.override is not None:
            return self.override
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return self.problem(401, "Unauthorized", "Unauthorized")
        endpoint = "/2" + re.sub(r"/\d[\d-]*(?=/|$)", "/:id", request.path.removeprefix("/2"))
        if self.remaining.get(endpoint) == 0:
            return Reply.text("Too Many Requests", 429, self.limits(endpoint))
        self.remaining[endpoint] = self.remaining.get(endpoint, 450) - 1
        routes = {
            ("GET", "/2/users/:id/mentions"): self.mentions,
            ("GET", "/2/tweets/search/recent"): self.search,
            ("GET", "/2/dm_events"): self.dms,
            ("GET", "/2/users/me"): lambda r: Reply.json({"data": self.users[ME]}),
            ("POST", "/2/tweets"): self.create,
            ("POST", "/2/dm_conversations/:id/messages"): self.send_dm,
            ("PUT", "/2/tweets/:id/hidden"): self.hide,
        }
        handler = routes.get((request.method, endpoint))
        if handler is None:
            return self.problem(404, "Not Found Error", f"no route {request.path}", "https://api.twitter.com/2/problems/resource-not-found")
        reply = handler(request)
        reply.headers.update(self.limits(endpoint))
        return reply

    def _tweets_page(self, request: Request, tweets: list[dict], token_name: str) -> Reply:
        since = request.arg("since_id")
        if since:
            tweets = [t for t in tweets if int(t["id"]) > int(since)]
        start = int(request.arg(token_name) or 0)
        size = int(request.arg("max_results") or 10)
        chunk = tweets[start : start + size]
        wanted = set((request.arg("tweet.fields") or "").split(","))
        data = [self._as_served(t, wanted) for t in chunk]
        body: dict = {"meta": {"result_count": len(data)}}
        if data:
            body["data"] = data
            body["meta"].update({"newest_id": chunk[0]["id"], "oldest_id": chunk[-1]["id"]})
        if start + size < len(tweets):
            body["meta"]["next_token"] = str(start + size)
        if request.arg("expansions") == "author_id" or "sender_id" in (request.arg("expansions") or ""):
            self._include_users(body, [t.get("author_id") for t in chunk], request)
        return Reply.json(body)

    @staticmethod
    def _as_served(tweet: dict, wanted: set[str]) -> dict:
        """A post as X serves it: `&`, `<` and `>` escaped as HTML entities in the text; a post
        longer than 280 characters cut in `text`, whole in `note_tweet.text` (only when asked)."""
        served = {k: v for k, v in tweet.items() if k in ("id", "edit_history_tweet_ids") or k in wanted}
        full = tweet["text"]
        served["text"] = _escaped(full if len(full) <= 280 else full[:279] + "…")
        if len(full) > 280 and "note_tweet" in wanted:
            served["note_tweet"] = {"text": _escaped(full), "entities": {}}
        return served

    def _include_users(self, body: dict, ids: list, request: Request) -> None:
        user_fields = set((request.arg("user.fields") or "").split(","))
        users, errors = [], []
        for user_id in dict.fromkeys(i for i in ids if i):
            user = self.users.get(user_id)
            if user is None:  # a suspended author: "not found" with a 200
                errors.append({"value": user_id, "detail": f"Could not find user with id: [{user_id}].",
                               "title": "Not Found Error", "resource_type": "user", "parameter": "author_id",
                               "resource_id": user_id, "type": "https://api.twitter.com/2/problems/resource-not-found"})
                continue
            users.append({k: v for k, v in user.items() if k in ("id", "name", "username") or k in user_fields})
        if users:
            body["includes"] = {"users": users}
        if errors:
            body["errors"] = errors

    def mentions(self, request: Request) -> Reply:
        return self._tweets_page(request, [t for t in self.tweets if t["mention"]], "pagination_token")

    def search(self, request: Request) -> Reply:
        since = request.arg("since_id")
        if since and self.oldest_searchable is not None and int(since) < self.oldest_searchable:
            return Reply.json({"errors": [{"parameters": {"since_id": [since]},
                                           "message": f"Invalid 'since_id':'{since}'. 'since_id' must be a tweet id created "
                                                      "after 2025-11-17T16:00:00.000Z. Please use a 'since_id' that is "
                                                      f"larger than {self.oldest_searchable}"}],
                               "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                               "type": "https://api.twitter.com/2/problems/invalid-request"}, 400)
        terms = [t.strip('"()').lower() for t in re.split(r"\s+OR\s+", request.arg("query").split(" -is:")[0])]
        found = [t for t in self.tweets if any(term in t["text"].lower() for term in terms)]
        return self._tweets_page(request, found, "next_token")

    def dms(self, request: Request) -> Reply:
        start = int(request.arg("pagination_token") or 0)
        size = int(request.arg("max_results") or 100)
        chunk = self.dm_events[start : start + size]
        wanted = set((request.arg("dm_event.fields") or "").split(","))
        if "entities" in wanted:  # a DM's entities come as top-level lists, not under `entities`
            wanted |= {"urls", "hashtags", "mentions", "cashtags"}
        data = [{k: v for k, v in e.items() if k in ("id", "event_type", "text") or k in wanted} for e in chunk]
        body: dict = {"data": data, "meta": {"result_count": len(data)}}
        if start + size < len(self.dm_events):
            body["meta"]["next_token"] = str(start + size)
        if "sender_id" in (request.arg("expansions") or ""):
            self._include_users(body, [e.get("sender_id") for e in chunk], request)
        return Reply.json(body)

    def create(self, request: Request) -> Reply:
        payload = request.json()
        self.posted.append(payload)
        new_id = self._next_id()
        return Reply.json({"data": {"id": new_id, "text": payload["text"], "edit_history_tweet_ids": [new_id]}}, 201)

    def send_dm(self, request: Request) -> Reply:
        conversation = request.path.split("/")[3]
        self.posted.append({"dm_conversation": conversation, **request.json()})
        return Reply.json({"data": {"dm_conversation_id": conversation, "dm_event_id": self._next_id()}}, 201)

    def hide(self, request: Request) -> Reply:
        tweet_id = request.path.split("/")[3]
        tweet = next((t for t in self.tweets if t["id"] == tweet_id), None)
        if tweet is None:
            return self.problem(404, "Not Found Error", f"Could not find tweet with id: [{tweet_id}].")
        tweet["hidden"] = bool(request.json().get("hidden"))
        return Reply.json({"data": {"hidden": tweet["hidden"]}})
