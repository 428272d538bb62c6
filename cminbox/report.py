"""The month's report for a workspace: what came in, how it felt, how fast complaints were
answered against the target, what they were about, the praise and how much of it was thanked,
and the feedback the CM starred.

`build` reads the store (one query over the month); `markdown` and `write_csv` render it. Core:
no UI imports. Message text is untrusted: in Markdown it is escaped so that it stays text (no
link, image, HTML or table cell it could open), and in CSV a cell that a spreadsheet would take
for a formula is quoted as text.
"""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Final

from .hours import BusinessHours
from .store import Store
from .store.queries import Workspace
from .textsafe import clean_line, for_display
from .triage.labels import sentiment_label

_QUOTE_CHARS: Final = 240  # of a starred message, in the Markdown report
_BAR_WIDTH: Final = 24
_TOP_THEMES: Final = 10



class ReportError(ValueError):
    """A month the report cannot be made for, said in words."""


@dataclass(frozen=True, slots=True)
class Row:
    """One message of the month, as the report reads it."""

    created_at: float
    network: str
    kind: str
    author: str
    sentiment: float
    complaint: bool
    status: str
    starred: bool
    cues: tuple[str, ...]
    url: str
    text: str
    answered_at: float | None  # its first reply sent, or it was marked done, whichever came first
    due: float | None  # for a complaint: when its answer was due (target, business hours)
    praise: bool = False  # a happy customer to thank (the Praise folder's `to_thank`)

    @property
    def label(self) -> str:
        return sentiment_label(self.sentiment)

    @property
    def response_minutes(self) -> float | None:
        return None if self.answered_at is None else max(0.0, (self.answered_at - self.created_at) / 60)

    @property
    def on_time(self) -> bool | None:
        if self.due is None or self.answered_at is None:
            return None
        return self.answered_at <= self.due


@dataclass(slots=True)
class MonthReport:
    workspace: Workspace
    month: str  # "2026-11"
    start: float
    end: float
    rows: list[Row] = field(default_factory=list)
    now: float | None = None  # when it was built: a month still going is reported "so far"

    @property
    def volumes(self) -> list[tuple[str, str, int]]:
        """(network, kind, messages), most first."""
        counts = Counter((r.network, r.kind) for r in self.rows)
        return [(n, k, c) for (n, k), c in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

    @property
    def weeks(self) -> list[tuple[datetime, Counter]]:
        """Each week of the month (from its Monday, in the workspace's timezone) and its sentiment
        labels: every week that overlaps the month, one without messages included (a row of
        zeros says so), up to this week for a month still going."""
        zone = self.zone
        weeks: dict[date, Counter] = {monday: Counter() for monday in self._mondays()}
        for r in self.rows:  # (a message dated after now still finds its week)
            weeks.setdefault(_monday(datetime.fromtimestamp(r.created_at, zone)), Counter())[r.label] += 1
        return [(datetime.combine(monday, time(), zone), counts) for monday, counts in sorted(weeks.items())]

    def _mondays(self) -> list[date]:
        """The Monday of each week from the month's first day to its last, or to today."""
        last = self.end - 1 if self.now is None else min(self.end - 1, self.now)
        if last < self.start:
            return []  # a month to come has no week yet
        monday, final = (_monday(datetime.fromtimestamp(t, self.zone)) for t in (self.start, last))
        mondays = []
        while monday <= final:
            mondays.append(monday)
            monday += timedelta(weeks=1)
        return mondays

    @property
    def complaints(self) -> list[Row]:
        return [r for r in self.rows if r.complaint]

    @property
    def answered(self) -> list[Row]:
        """The complaints answered: a reply sent, or marked done."""
        return [r for r in self.complaints if r.answered_at is not None]

    @property
    def still_open(self) -> list[Row]:
        """The complaints not answered: every complaint is answered or still open, never both.
        Snoozed ones are still open (they wait for an answer); one replied to is answered even
        if it was left open or snoozed afterwards."""
        return [r for r in self.complaints if r.answered_at is None]

    @property
    def praise(self) -> list[Row]:
        return [r for r in self.rows if r.praise]

    @property
    def thanked(self) -> list[Row]:
        """The praise answered: a reply sent, or marked done."""
        return [r for r in self.praise if r.answered_at is not None]

    @property
    def themes(self) -> list[tuple[str, int]]:
        return Counter(cue for r in self.complaints for cue in r.cues).most_common(_TOP_THEMES)

    @property
    def starred(self) -> list[Row]:
        return [r for r in self.rows if r.starred]

    @property
    def zone(self):
        return BusinessHours.parse(None, self.workspace.timezone or None).zone


def _monday(day: datetime) -> date:
    """The Monday of the week of `day` (by calendar dates: no daylight-saving change moves it)."""
    return day.date() - timedelta(days=day.weekday())


def month_bounds(month: str | None, zone, now: float) -> tuple[str, float, float]:
    """("2026-11", start, end) of the month asked for, in `zone`: "YYYY-MM", "last" (the month
    before this one) or None (this month so far)."""
    today = datetime.fromtimestamp(now, zone)
    if month in (None, "", "this", "current"):
        year, number = today.year, today.month
    elif month == "last":
        year, number = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    else:
        found = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ReportError(f"month {month!r}: expected YYYY-MM (such as 2026-11), 'this' or 'last'")
        year, number = int(found.group(1)), int(found.group(2))
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone)
    return f"{year:04d}-{number:02d}", start.timestamp(), end.timestamp()


def build(store: Store, workspace: Workspace, month: str | None = None, *, now: float) -> MonthReport:
    """The report of `workspace` for `month` (see `month_bounds`), spam left out."""
    hours = BusinessHours.parse(workspace.business_hours or None, workspace.timezone or None)
    label, start, end = month_bounds(month, hours.zone, now)
    report = MonthReport(workspace, label, start, end, now=now)
    for row in store.report_rows(workspace.id, start, end):
        created, network, kind, name, handle, sentiment, complaint, status, status_at, starred, cues, url, text, sent, praise = row
        done = status_at if status == "done" and status_at else None
        answered = min((t for t in (sent, done) if t), default=None)
        due = hours.add_open_minutes(hours.clock_start(created), workspace.target_minutes) if complaint else None
        report.rows.append(Row(
            created, network, kind, clean_line(name or handle) or "?", float(sentiment or 0.0), bool(complaint),
            status, bool(starred), tuple(c for c in (cues or "").split("|") if c), url or "", text or "", answered, due,
            bool(praise),
        ))  # fmt: skip
    return report


# -- Markdown ----------------------------------------------------------------------------------

# What would make text a link, an image, HTML, emphasis or a table cell. (A bare URL stays a
# visible URL: some renderers make it clickable, which opens nothing by itself.)
# An `&` is escaped only where it would start an entity ("&amp;", "&#60;"): "Brioche & Co"
# stays readable in the raw file.
_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>|~]|&(?=#?\w+;))")


def md_text(text: str) -> str:
    """Untrusted text as Markdown that renders as that text: one line, every character that
    Markdown or HTML would read escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean_line(for_display(text)))


def percent(part: int, whole: int) -> str:
    """"12 %" of a whole, or a dash when there is nothing to count."""
    return f"{100 * part / whole:.0f} %" if whole else "—"


def _bar(part: int, whole: int) -> str:
    return "█" * round(_BAR_WIDTH * part / whole) if whole else ""


def _minutes(value: float) -> str:
    if value < 90:
        return f"{value:.0f} min"
    if value < 48 * 60:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} days"


def _period(report: MonthReport) -> str:
    """"from 01 Nov 2026 to 30 Nov 2026"; a month still going ends today, "so far"; one to come says so."""
    zone = report.zone
    first = datetime.fromtimestamp(report.start, zone)
    if report.now is not None and report.now < report.start:
        return f"from {first:%d %b %Y}: this month has not started yet"
    if report.now is not None and report.now < report.end:
        return f"from {first:%d %b %Y} to {datetime.fromtimestamp(report.now, zone):%d %b %Y} (this month so far)"
    return f"from {first:%d %b %Y} to {datetime.fromtimestamp(report.end - 1, zone):%d %b %Y}"


def snoozed(rows: list[Row]) -> int:
    return sum(1 for r in rows if r.status == "snoozed")


def _snoozed_among(still_open: list[Row]) -> str:
    count = snoozed(still_open)
    return f", {count:,} of them snoozed" if count else ""


def markdown(report: MonthReport) -> str:
    ws, rows = report.workspace, report.rows
    zone = report.zone
    out = [f"# {md_text(ws.name)}: report for {report.month}", ""]
    out.append(f"{len(rows):,} messages {_period(report)} (spam left out).")
    out.append("")

    out += ["## Volumes", "", "| network | kind | messages |", "| --- | --- | ---: |"]
    out += [f"| {md_text(n)} | {md_text(k)} | {c:,} |" for n, k, c in report.volumes] or ["| — | — | 0 |"]
    out.append("")

    labels = Counter(r.label for r in rows)
    out += ["## Sentiment", ""]
    out += [f"- {name}: {labels[name]:,} ({percent(labels[name], len(rows))})" for name in ("negative", "neutral", "positive")]
    out += ["", "| week of | negative | neutral | positive | negative share |", "| --- | ---: | ---: | ---: | --- |"]
    for monday, counts in report.weeks:
        total = sum(counts.values())
        out.append(f"| {monday:%a %d %b} | {counts['negative']:,} | {counts['neutral']:,} | {counts['positive']:,} | "
                   f"`{_bar(counts['negative'], total) or ' '}` {percent(counts['negative'], total)} |")  # fmt: skip
    out.append("")

    complaints = report.complaints
    answered = report.answered
    on_time = [r for r in answered if r.on_time]
    counted = ", in business hours" if ws.business_hours else ""  # (none set: the clock always runs)
    out += [f"## Complaints (target: an answer within {ws.target_minutes} min{counted})", ""]
    out.append(f"- {len(complaints):,} complaint{'' if len(complaints) == 1 else 's'}, {percent(len(complaints), len(rows))} of messages")
    late = len(answered) - len(on_time)
    still_open = report.still_open
    out.append(f"- answered (a reply sent, or marked done): {len(answered):,} ({percent(len(answered), len(complaints))})")
    out.append(f"    - within the target: {len(on_time):,} ({percent(len(on_time), len(complaints))} of complaints)")
    out.append(f"    - after the target: {late:,} ({percent(late, len(complaints))} of complaints)")
    out.append(f"- still open (no reply sent, not marked done): {len(still_open):,} "
               f"({percent(len(still_open), len(complaints))}){_snoozed_among(still_open)}")  # fmt: skip
    if answered:
        times = [r.response_minutes for r in answered]
        out.append(f"- time to answer: median {_minutes(statistics.median(times))}, "
                   f"slowest {_minutes(max(times))}")  # fmt: skip
    out.append("")
    if report.themes:
        out += ["Top complaint themes:", "", "| theme | complaints |", "| --- | ---: |"]
        out += [f"| {md_text(cue)} | {count:,} |" for cue, count in report.themes]
        out.append("")

    praise, thanked = report.praise, report.thanked
    out += ["## Praise", ""]
    out.append(f"- {len(praise):,} message{'' if len(praise) == 1 else 's'} of praise, {percent(len(praise), len(rows))} of messages")
    out.append(f"- thanked (a reply sent, or marked done): {len(thanked):,} ({percent(len(thanked), len(praise))})")
    out.append("")

    out += ["## Starred feedback", ""]
    starred = report.starred
    if not starred:
        out += ["No starred message this month: `*` in the inbox stars one for this report.", ""]
    for name, title in (("positive", "Positive"), ("negative", "Negative"), ("neutral", "Other")):
        chosen = [r for r in starred if r.label == name]
        if not chosen:
            continue
        out += [f"### {title} ({len(chosen)})", ""]
        for r in chosen:
            when = datetime.fromtimestamp(r.created_at, zone)
            quote = md_text(r.text[:_QUOTE_CHARS] + ("…" if len(r.text) > _QUOTE_CHARS else ""))
            out.append(f"- {when:%d %b %H:%M} · {md_text(r.network)} {md_text(r.kind)} · **{md_text(r.author)}**: {quote}")
        out.append("")
    return "\n".join(out)


# -- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS: Final = (
    "created", "network", "kind", "author", "sentiment", "sentiment_label", "complaint", "status",
    "starred", "answered", "response_minutes", "on_time", "cues", "praise", "url", "text",
)  # fmt: skip


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula is quoted. A number
    cminbox computed stays a number ("-0.86", which a spreadsheet can average), never text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(report: MonthReport, out: IO[str]) -> int:
    """One line per message of the month; returns how many."""
    zone = report.zone
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)

    def when(ts: float | None) -> str:
        return "" if ts is None else datetime.fromtimestamp(ts, zone).isoformat(timespec="minutes")

    for r in report.rows:
        minutes = r.response_minutes
        writer.writerow([csv_cell(v) for v in (
            when(r.created_at), r.network, r.kind, r.author, round(r.sentiment, 2) + 0.0, r.label,  # (+ 0.0: no "-0.0")
            "yes" if r.complaint else "no", r.status, "yes" if r.starred else "no", when(r.answered_at),
            "" if minutes is None else round(minutes), {True: "yes", False: "no", None: ""}[r.on_time],
            "|".join(r.cues), "yes" if r.praise else "no", clean_line(r.url), clean_line(for_display(r.text)),
        )])  # fmt: skip
    return len(report.rows)
