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


async def test_an_empty_database_says_how_to_start_in_lines_that_fit_a_default_terminal(tmp_path, monkeypatch):
    from cminbox.store import Store

    monkeypatch.setenv("CMINBOX_CONFIG_DIR", "/home/camille/.config/cminbox")  # only named, never read
    store = Store(tmp_path / "empty.db")
    try:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:  # a terminal's default size
            await settle(pilot)
            pane = app.query_one(DetailPane)
            lines = [strip.text.rstrip() for strip in pane._wrapped(pane.content_size.width)]
            assert "Welcome to cminbox." in lines
            demo = lines.index("  cminbox --demo")
            assert lines[demo + 1].startswith("      opens the live demo")
            config = lines.index("  config file")
            assert lines[config + 1] == "      add your brands and sources to it (see the README):"
            assert lines[config + 2] == "      /home/camille/.config/cminbox/config.toml"
            assert all(len(line) <= pane.content_size.width for line in lines)
            assert pane.content_size.height >= len(lines)  # all of it shows, nothing to scroll
    finally:
        store.close()


async def test_a_message_without_words_says_so_in_the_list_too(tmp_path):
    messages = [
        Incoming(native_id="a", network="instagram", kind="dm", text="", created_at=NOW - 60, author_name="Inès"),
        Incoming(native_id="b", network="instagram", kind="dm", text="Bonjour", created_at=NOW - 120, author_name="Tom"),
    ]
    store = fixed_store(tmp_path / "wordless.db", messages)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            lines = [app.message_list.render_line(n).text for n in range(2)]
            assert "Inès" in lines[0] and "(no text)" in lines[0]
            assert "Tom" in lines[1] and "(no text)" not in lines[1]
            assert "(no text)" in app.query_one(DetailPane).plain()
    finally:
        store.close()
