"""Checkpoints off the writer's path: the write-ahead log is copied into the database file by a
background thread, not by the commit that happens to fill it.

In WAL mode SQLite lets the commit that grows the log past `wal_autocheckpoint` pages copy the
whole log into the database and sync both files, so a batch of messages waited for that copy and
two fsyncs every batch or two. That is I/O, which a thread can wait on while the writer scores
the next batch. The writer's own automatic checkpoint stays as a backstop, at a size the
background thread keeps the log well under (see `BACKSTOP_PAGES`).

Durability is unchanged: with `synchronous = NORMAL` a commit is safe once written to the log
(a killed process loses nothing committed), and a checkpoint only moves committed pages. A
PASSIVE checkpoint never waits for readers or writers, and a failed one leaves the log as it
was (the next one, or the writer's, does the work).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Final

# The writer's automatic checkpoint, as a backstop: if the background thread is behind (or
# failing), the log still stops growing here. 10,000 pages of 4 KiB: 40 MB.
BACKSTOP_PAGES: Final = 10_000
# A checkpoint waits this long after the write that asks for it, and takes in every write made
# meanwhile: a sync that stores a page of messages every few milliseconds gets one checkpoint
# a second, not one per commit, and the writes an inbox makes as it opens are checkpointed
# after its first paint, not during it (syncing the file then slowed the first paint by about
# 0.1 s).
DELAY_S: Final = 1.0
# With nothing to do for this long, the thread closes its connection and ends; the next write
# starts it again. (An inbox left open overnight holds no extra connection.)
IDLE_EXIT_S: Final = 30.0


class Checkpointer:
    """Runs `PRAGMA wal_checkpoint(PASSIVE)` on its own connection, in its own thread, a moment
    after a `nudge()` (a committed write)."""

    def __init__(self, path: Path | str, *, delay: float = DELAY_S, idle_exit: float = IDLE_EXIT_S):
        self.path = path
        self.delay = delay
        self.idle_exit = idle_exit
        self.runs = 0  # checkpoints done (what tests watch)
        self.last_error: str | None = None  # the latest failure, in SQLite's words
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._guard = threading.Lock()  # starting, ending and closing the thread
        self._thread: threading.Thread | None = None

    def nudge(self) -> None:
        """A write was committed: checkpoint soon (cheap; called on the writer's path)."""
        self._wanted.set()
        if self._thread is None:
            with self._guard:
                if self._thread is None and not self._stop.is_set():
                    self._thread = threading.Thread(target=self._run, name="cminbox-checkpoint", daemon=True)
                    self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread (after the checkpoint it is running, if any)."""
        with self._guard:
            self._stop.set()
            thread = self._thread
        self._wanted.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                if not self._wanted.wait(self.idle_exit):
                    with self._guard:  # idle: end, unless a nudge came in meanwhile
                        if not self._wanted.is_set():
                            self._thread = None
                            return
                    continue
                if self._stop.wait(self.delay):  # (closing skips it: the last close checkpoints)
                    return
                self._wanted.clear()  # the writes made while waiting are in this checkpoint
                conn = conn or self._connect()
                if conn is not None:
                    self._checkpoint(conn)
        finally:
            if conn is not None:
                conn.close()
            with self._guard:
                if self._thread is threading.current_thread():
                    self._thread = None

    def _connect(self) -> sqlite3.Connection | None:
        try:  # (`mode=rw`: a database removed meanwhile is not created again, empty)
            return sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=rw", uri=True, timeout=0)
        except sqlite3.Error as error:
            self.last_error = str(error)
            return None

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.runs += 1
            self.last_error = None
        except sqlite3.Error as error:  # disk full, I/O error...: the log keeps the data
            self.last_error = str(error)
