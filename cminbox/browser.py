"""Opening a message's page for the user, only when asked, and only if a graphical browser exists.

On a bare server or over SSH, Python's `webbrowser` falls back to console browsers (lynx, w3m)
that would take over the very terminal cminbox is drawing in; there we hand the link to the
clipboard instead and say so.
"""

from __future__ import annotations

import os
import sys


def has_graphical_browser() -> bool:
    if os.environ.get("BROWSER"):
        return True  # the user chose one
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # macOS and Windows always have one


def open_url(url: str) -> bool:
    """Open `url` (already checked with `safe_url`) in a browser; False if none could."""
    if not has_graphical_browser():
        return False
    import webbrowser  # slow to import: only when the user asks

    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
