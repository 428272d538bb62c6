"""Short human times for narrow columns: ages ("3m", "2h", "4d") and countdowns ("12m", "−41m")."""

from __future__ import annotations

MINUTE = 60
HOUR = 3_600
DAY = 86_400


def age(seconds: float) -> str:
    """How long ago, in at most four cells: now, 45s, 12m, 3h, 6d, 9w, 2y."""
    seconds = max(0.0, seconds)
    if seconds < 45:
        return "now"
    if seconds < HOUR:
        return f"{max(1, round(seconds / MINUTE))}m"
    if seconds < DAY:
        return f"{int(seconds // HOUR)}h"
    if seconds < 7 * DAY:
        return f"{int(seconds // DAY)}d"
    if seconds < 365 * DAY:
        return f"{int(seconds // (7 * DAY))}w"
    return f"{int(seconds // (365 * DAY))}y"


def countdown(seconds_left: float) -> str:
    """Time left before a deadline, negative once missed: 12m, 1h05, −41m, −3h. Time left is
    rounded down, lateness up (`late_by`)."""
    sign = "−" if seconds_left < 0 else ""
    left = late_by(-seconds_left) if seconds_left < 0 else seconds_left
    if left < HOUR:
        return f"{sign}{int(left // MINUTE)}m"
    if left < DAY:
        hours, rest = divmod(int(left), HOUR)
        return f"{sign}{hours}h{rest // MINUTE:02d}"
    return f"{sign}{int(left // DAY)}d"


def late_by(seconds_late: float) -> float:
    """Lateness in whole minutes, rounded up: a deadline missed by seconds is a minute late
    (not "−0m"), and no figure makes a CM look earlier than they are. The triage column's
    countdown and the detail pane's "… late" both read it, so they agree."""
    return max(1, -(-seconds_late // MINUTE)) * MINUTE


def long_age(seconds: float) -> str:
    """How long ago, in words, for the detail pane: "just now", "41 min", "3 h 20 min", "2 days"."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return "just now"
    if seconds < HOUR:
        return f"{int(seconds // MINUTE)} min"
    if seconds < DAY:
        hours, rest = divmod(int(seconds), HOUR)
        minutes = rest // MINUTE
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    days = int(seconds // DAY)
    return f"{days} day{'s' if days > 1 else ''}"


def clock_time(epoch: float, now: float) -> str:
    """A local wall-clock time for a deadline: "17:42", "Tue 17:42" when not the day of `now`,
    and "Fri 4 Dec 09:00" six days or more away, where a weekday alone could be this week's."""
    import time as _time

    when = _time.localtime(epoch)
    today = _time.localtime(now)
    if (when.tm_year, when.tm_yday) == (today.tm_year, today.tm_yday):
        return _time.strftime("%H:%M", when)
    if abs(epoch - now) >= 6 * 86400:
        return f"{_time.strftime('%a', when)} {when.tm_mday} {_time.strftime('%b %H:%M', when)}"
    return _time.strftime("%a %H:%M", when)


def long_in(seconds: float) -> str:
    """ "in under a minute", "in 41 min", "in 2 days": a deadline ahead, in words."""
    return "in under a minute" if seconds < 60 else f"in {long_age(seconds)}"


def long_ago(seconds: float) -> str:
    """ "just now", "41 min ago", "2 days ago"."""
    words = long_age(seconds)
    return words if words == "just now" else f"{words} ago"
