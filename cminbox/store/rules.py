"""What the platforms' reply rules read and write: conversation windows, private replies, hidden comments.

The rules themselves are in `cminbox/reply_rules.py`; this is their memory. Each write is one
committed transaction.
"""

from __future__ import annotations

import json
from array import array

from ..reply_rules import MESSAGING_WINDOW, History
from ..sources.base import ReplyTarget
from .errors import Guarded


class RuleRows(Guarded):

    def reply_history(self, message_id: int) -> History | None:
        """What the rules need to know about a message's past; None if it is not stored.

        Whether the Page has Messenger's human-agent tag was stamped on its DMs by the source
        (from its config) and kept with the conversation's window at ingest.
        """
        with self._reading():
            row = self.conn.execute(
                """SELECT m.hidden, c.last_customer_at, p.at, c.reply_by - c.last_customer_at
                   FROM messages m
                   LEFT JOIN conversations c ON c.source_id = m.source_id AND c.thread_id = m.thread_id
                       AND m.kind = 'dm'
                   LEFT JOIN private_replies p ON p.message_id = m.id
                   WHERE m.id = ?""",
                (message_id,),
            ).fetchone()
        if row is None:
            return None
        human_agent = row[3] is not None and row[3] > MESSAGING_WINDOW
        return History(last_customer_at=row[1], private_reply_at=row[2], hidden=bool(row[0]), human_agent=human_agent)

    def reply_target(self, message_id: int) -> tuple[str, ReplyTarget] | None:
        """The source key a reply to this message goes through, and what that source needs."""
        with self._reading():
            row = self.conn.execute(
                """SELECT s.key, m.native_id, m.network, m.kind, m.author_handle, m.parent_id,
                          m.thread_id, m.url, m.extra
                   FROM messages m JOIN sources s ON s.id = m.source_id WHERE m.id = ?""",
                (message_id,),
            ).fetchone()
        if row is None:
            return None
        try:
            extra = json.loads(row[8]) if row[8] else {}
        except ValueError:  # a damaged row still gets its reply: the ids are in their columns
            extra = {}
        return row[0], ReplyTarget(row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                                   extra if isinstance(extra, dict) else {})

    # -- private replies: once per comment ----------------------------------------------------

    def claim_private_reply(self, message_id: int, now: float) -> bool:
        """Take this comment's one private reply; False if it is already taken (sent or in flight)."""
        with self._transaction():
            cur = self.conn.execute(
                "INSERT INTO private_replies (message_id, state, at) VALUES (?, 'sending', ?) ON CONFLICT DO NOTHING",
                (message_id, now),
            )
            return cur.rowcount == 1

    def confirm_private_reply(self, message_id: int, now: float) -> None:
        with self._transaction():
            self.conn.execute("UPDATE private_replies SET state = 'sent', at = ? WHERE message_id = ?", (now, message_id))

    def release_private_reply(self, message_id: int) -> None:
        """The network certainly did not post it: the comment may get its private reply later."""
        with self._transaction():
            self.conn.execute("DELETE FROM private_replies WHERE message_id = ? AND state = 'sending'", (message_id,))

    # -- hidden comments ------------------------------------------------------------------------

    def set_hidden(self, message_id: int, hidden: bool) -> None:
        with self._transaction():
            self.conn.execute("UPDATE messages SET hidden = ? WHERE id = ?", (int(hidden), message_id))

    # -- DM windows -------------------------------------------------------------------------------

    def reply_by(self, message_ids: list[int]) -> dict[int, float]:
        """Until when each of these DMs can be answered (only those with a messaging window)."""
        if not message_ids:
            return {}
        with self._reading():
            rows = self.conn.execute(
                f"""SELECT m.id, c.reply_by FROM messages m
                    JOIN conversations c ON c.source_id = m.source_id AND c.thread_id = m.thread_id
                    WHERE m.kind = 'dm' AND m.id IN ({','.join('?' * len(message_ids))})""",
                list(message_ids),
            ).fetchall()
        return dict(rows)

    def expiring_ids(self, workspace_id: int, now: float, limit: int = 5_000) -> tuple[array, array]:
        """(ids, deadlines) of open DMs still answerable, the window closing soonest first."""
        ids, deadlines = array("q"), array("d")
        with self._reading():
            rows = self.conn.execute(
                """SELECT m.id, c.reply_by FROM conversations c INDEXED BY conversations_by_deadline
                   JOIN messages m ON m.source_id = c.source_id AND m.thread_id = c.thread_id
                   WHERE c.reply_by > ? AND m.workspace_id = ? AND m.status = 'open' AND m.kind = 'dm'
                   ORDER BY c.reply_by, m.created_at DESC, m.id DESC LIMIT ?""",
                (now, workspace_id, limit),
            ).fetchall()
        for message_id, deadline in rows:
            ids.append(message_id)
            deadlines.append(deadline)
        return ids, deadlines
