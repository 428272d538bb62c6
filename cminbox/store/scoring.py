"""Scoring a message in its workspace's context: the CM's corrections, business hours, and how
many times the same person wrote today. The text scoring itself is `triage.score`.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..hours import BusinessHours, HoursError

if TYPE_CHECKING:
    from ..triage.learn import Learner

_CHUNK = 400


def utc_day(ts: float) -> int:
    """The message's `created_day` column, as SQLite computes it (`CAST(created_at / 86400 AS
    INTEGER)`): the first key of the author index after the workspace."""
    return int(ts / 86400)


# Names review sites and exports give whoever did not sign ("Anonyme", "A Google User"): without a
# handle, two such authors are not one person (not a repeat contact, not "3 earlier messages").
NOBODYS_NAMES = frozenset({
    "anonyme", "anonymous", "anon", "a google user", "google user", "un utilisateur google", "utilisateur google",
    "utilisateur", "user", "guest", "invité", "invitée", "client", "cliente", "un client", "une cliente",
    "customer", "a customer", "visiteur", "visitor", "unknown", "inconnu", "inconnue", "n/a",
})  # fmt: skip


def names_somebody(handle: str, name: str) -> bool:
    """Whether a message's handle or name tells who wrote it (see NOBODYS_NAMES)."""
    return bool(handle) or (bool(name) and name.strip().lower() not in NOBODYS_NAMES)


def author_key(network: str, handle: str, name: str) -> str:
    """Who wrote a message, for repeat contacts and corrections: "network:handle" (or name)."""
    if not names_somebody(handle, name):
        return ""
    who = (handle or name or "").strip().lower()
    return f"{network}:{who}" if who else ""


@dataclass(slots=True)
class WorkspaceScoring:
    """What scoring needs to know about a workspace, gathered once per batch."""

    workspace_id: int
    hours: BusinessHours
    learner: Learner | None


def workspace_hours(conn: sqlite3.Connection, workspace_id: int) -> BusinessHours:
    row = conn.execute("SELECT business_hours, timezone FROM workspaces WHERE id = ?", (workspace_id,)).fetchone()
    if row is None:
        return BusinessHours.parse(None)
    try:
        return BusinessHours.parse(row[0], row[1] or None)
    except HoursError:
        # Checked when the config was read; a database edited by hand must not stop ingest.
        return BusinessHours.parse(None)


def corrections_version(conn: sqlite3.Connection, workspace_id: int) -> tuple:
    return conn.execute(
        "SELECT count(*), coalesce(max(updated_at), 0), coalesce(max(id), 0) FROM corrections WHERE workspace_id = ?",
        (workspace_id,),
    ).fetchone()


def load_learner(conn: sqlite3.Connection, workspace_id: int) -> Learner:
    # Imported here: the scorer is for whoever stores messages; an inbox that only reads
    # starts without it.
    from ..triage.learn import Correction, Learner

    rows = conn.execute(
        "SELECT text, author, complaint, sentiment FROM corrections WHERE workspace_id = ? ORDER BY id",
        (workspace_id,),
    ).fetchall()
    return Learner(
        [Correction(text, author, None if complaint is None else bool(complaint), sentiment) for text, author, complaint, sentiment in rows]
    )


class RepeatCounter:
    """How many earlier messages the same person sent the workspace on the same (local) day.

    Built for a batch: one query per distinct author over the days the batch covers, plus the
    batch's own messages, so that the third message of a burst counts as the third.
    """

    def __init__(self, conn: sqlite3.Connection, workspace_id: int, hours: BusinessHours, items: list[tuple]):
        # items: (source_id, native_id, network, handle, name, created_at)
        self.hours = hours
        self.times: dict[tuple[str, str, str], list[float]] = {}
        by_author: dict[tuple[str, str, str], list[tuple]] = defaultdict(list)
        for item in items:
            network, handle = item[2], item[3]
            by_author[self.key(network, handle, item[4])].append(item)
        # Each author's window: from the local midnight of their earliest message in the batch
        # to their latest one (local midnight never goes back in time, so the earliest
        # message's midnight is the earliest midnight). The stored messages that can count are
        # those of the UTC days from each message's local midnight to the message itself.
        windows = {}
        days: dict[tuple[int, str], list[tuple[str, str, str]]] = defaultdict(list)  # (day, network) -> authors
        for key, group in by_author.items():
            if key[1] or key[2]:
                times = [g[5] for g in group]
                windows[key] = (hours.day_start(min(times)), max(times))
                touched = set()
                for t in times:
                    touched.update(range(utc_day(hours.day_start(t)), utc_day(t) + 1))
                for day in touched:
                    days[(day, key[0])].append(key)
        stored = self._stored(conn, workspace_id, days)
        for key, (earliest, latest) in windows.items():
            group = by_author[key]
            if len(group) == 1 and key not in stored:
                continue  # one message, nothing stored before it: it counts 0, as `count` says
            batch = {(g[0], g[1]) for g in group}
            earlier = [t for s, n, t in stored.get(key, ()) if earliest <= t < latest and (s, n) not in batch]
            self.times[key] = sorted(earlier + [g[5] for g in group])

    @staticmethod
    def _stored(conn: sqlite3.Connection, workspace_id: int, days: dict) -> dict[tuple, list[tuple]]:
        """The stored messages of each author on the days asked for, (source, native id, time):
        one query per day, network and chunk of handles rather than one per author (a batch of
        2,000 messages has hundreds of authors), each a look-up in the author index by day."""
        found: dict[tuple, list[tuple]] = defaultdict(list)
        for (day, network), keys in days.items():
            handles = [k[1] for k in keys if k[1]]
            for start in range(0, len(handles), _CHUNK):
                chunk = handles[start : start + _CHUNK]
                rows = conn.execute(
                    f"""SELECT author_handle, source_id, native_id, created_at FROM messages
                        WHERE workspace_id = ? AND created_day = ? AND network = ?
                        AND author_handle IN ({",".join("?" * len(chunk))})""",
                    [workspace_id, day, network, *chunk],
                )
                for handle, source_id, native_id, created in rows:
                    found[(network, handle, "")].append((source_id, native_id, created))
            for key in keys:
                if not key[1]:  # no handle: known by name only (rare)
                    found[key] += conn.execute(
                        """SELECT source_id, native_id, created_at FROM messages
                           WHERE workspace_id = ? AND created_day = ? AND network = ?
                           AND author_handle = '' AND author_name = ?""",
                        (workspace_id, day, network, key[2]),
                    ).fetchall()
        return found

    @staticmethod
    def key(network: str, handle: str, name: str) -> tuple[str, str, str]:
        """The author as (network, handle, name), the name only without a handle, and nobody's
        name ("Anonyme") as no name: an author of no key counts no repeats."""
        if handle:
            return (network, handle, "")
        return (network, "", name if names_somebody(handle, name) else "")

    def count(self, network: str, handle: str, name: str, created: float) -> int:
        times = self.times.get(self.key(network, handle, name))
        if not times:
            return 0
        start = self.hours.day_start(created)
        return bisect_left(times, created) - bisect_left(times, start)
