"""Quitting when the terminal goes away: a closed window, a dropped SSH connection, a killed tmux.

A terminal that hangs up sends SIGHUP to its session's leader only. Under `make run` that leader
is make, which then waits for cminbox: cminbox hears nothing, and Textual's input thread, reading
end-of-file over and over, kept half a core busy for good, with the database open. A hung-up
terminal stops being a terminal (`isatty` turns false), so the app looks once a second and
quits; SIGHUP, when it does come, quits at once.

Quitting the app's own way can hang once the terminal is gone: the SIGCONT that comes with a
hang-up makes Textual start a second output thread, which dies on its first write to the dead
terminal, and the shutdown then waits forever to queue its last write (seen with two
`cminbox --demo` in tmux sessions that were killed). So `leave` ends the process by force if the
app has not ended a few seconds later. Nothing is lost either way: every change and draft is
written when it is made, and SQLite's log is folded in at the next start.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable

CHECK_SECONDS = 1.0
EXIT_GRACE_SECONDS = 5.0  # the app's own shutdown takes well under a second
HANGUP = getattr(signal, "SIGHUP", None)  # the terminal's "I am gone" (not on Windows)
HANGUP_EXIT_STATUS = 129  # 128 + SIGHUP, as a shell reports a process a hang-up ended


class TerminalWatch:
    """Whether the terminal on `fd` has gone, and how to leave when it has. A descriptor that is
    not a terminal to begin with (a test, a pipe) is not watched."""

    def __init__(
        self,
        fd: int | None,
        *,
        force_exit: Callable[[int], object] = os._exit,
        grace: float = EXIT_GRACE_SECONDS,
    ) -> None:
        self.fd = fd if fd is not None and os.isatty(fd) else None
        self.force_exit = force_exit
        self.grace = grace
        self._leaving = False

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

    def leave(self, exit_app: Callable[[], object]) -> None:
        """Quit the app's own way, and by force after `grace` seconds if that hangs (once)."""
        if self._leaving:
            return
        self._leaving = True
        deadline = threading.Timer(self.grace, self.force_exit, args=(HANGUP_EXIT_STATUS,))
        deadline.daemon = True  # it never keeps a process that did end alive
        deadline.start()
        exit_app()
