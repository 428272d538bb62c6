"""A source's health in words, the same in the sidebar and in `cminbox sources` / `cminbox sync`."""

from __future__ import annotations

import time
from datetime import datetime

from .store import SourceHealth
from .timefmt import age

# state -> (mark, what it means). Marks are plain characters: the sidebar colours them.
MARKS = {
    "ok": "✓",
    "live": "●",
    "idle": "·",
    "syncing": "↻",
    "backoff": "◷",
    "reauth": "⚠",
    "error": "✗",
    "off": "○",
}
FAILING = frozenset({"backoff", "reauth", "error"})


def _clock(when: float, now: float) -> str:
    """A wall-clock time: 14:05 today, "mon 09:30" within the week, a date beyond."""
    moment = datetime.fromtimestamp(when)
    if abs(when - now) < 20 * 3600:
        return moment.strftime("%H:%M")
    if abs(when - now) < 6 * 86400:
        return moment.strftime("%a %H:%M").lower()
    return moment.strftime("%Y-%m-%d %H:%M")


def phrase(source: SourceHealth, now: float | None = None, *, short: bool = False) -> str:
    """One phrase: "ok 3m ago", "live (streaming)", "backing off until 14:05", "needs re-auth"…

    `short` fits the sidebar's 22 columns ("backoff until 14:05").
    """
    now = time.time() if now is None else now
    state = source.state
    if state == "reauth":
        return "needs re-auth"
    if state == "backoff":
        verb = "backoff" if short else "backing off"
        return f"{verb} until {_clock(source.next_try, now)}" if source.next_try else verb
    if state == "syncing":
        return "syncing…"
    if state == "live":
        return "live" if short else "live (streaming)"
    if state == "error":
        return "error" + (f", retry {_clock(source.next_try, now)}" if source.next_try else "")
    if state == "off":
        return "off" if short else "off (not in the config)"
    if source.last_success:
        ago = age(now - source.last_success)
        done = "imported" if source.type == "import" else "ok"  # `cminbox import`: no sync runs it
        return f"{done} just now" if ago == "now" else f"{done} {ago} ago"
    return "never synced"


def unlabelled(text: str, label: str) -> str:
    """A source's error or notice without its own label, which sources put first ("reviews:
    cannot reach …"): wherever it is shown, the label is already next to it."""
    return text.removeprefix(f"{label}: ")


def error_detail(source: SourceHealth) -> str:
    """The source's last error, `unlabelled`."""
    return unlabelled(source.last_error or "", source.label)


def mark(source: SourceHealth) -> str:
    return MARKS.get(source.state, "?")


def unreadable_phrase(source: SourceHealth) -> str:
    """"1 item unreadable", "3 items unreadable": what a source set aside lately (see `Store.unreadable`)."""
    count = source.unreadable
    return f"{count} item{'' if count == 1 else 's'} unreadable"


def unreadable_why(source: SourceHealth) -> str:
    """The newest item's reason, short enough for the sidebar: "Hacker News hit: expected text, got
    dict" (the id and the error's class name are for `cminbox sources --unreadable`)."""
    reason = (source.unreadable_latest or "").partition(": ")[2]
    what, found, detail = reason.partition(" not readable (")
    if not found:
        return reason
    return f"{what}: {detail.removesuffix(')').partition(': ')[2] or detail.removesuffix(')')}"
