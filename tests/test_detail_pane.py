"""How the detail pane lays out what it shows."""

from __future__ import annotations

from appkit import NOW, SIZE, fixed_store, make_app, settle
from cminbox.models import Incoming
from cminbox.widgets.detail import DetailPane


async def test_a_long_thread_entry_wraps_under_its_own_text(tmp_path):
    earlier = "word " * 28 + "END"  # wider than the pane (and shorter than a thread snippet)
    messages = [
        Incoming(native_id="a", network="x", kind="mention", text=earlier, created_at=NOW - 600,
                 author_name="Alice", thread_id="t1"),
        Incoming(native_id="b", network="x", kind="mention", text="and my reply", created_at=NOW - 60,
                 author_name="Bob", thread_id="t1", parent_id="a"),
    ]  # fmt: skip
    store = fixed_store(tmp_path / "thread.db", messages)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            pane = app.query_one(DetailPane)
            assert "and my reply" in pane.plain()
            lines = [strip.text for strip in pane._wrapped(pane.content_size.width)]
            first = next(n for n, line in enumerate(lines) if line.startswith("  ↩ Alice"))
            rest = lines[first + 1 : next(n for n, line in enumerate(lines) if "END" in line) + 1]
            assert rest, "the entry should wrap at this width"
            assert all(line.startswith("    word") or line.startswith("    END") for line in rest)
            # The message body below still starts at the left edge.
            assert any(line.startswith("and my reply") for line in lines)
    finally:
        store.close()
