"""When a snoozed item comes back: the usual choices, and what a user may type ("2h", "17:30", "demain 9h")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from .timefmt import long_age, long_in

MORNING_HOUR = 9
AFTERNOON_HOUR = 14
END_OF_DAY_HOUR = 17  # "fin de journée", "EOD": the end of the working day
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
    choices.append(SnoozeChoice("next Monday", _next_monday(now)))
    # In time order: at 15:36, "this evening" (18:00) comes before "in 3 hours" (18:36).
    return sorted(choices, key=lambda choice: choice.until)


# The dialog's answer for "wake it now" (a snoozed message back in the inbox at once).
WAKE_NOW = 0.0

# What a user may type, as a small grammar over the typed text once lowercased, with its accents
# dropped ("apres-midi", "a 9h" read as "après-midi", "à 9h") and its spaces collapsed:
#   duration  := [in|dans] AMOUNT UNIT | [in|dans] H "h" MM [min]     "45m", "2 semaines", "dans 1h30"
#   next week := next week | [la] semaine prochaine                   its Monday morning
#   when      := [DAY] [PART] [CLOCK], at least one of them           "demain matin", "ce soir 20h", "5pm"
#   DAY       := today | tomorrow | après-demain | [next|this|ce] WEEKDAY [prochain]
#              | [this|ce|le] weekend|week-end                         its first morning still ahead
#   PART      := [TODAY|DURING|AT] [EDGE] morning|matin|am|avant-midi|midi|après-midi|pm|soir|journée…
#              | eod                                                     "en fin de journée", "EOD"
#   EDGE      := (début|fin) de|d' | early|late | end of [the]           "fin de matinée": 11:00
#   TODAY     := this|ce|cet|cette|à (Québec: "à soir" is "ce soir")      today's, refused once past
#   DURING    := dans la|dans l'|en|in the|during the     today's, refused once begun; tomorrow's once over
#   AT        := le|l'|at [the]|à [la]|vers|around|by|en                   the next one: today or tomorrow
#   CLOCK     := [at|à|vers] H[(:|h)MM] [am|pm]
_UNIT_SECONDS = {
    **dict.fromkeys(("m", "mn", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "heure", "heures"), 3600),
    **dict.fromkeys(("d", "j", "day", "days", "jour", "jours"), 86400),
    **dict.fromkeys(("w", "wk", "week", "weeks", "sem", "semaine", "semaines"), 7 * 86400),
}
_ONE = ("a", "an", "one", "un", "une")  # "in an hour", "dans une semaine"


def _either(words) -> str:
    """A regex alternation, longest words first ("minutes" before "m")."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# A number in words is a word apart: "an hour", "une semaine"; "am" is a morning, not "a m".
_DURATION = re.compile(rf"^(?:(in|dans)\s+)?(\d+(?:[.,]\d+)?\s*|(?:{_either(_ONE)})\s+)({_either(_UNIT_SECONDS)})$")
# "in 1h30", "dans 2h15", "1h30min": hours and minutes from now (a bare "1h30": see below).
_HOURS_MINUTES = re.compile(r"^(?:(in|dans)\s+)?(\d+)\s*h\s*(\d{1,2})\s*(m|mn|min|minutes)?$")
# A bare "1h30" or "9h" (no "dans", no "à") is a time of day or a duration. What a CM means:
#  - from 13h on, a time of day: "17h" is five o'clock (nobody snoozes for 17 hours, and a French
#    CM writes times that way);
#  - a time still ahead today is that time ("9h" at 8:00, "1h30" at 00:15): the CM reads the clock;
#  - once past, it is a duration when tomorrow at that time falls in the night (before 7:00),
#    when no CM plans to be back: "2h" is two hours, "1h30" an hour and a half; otherwise it is
#    tomorrow morning, a working time: "9h" or "9h30" typed at 14:30 is not a 9-hour snooze
#    ending at 23:30.
# The dialog shows which was understood before enter, and how to type the other.
_BARE_HOURS = re.compile(r"^(\d{1,2})\s*(?:h|heures?)\s*(\d{2})?$")
_FIRST_CLOCK_HOUR = 13
_NIGHT_ENDS = 7
_NEXT_WEEK = re.compile(r"^(?:next week|(?:la )?semaine prochaine)$")

_DAYS = {"today": 0, "aujourd'hui": 0, "aujourdhui": 0, "auj": 0, "tomorrow": 1, "demain": 1,
         "apres-demain": 2, "apres demain": 2}
_WEEKDAYS = {
    "monday": 0, "lundi": 0, "tuesday": 1, "mardi": 1, "wednesday": 2, "mercredi": 2, "thursday": 3,
    "jeudi": 3, "friday": 4, "vendredi": 4, "saturday": 5, "samedi": 5, "sunday": 6, "dimanche": 6,
}


@dataclass(frozen=True, slots=True)
class _Part:
    """A part of the day: the time it names ("lundi matin": 9:00), the hour it is over (a moment
    such as midi is over as it comes), the time its end names ("fin de matinée": 11:00; 0: it has
    none, "fin de soirée" says no time), and whether it is said alone ("journée" is not: "dans la
    journée" says no time, "fin de journée" does)."""

    start: int
    over: int
    end: int = 0
    alone: bool = True


_MORNING = _Part(MORNING_HOUR, 12, 11)
_AFTERNOON = _Part(AFTERNOON_HOUR, EVENING_HOUR, END_OF_DAY_HOUR)
_EVENING = _Part(EVENING_HOUR, 24)
_PARTS = {
    **dict.fromkeys(("morning", "matin", "matinee", "avant-midi", "am"), _MORNING),  # "demain am" (Québec)
    **dict.fromkeys(("noon", "midi"), _Part(12, 12)),
    **dict.fromkeys(("afternoon", "apres-midi", "apres midi", "aprem", "pm"), _AFTERNOON),  # "lundi pm"
    **dict.fromkeys(("evening", "soir", "soiree", "tonight"), _EVENING),
    **dict.fromkeys(("day", "journee"), _Part(MORNING_HOUR, EVENING_HOUR, END_OF_DAY_HOUR, alone=False)),
    "eod": _Part(END_OF_DAY_HOUR, END_OF_DAY_HOUR),
}
# Its start or its end: "en début d'après-midi" is 14:00, "en fin de journée" 17:00.
_EDGES = {"debut": "start", "early": "start", "fin": "end", "late": "end", "end": "end"}
# The words for a span of the day (not midi): "à" and "en" before them say today's ("à soir", "en
# soirée"); before midi, "à" is "at" ("à midi", as "à 9h": today's, or tomorrow's once past).
_SPANS = _either(word for word, part in _PARTS.items() if part.over > part.start and part.alone)
_WHEN = re.compile(
    rf"^(?:(?P<day>{_either(_DAYS)})|(?:(?:next|this|ce)\s+)?(?P<weekday>{_either(_WEEKDAYS)})(?:\s+prochain)?"
    rf"|(?:(?:this|ce|le)\s+)?(?P<weekend>week-end|weekend|week end))?\s*"
    rf"(?:(?:(?P<this>(?:this|ce|cet|cette)\s+|a\s+(?=(?:{_SPANS})\b))"
    rf"|(?P<during>(?:dans la|dans l'|in the|during the|en)\s*(?=(?:{_SPANS})\b))"
    rf"|(?:le|l'|at the|at|a la|a|vers|around|by|en)\s*)?"
    rf"(?:(?P<edge>{_either(_EDGES)})\s*(?:of the|of|de la|de l'|de|d')?\s*)?(?P<part>{_either(_PARTS)}))?\s*"
    rf"(?:(?:at|a|vers|@)\s*(?=\d))?"
    rf"(?:(?P<hour>\d{{1,2}})(?:\s*(?P<sep>:|h|heures?)\s*(?P<minute>\d{{2}})?)?\s*(?P<ampm>am|pm)?)?$"
)
_HELP = "try 45m, 2h, 17h, 5pm, ce soir, demain 9h, lundi or next week"


class SnoozeError(ValueError):
    pass


class NotUnderstood(SnoozeError):
    """The text says no time the grammar knows (as opposed to a time refused: past, too far)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What a typed text is understood as. `other`: for a bare "1h30" read one way, how to type
    the other reading, so the dialog can show both before enter."""

    until: datetime
    other: str = ""


def parse(text: str, now: datetime) -> datetime:
    return read(text, now).until


def read(text: str, now: datetime) -> Reading:
    """A typed snooze time, in English or French (see the grammar above): a duration ("45m", "2h",
    "1.5 h", "3d", "2 semaines", "dans 1h30"), a time of day ("17:30", "17h", "5pm", "9h30", "à 9h":
    today, or tomorrow once past), a day ("demain", "lundi", "next friday": at 9:00) with a time
    or a part of the day ("demain 14h", "lundi matin", "lundi pm", "tomorrow 9am", "demain en fin
    de journée"), today said outright ("ce soir 20h", "à soir", "aujourd'hui 16h", "this
    afternoon": refused once past), "next week" or "ce week-end"."""
    cleaned = _normalize(text)
    if not cleaned:
        raise SnoozeError("type a duration (45m, 2h, 3d) or a time (17h, 17:30, demain 9h)")
    if (reading := _bare_hours(cleaned, now, text.strip())) is not None:
        return reading
    if (seconds := _duration_seconds(cleaned)) is not None:
        return Reading(_after(now, seconds))
    if _NEXT_WEEK.match(cleaned):
        return Reading(_next_monday(now))
    match = _WHEN.match(cleaned)
    if match is None or not any(match.group(name) for name in ("day", "weekday", "weekend", "part", "hour")):
        raise NotUnderstood(f"cannot read {text.strip()!r}: {_HELP}")
    return Reading(_when(match, now, text.strip()))


_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe(until: datetime, now: datetime) -> str:
    """ "today 13:30 (in 1 h 30 min)", "tomorrow 09:00 (in 18 h)", "Wed 9 Dec 14:30 (in 14 days)":
    the day in words (a date once a weekday alone could be this week's), the time, how long."""
    days = (until.date() - now.date()).days
    if days == 0:
        day = "today"
    elif days == 1:
        day = "tomorrow"
    elif days < 7:
        day = _WEEKDAY_NAMES[until.weekday()]
    else:
        day = f"{_WEEKDAY_NAMES[until.weekday()]} {until.day} {_MONTH_NAMES[until.month - 1]}"
    return f"{day} {until:%H:%M} ({long_in((until - now).total_seconds())})"


def _normalize(text: str) -> str:
    """Lowercase, without accents (typed or not, "après-midi" is "apres-midi"), one space apart."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _bare_hours(cleaned: str, now: datetime, typed: str) -> Reading | None:
    """A bare "1h30", "9h" or "17h": a time of day or a duration, as the rule above says."""
    match = _BARE_HOURS.match(cleaned)
    if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        return None  # "24h", "36h": hours; "9h75": no time at all
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    today = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if hour >= _FIRST_CLOCK_HOUR:
        return Reading(today if today > now else today + timedelta(days=1))  # no 17-hour snooze to offer
    as_time = f"read as a time; dans {typed} means in {long_age(hour * 3600 + minute * 60)}"
    if today > now:
        return Reading(today, as_time)
    if hour < _NIGHT_ENDS:
        return Reading(_after(now, hour * 3600 + minute * 60), f"read as a duration; à {typed} means tomorrow {today:%H:%M}")
    return Reading(today + timedelta(days=1), as_time)


def _after(now: datetime, seconds: float) -> datetime:
    if seconds <= 0:
        raise SnoozeError("the duration must be more than zero")
    if seconds > 366 * 86400:
        raise SnoozeError("that is more than a year away")
    return now + timedelta(seconds=seconds)


def _duration_seconds(cleaned: str) -> float | None:
    if match := _HOURS_MINUTES.match(cleaned):
        prefix, hours, minutes, unit = match.groups()
        if prefix or unit:
            return int(hours) * 3600 + int(minutes) * 60
        return None  # a bare "9h75": no duration, and no time either (said below)
    match = _DURATION.match(cleaned)
    if match is None:
        return None
    _, amount, unit = match.groups()
    amount = amount.strip()
    count = 1.0 if amount in _ONE else float(amount.replace(",", "."))
    return count * _UNIT_SECONDS[unit]


def _next_monday(now: datetime) -> datetime:
    days_to_monday = (7 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days_to_monday)).replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)


def _when(match: re.Match, now: datetime, typed: str) -> datetime:
    """A day, a part of the day and a clock time, each optional: "demain", "ce soir 20h", "5pm"."""
    day, weekday, this, during, edge, word = match.group("day", "weekday", "this", "during", "edge", "part")
    part = _PARTS[word] if word else None
    if part and not (part.end if edge else part.alone):  # "fin de soirée", "dans la journée": no time said
        raise NotUnderstood(f"cannot read {typed!r}: {_HELP}")
    if day and _DAYS[day] == 0 and not (part or match.group("hour")):
        raise SnoozeError("today at what time? e.g. aujourd'hui 16h, today 4pm")
    hour, minute = _clock(match, part, typed) if match.group("hour") else (_named(part, edge), 0)
    if match.group("weekend"):
        return _weekend(now, hour, minute)
    if weekday:
        ahead = (_WEEKDAYS[weekday] - now.weekday()) % 7 or 7  # "lundi" on a Monday: the next one
    else:
        ahead = _DAYS[day] if day else 0
    when = (now + timedelta(days=ahead)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    if when > now or ahead:
        return when
    # A time of day already past: tomorrow, unless the CM said it is today ("aujourd'hui 9h", "ce
    # soir", "à soir", "tonight", "this afternoon"), or said a part of the day still under way
    # ("dans la soirée" at 18:34; "in the morning" at 18:34 is tomorrow's): tomorrow would be a
    # surprise, a refusal says why.
    if day or this or word == "tonight" or (during and now.hour < part.over):
        raise SnoozeError(f"{when:%H:%M} today is already past: try a later time, or demain")
    return when + timedelta(days=1)


def _weekend(now: datetime, hour: int, minute: int) -> datetime:
    """ "ce week-end": Saturday at 9:00 (or the time said), Sunday's once Saturday's is past; on a
    Sunday once it is past, refused: next Saturday would be a week late (samedi says it)."""
    for ahead in range(max(0, 5 - now.weekday()), 7 - now.weekday()):
        when = (now + timedelta(days=ahead)).replace(hour=hour, minute=minute, second=0, microsecond=0)
        if when > now:
            return when
    raise SnoozeError(f"this weekend's {hour:02}:{minute:02} is already past: try samedi, or demain")


def _named(part: _Part | None, edge: str | None) -> int:
    """The hour a part of the day names: its start ("lundi matin"), or its end ("fin de matinée")."""
    if part is None:
        return MORNING_HOUR  # a day alone: "demain", "lundi"
    return part.end if edge and _EDGES[edge] == "end" else part.start


def _clock(match: re.Match, part: _Part | None, typed: str) -> tuple[int, int]:
    """The clock time typed: "17h", "17:30", "9h30", "5pm"; "ce soir 8h" is 20:00."""
    hour, minute, ampm = int(match.group("hour")), int(match.group("minute") or 0), match.group("ampm")
    if ampm:
        if not 1 <= hour <= 12:
            raise SnoozeError(f"{typed!r} is not a time of day: {hour}{ampm}?")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif part and part.start >= AFTERNOON_HOUR and 1 <= hour < 12:
        hour += 12  # "tonight 8", "ce soir 8h": the part of the day says which 8
    if hour > 23 or minute > 59:
        raise SnoozeError(f"{typed!r} is not a time of day")
    return hour, minute
