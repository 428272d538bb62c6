"""Styled rows kept across scrolls, for the message list.

Textual styles every line of a widget (border, padding, background, colour filters) each time it
repaints it, and a scroll repaints every line: a `j` that scrolls the list restyled its 24 rows,
about 2 ms of the key's 5–6. Yet a scroll by one row shows 23 rows already styled one line
higher or lower. This cache keeps each content row's styled line by the row's own strip (which
the list already caches by message and state), so a scroll styles only the row that comes into
view; the border lines (the position in the bottom one changes) are styled as before.

It relies on `StylesCache.render_line`, which is Textual's own (textual is pinned in
pyproject.toml; the layout snapshots would show any change).
"""

from __future__ import annotations

from textual._styles_cache import StylesCache
from textual.strip import Strip

# Styled rows kept: a few screens' worth (a row's strip is dropped from the list's own cache
# well before this many differ).
_KEPT = 400


class RowStylesCache(StylesCache):
    def __init__(self) -> None:
        super().__init__()
        # (id of the row's strip, what else styles it) -> (that strip, its styled line). The
        # strip is kept in the value so that its id cannot be reused while the entry lives.
        self._styled: dict[tuple, tuple[Strip, Strip]] = {}

    def forget_rows(self) -> None:
        """The widget's styles changed (theme, focus, CSS): style every row afresh."""
        self._styled.clear()

    def render_line(self, styles, y, size, content_size, padding, base_background, background,
                    render_content_line, border_title, border_subtitle, opacity, ansi_theme, native_ansi) -> Strip:
        top = styles.gutter.top
        row = y - top
        if not (top <= y < size.height - styles.gutter.bottom and row < content_size.height):
            return super().render_line(styles, y, size, content_size, padding, base_background, background,
                                       render_content_line, border_title, border_subtitle, opacity, ansi_theme,
                                       native_ansi)  # fmt: skip
        content = render_content_line(row)
        key = (id(content), size, content_size, base_background, background, opacity)
        kept = self._styled.get(key)
        if kept is not None and kept[0] is content:
            return kept[1]
        styled = super().render_line(styles, y, size, content_size, padding, base_background, background,
                                     lambda _row: content, border_title, border_subtitle, opacity, ansi_theme,
                                     native_ansi)  # fmt: skip
        if len(self._styled) >= _KEPT:
            self._styled.clear()
        self._styled[key] = (content, styled)
        return styled
