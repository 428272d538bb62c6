"""The triage column builds only the rows it has room for, most urgent first."""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len
from textual.app import App, ComposeResult

from cminbox.store import ListRow
from cminbox.widgets.triage import TriageColumn

NOW = 1_790_000_000.0


def _row(n: int) -> ListRow:
    return ListRow(
        id=n, network="x", kind="mention", author_name=f"Client {n:02d}", author_handle=f"@c{n}",
        snippet=f"toujours pas reçu la commande {n}", sentiment=-0.6, complaint=True, starred=False,
        unread=True, status="open", created_at=NOW - 60 * n, urgency=NOW - 60 * n, cues="",
    )  # fmt: skip


class _Column(App):
    CSS = "TriageColumn { height: 15; }"

    def compose(self) -> ComposeResult:
        yield TriageColumn(clock=lambda: NOW, id="triage")


async def test_only_the_rows_that_fit_are_built():
    app = _Column()
    async with app.run_test(size=(60, 20)) as pilot:
        column = app.query_one(TriageColumn)
        column.show([_row(n) for n in range(40)], 40, 60)
        await pilot.pause()
        height = column.size.height  # 13: the border takes two of the 15 lines
        lines = column.render().plain.splitlines()
        assert len(lines) <= height + 1
        shown = [n for n in range(40) if f"Client {n:02d}" in column.render().plain]
        assert shown == list(range(len(shown))) and len(shown) == (height - 3 + 1) // 2
        assert lines[0].startswith("40 open complaints")  # the count is of all of them


async def test_a_snippet_of_wide_characters_keeps_to_one_line_of_the_column():
    # Emoji take two cells: cut by characters, a snippet ran over the column's width and wrapped
    # onto the next row's line.
    app = _Column()
    async with app.run_test(size=(60, 20)) as pilot:
        column = app.query_one(TriageColumn)
        column.show([replace(_row(1), snippet="😡" * 200), _row(2)], 2, 60)
        await pilot.pause()
        drawn = [column.render_line(y).text for y in range(column.size.height)]
        cut = drawn[4].strip()
        assert cut.startswith("😡" * ((column.content_size.width - 4) // 2)) and cut.endswith("…")
        assert cell_len(drawn[4]) == column.content_size.width
        assert "x Client 02" in drawn[5]


async def test_a_long_count_keeps_the_heading_to_one_line():
    # "70 open complaints · 40+ late" is 29 characters: in the column's 28 it wrapped, a row less.
    app = _Column()
    async with app.run_test(size=(30, 20)) as pilot:
        column = app.query_one(TriageColumn)
        column.show([_row(n) for n in range(61, 101)], 70, 60)  # all 40 late (over 60 min old)
        await pilot.pause()
        drawn = [column.render_line(y).text.rstrip() for y in range(3)]
        assert drawn[0] == "70 complaints · 40+ late" and drawn[1].startswith("target 60 min")


async def test_a_name_or_snippet_cut_to_the_column_ends_in_an_ellipsis():
    # "closed 30 mi" read as the whole text; an ellipsis says there is more. Text that fits is
    # drawn whole, without one.
    app = _Column()
    async with app.run_test(size=(30, 20)) as pilot:
        column = app.query_one(TriageColumn)
        long = replace(_row(1), author_name="Marie-Ève Tremblay-Lachance", snippet="the shop closed 30 minutes early again")
        column.show([long, replace(_row(2), snippet="court")], 2, 60)
        await pilot.pause()
        width = column.content_size.width
        drawn = [column.render_line(y).text.rstrip() for y in range(column.size.height)]
        name, snippet = drawn[3], drawn[4]
        assert name.startswith("● x Marie-Ève Tremblay") and name.endswith("… 59m")  # the countdown stays
        assert snippet.startswith("  the shop closed") and snippet.endswith("…") and len(snippet) == width
        assert drawn[5].startswith("● x Client 02") and drawn[6] == "  court"
