"""The message list keeps its styled rows across scrolls (cminbox/widgets/row_styles.py)."""

from __future__ import annotations

from textual._styles_cache import StylesCache
from textual.geometry import Region

from appkit import SIZE, fixed_store, make_app
from cminbox.widgets.message_list import MessageList


def _lines(widget: MessageList) -> list[list]:
    """What the list paints, segment by segment (text and style)."""
    region = Region(0, 0, widget.size.width + 2, widget.size.height + 2)  # with the border
    return [list(strip) for strip in widget.render_lines(region)]


def _fresh_lines(widget: MessageList) -> list[list]:
    """The same, styled from scratch."""
    widget._styles_cache.forget_rows()
    widget._styles_cache.clear()
    return _lines(widget)


async def _to_the_last_visible_row(pilot, widget: MessageList) -> None:
    height = widget.scrollable_content_region.height
    for _ in range(height - 1 - widget.cursor):
        await pilot.press("j")
    await pilot.pause()
    assert round(widget.scroll_y) == 0 and widget.cursor == height - 1


async def test_a_scroll_by_one_row_styles_only_the_rows_that_changed(tmp_path, monkeypatch):
    app = make_app(fixed_store(tmp_path / "rows.db"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(MessageList)
        assert widget.total > widget.scrollable_content_region.height  # the list can scroll
        await _to_the_last_visible_row(pilot, widget)

        styled_rows: list[int] = []
        original = StylesCache.render_line

        def counting(cache, styles, y, size, *rest):
            if cache is widget._styles_cache and 0 < y < size.height - 1:
                styled_rows.append(y)
            return original(cache, styles, y, size, *rest)

        monkeypatch.setattr(StylesCache, "render_line", counting)
        await pilot.press("j")  # scrolls the list by one row
        await pilot.pause()
        await pilot.pause()

        assert round(widget.scroll_y) == 1
        # The row brought into view (the cursor's) and the row the cursor left: not the other 22.
        # (Distinct rows: should the message be marked read meanwhile, its row is styled again.)
        assert 1 <= len(set(styled_rows)) <= 2, styled_rows


async def test_rows_kept_across_scrolls_paint_as_rows_styled_afresh(tmp_path):
    app = make_app(fixed_store(tmp_path / "rows.db"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(MessageList)
        await _to_the_last_visible_row(pilot, widget)
        for keys in (["j"] * 5, ["k"] * 30, ["G"], ["g"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert _lines(widget) == _fresh_lines(widget)

        # The cursor's colours change when the list loses focus: no row keeps the old ones.
        focused = _lines(widget)
        widget.blur()
        await pilot.pause()
        blurred = _lines(widget)
        assert blurred != focused
        assert blurred == _fresh_lines(widget)
