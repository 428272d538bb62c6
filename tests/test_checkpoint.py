"""The write-ahead log is copied into the database file by a background thread (checkpoint.py)."""

from __future__ import annotations

import shutil
import sqlite3
import time

from cminbox.store import Store
from cminbox.store.checkpoint import Checkpointer
from conftest import make_message


def eventually(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def rows_in_the_file_alone(store: Store, tmp_path) -> int:
    """Messages in the database file itself, without its write-ahead log."""
    copy = tmp_path / "file-only.db"
    shutil.copyfile(store.path, copy)
    try:
        with sqlite3.connect(copy) as conn:
            return conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        copy.unlink()


def test_a_stored_batch_reaches_the_database_file_without_the_writer_copying_it(store, tmp_path):
    store.ingest("test", [make_message() for _ in range(300)])
    # The writer's own checkpoint only comes at the backstop, far above these few hundred pages:
    # the rows get into the file because the background thread copied them.
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] >= 5_000
    assert eventually(lambda: rows_in_the_file_alone(store, tmp_path) == 300)
    # (`runs` counts a checkpoint once it has returned: the rows can be seen a moment before)
    assert eventually(lambda: store.checkpointer.runs >= 1) and store.checkpointer.last_error is None


def test_closing_the_store_stops_the_thread(tmp_path):
    store = Store(tmp_path / "t.db")
    store.ensure_workspace("brand", "Brand", 60)
    assert store.checkpointer.running
    store.close()
    assert not store.checkpointer.running


def test_many_commits_make_few_checkpoints(tmp_path):
    with Store(tmp_path / "t.db") as store:
        store.ensure_workspace("brand", "Brand", 60)
        store.register_source("test", "brand", "test", "test source")
        checkpointer = Checkpointer(store.path, delay=2.0)
        started = time.monotonic()
        for _ in range(20):  # a commit every 10 ms
            checkpointer.nudge()
            time.sleep(0.01)
        if time.monotonic() - started < 1.5:  # (a machine too busy to nudge in time proves nothing)
            assert checkpointer.runs == 0  # it waits for the writes to settle
        assert eventually(lambda: checkpointer.runs >= 1)
        time.sleep(0.5)
        assert checkpointer.runs == 1  # one for all of them
        checkpointer.close()


def test_an_idle_thread_ends_and_the_next_write_starts_it_again(tmp_path):
    with Store(tmp_path / "t.db") as store:
        checkpointer = Checkpointer(store.path, delay=0.01, idle_exit=0.05)
        checkpointer.nudge()
        assert eventually(lambda: checkpointer.runs == 1 and not checkpointer.running)
        checkpointer.nudge()
        assert eventually(lambda: checkpointer.runs == 2)
        checkpointer.close()
        assert not checkpointer.running


def test_a_failing_checkpoint_is_reported_and_nothing_is_created_or_raised(tmp_path):
    missing = tmp_path / "removed.db"  # (its folder is there: only `mode=rw` keeps SQLite from creating it)
    checkpointer = Checkpointer(missing, delay=0.01)
    checkpointer.nudge()
    assert eventually(lambda: checkpointer.last_error is not None)
    assert "unable to open" in checkpointer.last_error
    assert checkpointer.runs == 0 and not missing.exists()
    checkpointer.close()


def test_writes_go_on_while_the_checkpoint_thread_fails(store, tmp_path):
    store.checkpointer.close()
    store.checkpointer = Checkpointer(tmp_path / "elsewhere.db", delay=0.01)  # never opens
    result = store.ingest("test", [make_message() for _ in range(20)])
    assert len(result.new_ids) == 20
    assert eventually(lambda: store.checkpointer.last_error is not None)
    store.ingest("test", [make_message() for _ in range(5)])
    assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 25


def test_read_only_and_in_memory_stores_have_no_checkpoint_thread(store):
    reader = store.reader()
    assert reader.checkpointer is None
    reader.close()
    memory = Store(":memory:")
    assert memory.checkpointer is None
    memory.close()


def test_two_stores_on_one_file_checkpoint_side_by_side(store, tmp_path):
    """The inbox and its sync worker each have a Store on the same file: their checkpoint
    threads may meet, and neither reports the other as a failure."""
    second = Store(store.path)
    try:
        for _ in range(10):
            store.ingest("test", [make_message() for _ in range(30)])
            second.ingest("test", [make_message() for _ in range(30)])
        assert eventually(lambda: rows_in_the_file_alone(store, tmp_path) == 600)
        assert store.checkpointer.last_error is None and second.checkpointer.last_error is None
    finally:
        second.close()


def test_only_a_write_that_changed_something_asks_for_a_checkpoint(tmp_path):
    """An inbox opening runs transactions that usually change nothing (recovering interrupted
    replies): they start no thread, and no disk sync competes with the first paint."""
    with Store(tmp_path / "t.db") as store:
        store.recover_interrupted(time.time())
        assert not store.checkpointer.running
        store.ensure_workspace("brand", "Brand", 60)
        assert store.checkpointer.running
