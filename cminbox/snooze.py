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
    """The usual snooze choices, in local time and in time order, none earlier than now."""
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
    # In time order: at 15:36, "this evening" (18:00) comes before "in 3 hours" (18:36).
    return sorted(choices, key=lambda choice: choice.until)


# The dialog's answer for "wake it now" (a snoozed message back in the inbox at once).
WAKE_NOW = 0.0

_DURATION = re.compile(
    r"^(in\s+|dans\s+)?(\d+(?:[.,]\d+)?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|heures?|d|j|days?|jours?)$"
)
# "in 1h30", "dans 2h15": hours and minutes from now (a bare "9h30" is a time of day).
_HOURS_MINUTES = re.compile(r"^(?:in|dans)\s+(\d+)\s*h\s*(\d{1,2})(?:\s*(?:m|min))?$")
# A bare "2h" is a duration; "17h" is five in the afternoon (nobody snoozes for 17 hours, and a
# French CM writes times that way): from this hour on, a bare "Nh" up to 23 is a time of day.
_FIRST_CLOCK_HOUR = 13
_TIME = re.compile(r"^(?:(?:at|à|a|vers)\s*)?(\d{1,2})(?:\s*(?::|h)\s*(\d{2})?)?$")
_TIME_WORDS = {
    "morning": MORNING_HOUR, "matin": MORNING_HOUR, "le matin": MORNING_HOUR,
    "noon": 12, "midi": 12, "à midi": 12,
    "afternoon": 14, "aprem": 14, "après-midi": 14, "apres-midi": 14, "l'après-midi": 14,
    "evening": EVENING_HOUR, "soir": EVENING_HOUR, "le soir": EVENING_HOUR, "tonight": EVENING_HOUR,
}
_TODAY_WORDS = {"this evening": EVENING_HOUR, "ce soir": EVENING_HOUR, "tonight": EVENING_HOUR,
                "this afternoon": 14, "cet après-midi": 14, "cet aprem": 14, "à midi": 12, "midi": 12}
_WEEKDAYS = {
    "monday": 0, "lundi": 0, "tuesday": 1, "mardi": 1, "wednesday": 2, "mercredi": 2, "thursday": 3,
    "jeudi": 3, "friday": 4, "vendredi": 4, "saturday": 5, "samedi": 5, "sunday": 6, "dimanche": 6,
}
_DAY = re.compile(
    r"^(?:(tomorrow|demain)|(?:next\s+)?(" + "|".join(_WEEKDAYS) + r")(?:\s+prochain)?)(?:\s+(.*))?$"
)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "j": 86400}
_HELP = "try 45m, 2h, 3d, 17h, 17:30, ce soir, demain 9h or lundi"


class SnoozeError(ValueError):
    pass


def parse(text: str, now: datetime) -> datetime:
    """A typed snooze time, in English or French: a duration ("45m", "2h", "1.5 h", "3d", "dans
    1h30"), a time of day ("17:30", "17h", "9h30", "à 9h": today, or tomorrow once past), a day
    ("demain", "lundi", "next friday": at 9:00) with a time or a part of the day ("demain 14h",
    "lundi matin", "tomorrow evening"), or "ce soir" / "this evening"."""
    cleaned = " ".join(text.strip().lower().replace("’", "'").split())
    if not cleaned:
        raise SnoozeError("type a duration (45m, 2h, 3d) or a time (17h, 17:30, demain 9h)")
    if (seconds := _duration_seconds(cleaned)) is not None:
        if seconds <= 0:
            raise SnoozeError("the duration must be more than zero")
        if seconds > 366 * 86400:
            raise SnoozeError("that is more than a year away")
        return now + timedelta(seconds=seconds)
    if match := _DAY.match(cleaned):
        tomorrow, weekday, rest = match.groups()
        if tomorrow:
            day = now + timedelta(days=1)
        else:
            ahead = (_WEEKDAYS[weekday] - now.weekday()) % 7 or 7  # "lundi" on a Monday: the next one
            day = now + timedelta(days=ahead)
        hour, minute = _time_of_day(rest, text) if rest else (MORNING_HOUR, 0)
        return day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if cleaned in _TODAY_WORDS:
        hour, minute = _TODAY_WORDS[cleaned], 0
    else:
        hour, minute = _time_of_day(cleaned, text)
    when = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if when <= now:  # a time already past today: tomorrow
        when += timedelta(days=1)
    return when


def _duration_seconds(cleaned: str) -> float | None:
    if match := _HOURS_MINUTES.match(cleaned):
        return int(match.group(1)) * 3600 + int(match.group(2)) * 60
    match = _DURATION.match(cleaned)
    if match is None:
        return None
    prefix, amount, unit = match.group(1), float(match.group(2).replace(",", ".")), match.group(3)
    if unit == "h" and not prefix and amount.is_integer() and _FIRST_CLOCK_HOUR <= amount <= 23:
        return None  # "17h": a time of day
    return amount * _UNIT_SECONDS[unit[0]]


def _time_of_day(words: str, typed: str) -> tuple[int, int]:
    if words in _TIME_WORDS:
        return _TIME_WORDS[words], 0
    match = _TIME.match(words)
    if match is None:
        raise SnoozeError(f"cannot read {typed.strip()!r}: {_HELP}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise SnoozeError(f"{typed.strip()!r} is not a time of day")
    return hour, minute
