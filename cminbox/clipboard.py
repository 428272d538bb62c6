"""Copying text for the user: the system clipboard when there is one, else the terminal (OSC 52).

Over SSH or on a bare server pyperclip finds no clipboard; the terminal escape OSC 52 then
asks the user's own terminal to take the text. The caller says which one worked.
"""

from __future__ import annotations

from collections.abc import Callable

SYSTEM = "system clipboard"
TERMINAL = "terminal clipboard (OSC 52)"


def copy_text(text: str, terminal_copy: Callable[[str], None] | None = None) -> str:
    """Copy `text`; returns where it went. Raises RuntimeError if nothing could take it."""
    import pyperclip  # here, not at start: it loads ctypes, and only copying needs it

    try:
        pyperclip.copy(text)
        return SYSTEM
    except Exception as error:  # pyperclip raises its own and OS errors, depending on the platform
        if terminal_copy is None:
            raise RuntimeError(f"no clipboard available ({error})") from None
    terminal_copy(text)
    return TERMINAL


def copied(where: str, what: str) -> str:
    """What to tell the user once `copy_text` answered `where`. Through OSC 52 nothing comes back
    to say the terminal took the text (many do not by default; tmux needs `set-clipboard on`)."""
    if where == TERMINAL:
        return (f"Sent {what} to the terminal's clipboard (OSC 52): if pasting gives nothing, your terminal "
                "ignores OSC 52 (in tmux: set -g set-clipboard on)")
    return f"Copied {what} to the {where}"
