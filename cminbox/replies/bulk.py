"""Answering many messages with one saved reply, each personalised (core: no UI imports).

`plan_bulk` fills the reply for every selected message and sorts them into those ready to go
and those skipped, each with its reason: already answered, a second message from the same
person, a draft in progress (never overwritten), written in another language than the reply,
no way to send from cminbox, a value missing for this message, too long for its network; and
what the user set aside (snoozed, marked not a complaint for a crisis reply) or what looks like
spam, since "select all in this view" takes them in too.
Nothing is queued here: the user sees the plan and confirms once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..store import Message, Store
from ..textsafe import one_line
from .library import SavedReply
from .limits import Limit, count
from .placeholders import NETWORK_NAMES, fill

LANGUAGES = {"fr": "French", "en": "English"}


@dataclass(frozen=True, slots=True)
class BulkItem:
    message_id: int
    who: str
    network: str
    text: str


@dataclass(frozen=True, slots=True)
class Skipped:
    message_id: int
    who: str
    reason: str
    answered: bool = False  # True: nothing left to do (it has a reply); else it still needs one


@dataclass(slots=True)
class BulkPlan:
    reply: SavedReply
    ready: list[BulkItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def repeated(self) -> int:
        """Replies whose text is the same as another's on the same network (networks see spam)."""
        return len(self.repeated_to)

    @property
    def repeated_to(self) -> list[str]:
        """Who gets those replies, in the plan's order."""
        counts = Counter((item.network, item.text) for item in self.ready)
        return [item.who for item in self.ready if counts[(item.network, item.text)] > 1]


def _who(message: Message) -> str:
    return one_line(message.author_name or message.author_handle, 40) or "?"


def plan_bulk(
    store: Store,
    message_ids: Sequence[int],
    reply: SavedReply,
    *,
    values_for: Callable[[Message], dict[str, str]],
    can_send: Callable[[int], bool],
    limit_for: Callable[[Message], Limit | None],
    asked: dict[str, str] | None = None,
    refusal: Callable[[Message, str], str | None] = lambda message, text: None,
) -> BulkPlan:
    """Who gets `reply` and who is skipped, and why. `refusal` says why the network would
    refuse this text for this message now (a DM's closed window), or None."""
    plan = BulkPlan(reply)
    answered = store.answered(list(message_ids))
    people: set[tuple[str, str]] = set()
    for message_id in message_ids:
        message = store.message(message_id)
        if message is None:
            continue
        who = _who(message)
        if message_id in answered:
            plan.skipped.append(Skipped(message_id, who, "already answered", answered=True))
            continue
        set_aside = _set_aside(message, reply)
        if set_aside:
            plan.skipped.append(Skipped(message_id, who, set_aside))
            continue
        person = (message.network, message.author_handle or message.author_name)
        if person in people:
            plan.skipped.append(Skipped(message_id, who, "another of their messages gets this reply", answered=True))
            continue
        if reply.lang and message.lang in LANGUAGES and message.lang != reply.lang:
            plan.skipped.append(Skipped(message_id, who, f"written in {LANGUAGES[message.lang]}, the reply is in {LANGUAGES.get(reply.lang, reply.lang)}"))
            continue
        if store.draft(message_id) is not None:
            plan.skipped.append(Skipped(message_id, who, "a draft is in progress: finish it in the composer (r)"))
            continue
        if not can_send(message_id):
            network = NETWORK_NAMES.get(message.network, message.network)
            plan.skipped.append(Skipped(message_id, who, f"cminbox cannot post on {network} from this source: copy and paste"))
            continue
        filled = fill(reply.body, {**values_for(message), **(asked or {})})
        if filled.missing:
            names = ", ".join("{" + name + "}" for name in filled.missing)
            plan.skipped.append(Skipped(message_id, who, f"nothing for {names} in this message"))
            continue
        limit = limit_for(message)
        if limit is not None and count(filled.text, limit) > limit.chars:
            network = NETWORK_NAMES.get(message.network, message.network)
            plan.skipped.append(Skipped(message_id, who, f"too long for {network}: {count(filled.text, limit)} of {limit.chars}"))
            continue
        refused = refusal(message, filled.text)
        if refused:
            plan.skipped.append(Skipped(message_id, who, refused))
            continue
        people.add(person)
        plan.ready.append(BulkItem(message_id, who, message.network, filled.text))
    return plan


def _set_aside(message: Message, reply: SavedReply) -> str | None:
    """Why a message the user or the scorer set aside does not get a reply meant for many."""
    if message.status == "snoozed":
        return "snoozed by you: wake it (s, then 0) to answer it now"
    if reply.crisis and message.complaint_override is False:
        return "you marked it not a complaint: this reply is for the crisis"
    if message.spam and message.complaint_override is not True:
        return "looks like spam: answer it on its own (r) if it is not"
    return None
