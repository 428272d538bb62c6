"""X (API v2): mentions, a brand search, DMs; replies, DM answers, hiding replies.

Every read asks for what the default payload leaves out: `tweet.fields=created_at,author_id,…`,
`expansions=author_id` and `user.fields=public_metrics,…` give the time, the author and their
reach (followers) from `includes.users`.

- `mentions`: `GET /2/users/{user_id}/mentions` with `since_id` (plain retweets left out);
- `search`: `GET /2/tweets/search/recent` for the brand terms, with `since_id`;
- `dms`: `GET /2/dm_events` (newest first, no since_id: read until the last event seen).

The API tier is in the config (`tier = "free" | "basic" | "pro" | "enterprise" | "pay_per_use"`):
reads the tier does not include are never attempted, and `notices` says why (shown by
`cminbox doctor`). Facts encoded from the reference: "not found" comes as HTTP 200 with an
`errors` list, possibly beside partial `data`; a 429 body may be plain text (the wait is in
`x-rate-limit-reset`, epoch seconds), and a spent monthly cap is a 429 problem titled
`UsageCapExceeded`; problems are JSON `{"title", "detail", "type"}`.
"""

from __future__ import annotations

import httpx

from ..config import SourceEntry
from ..models import Incoming
from . import options
from .apicall import body_of, excerpt, exchange, iso_time, json_object, pause, wait_from_headers
from .apidata import as_object, text_of
from .base import AuthError, NotSupported, Page, ReplyTarget, SourceError, Sent, Source, TemporaryError
from .http import Http
from .items import one_item
from .reads import Reads
from .registry import Secret

DEFAULT_BASE = "https://api.x.com"
READS = ("mentions", "search", "dms")
# note_tweet: the whole text of a post longer than 280 characters (`text` has the first 280 only);
# entities: where each t.co link leads.
TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang,note_tweet,entities"
USER_FIELDS = "name,username,public_metrics"
DM_FIELDS = "id,text,event_type,created_at,dm_conversation_id,sender_id,entities,attachments"
# What each access tier may read (X's pricing page; the Free tier only creates posts).
TIER_READS: dict[str, frozenset[str]] = {
    "free": frozenset(),
    "basic": frozenset({"mentions", "search", "dms"}),
    "pro": frozenset(READS),
    "enterprise": frozenset(READS),
    "pay_per_use": frozenset(READS),
}
MAX_PAGES = 5
# How long to wait after X says the plan's monthly cap is spent (it does not say until when).
USAGE_CAP_PAUSE = 3 * 3600.0


def parse_time(value: object) -> float:
    return iso_time(value, "X")


def status_url(tweet_id: str, username: str | None = None) -> str:
    return f"https://x.com/{username or 'i/web'}/status/{tweet_id}"


def search_query(terms: tuple[str, ...]) -> str:
    """The brand terms as one recent-search query, retweets left out (512 characters at most)."""
    parts = []
    for term in terms:
        term = term.replace('"', "").strip()
        if not term:
            continue
        parts.append(term if term.startswith(("#", "@")) and " " not in term else f'"{term}"')
    return f"({' OR '.join(parts)}) -is:retweet"[:512]


class _StaleSinceId(SourceError):
    """The saved `since_id` is older than the endpoint reaches (recent search: 7 days)."""


class XSource(Source):
    type = "x"
    credential_sets = (frozenset({"token"}),)
    network = "x"
    can_reply = True
    can_hide = True
    default_interval = 300.0

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        super().__init__(entry, http, secret)
        self.user_id = options.text(entry, "user_id", required=True)
        tier = options.text(entry, "tier", required=True).lower()
        if tier not in TIER_READS:
            raise ValueError(f"tier must be one of {', '.join(TIER_READS)} (your X developer plan)")
        self.tier = tier
        wanted = options.reads(entry, READS, READS)
        if "search" in wanted and not entry.terms:
            raise ValueError(f"search {options.NEEDS_TERMS}")
        self.reads = tuple(r for r in wanted if r in TIER_READS[tier])
        skipped = [r for r in wanted if r not in TIER_READS[tier]]
        self.notices = tuple(
            f"{self.label}: {r} not read: the X {tier} tier does not include it (change `tier` when your plan does)"
            for r in skipped
        )
        self.base = (entry.base_url or DEFAULT_BASE).rstrip("/")
        self.bucket_prefix = f"x:{entry.key}"

    # -- calls ------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, *, params: dict | None = None, json_body: object | None = None,
                    bucket: str) -> dict:
        response = await exchange(
            self.http, method, f"{self.base}{path}", label=self.label, bucket=f"{self.bucket_prefix}:{bucket}",
            headers={"Authorization": f"Bearer {self.secret('token')}"},
            params={k: v for k, v in (params or {}).items() if v is not None}, json_body=json_body,
        )
        return self._check(response, f"{self.bucket_prefix}:{bucket}")

    def _check(self, response: httpx.Response, bucket: str) -> dict:
        status = response.status_code
        body = body_of(response)
        if status == 429 and _usage_capped(body):
            # The plan's monthly cap, not the endpoint's 15-minute window (whose headers may show it
            # nearly untouched): X does not say when it resets (the billing day), so ask again later.
            said = excerpt(as_object(body).get("detail"))
            raise pause(self.http, bucket, USAGE_CAP_PAUSE,
                        f"{self.label}: the monthly usage cap of the X plan is used up ({said}): reads resume when X "
                        f"resets it or the plan changes; asking again in {int(USAGE_CAP_PAUSE // 3600)} h")
        if status == 429:  # the body may well be plain text ("Too Many Requests")
            wait = wait_from_headers(self.http, response)
            raise pause(self.http, bucket, wait, f"{self.label}: X rate limit reached, retrying in {int(wait) + 1} s")
        if status < 300:
            return json_object(body, self.label, "X")  # may hold `errors` beside `data`: kept as it came
        problem = body if isinstance(body, dict) else {}
        detail = excerpt(problem.get("detail") or problem.get("title") or (response.text if body is None else ""))
        if status == 400 and any("since_id" in as_object(as_object(e).get("parameters"))
                                 for e in problem.get("errors") or [] if isinstance(e, dict)):
            raise _StaleSinceId(f"{self.label}: X no longer reaches back to the last post read ({detail})")
        if status == 401:
            raise AuthError(f"{self.label}: X refused the token (HTTP 401): renew it")
        if status == 403 and problem.get("reason") in ("client-not-enrolled", "unsupported-authentication"):
            raise NotSupported(f"{self.label}: X says this app cannot do that with its access ({detail})")
        if status >= 500:
            raise TemporaryError(f"{self.label}: X failed on its side (HTTP {status})")
        raise SourceError(f"{self.label}: X refused the request (HTTP {status}): {detail}")

    def _read_something(self, body: dict, what: str) -> None:
        """A 200 that holds only `errors` (no `data`, no `meta`: a user X does not know, or
        suspended) read nothing; an empty list says `meta.result_count: 0`. Said, not taken for
        "no new posts" at every poll."""
        errors = body.get("errors")
        if "data" in body or "meta" in body or not isinstance(errors, list) or not errors:
            return
        first = as_object(errors[0])
        said = excerpt(first.get("detail") or first.get("message") or first.get("title") or errors[0])
        hint = "" if what == "search" else ": check user_id and that the account is active"
        raise SourceError(f"{self.label}: X answered with errors only, no {what} ({said}){hint}")

    async def verify(self) -> str:
        body = await self._call("GET", "/2/users/me", params={"user.fields": USER_FIELDS}, bucket="me")
        user = body.get("data") or {}
        notes = f" ({'; '.join(self.notices)})" if self.notices else ""
        return f"X @{user.get('username') or self.user_id} · {self.tier} tier{notes}"

    # -- reading ----------------------------------------------------------------------------

    async def fetch(self, cursor: str | None) -> Page:
        state = options.load_cursor(cursor)
        messages: list[Incoming] = []
        reads = Reads(self.label)
        if "mentions" in self.reads:
            with reads.part("mentions"):
                found, state["mentions"] = await self._timeline(f"/2/users/{self.user_id}/mentions",
                                                                state.get("mentions"), "pagination_token", {}, "mentions")
                messages += found
        if "search" in self.reads:
            with reads.part("search"):
                found, state["search"] = await self._timeline("/2/tweets/search/recent", state.get("search"),
                                                              "next_token", {"query": search_query(self.entry.terms)},
                                                              "search")
                messages += found
        if "dms" in self.reads:
            with reads.part("DMs"):
                found, state["dms"] = await self._dms(state.get("dms"))
                messages += found
        return reads.page(_latest_versions(messages), options.dump_cursor(state))

    async def _timeline(self, path: str, since_id: str | None, token_name: str, extra: dict,
                        bucket: str) -> tuple[list[Incoming], str | None]:
        params = {**extra, "since_id": since_id, "max_results": 100, "tweet.fields": TWEET_FIELDS,
                  "expansions": "author_id", "user.fields": USER_FIELDS}
        messages: list[Incoming] = []
        newest = since_id
        for page in range(MAX_PAGES):
            try:
                body = await self._call("GET", path, params=params, bucket=bucket)
            except _StaleSinceId:
                # After more than 7 days without a poll, recent search refuses the saved since_id
                # with a 400 ("'since_id' must be a tweet id created after …"): what it covers is
                # read afresh, as on a first sync, instead of failing at every poll.
                if page > 0 or params.get("since_id") is None:
                    raise
                params.pop("since_id")
                since_id = newest = None
                body = await self._call("GET", path, params=params, bucket=bucket)
            self._read_something(body, bucket)
            meta = as_object(body.get("meta"))
            if page == 0 and meta.get("newest_id"):
                newest = str(meta["newest_id"])
            users = _users(body)
            for tweet in body.get("data") or []:
                if isinstance(tweet, dict) and tweet.get("id") and str(tweet.get("author_id")) != self.user_id \
                        and not _retweet(tweet):
                    with one_item(tweet, "post"):
                        messages.append(self._tweet(tweet, users))
            token = meta.get("next_token")
            if not token or since_id is None:
                break  # a first sync takes the latest page only
            params[token_name] = token
        return messages, newest

    def _tweet(self, tweet: dict, users: dict[str, dict]) -> Incoming:
        # An edited post comes back as a new post with a new id; `edit_history_tweet_ids` lists
        # every version, the first being the original. The message is the original's (an edit
        # refreshes it instead of arriving as a second message); replies go to the latest version.
        post_id = str(tweet["id"])
        versions = [str(v) for v in tweet.get("edit_history_tweet_ids") or [] if isinstance(v, (str, int)) and str(v)]
        original = versions[0] if versions else post_id
        author = users.get(str(tweet.get("author_id")), {})
        username = author.get("username")
        replied = next((r.get("id") for r in tweet.get("referenced_tweets") or []
                        if isinstance(r, dict) and r.get("type") == "replied_to"), None)
        # `in_reply_to_user_id` is the author of the post answered: an answer to ours is a comment on it.
        to_us = str(tweet.get("in_reply_to_user_id")) == self.user_id
        return Incoming(
            native_id=original, network="x", kind="comment" if to_us else "mention", text=_post_text(tweet),
            created_at=parse_time(tweet.get("created_at")), author_name=author.get("name") or username or "",
            author_handle=f"@{username}" if username else "", author_reach=_followers(author),
            url=status_url(post_id, username), parent_id=str(replied) if replied else None,
            thread_id=str(tweet.get("conversation_id") or original), lang=_lang(tweet.get("lang")),
            uri=status_url(original),
            extra={"in_reply_to_user": tweet.get("in_reply_to_user_id"),
                   "reply_to_us": to_us, "post_id": post_id},
        )

    async def _dms(self, last_seen: str | None) -> tuple[list[Incoming], str | None]:
        params = {"event_types": "MessageCreate", "dm_event.fields": DM_FIELDS, "expansions": "sender_id",
                  "user.fields": USER_FIELDS, "max_results": 100}
        messages: list[Incoming] = []
        newest = last_seen
        for page in range(MAX_PAGES):
            body = await self._call("GET", "/2/dm_events", params=params, bucket="dms")
            self._read_something(body, "DMs")
            users = _users(body)
            events = [e for e in body.get("data") or [] if isinstance(e, dict) and e.get("id")]
            if page == 0 and events:
                newest = str(events[0]["id"])
            for event in events:
                if last_seen is not None and _id_order(str(event["id"])) <= _id_order(last_seen):
                    return messages, newest
                if str(event.get("sender_id")) == self.user_id:
                    continue
                with one_item(event, "direct message", lambda: f"dm:{event['id']}"):
                    sender = users.get(str(event.get("sender_id")), {})
                    username = sender.get("username")
                    messages.append(Incoming(
                        native_id=f"dm:{event['id']}", network="x", kind="dm", text=_dm_text(event),
                        created_at=parse_time(event.get("created_at")), author_name=sender.get("name") or username or "",
                        author_handle=f"@{username}" if username else "", author_reach=_followers(sender),
                        thread_id=str(event.get("dm_conversation_id") or ""),
                        extra={"dm_conversation": event.get("dm_conversation_id"), "sender": event.get("sender_id")},
                    ))
            token = as_object(body.get("meta")).get("next_token")
            if not token or last_seen is None:
                break
            params["pagination_token"] = token
        return messages, newest

    # -- answering --------------------------------------------------------------------------

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        if target.kind == "dm":
            conversation = target.extra.get("dm_conversation") or target.thread_id
            body = await self._call("POST", f"/2/dm_conversations/{conversation}/messages", json_body={"text": text}, bucket="dm-send")
            event = (body.get("data") or {}).get("dm_event_id")
            return Sent(native_id=f"dm:{event}" if event else None)
        post = str(target.extra.get("post_id") or target.native_id)  # the latest version of an edited post
        body = await self._call("POST", "/2/tweets", json_body={"text": text, "reply": {"in_reply_to_tweet_id": post}}, bucket="post")
        created = (body.get("data") or {}).get("id")
        return Sent(native_id=str(created) if created else None, url=status_url(str(created)) if created else None)

    async def hide(self, target: ReplyTarget, hidden: bool) -> None:
        """Hide a reply to one of our posts (X only allows it on conversations we started)."""
        post = str(target.extra.get("post_id") or target.native_id)
        body = await self._call("PUT", f"/2/tweets/{post}/hidden", json_body={"hidden": hidden}, bucket="hide")
        if (body.get("data") or {}).get("hidden") is not hidden:
            raise SourceError(f"{self.label}: X did not confirm the change: {excerpt(body.get('errors'))}")


def _latest_versions(messages: list[Incoming]) -> list[Incoming]:
    """One message per post: where a page brought several versions of an edited post (or the
    same post from mentions and search), the latest version."""
    kept: dict[str, Incoming] = {}
    for message in messages:
        key = f"{message.kind}:{message.native_id}"
        held = kept.get(key)
        if held is None or _id_order(str(message.extra.get("post_id") or "")) > _id_order(str(held.extra.get("post_id") or "")):
            kept[key] = message
    return list(kept.values())


def _usage_capped(body: object) -> bool:
    """A 429 problem saying the plan's cap is spent (`"title": "UsageCapExceeded"`, type …/usage-capped)."""
    problem = as_object(body)
    return problem.get("title") == "UsageCapExceeded" or str(problem.get("type") or "").endswith("/usage-capped")


def _retweet(tweet: dict) -> bool:
    """A plain retweet: the mentions timeline lists one of every post naming the brand (the brand's
    own included), with the original's words cut short under the retweeter's name. Nothing to
    answer (search leaves them out with -is:retweet); a quote has words of its own and is kept."""
    references = tweet.get("referenced_tweets")
    return isinstance(references, list) and any(
        isinstance(r, dict) and r.get("type") == "retweeted" for r in references)


def _users(body: dict) -> dict[str, dict]:
    users = as_object(body.get("includes")).get("users")
    return {str(u["id"]): u for u in users if isinstance(u, dict) and u.get("id")} if isinstance(users, list) else {}


def _post_text(tweet: dict) -> str:
    """A post's whole text, as written: a long post is whole only in `note_tweet`, and its
    `entities` give where each link leads (see `_as_written`)."""
    note = as_object(tweet.get("note_tweet"))
    source = note if text_of(note.get("text")) else tweet
    return _as_written(source.get("text"), as_object(source.get("entities")).get("urls"))


def _dm_text(event: dict) -> str:
    """A DM's text, as written: a DM event lists its links at its own top level (`urls`, with
    dm_event.fields=entities), not under `entities` as a post does; a photo or video sent with
    it (`attachments.media_keys`) is "[media]", as in a post, so that a DM of a photo alone (a
    damaged parcel, a receipt) does not read as empty."""
    links = event.get("urls") or as_object(event.get("entities")).get("urls")
    text = _as_written(event.get("text"), links)
    media = as_object(event.get("attachments")).get("media_keys")
    if isinstance(media, list) and media and "[media]" not in text:
        text = f"{text}\n[media]" if text.strip() else "[media]"
    return text


def _as_written(text: object, links: object) -> str:
    """X sends `&`, `<` and `>` as HTML entities (and only those: "&amp;eacute;" is what someone
    typing "&eacute;" gets), and every link as a t.co address: `links` (the url entities) say
    where each leads."""
    written = text_of(text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    for link in links if isinstance(links, list) else ():
        short = link.get("url") if isinstance(link, dict) else None
        if isinstance(short, str) and short.startswith("https://t.co/"):
            written = written.replace(short, _link_words(link))
    return written


def _link_words(link: dict) -> str:
    """A t.co link as the reader should see it: where it leads, or "[media]" for an attached
    photo or video (its t.co address only opens the post)."""
    if link.get("media_key"):
        return "[media]"
    target = link.get("unwound_url") or link.get("expanded_url") or link.get("display_url")
    return target if isinstance(target, str) and target else str(link["url"])


def _followers(user: dict) -> int | None:
    value = as_object(user.get("public_metrics")).get("followers_count")
    return value if isinstance(value, int) and value >= 0 else None


def _lang(value: object) -> str | None:
    return value if value in ("fr", "en") else None


def _id_order(value: str) -> tuple[int, str]:
    """X ids are numbers that grow with time; compare them as numbers."""
    return (int(value), value) if value.isdigit() else (0, value)
