"""How the detail pane lays out what it shows."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])  # a terminal's default size; the triage column shown
async def test_an_empty_database_says_how_to_start_in_lines_that_fit_a_default_terminal(tmp_path, monkeypatch, size):
    from cminbox.store import Store

    monkeypatch.setenv("CMINBOX_CONFIG_DIR", "/home/camille/.config/cminbox")  # only named, never read
    store = Store(tmp_path / "empty.db")
    try:
        app = make_app(store)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            pane = app.query_one(DetailPane)
            lines = [strip.text.rstrip() for strip in pane._wrapped(pane.content_size.width)]
            assert "Welcome to cminbox: no workspace and no messages yet." in lines
            demo = lines.index("  cminbox --demo")
            assert lines[demo + 1].startswith("      opens the live demo")
            add = lines.index("  cminbox sources add TYPE --workspace NAME")
            assert lines[add + 2].startswith("      rss, hackernews")
            imported = lines.index("  cminbox import FILE --workspace NAME")
            assert lines[imported + 1] == "      brings in past messages from a CSV or JSONL export"
            config = lines.index("  config file: your brands and sources, to edit by hand")
            assert lines[config + 1] == "      /home/camille/.config/cminbox/config.toml"
            # Every line under a command is indented under it: none wrapped back to the edge.
            for line in lines[demo : lines.index("", config)]:
                assert line.startswith(("  cminbox", "  config file", "      ")), line
            assert all(len(line) <= pane.content_size.width for line in lines)
            assert pane.content_size.height >= len(lines)  # all of it shows, nothing to scroll
            title = str(app.message_list.border_title)
            assert title.startswith("Inbox · no workspace yet") and len(title) + 4 <= app.message_list.size.width  # whole
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


async def test_on_a_busy_post_the_message_comes_before_the_rest_of_its_thread(tmp_path):
    # Twenty comments under one post: the one under the cursor is read first, under the comment it
    # answers; the others follow it.
    siblings = [
        Incoming(native_id=f"c{n}", network="instagram", kind="comment", text=f"commentaire numéro {n}" + " bla" * 30 * (n == 19),
                 created_at=NOW - 3600 + n * 60, author_name=f"Fan {n}", thread_id="post")
        for n in range(20)
    ]  # fmt: skip
    mine = Incoming(native_id="me", network="instagram", kind="comment", text="toujours pas reçu ma commande",
                    created_at=NOW - 30, author_name="Julie", thread_id="post", parent_id="c3")
    store = fixed_store(tmp_path / "busy.db", [*siblings, mine])
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            text = app.query_one(DetailPane).plain()
            body = text.index("toujours pas reçu ma commande")
            assert text.index("↩ Fan 3") < body  # the comment it answers, above it
            assert "19 earlier in this thread shown below the message" in text[:body]
            assert body < text.index("Earlier in this thread") < text.index("Fan 19 ·")
            assert text.count("Fan 3 ·") == 1
            pane = app.query_one(DetailPane)
            shown = [strip.text for strip in pane._wrapped(pane.content_size.width)][: pane.content_size.height]
            assert any("toujours pas reçu ma commande" in line for line in shown)  # in view without scrolling
            lines = [strip.text for strip in pane._wrapped(pane.content_size.width)]
            last = next(n for n, line in enumerate(lines) if line.startswith("  ┆ Fan 19"))
            assert lines[last + 1].startswith("    bla")  # an entry below wraps under its own text too
    finally:
        store.close()


async def test_one_follower_is_said_in_the_singular(tmp_path):
    store = fixed_store(tmp_path / "one.db", [
        Incoming(native_id="a", network="x", kind="mention", text="Toujours pas reçu ma commande", created_at=NOW - 60,
                 author_name="Alice", author_reach=1),
    ])  # fmt: skip
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            body = app.query_one(DetailPane).plain()
            assert "· 1 follower ·" in body and "1 followers" not in body
    finally:
        store.close()


async def test_opening_a_message_marks_it_read_in_the_detail_pane_too(tmp_path):
    store = fixed_store(tmp_path / "read.db", [
        Incoming(native_id="a", network="x", kind="mention", text="Bonjour, une question", created_at=NOW - 60,
                 author_name="Alice"),
    ])  # fmt: skip
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            pane = app.query_one(DetailPane)
            assert "unread]" in pane.plain()
            await pilot.press("enter")
            await settle(pilot)
            assert not store.message(app.message_list.current_id).unread
            assert "unread" not in pane.plain()
    finally:
        store.close()


async def test_the_detail_pane_ages_with_the_clock(tmp_path):
    store = fixed_store(tmp_path / "age.db", [
        Incoming(native_id="a", network="x", kind="mention", text="Bonjour", created_at=NOW - 180, author_name="Alice"),
    ])  # fmt: skip
    now = [NOW]
    try:
        app = make_app(store, clock=lambda: now[0])
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            pane = app.query_one(DetailPane)
            assert "3 min ago" in pane.plain()
            now[0] += 120
            app.refresh_clocks()
            await settle(pilot)
            assert "5 min ago" in pane.plain()
    finally:
        store.close()


async def test_a_deadline_weeks_ago_names_its_date(tmp_path):
    import time

    store = fixed_store(tmp_path / "old.db", [
        Incoming(native_id="a", network="x", kind="dm", text="Toujours pas reçu ma commande, remboursez-moi",
                 created_at=NOW - 22 * 86400, author_name="Alice"),
    ])  # fmt: skip
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            body = app.query_one(DetailPane).plain()
        due = time.localtime(NOW - 22 * 86400 + 3600)
        assert f"answer was due {time.strftime('%a', due)} {due.tm_mday} {time.strftime('%b %H:%M', due)} · " in body
    finally:
        store.close()


async def test_an_emoji_with_a_presentation_selector_keeps_the_pane_border_in_place(tmp_path):
    # "❤️" is ❤ + U+FE0F: terminals disagree on whether the selector widens it to two cells,
    # and a one-cell disagreement pushed the pane's right border out of line. The list already
    # drops the selector; the detail pane does too.
    messages = [Incoming(native_id="a", network="instagram", kind="comment", text="Trop bon 🥐❤️ merci ❤️❤️",
                         created_at=NOW - 60, author_name="Inès ❤️")]
    store = fixed_store(tmp_path / "heart.db", messages)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            pane = app.query_one(DetailPane)
            text = pane.plain()
            assert "Trop bon 🥐❤ merci ❤❤" in text and "\ufe0f" not in text
    finally:
        store.close()


def test_the_head_start_is_the_sum_of_its_parts_as_shown():
    # "ranked as if it came 40 min earlier: negative −0.98 (+29), 113 followers (+10)" added
    # up to 39 for the reader: parts of 29.4 and 10.4 minutes.
    from cminbox.widgets.detail import head_start

    line = head_start([("negative −0.98", 29.4), ("113 followers", 10.4)])
    assert line == "ranked as if it came 39 min earlier: negative −0.98 (+29), 113 followers (+10)"
