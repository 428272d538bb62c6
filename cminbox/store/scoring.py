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


def author_key(network: str, handle: str, name: str) -> str:
    """Who wrote a message, for repeat contacts and corrections: "network:handle" (or name)."""
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
            by_author[(network, handle, "") if handle else (network, "", item[4])].append(item)  # self.key
        # Each author's window: from the local midnight of their earliest message in the batch
        # to their latest one (local midnight never goes back in time, so the earliest
        # message's midnight is the earliest midnight).
        windows = {}
        for key, group in by_author.items():
            if key[1] or key[2]:
                times = [g[5] for g in group]
                windows[key] = (hours.day_start(min(times)), max(times))
        stored = self._stored(conn, workspace_id, windows)
        for key, (earliest, latest) in windows.items():
            group = by_author[key]
            if len(group) == 1 and key not in stored:
                continue  # one message, nothing stored before it: it counts 0, as `count` says
            batch = {(g[0], g[1]) for g in group}
            earlier = [t for s, n, t in stored.get(key, ()) if earliest <= t < latest and (s, n) not in batch]
            self.times[key] = sorted(earlier + [g[5] for g in group])

    @staticmethod
    def _stored(conn: sqlite3.Connection, workspace_id: int, windows: dict) -> dict[tuple, list[tuple]]:
        """Each author's stored messages in the batch's overall window, (source, native id, time):
        one query per network and chunk of handles rather than one per author (a batch of
        2,000 messages has hundreds of authors)."""
        found: dict[tuple, list[tuple]] = defaultdict(list)
        by_network: dict[str, list[tuple]] = defaultdict(list)
        for key in windows:
            by_network[key[0]].append(key)
        for network, keys in by_network.items():
            handles = [k[1] for k in keys if k[1]]
            for start in range(0, len(handles), _CHUNK):
                chunk = handles[start : start + _CHUNK]
                earliest = min(windows[(network, h, "")][0] for h in chunk)
                latest = max(windows[(network, h, "")][1] for h in chunk)
                rows = conn.execute(
                    f"""SELECT author_handle, source_id, native_id, created_at FROM messages
                        WHERE workspace_id = ? AND network = ? AND author_handle IN ({",".join("?" * len(chunk))})
                        AND created_at >= ? AND created_at < ?""",
                    [workspace_id, network, *chunk, earliest, latest],
                )
                for handle, source_id, native_id, created in rows:
                    found[(network, handle, "")].append((source_id, native_id, created))
            for key in keys:
                if not key[1]:  # no handle: known by name only (rare)
                    earliest, latest = windows[key]
                    found[key] = conn.execute(
                        """SELECT source_id, native_id, created_at FROM messages
                           WHERE workspace_id = ? AND network = ? AND author_handle = '' AND author_name = ?
                           AND created_at >= ? AND created_at < ?""",
                        (workspace_id, network, key[2], earliest, latest),
                    ).fetchall()
        return found

    @staticmethod
    def key(network: str, handle: str, name: str) -> tuple[str, str, str]:
        return (network, handle, "") if handle else (network, "", name)

    def count(self, network: str, handle: str, name: str, created: float) -> int:
        times = self.times.get(self.key(network, handle, name))
        if not times:
            return 0
        start = self.hours.day_start(created)
        return bisect_left(times, created) - bisect_left(times, start)
