"""Sending replies, at most once whatever happens (core: no UI imports).

Every reply is an outbox row (see `store/outbox.py`): draft -> queued -> sending -> sent, or
failed (certainly not posted: retry or edit it) or unknown (it may have been posted).

How a reply is never posted twice:

1. The row moves queued -> sending in a committed compare-and-set before the network is
   called. Only the process that made that move sends; a reply found `sending` at start-up
   (the process died mid-send) becomes `unknown`, never re-sent by itself.
2. Only a clear refusal counts as "not posted": `AuthError` (credentials refused),
   `RateLimited` (429, or our own budget said wait), `NotSupported`, and a plain
   `SourceError` (the network answered 4xx). Anything else (`UnknownOutcome`, a timeout, a 5xx,
   a cut connection, an unreadable answer, an unexpected exception, our own deadline) may
   have posted the reply: it becomes `unknown` and waits for the user, who checks the page and
   says "it went out" or "send it again".
3. Each reply carries an idempotency key, the same on every attempt, so a source that can
   check it (a client-side id, a search of our recent replies) turns a re-send into a no-op.

Sources are found through `Senders`: the app (or the sync engine) registers one `Source` per
configured source key; the message's source decides where its reply goes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from .network_actions import send_reply
from .reply_rules import DM, PUBLIC
from .sources.base import Source, SourceError, certainly_not_posted
from .store import OutboxItem, QueuedReply, Store
from .store.outbox import FAILED, SENT, UNKNOWN

# How long one send may take before its outcome is declared unknown.
SEND_TIMEOUT = 60.0
# Networks treat the same text sent to several people within this window as spam.
DUPLICATE_WINDOW = 3600.0


class Senders:
    """Which `Source` sends the replies to each source's messages, by source key: one registered
    here, else what `fallback` finds (the app's: the sync engine's source, or one built from the
    config)."""

    def __init__(self, fallback: Callable[[str], Source | None] | None = None) -> None:
        self._by_key: dict[str, Source] = {}
        self.fallback = fallback

    def register(self, source_key: str, source: Source) -> None:
        self._by_key[source_key] = source

    def registered(self, source_key: str) -> Source | None:
        """The source registered for this key (the fallback is not asked)."""
        return self._by_key.get(source_key)

    def get(self, source_key: str | None) -> Source | None:
        if not source_key:
            return None
        source = self._by_key.get(source_key)
        if source is None and self.fallback is not None:
            source = self.fallback(source_key)
        return source

    def can_reply(self, source_key: str | None) -> bool:
        source = self.get(source_key)
        return bool(source is not None and source.can_reply)

    def can_reply_privately(self, source_key: str | None) -> bool:
        return bool(getattr(self.get(source_key), "can_reply_privately", False))

    def max_chars(self, source_key: str | None) -> int | None:
        """A limit the account itself announces (a Mastodon instance's), if its source knows it."""
        value = getattr(self.get(source_key), "reply_max_chars", None)
        return value if isinstance(value, int) and value > 0 else None


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An identical reply recently sent to someone else on the same network."""

    to: str
    at: float


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


class Outbox:
    def __init__(
        self,
        store: Store,
        senders: Senders,
        *,
        clock: Callable[[], float] = time.time,
        timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.store = store
        self.senders = senders
        self.clock = clock
        self.timeout = timeout

    # -- before sending ---------------------------------------------------------------------

    def recover(self) -> list[int]:
        """At start-up: replies a stopped process left mid-send become `unknown`."""
        return self.store.recover_interrupted(self.clock())

    def queue(self, replies: list[QueuedReply], *, batch: str | None = None) -> list[int]:
        return self.store.queue_replies(replies, batch=batch, now=self.clock())

    def duplicate_of(self, text: str, message_id: int, network: str) -> Duplicate | None:
        """The same text already sent to someone else on this network within the last hour."""
        wanted = _normalised(text)
        if not wanted:
            return None
        message = self.store.message(message_id)
        handle = message.author_handle if message else ""
        since = self.clock() - DUPLICATE_WINDOW
        for sent_text, to, to_handle, at in self.store.recent_replies(network, since, exclude_message=message_id):
            if handle and to_handle == handle:
                continue  # the same person: not what spam filters look for
            if _normalised(sent_text) == wanted:
                return Duplicate(to, at)
        return None

    def can_send(self, message_id: int) -> bool:
        found = self.store.reply_target(message_id)
        return found is not None and self.senders.can_reply(found[0])

    # -- sending ----------------------------------------------------------------------------

    async def send(self, item_id: int) -> OutboxItem | None:
        """One attempt at one queued reply; returns the row as it ends up."""
        item = self.store.claim(item_id, self.clock())
        if item is None:
            return self.store.outbox_item(item_id)
        state, error, sent = await self._attempt(item)
        if state == SENT:
            self.store.finish_sent(item_id, native_id=sent.native_id, url=sent.url, now=self.clock())
        else:
            self.store.finish_unsent(item_id, state, error, now=self.clock())
        return self.store.outbox_item(item_id)

    async def flush(self) -> list[OutboxItem]:
        """Send every queued reply, oldest first."""
        done = []
        for item_id in self.store.pending():
            item = await self.send(item_id)
            if item is not None:
                done.append(item)
        return done

    async def _attempt(self, item: OutboxItem):
        found = self.store.reply_target(item.message_id)
        if found is None:
            return FAILED, "the message this reply answers is no longer in the database", None
        source_key, target = found
        source = self.senders.get(source_key)
        if source is None or not source.can_reply:
            return FAILED, f"cminbox cannot post on {target.network} from this source: copy the reply and open the page", None
        kind_of_reply = item.reply_kind or (DM if target.kind == "dm" else PUBLIC)
        try:
            # The platform rules (messaging window, one private reply, length) are checked again
            # here, at the last moment: a refusal is certain not to have posted anything.
            sent = await asyncio.wait_for(
                send_reply(self.store, source, item.message_id, item.text, kind_of_reply=kind_of_reply,
                           key=item.idem_key or "", now=self.clock()),
                self.timeout,
            )
        except TimeoutError:
            return UNKNOWN, f"no answer from {target.network} within {self.timeout:g} s: it may have been posted", None
        except SourceError as error:
            state = FAILED if certainly_not_posted(error) else UNKNOWN
            return state, str(error) or type(error).__name__, None
        except asyncio.CancelledError:
            # The app is closing mid-send: the row stays `sending` and becomes `unknown` at next start.
            raise
        except Exception as error:  # a bug in a source must not lose track of a reply
            return UNKNOWN, f"unexpected error while sending ({type(error).__name__}: {error}): it may have been posted", None
        return SENT, None, sent
