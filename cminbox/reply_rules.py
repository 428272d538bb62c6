"""The platforms' reply rules, checked before anything is sent (core: no UI imports).

What the networks refuse, refused here first with the reason in words:

- **Messaging window.** A Messenger or Instagram DM can be answered within 24 hours of the
  customer's last message; with Messenger's human-agent tag (where the Page has it: `human_agent
  = true` in its config entry) within 7 days. The window is counted from the customer's last
  message in the conversation, not from the message the reply answers.
- **Private replies.** A public Facebook or Instagram comment (or a visitor post) can get one
  private reply (a DM that quotes it), within 7 days of the comment.
- **Length.** Per network and kind of reply, counted as each network counts
  (`replies/limits.py`: X weighs characters and links, Mastodon and Bluesky count graphemes).
- **Hidden comments.** Instagram refuses replies to a hidden comment: unhide it first.

The composer and the outbox call `check_reply` (and `window` for countdowns); what they need
to know about a message's past is a `History` the store builds (`Store.reply_history`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

from .replies.limits import Limit, count, limit_for

HOUR: Final = 3600.0
DAY: Final = 24 * HOUR
# Messenger Platform "standard messaging window" and the HUMAN_AGENT message tag's window.
MESSAGING_WINDOW: Final = 24 * HOUR
HUMAN_AGENT_WINDOW: Final = 7 * DAY
# Messenger Platform private replies: "must be sent within 7 days from when the post or comment
# was created", "only one message can be sent". Instagram private replies follow the same rule.
PRIVATE_REPLY_WINDOW: Final = 7 * DAY

# Kinds of reply.
PUBLIC: Final = "public"  # in the thread: a comment reply, a reply post
PRIVATE: Final = "private"  # a DM quoting a public comment (private reply)
DM: Final = "dm"  # in a DM conversation
REPLY_KINDS: Final = (PUBLIC, PRIVATE, DM)

# Networks whose DMs can only be answered inside the messaging window.
WINDOWED: Final = frozenset({"facebook", "instagram"})
# Networks where a public comment can get a private reply.
PRIVATE_REPLIES: Final = frozenset({"facebook", "instagram"})

# What the length table in `replies/limits.py` calls each kind of reply.
_LIMIT_KIND: Final = {PUBLIC: None, PRIVATE: "private", DM: "dm"}


def reply_limit(network: str, kind_of_reply: str, override: int | None = None) -> Limit | None:
    """The longest reply of this kind the network takes (None: no limit we know of)."""
    return limit_for(network, _LIMIT_KIND.get(kind_of_reply), override)


class Replyable(Protocol):
    """What the rules need to know about the message being answered (a stored `Message` fits)."""

    network: str
    kind: str
    created_at: float


@dataclass(frozen=True, slots=True)
class History:
    """What happened around a message, as the store knows it."""

    last_customer_at: float | None = None  # the customer's last message in this conversation
    private_reply_at: float | None = None  # when a private reply to this comment went out
    hidden: bool = False  # the comment is hidden on the network
    human_agent: bool = False  # the Page may use Messenger's human-agent tag (its config says so)


@dataclass(frozen=True, slots=True)
class Window:
    """Until when a DM conversation can be answered."""

    deadline: float
    human_agent: bool

    def left(self, now: float) -> float:
        return self.deadline - now


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a reply cannot be sent; `code` is stable for programs, `reason` is for the user."""

    code: str
    reason: str

    def __str__(self) -> str:
        return self.reason


def window_length(network: str, human_agent: bool) -> float:
    return HUMAN_AGENT_WINDOW if (human_agent and network == "facebook") else MESSAGING_WINDOW


def window(message: Replyable, history: History | None = None) -> Window | None:
    """The messaging window of a DM on a windowed network; None where no window applies."""
    if message.network not in WINDOWED or message.kind != "dm":
        return None
    history = history or History()
    last = max(history.last_customer_at or 0.0, float(message.created_at))
    tagged = history.human_agent and message.network == "facebook"
    return Window(last + window_length(message.network, tagged), tagged)


def reply_kinds(message: Replyable) -> tuple[str, ...]:
    """The kinds of reply a message can get."""
    if message.kind == "dm":
        return (DM,)
    if message.network in PRIVATE_REPLIES and message.kind in ("comment", "mention"):
        return (PUBLIC, PRIVATE)
    return (PUBLIC,)


def _ago(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < HOUR:
        return f"{max(1, int(seconds // 60))} min"
    if seconds < 2 * DAY:
        return f"{int(seconds // HOUR)} h"
    return f"{int(seconds // DAY)} days"


def check_reply(message: Replyable, kind_of_reply: str, text: str, now: float,
                history: History | None = None, *, max_chars: int | None = None) -> Refusal | None:
    """None if the network will take this reply now; otherwise why not, before it is sent."""
    history = history or History()
    network = message.network
    if kind_of_reply not in reply_kinds(message):
        allowed = " or ".join(reply_kinds(message))
        return Refusal("kind", f"a {network} {message.kind} takes a {allowed} reply, not a {kind_of_reply} one")
    if not text.strip():
        return Refusal("empty", "the reply is empty")
    limit = reply_limit(network, kind_of_reply, max_chars)
    length = count(text, limit)
    if limit is not None and length > limit.chars:
        how = " as X counts them (links count 23)" if network == "x" else ""
        return Refusal("length", f"{length} characters{how}: {network} takes at most {limit.chars}; cut {length - limit.chars}")
    if kind_of_reply == DM:
        open_until = window(message, history)
        if open_until is not None and now > open_until.deadline:
            span = "7 days (human-agent tag)" if open_until.human_agent else "24 hours"
            return Refusal(
                "window",
                f"{network} only lets you answer a DM within {span} of the customer's last message: "
                f"this window closed {_ago(now - open_until.deadline)} ago. Wait for them to write again.",
            )
    if kind_of_reply == PRIVATE:
        if history.private_reply_at is not None:
            return Refusal("private-once", f"this comment already got its private reply ({_ago(now - history.private_reply_at)} ago): {network} allows only one")
        if now > float(message.created_at) + PRIVATE_REPLY_WINDOW:
            return Refusal("private-late", f"{network} only allows a private reply within 7 days of the comment: this one is {_ago(now - float(message.created_at))} old")
    if kind_of_reply == PUBLIC and history.hidden and network == "instagram":
        return Refusal("hidden", "Instagram refuses replies to a hidden comment: unhide it first (or reply privately)")
    return None
