"""The app quits when its terminal hangs up, instead of running on without one."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from appkit import SIZE, make_app, settle
from cminbox.terminal_watch import CHECK_SECONDS, HANGUP_EXIT_STATUS, TerminalWatch


@pytest.fixture
def pty():
    """(the terminal's side, the side its window holds): closing the second hangs up the first."""
    window, terminal = os.openpty()
    yield terminal, window
    for fd in (terminal, window):
        try:
            os.close(fd)
        except OSError:
            pass


def test_a_terminal_is_watched_and_gone_once_it_hangs_up(pty):
    terminal, window = pty
    watch = TerminalWatch(terminal)
    assert watch.watching and not watch.gone()
    os.close(window)
    assert watch.gone()


def test_a_pipe_or_nothing_is_not_watched():
    read, write = os.pipe()
    try:
        for watch in (TerminalWatch(read), TerminalWatch(None)):
            assert not watch.watching and not watch.gone()
    finally:
        os.close(read)
        os.close(write)


async def test_the_app_quits_when_its_terminal_hangs_up(fixed_inbox, pty):
    terminal, window = pty
    forced: list[int] = []
    app = make_app(fixed_inbox, terminal=TerminalWatch(terminal, force_exit=forced.append))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await asyncio.sleep(CHECK_SECONDS * 1.5)
        assert app.is_running  # the terminal is there: nothing happens
        os.close(window)
        for _ in range(30):
            await asyncio.sleep(CHECK_SECONDS / 5)
            if not app.is_running:
                break
        assert not app.is_running


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
async def test_the_app_quits_on_a_hang_up_signal(fixed_inbox, pty):
    terminal, _ = pty
    missed = []  # a safety net: without the app's handler, SIGHUP would end the test run
    previous = signal.signal(signal.SIGHUP, lambda *_: missed.append(True))
    try:
        app = make_app(fixed_inbox, terminal=TerminalWatch(terminal, force_exit=lambda status: None))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(40):
                await asyncio.sleep(0.05)
                if not app.is_running:
                    break
            assert not app.is_running
        assert not missed  # the app's handler took it
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_leaving_quits_the_app_and_forces_the_exit_only_if_the_app_is_still_there(pty):
    """Textual's shutdown can hang on a dead terminal: the process is then ended by force, once."""
    terminal, _ = pty
    quits: list[bool] = []
    forced: list[int] = []
    watch = TerminalWatch(terminal, force_exit=forced.append, grace=0.05)
    watch.leave(lambda: quits.append(True))
    watch.leave(lambda: quits.append(True))  # the check and SIGHUP may both call it
    assert quits == [True]
    for _ in range(100):
        if forced:
            break
        time.sleep(0.01)
    assert forced == [HANGUP_EXIT_STATUS]


def test_the_forced_exit_ends_a_process_whose_app_hangs():
    """For real, in a process of its own: the app's shutdown never returns, the process ends."""
    hanging = (
        "import os, time\n"
        "from cminbox.terminal_watch import TerminalWatch\n"
        "window, terminal = os.openpty()\n"
        "TerminalWatch(terminal, grace=0.2).leave(lambda: time.sleep(60))\n"
    )
    started = time.monotonic()
    ended = subprocess.run([sys.executable, "-c", hanging], timeout=30)
    assert ended.returncode == HANGUP_EXIT_STATUS
    assert time.monotonic() - started < 20  # the grace, not the app's minute


async def test_the_app_without_a_terminal_to_watch_keeps_running(fixed_inbox):
    app = make_app(fixed_inbox)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await asyncio.sleep(CHECK_SECONDS * 1.5)
        assert app.is_running
