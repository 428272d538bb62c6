"""When a snoozed item comes back: the usual choices, and what a user may type ("2h", "17:30", "demain 9h")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

MORNING_HOUR = 9
EVENING_HOUR = 18


@dataclass(frozen=True, slots=True)
class SnoozeChoice:
    label: str
    until: datetime


def presets(now: datetime) -> list[SnoozeChoice]:
    """The usual snooze choices, in local time, latest first never earlier than now."""
    choices = [
        SnoozeChoice("in 1 hour", now + timedelta(hours=1)),
        SnoozeChoice("in 3 hours", now + timedelta(hours=3)),
    ]
    evening = now.replace(hour=EVENING_HOUR, minute=0, second=0, microsecond=0)
    if evening > now + timedelta(minutes=30):
        choices.append(SnoozeChoice("this evening", evening))
    tomorrow = (now + timedelta(days=1)).replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    choices.append(SnoozeChoice("tomorrow morning", tomorrow))
    days_to_monday = (7 - now.weekday()) % 7 or 7
    monday = (now + timedelta(days=days_to_monday)).replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    choices.append(SnoozeChoice("next Monday", monday))
    return choices


_DURATION = re.compile(r"^(?:in\s+|dans\s+)?(\d+(?:[.,]\d+)?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|heures?|d|j|days?|jours?)$")
# A bare "2h" is a duration; a time of day is "17:30", "9h30", "à 9h", "at 9", "demain 14h".
_CLOCK = re.compile(r"^(?:(tomorrow|demain)\s*)?(?:(?:at|à|a)\s*)?(\d{1,2})(?:[:h](\d{2})?)?$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "j": 86400}


class SnoozeError(ValueError):
    pass


def parse(text: str, now: datetime) -> datetime:
    """A typed snooze time: "45m", "2h", "1.5 h", "3d", "17:30", "à 9h", "tomorrow 9:00", "demain 14h"."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise SnoozeError("type a duration (45m, 2h, 3d) or a time (17:30, tomorrow 9h)")
    if cleaned in ("tomorrow", "demain"):
        return (now + timedelta(days=1)).replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    if match := _DURATION.match(cleaned):
        amount = float(match.group(1).replace(",", "."))
        seconds = amount * _UNIT_SECONDS[match.group(2)[0]]
        if seconds <= 0:
            raise SnoozeError("the duration must be more than zero")
        if seconds > 366 * 86400:
            raise SnoozeError("that is more than a year away")
        return now + timedelta(seconds=seconds)
    if match := _CLOCK.match(cleaned):
        hour, minute = int(match.group(2)), int(match.group(3) or 0)
        if hour > 23 or minute > 59:
            raise SnoozeError(f"{text.strip()!r} is not a time of day")
        when = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if match.group(1) or when <= now:
            when += timedelta(days=1)
        return when
    raise SnoozeError(f"cannot read {text.strip()!r}: try 45m, 2h, 3d, 17:30 or tomorrow 9h")
