"""What the bad-buzz detector reads and keeps: window items, history counts, stored alerts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from array import array

from .errors import Guarded

# A negative item: a complaint (the user's verdict included) or clearly negative sentiment (same);
# spam is left out by the queries. Mildly negative items are left out: a bad buzz is made of
# unhappy customers, and a few misread jokes must not add up to one.
NEGATIVE_SQL = "(complaint = 1 OR coalesce(sentiment_override, sentiment) <= -0.3)"


@dataclass(frozen=True, slots=True)
class BuzzAlert:
    id: int
    workspace_id: int
    window_start: float
    fired_at: float
    updated_at: float
    ended_at: float | None
    count: int
    baseline: float
    summary: dict

    @property
    def active(self) -> bool:
        return self.ended_at is None


def _alert(row) -> BuzzAlert:
    return BuzzAlert(*row[:8], json.loads(row[8] or "{}"))


_ALERT_COLUMNS = "id, workspace_id, window_start, fired_at, updated_at, ended_at, count, baseline, summary"


class BuzzData(Guarded):
    def buzz_window(self, workspace_id: int, start: float, end: float):
        """The window's messages (spam left out), oldest first."""
        from ..buzz import Item

        with self._reading():
            rows = self.conn.execute(
                f"""SELECT id, created_at, {NEGATIVE_SQL}, network, author_name, author_handle, author_reach, text
                    FROM messages WHERE workspace_id = ? AND created_at > ? AND created_at <= ? AND spam = 0
                    ORDER BY created_at""",
                (workspace_id, start, end),
            ).fetchall()
        return [Item(r[0], r[1], bool(r[2]), r[3], r[4], r[5], r[6], r[7]) for r in rows]

    def buzz_history(self, workspace_id: int, start: float, end: float, window_seconds: float, texts: int = 0):
        """Counts of every window-sized slot between `start` and `end` (empty slots included,
        from the first stored message on), and the texts of the latest `texts` messages with
        their authors' names and handles."""
        from ..buzz import History

        with self._reading():
            first = self.conn.execute(
                "SELECT min(created_at) FROM messages WHERE workspace_id = ? AND created_at > ? AND created_at <= ?",
                (workspace_id, start, end),
            ).fetchone()[0]
            if first is None:
                return History([], [])
            rows = self.conn.execute(
                f"""SELECT CAST((? - created_at) / ? AS INTEGER) AS slot, count(*), sum({NEGATIVE_SQL})
                    FROM messages WHERE workspace_id = ? AND created_at > ? AND created_at <= ? AND spam = 0
                    GROUP BY slot""",
                (end, window_seconds, workspace_id, start, end),
            ).fetchall()
            sample = self.conn.execute(
                """SELECT text, author_name, author_handle FROM messages INDEXED BY messages_by_time
                   WHERE workspace_id = ? AND created_at <= ? ORDER BY created_at DESC LIMIT ?""",
                (workspace_id, end, texts),
            ).fetchall() if texts else []  # fmt: skip
        counts = {slot: (total, negative) for slot, total, negative in rows}
        slots = int((end - first) // window_seconds) + 1
        windows = []
        for slot in range(slots):
            total, negative = counts.get(slot, (0, 0))
            windows.append((end - (slot + 1) * window_seconds, total, negative))
        people = sorted({who for _, name, handle in sample for who in (name, handle) if who})
        return History(windows, [r[0] for r in sample], people)

    # -- alerts ---------------------------------------------------------------------------------

    def buzz_alerts(self, workspace_id: int, limit: int = 20) -> list[BuzzAlert]:
        """The latest alerts, newest first."""
        with self._reading():
            rows = self.conn.execute(
                f"SELECT {_ALERT_COLUMNS} FROM buzz_alerts WHERE workspace_id = ? ORDER BY fired_at DESC, id DESC LIMIT ?",
                (workspace_id, limit),
            ).fetchall()
        return [_alert(r) for r in rows]

    def open_buzz(self, workspace_id: int, window_start: float, now: float, count: int, baseline: float, summary: dict) -> int:
        with self._transaction():
            cur = self.conn.execute(
                """INSERT INTO buzz_alerts (workspace_id, window_start, fired_at, updated_at, count, baseline, summary)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (workspace_id, window_start, now, now, count, baseline, json.dumps(summary, ensure_ascii=False)),
            )
            return cur.lastrowid

    def update_buzz(self, alert_id: int, now: float, count: int, summary: dict, *, ended_at: float | None = None) -> None:
        """Keep an open alert up to date (`count` only ever rises: it is the peak); `ended_at`
        closes it (when its volume fell back, which may be before `now`)."""
        with self._transaction():
            self.conn.execute(
                "UPDATE buzz_alerts SET updated_at = ?, count = max(count, ?), summary = ?, ended_at = ? WHERE id = ?",
                (now, count, json.dumps(summary, ensure_ascii=False), ended_at, alert_id),
            )

    def buzz_negative_times(self, workspace_id: int, start: float, end: float) -> list[float]:
        """When each negative item (spam left out) between `start` and `end` arrived, oldest first."""
        with self._reading():
            rows = self.conn.execute(
                f"""SELECT created_at FROM messages WHERE workspace_id = ? AND created_at > ? AND created_at <= ?
                    AND spam = 0 AND {NEGATIVE_SQL} ORDER BY created_at""",
                (workspace_id, start, end),
            ).fetchall()
        return [r[0] for r in rows]

    def crisis_ids(
        self, workspace_id: int, since: float, fired_at: float, terms: list[str], leading: list[str] = ()
    ) -> tuple[array, array]:
        """The spike's items still to answer: open, negative and not spam, from the alert's window
        on, and carrying one of its words when it has some (a crisis statement sent to an
        unrelated angry customer, or to a joke, is worse than one left for the normal inbox).
        Newest first. (`fired_at` is kept for the callers: an alert without words takes every
        negative item of its window, before and after it fired.)

        Those who wrote before the window, the first victims, who have waited longest, are in
        too: from when the buzz began (`buzz_began`, on its `leading` words) on, under the same
        rule (open, negative, one of its words)."""
        from ..buzz import LOOKBACK_HOURS, _terms, buzz_began

        wanted = _singular(terms)
        start = since
        with self._reading():
            if wanted and leading:
                before = self.conn.execute(
                    f"""SELECT created_at, text FROM messages WHERE workspace_id = ? AND created_at >= ? AND created_at < ?
                        AND spam = 0 AND {NEGATIVE_SQL} ORDER BY created_at DESC""",
                    (workspace_id, since - LOOKBACK_HOURS * 3600, since),
                ).fetchall()
                start = buzz_began(since, [(when, _singular(_terms(text))) for when, text in before], _singular(leading))
            rows = self.conn.execute(
                f"""SELECT id, created_at, text FROM messages WHERE workspace_id = ? AND created_at >= ?
                    AND status = 'open' AND spam = 0 AND {NEGATIVE_SQL} ORDER BY created_at DESC, id DESC""",
                (workspace_id, start),
            ).fetchall()
        ids, created = array("q"), array("d")
        for mid, when, text in rows:
            if not wanted or wanted & _singular(_terms(text)):
                ids.append(mid)
                created.append(when)
        return ids, created


def _singular(terms) -> set[str]:
    """Terms with each word's plural "s" dropped: "double prélèvement" carries "prelevements"."""
    from ..buzz import singular_words

    return {singular_words(term) for term in terms}
