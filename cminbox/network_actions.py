"""Replies and moderation that go to a network, with its rules checked first (core: no UI).

`send_reply` is the one way a reply reaches a source: the platform rules (`reply_rules`) are
checked against what the store knows, and a refusal is raised *before* the network is called,
as `ReplyRefused` (a `NotSupported`: certainly not posted). A private reply is claimed in the
store before it is sent, so a comment can never get two, even from two processes; it is released
only when the network certainly did not post it.

`set_hidden` hides or unhides a comment on the network, then records it; the app's undo calls it
again with the opposite value.
"""

from __future__ import annotations

from .reply_rules import PRIVATE, Refusal, check_reply
from .sources.base import NotSupported, Sent, Source, SourceError, certainly_not_posted
from .store import Store


class ReplyRefused(NotSupported):
    """A platform rule refuses this reply; nothing was sent."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


def refusal_for(store: Store, message_id: int, kind_of_reply: str, text: str, now: float,
                *, max_chars: int | None = None) -> Refusal | None:
    """What the composer calls while the user types, and the sender before it sends.
    `max_chars`: a limit the account announces (a Mastodon instance's)."""
    message = store.message(message_id)
    history = store.reply_history(message_id)
    if message is None or history is None:
        return Refusal("gone", "the message this reply answers is no longer in the database")
    return check_reply(message, kind_of_reply, text, now, history, max_chars=max_chars)


async def send_reply(store: Store, source: Source, message_id: int, text: str, *, kind_of_reply: str, key: str,
                     now: float) -> Sent:
    max_chars = getattr(source, "reply_max_chars", None)
    refusal = refusal_for(store, message_id, kind_of_reply, text, now,
                          max_chars=max_chars if isinstance(max_chars, int) and max_chars > 0 else None)
    if refusal is not None:
        raise ReplyRefused(refusal)
    _, target = store.reply_target(message_id)
    if kind_of_reply != PRIVATE:
        return await source.reply(target, text, key)
    if not getattr(source, "can_reply_privately", False):
        raise NotSupported(f"{source.label} cannot send private replies")
    if not store.claim_private_reply(message_id, now):
        raise ReplyRefused(Refusal("private-once", "this comment already got its private reply: the network allows only one"))
    try:
        sent = await source.private_reply(target, text, key)  # type: ignore[attr-defined]
    except SourceError as error:
        if certainly_not_posted(error):
            store.release_private_reply(message_id)
        raise
    store.confirm_private_reply(message_id, now)
    return sent


async def set_hidden(store: Store, source: Source, message_id: int, hidden: bool) -> None:
    """Hide (or unhide) a comment on its network, then remember it."""
    if not getattr(source, "can_hide", False):
        raise NotSupported(f"{source.label} cannot hide comments")
    found = store.reply_target(message_id)
    if found is None:
        raise SourceError("the message is no longer in the database")
    await source.hide(found[1], hidden)  # type: ignore[attr-defined]
    store.set_hidden(message_id, hidden)
