"""The message list: a Line-API scroll view over a compact array of ids.

It never holds a folder's rows: it holds the ids (8 bytes each) in display order and the
creation times (to place late arrivals), and fetches the rows near the viewport by id, a
block at a time. Moving the cursor repaints two lines. New arrivals keep the cursor on its
message and, when the user has scrolled, keep the viewport still and count them in a marker.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Iterable

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..models import NETWORKS
from ..store import ListRow, Store, StoreError
from ..textsafe import one_line
from ..timefmt import age, clock_time
from ..triage.labels import NEGATIVE, POSITIVE
from .cells import fit
from .row_styles import RowStylesCache

# Rows fetched around the viewport when a line is missing from the cache (screens of lines).
_FETCH_SCREENS = 2
_ROW_CACHE_MAX = 4_000

_NETWORK_W = 5
_KIND_W = 8
_AUTHOR_W = 18
_AGE_W = 4

# Our reply to a message, in the cell after the author: (mark, component class).
_REPLY_MARKS = {
    "sent": ("↩", "message-list--positive"),
    "draft": ("✎", "message-list--star"),
    "queued": ("…", "message-list--dim"),
    "sending": ("…", "message-list--dim"),
    "failed": ("✗", "message-list--complaint"),
    "unknown": ("?", "message-list--star"),
}


def window_cell(reply_by: float | None, now: float) -> str | None:
    """What the kind cell of a windowed DM says: "dm ⧗21h", "dm ⧗45m", or "dm shut" once closed."""
    if reply_by is None:
        return None
    left = reply_by - now
    if left <= 0:
        return "dm shut"
    return "dm ⧗" + (f"{int(left // 3600)}h" if left >= 3600 else f"{max(1, int(left // 60))}m")


def _insert_position(created: array, ids: array, when: float, message_id: int) -> int:
    """Where a row goes in a list ordered by (created_at, id) descending: binary search."""
    lo, hi = 0, len(created)
    while lo < hi:
        mid = (lo + hi) // 2
        if (created[mid], ids[mid]) > (when, message_id):
            lo = mid + 1
        else:
            hi = mid
    return lo


class MessageList(ScrollView, can_focus=True):
    """The middle column: one line per message, newest first."""

    # Priority, like the app's r, R, s and m: a priority binding acts the moment its key reaches
    # the app, before the keys queued for the focused widget. "jjr" typed in one burst (a fast
    # typist, a paste, one SSH packet) otherwise opened the reply on the first row, the j's still
    # waiting in this list's queue. (Only while the list has the focus: in a field they type.)
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="list.down", show=False, priority=True),
        Binding("k,up", "cursor_up", "Up", id="list.up", show=False, priority=True),
        Binding("g,home", "first", "First", id="list.first", show=False, priority=True),
        Binding("G,end", "last", "Last", id="list.last", show=False, priority=True),
        Binding("pagedown,space", "page_down", "Page down", id="list.page_down", show=False, priority=True),
        Binding("pageup", "page_up", "Page up", id="list.page_up", show=False, priority=True),
        Binding("enter", "open", "Open", id="list.open", priority=True),
    ]

    COMPONENT_CLASSES = {
        "message-list--cursor",
        "message-list--cursor-blurred",
        "message-list--selected",
        "message-list--unread",
        "message-list--dim",
        "message-list--complaint",
        "message-list--negative",
        "message-list--positive",
        "message-list--star",
        "message-list--network",
        "message-list--window",
    }

    DEFAULT_CSS = """
    MessageList {
        overflow-x: hidden;
        scrollbar-size-vertical: 0;
        & > .message-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
        & > .message-list--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .message-list--selected { background: $primary 30%; }
        & > .message-list--unread { text-style: bold; }
        & > .message-list--dim { color: $text-muted; }
        & > .message-list--complaint { color: $error; text-style: bold; }
        & > .message-list--negative { color: $error; }
        & > .message-list--positive { color: $success; }
        & > .message-list--star { color: $warning; }
        & > .message-list--network { color: $accent; }
        & > .message-list--window { color: $warning; }
    }
    """

    class Highlighted(Message):
        """The cursor moved to another message (None: the list is empty)."""

        def __init__(self, message_id: int | None) -> None:
            self.message_id = message_id
            super().__init__()

    class Opened(Message):
        def __init__(self, message_id: int) -> None:
            self.message_id = message_id
            super().__init__()

    class ShowHeld(Message):
        """`g` while arrivals are held (crisis mode): the app brings them into the list."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.clock = clock
        self.ids = array("q")
        self.created = array("d")
        self.total = 0
        self.cursor = 0
        self.selected: set[int] = set()
        self.new_above = 0
        self.held = 0  # arrivals held out of the list (crisis mode), shown in the marker
        self._rows: dict[int, ListRow] = {}
        self._strips: LRUCache[tuple, Strip] = LRUCache(1_000)
        self._palette: dict[str, Style] = {}
        self.read_error: str | None = None
        self._last_highlight: int | None = -1
        # Since the last `load`: what arrived and what left, re-applied when `complete` swaps arrays.
        self._arrived: list[tuple[int, float]] = []
        self._removed: set[int] = set()
        self._styles_cache = RowStylesCache()  # a scroll restyles only the row it brings into view

    # -- contents ---------------------------------------------------------------------------

    def load(self, ids: array, created: array, *, total: int | None = None, keep_id: int | None = None) -> None:
        """Show a new list (a folder, or search results); the cursor stays on `keep_id` if present.

        `total` above `len(ids)` says more rows are coming (see `complete`).
        """
        self.ids, self.created = ids, created
        self.total = max(len(ids), total or 0)
        self.selected.clear()
        self.new_above = 0
        self.held = 0
        self._arrived = []
        self._removed = set()
        self._rows.clear()
        self._strips.clear()
        cursor = 0
        if keep_id is not None:
            cursor = self.index_of(keep_id)
            if cursor is None:
                cursor = min(self.cursor, max(0, len(ids) - 1))
        self._resize()
        self._set_cursor(cursor, force=True)
        # Once the new size is laid out: until then a scroll is held to the old list's length
        # (a search's few rows), and a cursor deep in the folder stayed out of sight.
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def complete(self, ids: array, created: array) -> None:
        """The full id array arrived after a first page: swap it in without moving anything.

        What arrived or left since the first page was shown is applied again on top.
        """
        current = self.current_id
        self.ids, self.created = ids, created
        self.total = len(ids)
        for message_id in self._removed:
            self._delete(message_id)
        for message_id, when in sorted(self._arrived, key=lambda p: (p[1], p[0])):
            position = _insert_position(self.created, self.ids, when, message_id)
            self.ids.insert(position, message_id)
            self.created.insert(position, when)
        self.total = len(self.ids)
        if current is not None and (index := self.index_of(current)) is not None:
            self.cursor = index
        self._resize()
        self.call_after_refresh(self._scroll_to_cursor)  # its row may have moved out of sight
        self.refresh()

    def add_arrivals(self, ids: Iterable[int], created: Iterable[float]) -> None:
        """New messages in this list, placed by date; the cursor stays on its message.

        At the top of the list they slide in, as long as the cursor stays on screen. Anywhere
        else the rows on screen stay where they are and the arrivals are counted in a marker.
        """
        was_empty = len(self.ids) == 0
        top = round(self.scroll_y)
        first_visible = top  # index of the row at the top of the viewport, as rows go in above it
        arrivals = sorted(zip(ids, created), key=lambda p: (p[1], p[0]))
        for message_id, when in arrivals:
            position = _insert_position(self.created, self.ids, when, message_id)
            self.ids.insert(position, message_id)
            self.created.insert(position, when)
            if position <= self.cursor and not was_empty:
                self.cursor += 1
            if position <= first_visible and not was_empty:
                first_visible += 1
        self._arrived.extend(arrivals)
        self.total = max(self.total + len(arrivals), len(self.ids))
        self._strips.clear()
        self._resize()
        hidden = first_visible - top
        slide_in = top == 0 and self.cursor < max(1, self.scrollable_content_region.height)
        if hidden and not slide_in:
            self.new_above += hidden
            self.scroll_to(y=first_visible, animate=False, immediate=True)
        self.update_subtitle()
        self.refresh()
        if was_empty and len(self.ids):
            self._set_cursor(0, force=True)

    def remove_ids(self, gone: Iterable[int]) -> None:
        """Messages that left this list (done, snoozed…): the cursor moves to the next one."""
        gone = set(gone)
        current = self.current_id
        cursor = self.cursor
        removed = 0
        for message_id in gone:
            index = self._delete(message_id)
            if index is not None:
                removed += 1
                if index < cursor:
                    cursor -= 1
        if not removed:
            return
        self._removed |= gone
        self.total = max(len(self.ids), self.total - removed)
        self.selected -= gone
        for message_id in gone:
            self._rows.pop(message_id, None)
        self._strips.clear()
        if current in gone:
            cursor = min(cursor, len(self.ids) - 1)
        self._resize()
        self._set_cursor(max(0, cursor), force=True)
        self.refresh()

    def _delete(self, message_id: int) -> int | None:
        """Remove one id from the arrays; its former index, or None if absent."""
        index = self.cursor if self.current_id == message_id else self.index_of(message_id)
        if index is not None:
            del self.ids[index]
            del self.created[index]
        return index

    def update_subtitle(self) -> None:
        """The bottom border: selection, held arrivals, and where the view is in the list.

        The list draws no scrollbar (repainting one costs a few ms on every scrolled key press):
        the position is said here instead.
        """
        notes = []
        if self.selected:
            notes.append(f"{len(self.selected)} selected · esc clears")
        if self.new_above or self.held:
            notes.append(f"▲ {self.new_above + self.held} new · g to see them")
        height = self.scrollable_content_region.height
        if self.total > height > 0:
            top = round(self.scroll_y)
            notes.append(f"{top + 1:,}–{min(self.total, top + height):,} of {self.total:,}")
        subtitle = Content(" · ".join(notes))
        if subtitle != self.border_subtitle:
            self.border_subtitle = subtitle

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.update_subtitle()

    def invalidate(self, ids: Iterable[int]) -> None:
        """Rows whose state changed: refetched on next paint."""
        for message_id in ids:
            self._rows.pop(message_id, None)
        self._strips.clear()
        self.refresh()

    def index_of(self, message_id: int) -> int | None:
        try:
            return self.ids.index(message_id)
        except ValueError:
            return None

    @property
    def current_id(self) -> int | None:
        if 0 <= self.cursor < len(self.ids):
            return self.ids[self.cursor]
        return None

    def targets(self) -> list[int]:
        """What an action applies to: the selection, or else the message under the cursor."""
        if self.selected:
            return sorted(self.selected)
        current = self.current_id
        return [] if current is None else [current]

    def toggle_selected(self) -> None:
        current = self.current_id
        if current is None:
            return
        self.selected.symmetric_difference_update({current})
        self.refresh_line(self.cursor)
        self.update_subtitle()

    def clear_selection(self) -> None:
        self.selected.clear()
        self._strips.clear()
        self.update_subtitle()
        self.refresh()

    # -- cursor -----------------------------------------------------------------------------

    def select_index(self, index: int) -> None:
        self._set_cursor(index)

    def _set_cursor(self, index: int, *, force: bool = False) -> None:
        count = len(self.ids)
        index = max(0, min(index, count - 1)) if count else 0
        old = self.cursor
        self.cursor = index
        if old != index:
            self.refresh_line(old)
        self.refresh_line(index)
        self._scroll_to_cursor()
        current = self.current_id
        if force or current != self._last_highlight:
            self._last_highlight = current
            self.post_message(self.Highlighted(current))

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        if self.new_above and (round(self.scroll_y) == 0 or self.cursor < self.new_above):
            self.new_above = 0
            self.update_subtitle()

    def action_cursor_down(self) -> None:
        self._set_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._set_cursor(self.cursor - 1)

    def hold(self, count: int) -> None:
        """Arrivals kept out of the list for now: counted in the marker until `g`."""
        self.held = count
        self.update_subtitle()

    def action_first(self) -> None:
        if self.held:
            self.post_message(self.ShowHeld())
            return
        self._set_cursor(0)

    def action_last(self) -> None:
        self._set_cursor(len(self.ids) - 1)

    def action_page_down(self) -> None:
        self._set_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._set_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_open(self) -> None:
        current = self.current_id
        if current is not None:
            self.post_message(self.Opened(current))

    def _on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self._set_cursor(round(self.scroll_y) + offset.y)
            if event.chain == 2:
                self.action_open()

    # -- painting ---------------------------------------------------------------------------

    def _resize(self) -> None:
        self.virtual_size = Size(1, self.total)
        self.update_subtitle()

    def on_resize(self) -> None:
        # The view moves only if the cursor's row left it (the list made shorter by the
        # bad-buzz banner, say): the row acted on stays in sight.
        self._strips.clear()
        self._resize()
        self.call_after_refresh(self._scroll_to_cursor)

    def _on_focus(self, event) -> None:
        self._strips.clear()
        self.refresh()

    def _on_blur(self, event) -> None:
        self._strips.clear()
        self.refresh()

    def _row(self, index: int) -> ListRow | None:
        message_id = self.ids[index]
        row = self._rows.get(message_id)
        if row is None:
            height = max(1, self.scrollable_content_region.height)
            start = max(0, index - height)
            stop = min(len(self.ids), index + height * _FETCH_SCREENS)
            wanted = [i for i in self.ids[start:stop] if i not in self._rows]
            if len(self._rows) + len(wanted) > _ROW_CACHE_MAX:
                self._rows.clear()
            try:
                self._rows.update(self.store.list_rows(wanted))
            except StoreError as error:
                # Drawing must not take the app down: say it on the line, retry on next paint.
                self.read_error = str(error)
                return None
            self.read_error = None
            row = self._rows.get(message_id)
        return row

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self._base_style
        if index >= len(self.ids):
            if index < self.total:
                return Strip([Segment(set_cell_size("  …", width), base + self._style("message-list--dim"))])
            return Strip.blank(width, base)
        row = self._row(index)
        if row is None:
            if self.read_error:
                text = set_cell_size(f"  ⚠ cannot read this message: {self.read_error}", width)
                return Strip([Segment(text, base + self._style("message-list--complaint"))])
            return Strip.blank(width, base)
        now = self.clock()
        is_cursor = index == self.cursor
        selected = row.id in self.selected
        age_text = age(now - row.created_at)
        window_text = window_cell(row.reply_by, now)
        wakes = clock_time(row.snooze_until, now) if row.snooze_until is not None else None
        key = (row.id, width, is_cursor, selected, age_text, window_text, wakes, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, width, is_cursor, selected, age_text, window_text, wakes)
            self._strips[key] = strip
        return strip

    def _style(self, name: str) -> Style:
        # Partial: only what the component sets, so it layers over the cursor's background.
        style = self._palette.get(name)
        if style is None:
            style = self._palette[name] = self.get_component_rich_style(name, partial=True)
        return style

    @property
    def _base_style(self) -> Style:
        # Computing `rich_style` walks the DOM; it only changes with the theme or CSS.
        base = self._palette.get("")
        if base is None:
            base = self._palette[""] = self.rich_style
        return base

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._palette.clear()
        self._strips.clear()
        self._styles_cache.forget_rows()

    def _render_row(self, row: ListRow, width: int, is_cursor: bool, selected: bool, age_text: str,
                    window_text: str | None = None, wakes: str | None = None) -> Strip:
        style = self._style
        base = self._base_style
        if is_cursor:
            base = base + style("message-list--cursor" if self.has_focus else "message-list--cursor-blurred")
        elif selected:
            base = base + style("message-list--selected")
        emphasis = base + style("message-list--unread") if row.unread else base
        dim = base + style("message-list--dim")
        if row.spam:  # spam and abuse: there, but out of the way
            emphasis = dim
        if row.spam:
            mood = Segment("×", dim)
        elif row.sentiment <= NEGATIVE:
            mood = Segment("●", base + style("message-list--negative"))
        elif row.sentiment >= POSITIVE:
            mood = Segment("●", base + style("message-list--positive"))
        else:
            mood = Segment("·", dim)
        author = fit(one_line(row.author_name or row.author_handle, _AUTHOR_W + 4) or "?", _AUTHOR_W - 2)
        reply_mark, reply_style = _REPLY_MARKS.get(row.reply_state or "", (" ", ""))
        snippet_width = max(0, width - (2 + 1 + _NETWORK_W + _KIND_W + _AUTHOR_W + 2 + _AGE_W + 1))
        if window_text is not None:
            # A DM with a messaging window: the time left to answer it, in its kind cell.
            closing = window_text == "dm shut" or (window_text[-1] == "m" and "h" not in window_text)
            kind = Segment(set_cell_size(window_text, _KIND_W),
                           base + style("message-list--complaint" if closing else "message-list--window"))
        else:
            kind = Segment(set_cell_size(row.kind, _KIND_W), dim)
        snippet = one_line(row.snippet, snippet_width + 2)
        wordless = not snippet  # a reaction, a story mention… : said, as the detail pane says it
        if wordless:
            snippet = "(no text)"
        if row.hidden:
            snippet = "⊘ hidden · " + snippet
        if wakes is not None:  # the Snoozed folder says when each one comes back
            snippet = f"◷ until {wakes} · " + snippet
        segments = [
            Segment("✓" if selected else " ", base + style("message-list--star")),
            Segment("!" if row.complaint else " ", base + style("message-list--complaint")),
            Segment("★" if row.starred else " ", base + style("message-list--star")),
            Segment(set_cell_size(NETWORKS.get(row.network, row.network), _NETWORK_W), base + style("message-list--network")),
            kind,
            Segment(set_cell_size(author, _AUTHOR_W - 2), emphasis),
            Segment(" ", base),  # the marks after the name never touch it
            Segment(reply_mark, base + style(reply_style) if reply_style else base),
            mood,
            Segment(" ", base),
            Segment(set_cell_size(snippet, snippet_width), dim if row.hidden or wordless else emphasis),
            Segment(age_text.rjust(_AGE_W), dim),
            Segment(" ", base),
        ]
        return Strip(segments).adjust_cell_length(width, base)
