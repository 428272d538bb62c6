"""The vocabulary every layer shares: kinds, networks, statuses and an incoming message.

Pure data, no I/O: sources build `Incoming` values, the store keeps them, widgets show them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import ClassVar, Final

# What an item is, as product.md §2 defines it.
KINDS: Final = ("comment", "dm", "mention", "review")

# Network code -> short label shown in the message list (fits in 4 cells).
NETWORKS: Final[dict[str, str]] = {
    "facebook": "fb",
    "instagram": "ig",
    "x": "x",
    "mastodon": "mast",
    "bluesky": "bsky",
    "reddit": "rdt",
    "hackernews": "hn",
    "youtube": "yt",
    "tiktok": "tt",
    "linkedin": "in",
    "threads": "thr",
    "pinterest": "pin",
    "whatsapp": "wa",
    "snapchat": "snap",
    "telegram": "tg",
    "discord": "disc",
    "twitch": "twch",
    "google": "gmb",
    "trustpilot": "tp",
    "tripadvisor": "ta",
    "yelp": "yelp",
    "rss": "rss",
    "import": "imp",
    "demo": "demo",
}

# Network code -> its name as people write it (a reply's {network}, the month's report).
NETWORK_NAMES: Final[dict[str, str]] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "reddit": "Reddit",
    "hackernews": "Hacker News",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "threads": "Threads",
    "pinterest": "Pinterest",
    "whatsapp": "WhatsApp",
    "snapchat": "Snapchat",
    "telegram": "Telegram",
    "discord": "Discord",
    "twitch": "Twitch",
    "google": "Google",
    "trustpilot": "Trustpilot",
    "tripadvisor": "Tripadvisor",
    "yelp": "Yelp",
}

# A message's place in the CM's workflow.
STATUS_OPEN: Final = "open"
STATUS_DONE: Final = "done"
STATUS_SNOOZED: Final = "snoozed"
STATUSES: Final = (STATUS_OPEN, STATUS_DONE, STATUS_SNOOZED)

DEFAULT_TARGET_MINUTES: Final = 60


class BadMessage(ValueError):
    """An incoming message that cannot be stored, with the reason in words."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An item a source could not turn into a message, kept so that nothing is lost silently:
    which item (its id on the network, or a digest of its content), why, and its content as
    the network sent it (JSON), for a look or a later version to read."""

    item: str
    reason: str
    raw: str = ""

    RAW_CHARS: ClassVar[int] = 20_000  # an item's JSON kept up to this size: enough to read it

    @classmethod
    def of(cls, item: object, reason: str, ident: object = None) -> Unreadable:
        """`item` (a JSON value) set aside for `reason`; named by `ident`, its "id", or a digest."""
        try:
            raw = json.dumps(item, ensure_ascii=False, sort_keys=True, default=repr)
        except (TypeError, ValueError):  # a cycle, say: keep what can be shown
            raw = repr(item)
        if ident is None and isinstance(item, dict):
            ident = item.get("id")
        if not isinstance(ident, (str, int)) or isinstance(ident, bool) or not str(ident).strip():
            ident = "sha1:" + hashlib.sha1(raw.encode("utf-8", "replace")).hexdigest()[:16]
        return cls(str(ident)[:200], reason[:500], raw[: cls.RAW_CHARS])


@dataclass(slots=True)
class Incoming:
    """One message as a source hands it over, before it is scored and stored.

    `created_at` is seconds since the epoch, UTC. `parent_id` and `thread_id` are native
    ids from the same source: the message this one answers, and the root of its thread.
    `uri` is the item's identity across sources (an ActivityPub URI, an AT URI, the canonical
    page of an article): a message two sources bring with the same `uri` is stored once per
    workspace. None when the source has no such identity (then only its own id dedups it).
    """

    native_id: str
    network: str
    kind: str
    text: str
    created_at: float
    author_name: str = ""
    author_handle: str = ""
    author_reach: int | None = None
    url: str | None = None
    parent_id: str | None = None
    thread_id: str | None = None
    lang: str | None = None
    title: str | None = None
    rating: float | None = None
    uri: str | None = None
    extra: dict = field(default_factory=dict)

    def check(self) -> None:
        """Raise `BadMessage` if this cannot be stored as it is."""
        if not self.native_id or not str(self.native_id).strip():
            raise BadMessage("message has no id")
        if self.kind not in KINDS:
            raise BadMessage(f"unknown kind {self.kind!r} (expected one of {', '.join(KINDS)})")
        if not isinstance(self.text, str):
            raise BadMessage("message text is not text")
        try:
            created = float(self.created_at)
        except (TypeError, ValueError):
            raise BadMessage(f"invalid timestamp {self.created_at!r}") from None
        # Year 2000 to year 2200: anything else is a parsing error upstream.
        if not (946_684_800 <= created <= 7_258_118_400):
            raise BadMessage(f"timestamp out of range: {self.created_at!r}")
        if self.author_reach is not None and (
            not isinstance(self.author_reach, int) or self.author_reach < 0
        ):
            raise BadMessage(f"invalid author reach {self.author_reach!r}")
