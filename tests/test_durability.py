"""A killed process loses nothing it acknowledged: every committed batch and status change survives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from cminbox.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    from cminbox.models import Incoming
    from cminbox.store import Store
    store = Store(sys.argv[1])
    store.ensure_workspace("w", "W")
    store.register_source("s", "w", "test", "s")
    batch_no = 0
    while True:
        batch = [Incoming(native_id=f"{batch_no}-{i}", network="x", kind="mention",
                          text=f"message {i} of batch {batch_no}, toujours pas reçu", created_at=1.7e9 + batch_no)
                 for i in range(200)]
        ids = store.ingest("s", batch, cursor=str(batch_no)).new_ids
        store.set_status(ids[:10], "done")
        print(f"ACK {batch_no}", flush=True)
        batch_no += 1
    """
)


def test_kill_mid_write_loses_nothing_acknowledged(tmp_path: Path):
    db = tmp_path / "kill.db"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True, env=env)
    acked = -1
    try:
        for line in proc.stdout:
            acked = int(line.split()[1])
            if acked >= 15:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert acked >= 15
    store = Store(db)
    try:
        assert store.check_integrity() == []
        cursor = int(store.source_cursor("s"))
        assert cursor >= acked  # the cursor is at least as far as the last acknowledged batch
        for batch_no in range(acked + 1):
            stored = store.conn.execute(
                "SELECT count(*), sum(status = 'done') FROM messages WHERE native_id LIKE ?", (f"{batch_no}-%",)
            ).fetchone()
            assert stored == (200, 10)
        # messages and cursor were committed together: nothing past the cursor is half-written
        total = store.conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        assert total == 200 * (cursor + 1)
    finally:
        store.close()
