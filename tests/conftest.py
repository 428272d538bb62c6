"""Tests never see the developer's own config or database: every path points at a temp dir."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from cminbox.models import Incoming

NOW = 1_764_000_000.0  # a fixed "now" (2025-11-24 16:00 UTC) so ages and countdowns are stable


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("CMINBOX_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CMINBOX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.fixture
def store(tmp_path):
    from cminbox.store import Store

    s = Store(tmp_path / "test.db")
    s.ensure_workspace("brand", "Brand & Co", 60)
    s.register_source("test", "brand", "test", "test source")
    yield s
    s.close()


@pytest.fixture
def time_zone(monkeypatch):
    """Sets this computer's time zone for the test (`time_zone("Europe/Paris")`), as TZ does, and
    puts it back after: times written without a zone are read, and shown, in it."""
    import time

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def in_paris(time_zone):
    """This computer in Paris's time zone (a French brand's shop, a French spreadsheet)."""
    time_zone("Europe/Paris")


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 for a network test (tests/fakeserver.py)."""
    from fakeserver import FakeServer

    with FakeServer() as s:
        yield s


_ids = itertools.count(1)


def make_message(**overrides) -> Incoming:
    n = next(_ids)
    values = dict(
        native_id=f"m{n}",
        network="x",
        kind="mention",
        text=f"hello number {n}",
        created_at=NOW - 60 * n,
        author_name=f"Author {n}",
        author_handle=f"@author{n}",
        author_reach=100,
        url=f"https://example.com/status/{n}",
    )
    values.update(overrides)
    return Incoming(**values)


def build_source(cls, key: str, workspace: str = "brand"):
    """A test's own Source subclass, built as the registry builds real ones (no network, no secret)."""
    from cminbox.config import SourceEntry

    return cls(SourceEntry(key=key, type="test", workspace=workspace, label=key), None, lambda name: "")


@pytest.fixture
def fixed_inbox(tmp_path):
    """The fixed demo store of the app tests (`appkit.fixed_store`), closed after the test."""
    from appkit import fixed_store

    s = fixed_store(tmp_path / "inbox.db")
    yield s
    s.close()


def database_before(path, migration: str) -> sqlite3.Connection:
    """A database file as the release before `migration` left it (its user_version included),
    open for the test to add rows; opening it with `Store` then migrates it."""
    from sqlite_utils import Database

    from cminbox.store import schema

    conn = sqlite3.connect(path)
    schema.migrations.apply(Database(conn, execute_plugins=False), stop_before=migration)
    conn.execute(f"PRAGMA user_version = {len(schema.migrations.applied(Database(conn)))}")
    return conn
