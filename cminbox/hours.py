"""A workspace's business hours: when the response-time clock runs.

Written as in the config file: `"Mon-Fri 09:00-18:00"`, several spans separated by commas
(`"Mon-Fri 09:00-18:00, Sat 10:00-16:00"`), days in English or French (`"lun-ven 9h-18h"`),
in the workspace's timezone (an IANA name such as `"Europe/Paris"`; the computer's own when
not given). No business hours means always open.

A complaint that arrives at 23:10 on a Friday starts its clock at the next opening (Monday
09:00), and a 60-minute target is then due at 10:00: only open minutes count.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Final

_DAYS: Final = {
    **{d: i for i, d in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])},
    **{d: i for i, d in enumerate(["lun", "mar", "mer", "jeu", "ven", "sam", "dim"])},
    **{d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])},
    **{d: i for i, d in enumerate(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"])},
}
_TIME: Final = r"(\d{1,2})(?:[:h](\d{2})?)?"
_SPAN_RE: Final = re.compile(
    rf"^\s*(?P<first>[a-zé]+)\.?(?:\s*[-–]\s*(?P<last>[a-zé]+)\.?)?\s+{_TIME}\s*[-–]\s*{_TIME}\s*$",
    re.IGNORECASE,
)
_QUARTER_HOUR: Final = 900
_MIDNIGHTS_KEPT: Final = 10_000
_SEARCH_DAYS: Final = 15  # how far ahead an opening is looked for (two weeks and a day)


class HoursError(ValueError):
    """Business hours that cannot be read; the message says what is expected."""


def _zone(name: str | None) -> tzinfo:
    if not name:
        return datetime.now().astimezone().tzinfo or timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError for odd names
        raise HoursError(f"unknown timezone {name!r} (expected a name such as \"Europe/Paris\" or \"America/Montreal\")") from None


def _day(word: str) -> int:
    day = _DAYS.get(word.lower().replace("é", "e"))
    if day is None:
        raise HoursError(f"unknown day {word!r} (expected Mon … Sun, or lun … dim)")
    return day


def _minute(hour: str, minute: str | None) -> int:
    h, m = int(hour), int(minute or 0)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise HoursError(f"invalid time {hour}:{minute or '00'}")
    return h * 60 + m


class BusinessHours:
    """Open spans per weekday (minutes from midnight, local time), in a timezone."""

    def __init__(self, spans: dict[int, list[tuple[int, int]]] | None, zone: tzinfo, spec: str = ""):
        self.spans = spans  # None: always open
        self.zone = zone
        self.spec = spec
        self._midnights: dict[int, float] = {}  # quarter hour -> local midnight (see day_start)

    @classmethod
    def parse(cls, spec: str | None, tz: str | None = None) -> "BusinessHours":
        zone = _zone(tz)
        if not spec or not spec.strip():
            return cls(None, zone)
        spans: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
        for part in spec.split(","):
            match = _SPAN_RE.match(part)
            if match is None:
                raise HoursError(f"cannot read business hours {part.strip()!r} (expected e.g. \"Mon-Fri 09:00-18:00\")")
            first = _day(match.group("first"))
            last = _day(match.group("last")) if match.group("last") else first
            start = _minute(match.group(3), match.group(4))
            end = _minute(match.group(5), match.group(6))
            if end <= start:
                raise HoursError(f"business hours {part.strip()!r} close before they open")
            day = first
            while True:
                spans[day].append((start, end))
                if day == last:
                    break
                day = (day + 1) % 7
        for day in spans:
            spans[day].sort()
        return cls(spans, zone, spec.strip())

    @property
    def always_open(self) -> bool:
        return self.spans is None

    def _local(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self.zone)

    def _openings(self, ts: float):
        """(start, end) epoch seconds of the open spans from the day of `ts` on."""
        local = self._local(ts)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        for offset in range(_SEARCH_DAYS):
            day = midnight + timedelta(days=offset)
            # Rebuild from the date, so daylight-saving changes land on the right wall clock.
            base = datetime(day.year, day.month, day.day, tzinfo=self.zone)
            for start, end in self.spans[base.weekday()]:
                opens = base + timedelta(minutes=start)
                closes = base + timedelta(minutes=end)
                yield opens.timestamp(), closes.timestamp()

    def is_open(self, ts: float) -> bool:
        if self.spans is None:
            return True
        for start, end in self._openings(ts):
            if start > ts:
                return False
            if ts < end:
                return True
        return False

    def clock_start(self, ts: float) -> float:
        """When the response clock starts for a message arriving at `ts`."""
        if self.spans is None:
            return ts
        for start, end in self._openings(ts):
            if ts < end:
                return max(ts, start)
        return ts  # no opening in two weeks: do not pretend

    def add_open_minutes(self, ts: float, minutes: float) -> float:
        """The time at which `minutes` of open time have passed since `ts`."""
        if self.spans is None:
            return ts + minutes * 60
        left = minutes * 60
        for start, end in self._openings(ts):
            if end <= ts:
                continue
            begin = max(ts, start)
            if begin + left <= end:
                return begin + left
            left -= end - begin
        return ts + minutes * 60

    def day_start(self, ts: float) -> float:
        """Local midnight of the day of `ts` ("today" for repeat contacts).

        Asked for every stored message, so remembered per quarter hour: every UTC offset (and
        every daylight-saving change) is a whole number of quarter hours, so a local midnight
        never falls inside one and all of its instants share the answer.
        """
        quarter = int(ts // _QUARTER_HOUR)
        midnight = self._midnights.get(quarter)
        if midnight is None:
            if len(self._midnights) >= _MIDNIGHTS_KEPT:
                self._midnights.clear()
            local = self._local(ts)
            midnight = datetime(local.year, local.month, local.day, tzinfo=self.zone).timestamp()
            self._midnights[quarter] = midnight
        return midnight

    def describe_start(self, ts: float) -> str:
        """"Mon 09:00": a clock start in the workspace's time, for explanations; with its zone
        and the time here when this computer is elsewhere ("Mon 09:00 EST (15:00 here)"), since
        deadlines beside it are in this computer's time."""
        local = self._local(ts)
        said = local.strftime("%a %H:%M")
        here = datetime.fromtimestamp(ts).astimezone()
        if here.utcoffset() != local.utcoffset():
            said += f" {local.tzname()} ({here:%H:%M} here)"
        return said


ALWAYS_OPEN: Final = BusinessHours(None, timezone.utc)
