"""Everything that writes: storing fetched messages (scored once, here) and the user's actions.

Each public method is one transaction, committed before it returns: what it acknowledges
survives a killed process.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

from ..models import STATUS_DONE, STATUS_OPEN, STATUS_SNOOZED, STATUSES, BadMessage, Incoming, Unreadable
from .errors import Guarded
from .folders import batch_counts_sql
from ..hours import BusinessHours
from ..idle_gc import collection_paused
from .identity import uri_key
from .notices import cleaned
from ..textsafe import clean_text, clean_line
from .scoring import RepeatCounter, WorkspaceScoring, author_key, corrections_version, load_learner, workspace_hours

if TYPE_CHECKING:
    from ..triage.score import Score

# What a batch of new rows adds to the folder counts and the full-text index, in one statement
# each (migration 7 replaced the per-row triggers that did it: a trigger run per row cost more
# than the row's own INSERT).
_BATCH_COUNTS_SQL = batch_counts_sql()
BATCH_FTS_SQL = """
    INSERT INTO messages_fts (rowid, text, author_name, author_handle, title)
    SELECT id, text, author_name, author_handle, title FROM messages WHERE id BETWEEN ? AND ?"""

# Rows per multi-row INSERT: well under SQLite's 32,766 bound variables for our ~25 columns.
_INSERT_CHUNK = 400
# Ids per `IN (…)` list.
_ID_CHUNK = 500

_MESSAGE_COLUMNS = (
    "source_id", "workspace_id", "native_id", "network", "kind", "author_name", "author_handle",
    "author_reach", "text", "title", "url", "parent_id", "thread_id", "lang", "rating", "extra",
    "created_at", "fetched_at", "sentiment", "complaint_auto", "cues", "weight", "urgency", "reason",
    "uri_key", "hidden", "complaint_score", "question", "praise", "spam", "facts",
)  # fmt: skip
# Content and scores: what a re-fetch may refresh. User state and identity are deliberately absent,
# and so is `hidden`: a fetch that says nothing about it must not undo a hide (see `_refresh`).
_REFRESHED_COLUMNS = tuple(
    c for c in _MESSAGE_COLUMNS if c not in ("source_id", "workspace_id", "native_id", "fetched_at", "uri_key", "hidden")
)
_NATIVE, _URI = _MESSAGE_COLUMNS.index("native_id"), _MESSAGE_COLUMNS.index("uri_key")
_HIDDEN = _MESSAGE_COLUMNS.index("hidden")
_KIND, _NETWORK, _THREAD, _EXTRA, _CREATED = (
    _MESSAGE_COLUMNS.index(c) for c in ("kind", "network", "thread_id", "extra", "created_at")
)

# A row's user state, as `snapshot()` saves it and `restore()` puts it back (undo).
_STATE_COLUMNS = ("status", "unread", "starred", "complaint_override", "sentiment_override", "snooze_until", "status_at")


@dataclass(slots=True)
class IngestResult:
    new_ids: list[int] = field(default_factory=list)
    updated: int = 0
    duplicates: int = 0  # already stored in this workspace by another source (same uri)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (native id, reason)


def _refused(message: Incoming, reason: str) -> Unreadable:
    """A message the store refused, as an unreadable item: its fields as the source gave them."""
    fields = {name: getattr(message, name, None) for name in getattr(message, "__slots__", ())}
    fields["id"] = str(getattr(message, "native_id", "") or "")
    return Unreadable.of(fields, reason)


def _chunks(seq: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


# One encoder each, made once: `json.dumps` with options builds a new encoder on every call,
# which cost more than the row's SQL.
_encode_facts = json.JSONEncoder(ensure_ascii=False).encode
_encode_extra = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _author_of(message: Incoming) -> tuple[str, str, str, float]:
    """(network, handle, name, created_at) as stored: one line each, bounded."""
    return (
        clean_line(message.network)[:32] or "unknown",
        clean_line(message.author_handle)[:200],
        clean_line(message.author_name)[:200],
        float(message.created_at),
    )


def _hidden(extra: dict | None) -> int | None:
    """A source says a comment is hidden with `extra["hidden"]` (True / False; absent: unknown)."""
    value = (extra or {}).get("hidden")
    return None if value is None else int(bool(value))


# sqlite3 looks for an adapter for every None it binds (two failed attribute lookups, about
# 2,000 instructions each) and a stored row has five or six: with this one registered (for the
# process; it gives back None), a None is still bound as NULL, for a tenth of the cost.
sqlite3.register_adapter(type(None), {}.get)


@lru_cache(maxsize=4096)
def _fact_json(fact: tuple[str, float]) -> str:
    """One (fact, minutes) as JSON. The same few hundred facts recur ("DM", "no complaint (97%
    sure)"), and writing a float is the dear part of encoding them."""
    return _encode_facts(fact)


def facts_and_urgency(facts: Iterable[tuple[str, float]], weight: float, created: float, hours: BusinessHours) -> tuple[str, float]:
    """The priority's facts as stored (a JSON list of [fact, minutes]), with the clock start when
    the message arrived outside business hours, and the urgency the triage column sorts on
    (clock start minus the head start)."""
    parts = [*map(_fact_json, facts)]
    start = hours.clock_start(created)
    if start > created + 59:
        parts.append(_encode_facts([f"arrived outside business hours: clock started {hours.describe_start(start)}", 0.0]))
    return f"[{', '.join(parts)}]", start - weight * 60.0


class Writes(Guarded):
    _learners: dict
    _record: Callable  # corrections.Corrections._record


    # -- workspaces and sources ---------------------------------------------------------

    def ensure_workspace(
        self, slug: str, name: str, target_minutes: int = 60, *,
        business_hours: str | None = None, timezone: str | None = None,
    ) -> int:
        """Create or update a workspace. `business_hours` ("Mon-Fri 09:00-18:00") and
        `timezone` ("Europe/Paris") start complaints' clocks at the next opening; left out
        (None), an existing workspace keeps its own ("" clears them)."""
        with self._transaction():
            self.conn.execute(
                """INSERT INTO workspaces (slug, name, target_minutes, business_hours, timezone)
                   VALUES (?, ?, ?, coalesce(?, ''), coalesce(?, ''))
                   ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
                   target_minutes = excluded.target_minutes,
                   business_hours = coalesce(?, workspaces.business_hours),
                   timezone = coalesce(?, workspaces.timezone)""",
                (slug, name, int(target_minutes), business_hours, timezone, business_hours, timezone),
            )
            return self.conn.execute("SELECT id FROM workspaces WHERE slug = ?", (slug,)).fetchone()[0]

    def register_source(self, key: str, workspace_slug: str, type_: str, label: str) -> int:
        with self._transaction():
            row = self.conn.execute("SELECT id FROM workspaces WHERE slug = ?", (workspace_slug,)).fetchone()
            if row is None:
                raise KeyError(f"unknown workspace {workspace_slug!r}")
            self.conn.execute(
                """INSERT INTO sources (key, workspace_id, type, label) VALUES (?, ?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET workspace_id = excluded.workspace_id,
                   type = excluded.type, label = excluded.label""",
                (key, row[0], type_, label),
            )
            return self.conn.execute("SELECT id FROM sources WHERE key = ?", (key,)).fetchone()[0]

    def set_source_state(
        self,
        key: str,
        state: str,
        *,
        error: str | None = None,
        next_try: float | None = None,
        now: float | None = None,
    ) -> None:
        """Record a source's health: `state` is ok / syncing / backoff / reauth / error."""
        now = time.time() if now is None else now
        with self._transaction():
            if error is None:
                self.conn.execute(
                    "UPDATE sources SET state = ?, next_try = ? WHERE key = ?", (state, next_try, key)
                )
            else:
                self.conn.execute(
                    """UPDATE sources SET state = ?, next_try = ?, last_error = ?, last_error_at = ?
                       WHERE key = ?""",
                    (state, next_try, clean_line(error)[:500], now, key),
                )

    def set_source_notices(self, key: str, notices: Iterable[str]) -> None:
        """Record what a source says about itself that is not a failure (a read its API tier
        leaves out); `()` clears it. Kept in memory, shared with this file's other Stores
        (see notices.py): they follow from the config, which every start reads again."""
        found = cleaned(notices)
        if found:
            self.notices[key] = found
        else:
            self.notices.pop(key, None)

    # -- ingest -------------------------------------------------------------------------

    def ingest(
        self,
        source_key: str,
        messages: Iterable[Incoming],
        *,
        cursor: str | None = None,
        keep_cursor: bool = False,
        state: str = "ok",
        now: float | None = None,
        unreadable: Sequence[Unreadable] = (),
    ) -> IngestResult:
        """Score and store messages from one source, with the cursor that follows them.

        Messages and cursor commit together, so a crash can neither skip nor duplicate; the
        source's health becomes `state` ("ok", or "live" for a connected stream) in the same
        transaction.
        A message already stored (same source and native id) has its content and scores
        refreshed; what the user did to it is kept. A message another source of the workspace
        already stored (same `uri`) is skipped and counted in `duplicates`. Bad messages are
        rejected with a reason and the rest are stored. Rejected messages and the items the
        source could not read (`unreadable`) are kept in the `unreadable` table, in the same
        transaction as the cursor that moves past them, and counted in `rejected`.
        """
        # Collection is paused for the batch (see idle_gc): thousands of rows and scores, no cycles.
        with collection_paused():
            now = time.time() if now is None else now
            result = IngestResult()
            source = self._source_row(source_key)
            source_id, workspace_id = source
            valid: list[Incoming] = []
            refused: list[Unreadable] = []
            for message in messages:
                try:
                    message.check()
                    valid.append(message)
                except BadMessage as error:
                    result.rejected.append((str(getattr(message, "native_id", "?")), str(error)))
                    refused.append(_refused(message, str(error)))
            refused.extend(unreadable)
            result.rejected.extend((u.item, u.reason) for u in unreadable)
            context = self.scoring_context(workspace_id)
            # Who wrote each message, cleaned once: repeat counting and the row both need it.
            people = [_author_of(m) for m in valid]
            with self._reading():
                repeats = RepeatCounter(
                    self.conn, workspace_id, context.hours,
                    [(source_id, str(m.native_id), *who) for m, who in zip(valid, people)],
                )  # fmt: skip
            # Imported here, once per batch: the scorer's lexicons are only needed by whoever stores
            # messages, not by an inbox that only reads (start-up stays fast).
            from ..triage.score import ToScore, score_messages

            texts = [clean_text(m.text) for m in valid]
            scores = score_messages(
                [
                    ToScore(
                        text, m.kind, m.author_reach, m.lang, m.rating,
                        repeats.count(network, handle, name, created), author_key(network, handle, name),
                    )  # fmt: skip
                    for m, text, (network, handle, name, created) in zip(valid, texts, people)
                ],
                learner=context.learner,
            )
            rows_by_native: dict[str, tuple] = {}
            for message, who, text, score in zip(valid, people, texts, scores):
                rows_by_native[str(message.native_id)] = self._row_for(
                    message, who, text, score, source_id, workspace_id, now, context
                )
            rows = list(rows_by_native.values())
            with self._transaction():
                existing = self._existing_ids(source_id, list(rows_by_native))
                new_rows = self._unseen(workspace_id, [r for r in rows if r[_NATIVE] not in existing], result)
                for chunk in _chunks(new_rows, _INSERT_CHUNK):
                    values = ",".join([f"({_placeholders(len(_MESSAGE_COLUMNS))})"] * len(chunk))
                    flat = list(chain.from_iterable(chunk))
                    cur = self.conn.execute(
                        f"INSERT INTO messages ({','.join(_MESSAGE_COLUMNS)}) VALUES {values} RETURNING id",
                        flat,
                    )
                    result.new_ids.extend(r[0] for r in cur.fetchall())
                if result.new_ids:
                    # One transaction, one writer: the batch's ids are the only ones in this range.
                    batch = (min(result.new_ids), max(result.new_ids))
                    self.conn.execute(_BATCH_COUNTS_SQL, batch)
                    self.conn.execute(BATCH_FTS_SQL, batch)
                for row in rows:
                    message_id = existing.get(row[_NATIVE])
                    if message_id is not None:
                        result.updated += self._refresh(message_id, row)
                self._note_conversations(source_id, rows_by_native.values())
                self._keep_unreadable(source_id, refused, list(rows_by_native), now)
                self.conn.execute(
                    f"""UPDATE sources SET {"cursor = ?," if not keep_cursor else ""}
                        last_success = ?, state = ?, fetched_total = fetched_total + ?
                        WHERE id = ?""",
                    ([cursor] if not keep_cursor else []) + [now, state, len(result.new_ids), source_id],
                )
            return result

    def _keep_unreadable(self, source_id: int, refused: list[Unreadable], stored: list[str], now: float) -> None:
        """Keep what was refused (one row per item: the latest reason wins); an item stored at
        last (read by a newer version, or sent again fixed) is no longer unreadable."""
        if refused:
            self.conn.executemany(
                """INSERT INTO unreadable (source_id, item, reason, raw, at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (source_id, item) DO UPDATE SET reason = excluded.reason, raw = excluded.raw,
                   at = excluded.at""",
                [(source_id, u.item, clean_line(u.reason), u.raw, now) for u in refused],
            )
        # Looked for only when the source has any: storing stays one index probe dearer, not more.
        if stored and self.conn.execute("SELECT 1 FROM unreadable WHERE source_id = ? LIMIT 1", (source_id,)).fetchone():
            for chunk in _chunks(stored, _ID_CHUNK):
                self.conn.execute(
                    f"DELETE FROM unreadable WHERE source_id = ? AND item IN ({_placeholders(len(chunk))})",
                    [source_id, *chunk],
                )

    def _source_row(self, key: str) -> tuple[int, int]:
        with self._reading():
            row = self.conn.execute("SELECT id, workspace_id FROM sources WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"unknown source {key!r}: register it first")
        return row

    def held_by_other_workspaces(self, workspace_slug: str, messages: Sequence[Incoming]) -> dict[str, str]:
        """The messages another workspace already holds, by native id, each with that workspace's
        slug: the same address, or the same id in its imports (an export imported into the wrong
        brand). Each look is one index range: (workspace, uri) and (source, native id)."""
        held: dict[str, str] = {}
        by_uri = {key: m.native_id for m in messages if (key := uri_key(m.uri)) is not None}
        native_ids = [m.native_id for m in messages]
        with self._reading():
            others = self.conn.execute("SELECT id, slug FROM workspaces WHERE slug != ?", (workspace_slug,)).fetchall()
            for workspace_id, slug in others:
                for chunk in _chunks(list(by_uri), _ID_CHUNK):
                    cur = self.conn.execute(
                        f"SELECT uri_key FROM messages WHERE workspace_id = ? AND uri_key IN ({_placeholders(len(chunk))})",
                        [workspace_id, *chunk],
                    )
                    held.update((by_uri[key], slug) for (key,) in cur.fetchall())
                imports = self.conn.execute(
                    "SELECT id FROM sources WHERE workspace_id = ? AND type = 'import'", (workspace_id,)
                ).fetchall()
                for (source_id,) in imports:
                    for native_id in self._existing_ids(source_id, native_ids):
                        held.setdefault(native_id, slug)
        return held

    def _existing_ids(self, source_id: int, native_ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(native_ids, _ID_CHUNK):
            cur = self.conn.execute(
                f"SELECT native_id, id FROM messages WHERE source_id = ? AND native_id IN ({_placeholders(len(chunk))})",
                [source_id, *chunk],
            )
            found.update(cur.fetchall())
        return found

    def _unseen(self, workspace_id: int, rows: list[tuple], result: IngestResult) -> list[tuple]:
        """The new rows whose uri no other stored message (nor an earlier row of the batch) has."""
        keys = [r[_URI] for r in rows if r[_URI] is not None]
        taken: set[str] = set()
        for chunk in _chunks(keys, _ID_CHUNK):
            cur = self.conn.execute(
                f"SELECT uri_key FROM messages WHERE workspace_id = ? AND uri_key IN ({_placeholders(len(chunk))})",
                [workspace_id, *chunk],
            )
            taken.update(r[0] for r in cur.fetchall())
        unseen = []
        for row in rows:
            if row[_URI] is not None:
                if row[_URI] in taken:
                    result.duplicates += 1
                    continue
                taken.add(row[_URI])
            unseen.append(row)
        return unseen

    def _refresh(self, message_id: int, row: tuple) -> int:
        values = dict(zip(_MESSAGE_COLUMNS, row))
        columns = _REFRESHED_COLUMNS + (("hidden",) if row[_HIDDEN] is not None else ())
        assignments = ", ".join(f"{c} = :{c}" for c in columns)
        changed = " OR ".join(f"{c} IS NOT :{c}" for c in columns)
        cur = self.conn.execute(
            f"UPDATE messages SET {assignments} WHERE id = :id AND ({changed})",
            {**{c: values[c] for c in columns}, "id": message_id},
        )
        return cur.rowcount

    def _note_conversations(self, source_id: int, rows: Iterable[tuple]) -> None:
        """A customer's DM moves its conversation's last message, and the window to answer it."""
        from ..reply_rules import WINDOWED, window_length

        latest: dict[str, tuple[float, float]] = {}
        for row in rows:
            thread, network = row[_THREAD], row[_NETWORK]
            if row[_KIND] != "dm" or not thread or network not in WINDOWED:
                continue
            extra = json.loads(row[_EXTRA]) if row[_EXTRA] else {}
            created = row[_CREATED]
            reply_by = created + window_length(network, bool(extra.get("human_agent")))
            previous = latest.get(thread)
            if previous is None or created > previous[0]:
                latest[thread] = (created, reply_by)
        self.conn.executemany(
            """INSERT INTO conversations (source_id, thread_id, last_customer_at, reply_by) VALUES (?, ?, ?, ?)
               ON CONFLICT (source_id, thread_id) DO UPDATE SET
               last_customer_at = max(last_customer_at, excluded.last_customer_at),
               reply_by = CASE WHEN excluded.last_customer_at >= last_customer_at
                               THEN excluded.reply_by ELSE reply_by END""",
            [(source_id, thread, created, reply_by) for thread, (created, reply_by) in latest.items()],
        )

    def scoring_context(self, workspace_id: int) -> WorkspaceScoring:
        """The workspace's business hours and what its corrections teach (rebuilt only when a
        correction changed since the last batch)."""
        with self._reading():
            hours = workspace_hours(self.conn, workspace_id)
            version = corrections_version(self.conn, workspace_id)
            cached = self._learners.get(workspace_id)
            if cached is None or cached[0] != version:
                cached = self._learners[workspace_id] = (version, load_learner(self.conn, workspace_id) if version[0] else None)
        return WorkspaceScoring(workspace_id, hours, cached[1])

    def _row_for(
        self, message: Incoming, who: tuple[str, str, str, float], text: str, score: Score, source_id: int,
        workspace_id: int, now: float, context: WorkspaceScoring,
    ) -> tuple:  # fmt: skip
        """The row for a message: `who` from `_author_of`, `text` cleaned, `score` its scores."""
        network, handle, name, created = who
        facts, urgency = facts_and_urgency(score.facts, score.weight, created, context.hours)
        return (
            source_id,
            workspace_id,
            str(message.native_id),
            network,
            message.kind,
            name,
            handle,
            message.author_reach,
            text,
            clean_text(message.title)[:1000] if message.title else None,
            clean_line(message.url)[:2000] if message.url else None,
            str(message.parent_id) if message.parent_id else None,
            str(message.thread_id) if message.thread_id else None,
            score.lang,
            message.rating,
            _encode_extra(message.extra) if message.extra else None,
            created,
            now,
            score.sentiment,
            int(score.complaint),
            "|".join(score.cues),
            score.weight,
            urgency,
            score.reason,
            uri_key(message.uri),
            _hidden(message.extra),
            score.complaint_score,
            int(score.question),
            int(score.praise),
            int(score.spam),
            facts,
        )

    # -- the user's actions -------------------------------------------------------------

    def _update_ids(self, ids: Sequence[int], assignments: str, params: Sequence) -> int:
        changed = 0
        with self._transaction():
            for chunk in _chunks(list(ids), _ID_CHUNK):
                cur = self.conn.execute(
                    f"UPDATE messages SET {assignments} WHERE id IN ({_placeholders(len(chunk))})",
                    [*params, *chunk],
                )
                changed += cur.rowcount
        return changed

    def set_status(
        self, ids: Sequence[int], status: str, *, snooze_until: float | None = None, now: float | None = None
    ) -> int:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        if status == STATUS_SNOOZED and snooze_until is None:
            raise ValueError("snoozing needs a time to wake up")
        now = time.time() if now is None else now
        until = snooze_until if status == STATUS_SNOOZED else None
        return self._update_ids(ids, "status = ?, snooze_until = ?, status_at = ?", (status, until, now))

    def mark_done(self, ids: Sequence[int], done: bool = True) -> int:
        return self.set_status(ids, STATUS_DONE if done else STATUS_OPEN)

    def set_starred(self, ids: Sequence[int], starred: bool) -> int:
        return self._update_ids(ids, "starred = ?", (int(starred),))

    def set_unread(self, ids: Sequence[int], unread: bool) -> int:
        return self._update_ids(ids, "unread = ?", (int(unread),))

    def wake_snoozed(self, now: float | None = None) -> list[int]:
        """Bring back every snoozed item whose time has come; returns their ids.

        The app calls this every second. It looks first, which a sync or an import writing
        meanwhile (another process holding the write lock) does not hold up: only when an item
        is due does it wait for the lock, as any change does."""
        now = time.time() if now is None else now
        with self._reading():
            due = self.conn.execute(
                "SELECT 1 FROM messages WHERE status = 'snoozed' AND snooze_until <= ? LIMIT 1", (now,)
            ).fetchone()
        if due is None:
            return []
        with self._transaction():
            cur = self.conn.execute(
                """UPDATE messages SET status = 'open', snooze_until = NULL, unread = 1, status_at = ?
                   WHERE status = 'snoozed' AND snooze_until <= ? RETURNING id""",
                (now, now),
            )
            return [r[0] for r in cur.fetchall()]

    def snapshot(self, ids: Sequence[int]) -> list[tuple]:
        """The user state of these rows, for `restore()` (undo)."""
        out: list[tuple] = []
        with self._reading():
            for chunk in _chunks(list(ids), _ID_CHUNK):
                out += self.conn.execute(
                    f"SELECT id, {', '.join(_STATE_COLUMNS)} FROM messages WHERE id IN ({_placeholders(len(chunk))})",
                    chunk,
                ).fetchall()
        return out

    def restore(self, snapshot: Sequence[tuple], *, unread: bool = True) -> None:
        """Put back a snapshot's user state; the corrections follow the verdicts put back.
        `unread=False` leaves the read mark as it is now (undoing a verdict does not make a
        message read since unread again)."""
        columns = [(i, c) for i, c in enumerate(_STATE_COLUMNS, start=1) if unread or c != "unread"]
        assignments = ", ".join(f"{c} = ?" for _, c in columns)
        with self._transaction():
            self.conn.executemany(
                f"UPDATE messages SET {assignments} WHERE id = ?",
                [(*(row[i] for i, _ in columns), row[0]) for row in snapshot],
            )
            for start in range(0, len(snapshot), _ID_CHUNK):
                self._record([row[0] for row in snapshot[start : start + _ID_CHUNK]], time.time())
