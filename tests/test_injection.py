"""Hostile and broken messages: shown as plain text or rejected with a reason; nothing else is lost."""

from __future__ import annotations

import pytest

from appkit import NOW, SIZE, fixed_store, make_app
from cminbox.models import Incoming
from cminbox.widgets.detail import DetailPane

HOSTILE = {
    "markup": "[bold red]x[/] and [link=https://evil.example]click me[/link]",
    "click": "[@click=app.quit]press here[/]",
    "clear": "before \x1b[2J\x1b[H after",
    "osc52": "copy \x1b]52;c;ZXZpbCBjb21tYW5k\x07 done",
    "bidi": "invoice \u202efdp.exe",
    "zwj": "family 👨\u200d👩\u200d👧 and zero\u200bwidth",
    "empty": "",
}


def hostile_messages() -> list[Incoming]:
    out = [
        Incoming(
            native_id=f"h-{key}",
            network="x",
            kind="mention",
            text=text,
            created_at=NOW - 60 - i,
            author_name="[red]Mallory[/red] \x1b[31m",
            author_handle="@[b]mallory[/b]",
            url="https://example.com/[x]",
        )
        for i, (key, text) in enumerate(HOSTILE.items())
    ]
    out.append(Incoming(native_id="h-long", network="x", kind="dm", text="long " * 4000, created_at=NOW - 30))
    return out


@pytest.fixture
def store(tmp_path):
    s = fixed_store(tmp_path / "hostile.db", hostile_messages())
    yield s
    s.close()


def screen_text(app) -> str:
    return app.export_screenshot()


async def open_each(pilot, app):
    """Walk the list so every hostile message has been drawn in the list and in the detail pane."""
    seen = []
    for _ in range(len(app.message_list.ids)):
        await pilot.pause(0.08)
        await pilot.app.workers.wait_for_complete()
        seen.append(app.query_one(DetailPane).plain())
        await pilot.press("j")
    return seen


async def test_markup_in_messages_is_shown_literally(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        details = await open_each(pilot, app)
        joined = "\n".join(details)
        assert "[bold red]x[/]" in joined
        assert "[@click=app.quit]press here[/]" in joined
        assert "[red]Mallory[/red]" in joined
        assert app.is_running


async def test_clicking_a_fake_click_action_does_nothing(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ml = app.message_list
        ml.select_index(ml.index_of(store.conn.execute("SELECT id FROM messages WHERE native_id='h-click'").fetchone()[0]))
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        for y in range(0, 8):
            await pilot.click(DetailPane, offset=(10, y))
            await pilot.click(DetailPane, offset=(4, y))
        await pilot.pause()
        assert app.is_running


async def test_no_escape_sequence_reaches_the_screen(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(len(app.message_list.ids)):
            await pilot.press("j")
            await pilot.pause(0.06)
            await app.workers.wait_for_complete()
            svg = screen_text(app)
            assert "\x1b" not in svg and "\x07" not in svg
            assert "\u202e" not in svg and "\u200d" not in svg


async def test_stored_text_has_no_control_characters(store):
    texts = [r[0] for r in store.conn.execute("SELECT text || author_name || coalesce(url, '') FROM messages")]
    for text in texts:
        assert "\x1b" not in text and "\x07" not in text


def test_long_and_empty_texts_are_kept(store):
    lengths = dict(store.conn.execute("SELECT native_id, length(text) FROM messages"))
    assert lengths["h-long"] == len("long " * 4000)
    assert lengths["h-empty"] == 0


def test_invalid_timestamps_are_rejected_and_the_batch_kept(store):
    batch = [
        Incoming(native_id="ok", network="x", kind="dm", text="fine", created_at=NOW),
        Incoming(native_id="bad1", network="x", kind="dm", text="x", created_at="2024-13-45"),
        Incoming(native_id="bad2", network="x", kind="dm", text="x", created_at=None),
        Incoming(native_id="bad3", network="x", kind="dm", text="x", created_at=float("inf")),
    ]
    result = store.ingest("demo", batch)
    assert len(result.new_ids) == 1
    assert sorted(nid for nid, _ in result.rejected) == ["bad1", "bad2", "bad3"]
    assert all("timestamp" in reason for _, reason in result.rejected)


async def test_a_database_failure_while_drawing_is_shown_not_fatal(store, monkeypatch):
    from cminbox.store import StoreError

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ml = app.message_list

        def broken(ids):
            raise StoreError("the database x is damaged (file is not a database)")

        monkeypatch.setattr(ml.store, "list_rows", broken)
        ml.invalidate(list(ml.ids))
        await pilot.pause()
        assert "cannot read this message" in ml.render_line(0).text


def title_of(screen) -> str:
    """A modal's title as the user reads it (the property hands it back as escaped markup)."""
    from textual.containers import Vertical
    from textual.content import Content

    return Content.from_markup(str(screen.query_one(Vertical).border_title)).plain


async def test_a_hostile_name_stays_plain_text_in_the_picker_composer_and_reply(store):
    from cminbox.config import Config
    from cminbox.outbox import Senders
    from cminbox.sources.demo import DemoSource

    senders = Senders()
    senders.register("demo", DemoSource())
    app = make_app(store, config=Config(agent="[b]agent[/b]"), senders=senders)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.action_jump_to(store.conn.execute("SELECT id FROM messages WHERE native_id='h-markup'").fetchone()[0])
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        await app.workers.wait_for_complete()
        picker = app.screen
        assert "[red]Mallory[/red]" in title_of(picker)
        await pilot.press("ctrl+l", *"deldel", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press(*"BC1234", "enter")  # no order number in the message: asked
        await pilot.pause()
        composer = app.screen
        assert "[red]Mallory[/red]" in title_of(composer)
        # The name went in as text (controls removed), the markup untouched.
        assert composer.text.startswith("Hi @[b]mallory[/b],") and composer.text.endswith("— [b]agent[/b]")
        svg = screen_text(app)
        assert "\x1b" not in svg and "\x07" not in svg
        assert app.is_running


async def test_the_pane_shows_the_start_of_a_huge_text_and_says_what_it_leaves_out(tmp_path):
    # 100,000 characters in 33,000 short lines took over a second to wrap on each show.
    text = "ok\n" * 33_000 + "the end"
    s = fixed_store(tmp_path / "huge.db", [Incoming(native_id="huge", network="x", kind="dm", text=text, created_at=NOW - 30)])
    try:
        app = make_app(s)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = app.query_one(DetailPane).plain()
            assert shown.count("\nok") == 500  # the first 500 lines of the body
            assert f"{len(text) - 1499:,} more characters not shown here · c copies the whole text" in shown
            assert "the end" not in shown
        assert s.conn.execute("SELECT length(text) FROM messages").fetchone()[0] == len(text)  # all kept
    finally:
        s.close()
