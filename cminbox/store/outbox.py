"""The outbox's rows: every reply from draft to sent, and how often each saved reply is used.

States: draft -> queued -> sending -> sent | failed | unknown. Each transition is one committed
transaction, and `claim()` (queued -> sending) is a compare-and-set, so two processes can never
both send one reply. The sending logic itself is in `cminbox/outbox.py`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..textsafe import clean_line, clean_text
from .errors import Guarded

DRAFT, QUEUED, SENDING, SENT, FAILED, UNKNOWN = "draft", "queued", "sending", "sent", "failed", "unknown"
# A message counts as answered once a reply is on its way or may have gone out.
ANSWERED_STATES = (QUEUED, SENDING, SENT, UNKNOWN)
_ERROR_CHARS = 500


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    message_id: int
    text: str
    state: str
    reply_key: str | None
    idem_key: str | None
    mark_done: bool
    batch: str | None
    attempts: int
    created_at: float
    updated_at: float
    queued_at: float | None
    sent_at: float | None
    error: str | None
    error_at: float | None
    sent_native_id: str | None
    sent_url: str | None
    reply_kind: str | None = None  # None: in the thread or the DM conversation; "private": a private reply


_COLUMNS = ", ".join(OutboxItem.__dataclass_fields__)


def _item(row: tuple | None) -> OutboxItem | None:
    if row is None:
        return None
    values = list(row)
    values[6] = bool(values[6])
    return OutboxItem(*values)


@dataclass(frozen=True, slots=True)
class QueuedReply:
    """A reply to put in the outbox: for which message, what text, from which saved reply."""

    message_id: int
    text: str
    reply_key: str | None = None
    mark_done: bool = False
    reply_kind: str | None = None  # see OutboxItem.reply_kind


class OutboxRows(Guarded):

    # -- drafts ---------------------------------------------------------------------------

    def draft(self, message_id: int) -> OutboxItem | None:
        with self._reading():
            row = self.conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE message_id = ? AND state = 'draft'", (message_id,)
            ).fetchone()
        return _item(row)

    def save_draft(self, message_id: int, text: str, *, reply_key: str | None = None, reply_kind: str | None = None,
                   now: float | None = None) -> None:
        """Keep what is being written (one draft per message), and as which kind of reply; an
        empty text deletes the draft."""
        now = time.time() if now is None else now
        text = clean_text(text)
        with self._transaction():
            if not text.strip():
                self.conn.execute("DELETE FROM outbox WHERE message_id = ? AND state = 'draft'", (message_id,))
                return
            self.conn.execute(
                """INSERT INTO outbox (message_id, text, state, reply_key, reply_kind, created_at, updated_at)
                   VALUES (?, ?, 'draft', ?, ?, ?, ?)
                   ON CONFLICT (message_id) WHERE state = 'draft' DO UPDATE SET
                   text = excluded.text, updated_at = excluded.updated_at,
                   reply_key = coalesce(excluded.reply_key, reply_key), reply_kind = excluded.reply_kind""",
                (message_id, text, reply_key, reply_kind, now, now),
            )

    def discard_draft(self, message_id: int) -> None:
        with self._transaction():
            self.conn.execute("DELETE FROM outbox WHERE message_id = ? AND state = 'draft'", (message_id,))

    # -- reading --------------------------------------------------------------------------

    def outbox_item(self, item_id: int) -> OutboxItem | None:
        with self._reading():
            return _item(self.conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (item_id,)).fetchone())

    def replies_to(self, message_id: int) -> list[OutboxItem]:
        """Every reply to a message except the draft, oldest first."""
        with self._reading():
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE message_id = ? AND state != 'draft' ORDER BY id", (message_id,)
            ).fetchall()
        return [_item(r) for r in rows]

    def answered(self, message_ids: Sequence[int]) -> set[int]:
        """Which of these messages already have a reply sent, on its way, or possibly sent."""
        found: set[int] = set()
        with self._reading():
            for start in range(0, len(message_ids), 500):
                chunk = list(message_ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                states = ",".join("?" * len(ANSWERED_STATES))
                rows = self.conn.execute(
                    f"SELECT DISTINCT message_id FROM outbox WHERE message_id IN ({marks}) AND state IN ({states})",
                    [*chunk, *ANSWERED_STATES],
                ).fetchall()
                found.update(r[0] for r in rows)
        return found

    def pending(self) -> list[int]:
        """Queued replies, oldest first."""
        with self._reading():
            return [r[0] for r in self.conn.execute("SELECT id FROM outbox WHERE state = 'queued' ORDER BY id")]

    def recent_replies(self, network: str, since: float, *, exclude_message: int) -> list[tuple[str, str, str, float]]:
        """(text, to whom, their handle, when) of replies that left (or are leaving) on a network since a time."""
        with self._reading():
            rows = self.conn.execute(
                """SELECT o.text, coalesce(nullif(m.author_name, ''), m.author_handle), m.author_handle,
                          coalesce(o.sent_at, o.queued_at, o.updated_at)
                   FROM outbox o JOIN messages m ON m.id = o.message_id
                   WHERE o.state IN ('queued', 'sending', 'sent', 'unknown') AND m.network = ?
                   AND coalesce(o.sent_at, o.queued_at, o.updated_at) >= ? AND o.message_id != ?""",
                (network, since, exclude_message),
            ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    # -- queueing and sending ---------------------------------------------------------------

    def queue_replies(self, replies: Iterable[QueuedReply], *, batch: str | None = None, now: float | None = None) -> list[int]:
        """Put replies in the outbox in one transaction (each message's draft becomes its reply).

        Each gets its idempotency key now: every attempt to send it carries the same one.
        """
        now = time.time() if now is None else now
        ids: list[int] = []
        with self._transaction():
            for reply in replies:
                text = clean_text(reply.text).strip()
                if not text:
                    raise ValueError("an empty reply cannot be sent")
                key = uuid.uuid4().hex
                draft = self.conn.execute(
                    "SELECT id FROM outbox WHERE message_id = ? AND state = 'draft'", (reply.message_id,)
                ).fetchone()
                if draft is not None:
                    self.conn.execute(
                        """UPDATE outbox SET state = 'queued', text = ?, reply_key = coalesce(?, reply_key),
                           reply_kind = ?, idem_key = ?, mark_done = ?, batch = ?, queued_at = ?, updated_at = ?
                           WHERE id = ?""",
                        (text, reply.reply_key, reply.reply_kind, key, int(reply.mark_done), batch, now, now, draft[0]),
                    )
                    item_id = draft[0]
                else:
                    item_id = self.conn.execute(
                        """INSERT INTO outbox (message_id, text, state, reply_key, reply_kind, idem_key, mark_done,
                           batch, created_at, updated_at, queued_at) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)
                           RETURNING id""",
                        (reply.message_id, text, reply.reply_key, reply.reply_kind, key, int(reply.mark_done), batch,
                         now, now, now),
                    ).fetchone()[0]
                self._count_use(item_id, now)
                ids.append(item_id)
        return ids

    def claim(self, item_id: int, now: float | None = None) -> OutboxItem | None:
        """queued -> sending, atomically; None if the reply was not queued (someone else has it)."""
        now = time.time() if now is None else now
        with self._transaction():
            cur = self.conn.execute(
                """UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?
                   WHERE id = ? AND state = 'queued'""",
                (now, item_id),
            )
            if cur.rowcount != 1:
                return None
            return _item(self.conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (item_id,)).fetchone())

    def finish_sent(self, item_id: int, *, native_id: str | None, url: str | None, now: float | None = None) -> None:
        """sending -> sent; the message is marked done in the same transaction when asked."""
        now = time.time() if now is None else now
        with self._transaction():
            row = self.conn.execute(
                """UPDATE outbox SET state = 'sent', sent_at = ?, updated_at = ?, error = NULL, error_at = NULL,
                   sent_native_id = ?, sent_url = ? WHERE id = ? AND state IN ('sending', 'unknown')
                   RETURNING message_id, mark_done""",
                (now, now, clean_line(native_id)[:200] or None, clean_line(url)[:2000] or None, item_id),
            ).fetchone()
            if row and row[1]:
                self.conn.execute(
                    "UPDATE messages SET status = 'done', snooze_until = NULL, status_at = ? WHERE id = ?", (now, row[0])
                )

    def finish_unsent(self, item_id: int, state: str, error: str, now: float | None = None) -> None:
        """sending -> failed (certainly not posted) or unknown (may have been), with the reason."""
        if state not in (FAILED, UNKNOWN):
            raise ValueError(f"not a final state for an unsent reply: {state!r}")
        now = time.time() if now is None else now
        with self._transaction():
            self.conn.execute(
                "UPDATE outbox SET state = ?, error = ?, error_at = ?, updated_at = ? WHERE id = ? AND state = 'sending'",
                (state, clean_line(error)[:_ERROR_CHARS], now, now, item_id),
            )

    def requeue(self, item_id: int, now: float | None = None) -> bool:
        """A failed reply (or one the user says did not go out) goes back in the queue, same key."""
        now = time.time() if now is None else now
        with self._transaction():
            cur = self.conn.execute(
                "UPDATE outbox SET state = 'queued', queued_at = ?, updated_at = ? WHERE id = ? AND state IN ('failed', 'unknown')",
                (now, now, item_id),
            )
            return cur.rowcount == 1

    def confirm_sent(self, item_id: int, now: float | None = None) -> None:
        """The user checked the network: a reply whose outcome was unknown did go out."""
        self.finish_sent(item_id, native_id=None, url=None, now=now)

    def reopen_as_draft(self, item_id: int, now: float | None = None) -> bool:
        """A failed reply back into the composer to be edited (it certainly did not go out).

        An existing draft for the message is replaced by it: the failed text is what the user
        asked to edit.
        """
        now = time.time() if now is None else now
        with self._transaction():
            row = self.conn.execute("SELECT message_id FROM outbox WHERE id = ? AND state = 'failed'", (item_id,)).fetchone()
            if row is None:
                return False
            self.conn.execute("DELETE FROM outbox WHERE message_id = ? AND state = 'draft'", (row[0],))
            self.conn.execute(
                """UPDATE outbox SET state = 'draft', idem_key = NULL, error = NULL, error_at = NULL,
                   queued_at = NULL, updated_at = ? WHERE id = ?""",
                (now, item_id),
            )
            return True

    def discard_reply(self, item_id: int) -> bool:
        """Give up on a failed reply (it never went out)."""
        with self._transaction():
            return self.conn.execute("DELETE FROM outbox WHERE id = ? AND state = 'failed'", (item_id,)).rowcount == 1

    def recover_interrupted(self, now: float | None = None) -> list[int]:
        """Replies left `sending` by a process that stopped mid-send: their outcome is unknown.

        They are never re-sent by themselves; the user checks the network and decides.
        """
        now = time.time() if now is None else now
        with self._transaction():
            rows = self.conn.execute(
                """UPDATE outbox SET state = 'unknown', error_at = ?, updated_at = ?,
                   error = 'cminbox stopped while this reply was being sent: it may have been posted'
                   WHERE state = 'sending' RETURNING id""",
                (now, now),
            ).fetchall()
        return [r[0] for r in rows]

    # -- usage of saved replies ---------------------------------------------------------------

    def count_use(self, message_id: int, now: float | None = None) -> None:
        """The draft of this message was used (copied): count its saved reply, once."""
        now = time.time() if now is None else now
        with self._transaction():
            row = self.conn.execute("SELECT id FROM outbox WHERE message_id = ? AND state = 'draft'", (message_id,)).fetchone()
            if row:
                self._count_use(row[0], now)

    def _count_use(self, item_id: int, now: float) -> None:
        row = self.conn.execute(
            "UPDATE outbox SET counted = 1 WHERE id = ? AND counted = 0 AND reply_key IS NOT NULL RETURNING reply_key",
            (item_id,),
        ).fetchone()
        if row:
            self.conn.execute(
                """INSERT INTO reply_usage (reply_key, uses, last_used) VALUES (?, 1, ?)
                   ON CONFLICT (reply_key) DO UPDATE SET uses = uses + 1, last_used = excluded.last_used""",
                (row[0], now),
            )

    def reply_usage(self) -> dict[str, int]:
        with self._reading():
            return dict(self.conn.execute("SELECT reply_key, uses FROM reply_usage").fetchall())
