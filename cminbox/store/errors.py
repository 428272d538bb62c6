"""Database failures in words a user can act on."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .checkpoint import Checkpointer


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def describe_error(path: Path | str, error: sqlite3.Error) -> str:
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"the database {path} is locked by another program (is cminbox already syncing?): {text}"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"the database {path} is damaged or is not a cminbox database ({text}); "
            "move it aside and cminbox will start a new one"
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"cannot write the database {path} ({text}): check the folder's permissions"
    if "disk" in text and "full" in text:
        return f"the disk holding {path} is full ({text}): free some space; nothing was lost"
    return f"database error on {path}: {text}"

@contextmanager
def reported(path: Path | str):
    """Turn any SQLite failure inside the block into a `StoreError` that says what to do."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(describe_error(path, error)) from error


class Guarded:
    """What the read and write halves of the store share: one connection, one lock, clear errors."""

    conn: sqlite3.Connection
    lock: object
    path: Path | str
    notices: dict[str, tuple[str, ...]]  # source key -> notices (notices.py)
    checkpointer: Checkpointer | None  # copies the write-ahead log into the file (checkpoint.py)

    @contextmanager
    def _reading(self):
        with self.lock, reported(self.path):
            yield self.conn

    @contextmanager
    def _transaction(self):
        """One committed transaction (or nothing, if the block fails)."""
        with self.lock, reported(self.path), self.conn:
            changes = self.conn.total_changes
            yield self.conn
            changed = self.conn.total_changes != changes
        if changed and self.checkpointer is not None:
            self.checkpointer.nudge()
