"""Text in a fixed number of terminal cells, for the columns of the list and the triage column."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size


def fit(text: str, cells: int) -> str:
    """`text` in exactly `cells` cells: padded, or cut with an ellipsis that says there is more.
    Cut to cells, not characters: wide ones (emoji, CJK) take two."""
    if cell_len(text) <= cells:
        return set_cell_size(text, cells)
    return set_cell_size(text, cells - 1) + "…"
