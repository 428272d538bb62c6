"""Garbage collection out of the user's way: the full collections run while the user pauses,
not in the middle of a key press.

Python collects reference cycles in three generations. The two young ones are small and
quick; a full pass over the running inbox took 20-50 ms in bench/bench_inbox.py's `j` presses
(the slowest presses were these passes), more than a frame. So while the app runs, Python
collects only the young generations by itself; the full collection runs once the user has
left the keys alone for a moment, and at least every minute (cycles must not pile up while
someone types or while sources fetch with nobody at the keys).

Batch work (scoring and storing a page of messages) pauses collection altogether
(`collection_paused`): it makes thousands of objects that refcounting frees, and no cycles, so
the collector's passes over them were pure cost (about a fifth of scoring's time).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

IDLE_SECONDS = 1.0  # no input for this long: the user is reading, not typing
MOST_SECONDS = 60.0  # collect at least this often, idle or not
# Python's automatic full collections are put off by raising their threshold beyond reach:
# `tick` does them instead.
_NEVER = 1 << 30


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic, collect: Callable[[], object] = gc.collect):
        self.clock = clock
        self.collect = collect
        self.last_input = self.last_collect = clock()
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Leave only the young generations to Python (until `stop`)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], _NEVER)

    def stop(self) -> None:
        """Give the thresholds back as they were (the app may run inside a longer process: tests)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        self.last_input = self.clock()

    def tick(self) -> bool:
        """Called every second or so. Collects everything once per pause in the user's input,
        and whenever the last collection is a minute old (long typing, or background work
        while nobody types). Returns whether it collected."""
        now = self.clock()
        pause_after_input = self.last_input > self.last_collect and now - self.last_input >= IDLE_SECONDS
        if not pause_after_input and now - self.last_collect < MOST_SECONDS:
            return False
        self.collect()
        self.last_collect = self.clock()
        return True


_pause_lock = threading.Lock()
_pauses = 0  # batches running now, in any thread
_was_enabled = False  # whether collection was on when the first of them started


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic collection while the block runs (nor while another thread's does): batches
    may overlap and nest, and collection resumes when the last ends, unless it was off before
    the first began."""
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
