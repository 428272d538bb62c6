"""Opening the database: pragmas, migrations, and clear errors for a corrupt or locked file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from .checkpoint import BACKSTOP_PAGES, Checkpointer
from .errors import StoreError, describe_error
from .buzzdata import BuzzData
from .corrections import Corrections
from .notices import notices_for
from .outbox import OutboxRows
from .queries import Queries
from .rules import RuleRows
from .writes import Writes

BUSY_TIMEOUT_MS = 5_000
# How many migrations `schema.py` holds; stored as PRAGMA user_version once they are applied,
# so an up-to-date database opens without loading the migration machinery (a test checks it).
SCHEMA_VERSION = 13


def _connect(path: Path | str, readonly: bool) -> sqlite3.Connection:
    if str(path) == ":memory:":
        return sqlite3.connect(":memory:", check_same_thread=False)
    path = Path(path)
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)


class Store(Queries, Writes, RuleRows, OutboxRows, Corrections, BuzzData):
    """The local cache: every message, its scores and what the user did with it.

    One connection, shared by the UI thread under a lock; a background thread that reads a lot
    (the id index of a big folder) opens its own with `reader()` so the UI never waits for it.
    """

    def __init__(self, path: Path | str, *, readonly: bool = False, migrate: bool = True):
        self.path = path
        self.readonly = readonly
        self.lock = threading.RLock()
        self.notices = notices_for(path)  # source key -> notices, shared with this file's other Stores
        self._learners: dict = {}  # workspace id -> (corrections version, Learner)
        self.checkpointer: Checkpointer | None = None
        try:
            self.conn = _connect(path, readonly)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not readonly:
                # WAL: readers never block the writer; NORMAL sync is durable across a killed process.
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self.conn.execute("PRAGMA foreign_keys = ON")
                if str(path) != ":memory:":  # the log is copied into the file in the background
                    self.conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
                    self.checkpointer = Checkpointer(path)
                if migrate and self.conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    self._migrate()
            else:
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            raise StoreError(describe_error(path, error)) from None

    def _migrate(self) -> None:
        from sqlite_utils import Database

        from . import schema

        applied = schema.apply(Database(self.conn, execute_plugins=False))
        if applied != SCHEMA_VERSION:
            raise RuntimeError(f"SCHEMA_VERSION is {SCHEMA_VERSION} but schema.py has {applied} migrations")
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def reader(self) -> "Store":
        """A separate read-only connection for a background thread (not for `:memory:`)."""
        return Store(self.path, readonly=True, migrate=False)

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
        # Under the lock: a write still running in a worker thread finishes (or rolls back) first.
        with self.lock:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass

    def check_integrity(self) -> list[str]:
        """Problems `PRAGMA quick_check` finds; empty when the file is sound."""
        with self._reading():
            rows = self.conn.execute("PRAGMA quick_check").fetchall()
        return [r[0] for r in rows if r[0] != "ok"]

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
