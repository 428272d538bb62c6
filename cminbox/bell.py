"""The terminal bell: what rings it (the config's `bell` setting) and how often.

A CM keeps cminbox open all day, often in a tab or a tmux window they are not looking at; the
bell (BEL) is what a terminal turns into a sound, a flag on the tab or window, or an urgent hint.
It rings for a bad buzz alert ("buzz", the default), or for that and every complaint that
arrives in the workspace on screen ("complaints"; at most once a minute, since a bad buzz
brings dozens), or never ("off"). A complaint marked by hand, or found open at start, is no
arrival and does not ring; nor does a buzz already on when the app opened (its banner says it).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .store.queries import ListRow

BELL_SETTINGS: Final = ("off", "buzz", "complaints")
COMPLAINT_BELL_SECONDS: Final = 60.0


class Bell:
    def __init__(self, setting: str, ring: Callable[[], None], clock: Callable[[], float] = time.monotonic) -> None:
        self.setting = setting
        self._ring = ring
        self._clock = clock
        self._newest_seen: int | None = None  # the inbox's newest message id at the last look
        self._rang_at = -math.inf

    def buzz(self) -> None:
        """A bad buzz alert fired."""
        if self.setting != "off":
            self._rang_at = self._clock()
            self._ring()

    def triage(self, rows: Iterable[ListRow], newest_id: int) -> None:
        """The triage column was brought up to date: `rows` are its complaints, `newest_id` the
        inbox's newest message id. A complaint newer than the last look's newest message came in
        since (ids only grow; a complaint marked by hand keeps its old id)."""
        seen, self._newest_seen = self._newest_seen, newest_id
        if self.setting != "complaints" or seen is None:
            return
        if any(row.id > seen for row in rows) and self._clock() - self._rang_at >= COMPLAINT_BELL_SECONDS:
            self._rang_at = self._clock()
            self._ring()
