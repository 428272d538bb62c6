"""Source notices: what a source says about itself that is not a failure ("mentions not read:
the X free tier does not include it").

They follow from the config, so the engine records them each time it builds its sources; they
live in memory, not in a column. Every `Store` this process opens on the same database file
shares one table of them: the app reads through one connection while its engine writes through
another. An in-memory database is private to its `Store`, and so are its notices.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..textsafe import clean_line

# A notice is a line or two under its source in the sidebar: keep it short.
NOTICE_CHARS = 300

_lock = threading.Lock()
_by_database: dict[str, dict[str, tuple[str, ...]]] = {}


def notices_for(path: Path | str) -> dict[str, tuple[str, ...]]:
    """The table (source key -> notices) shared by every Store of this process on `path`."""
    if str(path) == ":memory:":
        return {}
    with _lock:
        return _by_database.setdefault(str(Path(path).resolve()), {})


def cleaned(notices: object) -> tuple[str, ...]:
    """Notices as stored: one clean line each, short, no empty ones (a source's text is data)."""
    if isinstance(notices, str):
        notices = (notices,)
    lines = (clean_line(str(n))[:NOTICE_CHARS] for n in notices or ())
    return tuple(n for n in lines if n)
