"""Quitting when the terminal goes away: a closed window, a dropped SSH connection, a killed tmux.

A terminal that hangs up sends SIGHUP to its session's leader only. Under `make run` that leader
is make, which then waits for cminbox: cminbox hears nothing, and Textual's input thread, reading
end-of-file over and over, kept half a core busy for good, with the database open. A hung-up
terminal stops being a terminal (`isatty` turns false), so the app looks once a second and
quits (every change and draft is already written); SIGHUP, when it does come, quits at once.
"""

from __future__ import annotations

import os
import signal
import sys

CHECK_SECONDS = 1.0
HANGUP = getattr(signal, "SIGHUP", None)  # the terminal's "I am gone" (not on Windows)


class TerminalWatch:
    """Whether the terminal on `fd` has gone. A descriptor that is not a terminal to begin with
    (a test, a pipe) is not watched."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd if fd is not None and os.isatty(fd) else None

    @classmethod
    def of_stdin(cls) -> TerminalWatch:
        """The terminal Textual reads keys from."""
        try:
            return cls(sys.__stdin__.fileno()) if sys.__stdin__ is not None else cls(None)
        except (OSError, ValueError):  # closed or replaced by an object without a descriptor
            return cls(None)

    @property
    def watching(self) -> bool:
        return self.fd is not None

    def gone(self) -> bool:
        return self.fd is not None and not os.isatty(self.fd)
