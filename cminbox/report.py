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
from .models import NETWORK_NAMES
from .report_lang import Language, language, whole_percents
from .store import Store
from .store.queries import Workspace
from .textsafe import clean_line, for_display
from .triage import cue_themes
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

    def themes(self, lang: str) -> list[tuple[str, int]]:
        """The complaints' top themes, the same problem counted once in French and English."""
        return cue_themes.themes((r.cues for r in self.complaints), lang, _TOP_THEMES)

    @property
    def starred(self) -> list[Row]:
        return [r for r in self.rows if r.starred]

    @property
    def zone(self):
        return BusinessHours.parse(None, self.workspace.timezone or None).zone


def network_name(network: str) -> str:
    """"Facebook", "Hacker News": how a reader names the network (the CSV keeps the ids)."""
    return NETWORK_NAMES.get(network, network)


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


def _bar(part: int, whole: int) -> str:
    return "█" * round(_BAR_WIDTH * part / whole) if whole else ""


def period(report: MonthReport, t: Language) -> str:
    """"from 01 Nov 2026 to 30 Nov 2026"; a month still going ends today, "so far"; one to come says so."""
    zone = report.zone
    first = t.date(datetime.fromtimestamp(report.start, zone))
    if report.now is not None and report.now < report.start:
        return t("period to come", first=first)
    if report.now is not None and report.now < report.end:
        return t("period so far", first=first, last=t.date(datetime.fromtimestamp(report.now, zone)))
    return t("period", first=first, last=t.date(datetime.fromtimestamp(report.end - 1, zone)))


def snoozed(rows: list[Row]) -> int:
    return sum(1 for r in rows if r.status == "snoozed")


def markdown(report: MonthReport, lang: str = "en") -> str:
    t = language(lang)
    ws, rows = report.workspace, report.rows
    zone, n, share = report.zone, t.number, t.percent
    out = ["# " + t("title", name=md_text(ws.name), month=t.month(report.month)), ""]
    out.append(t("intro", count=n(len(rows)), messages=t.plural(len(rows), "message", "messages"), period=period(report, t)))
    out.append("")

    out += ["## " + t("volumes"), "", f"| {t('network')} | {t('kind')} | {t('messages')} |", "| --- | --- | ---: |"]
    out += [f"| {md_text(network_name(net))} | {md_text(t.word(kind))} | {n(c)} |" for net, kind, c in report.volumes] or ["| — | — | 0 |"]
    out.append("")

    labels = Counter(r.label for r in rows)
    names = ("negative", "neutral", "positive")
    out += ["## " + t("sentiment"), ""]
    out += [t("label count", label=t(name), count=n(labels[name]), share=part)
            for name, part in zip(names, t.shares([labels[name] for name in names]))]  # fmt: skip
    out += ["", f"| {t('week of')} | {t('negative')} | {t('neutral')} | {t('positive')} | {t('negative share')} |",
            "| --- | ---: | ---: | ---: | --- |"]  # fmt: skip
    for monday, counts in report.weeks:
        total = sum(counts.values())
        bar = _bar(counts["negative"], total)  # (none for a week without messages or without a negative one)
        negative = (f"`{bar}` " if bar else "") + share(counts["negative"], total)
        out.append(f"| {t.week(monday)} | {n(counts['negative'])} | {n(counts['neutral'])} | {n(counts['positive'])} | "
                   f"{negative} |")  # fmt: skip
    out.append("")

    complaints, answered, still_open = report.complaints, report.answered, report.still_open
    on_time = sum(1 for r in answered if r.on_time)
    whole = len(complaints)
    hours = t("in business hours") if ws.business_hours else ""  # (none set: the clock always runs)
    out += ["## " + t("complaints heading", minutes=ws.target_minutes, hours=hours), ""]
    out.append(t("complaint count", count=n(whole), complaints=t.plural(whole, "complaint", "complaints"),
                 share=share(whole, len(rows))))  # fmt: skip
    # On time, late and still open: the complaints' three parts, their shares adding up to 100 %,
    # and answered's the first two's.
    late = len(answered) - on_time
    on_time_share, late_share, open_share = whole_percents([on_time, late, len(still_open)])

    def part(percent: int) -> str:
        return f"{percent} %" if whole else share(0, 0)  # (no complaint: a dash)

    out.append(t("answered", count=n(len(answered)), share=part(on_time_share + late_share)))
    out.append(t("within", count=n(on_time), share=part(on_time_share)))
    out.append(t("after", count=n(late), share=part(late_share)))
    asleep = snoozed(still_open)
    out.append(t("still open", count=n(len(still_open)), share=part(open_share),
                 snoozed=t("snoozed among", count=n(asleep), snoozed=t.plural(asleep, "snoozed complaint", "snoozed complaints"))
                 if asleep else ""))  # fmt: skip
    if answered:
        times = [r.response_minutes for r in answered]
        out.append(t("time to answer", median=t.duration(statistics.median(times)), slowest=t.duration(max(times))))
    out.append("")
    if themes := report.themes(t.code):
        out += [t("themes"), "", f"| {t('theme')} | {t('complaints')} |", "| --- | ---: |"]
        out += [f"| {md_text(theme)} | {n(count)} |" for theme, count in themes]
        out.append("")

    praise, thanked = report.praise, report.thanked
    out += ["## " + t("praise"), ""]
    out.append(t("praise count", count=n(len(praise)), praise=t.plural(len(praise), "message of praise", "messages of praise"),
                 share=share(len(praise), len(rows))))  # fmt: skip
    out.append(t("thanked", count=n(len(thanked)), share=share(len(thanked), len(praise))))
    out.append("")

    out += ["## " + t("starred"), ""]
    starred = report.starred
    if not starred:
        out += [t("no star", star="`*`"), ""]
    for name, title in (("positive", "Positive"), ("negative", "Negative"), ("neutral", "Other")):
        chosen = [r for r in starred if r.label == name]
        if not chosen:
            continue
        out += [f"### {t(title)} ({n(len(chosen))})", ""]
        for r in chosen:
            when = t.moment(datetime.fromtimestamp(r.created_at, zone))
            quote = md_text(r.text[:_QUOTE_CHARS] + ("…" if len(r.text) > _QUOTE_CHARS else ""))
            said = t("said", author=f"**{md_text(r.author)}**", quote=quote)
            out.append(f"- {when} · {md_text(network_name(r.network))} {md_text(t.word(r.kind))} · {said}")
        out.append("")
    return "\n".join(out)


# -- CSV ---------------------------------------------------------------------------------------

# Each column's key in the language table (report_lang.TEXTS): its name in the CSV's language.
CSV_COLUMNS: Final = (
    "created", "network", "kind", "author", "sentiment column", "sentiment_label", "is complaint", "status",
    "is starred", "answered at", "response_minutes", "on_time", "cues", "is praise", "url", "text",
)  # fmt: skip


def csv_cell(value: object, *, decimal_comma: bool = False) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula is quoted. A number
    cminbox computed stays a number ("-0.86", which a spreadsheet can average), never text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value).replace(".", ",") if decimal_comma else str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(report: MonthReport, out: IO[str], lang: str = "en") -> int:
    """One line per message of the month; returns how many. Its column names and words (yes, no,
    a status, a kind) are in `lang`; its dates are ISO 8601. In French it is what a French
    spreadsheet opens as columns: semicolons, a byte-order mark and decimal commas."""
    t = language(lang)
    zone = report.zone
    if t.french:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if t.french else ",")
    writer.writerow([t(column) for column in CSV_COLUMNS])

    def when(ts: float | None) -> str:
        return "" if ts is None else datetime.fromtimestamp(ts, zone).isoformat(timespec="minutes")

    def yes(value: bool | None) -> str:
        return "" if value is None else t("yes" if value else "no")

    for r in report.rows:
        minutes = r.response_minutes
        writer.writerow([csv_cell(v, decimal_comma=t.french) for v in (
            when(r.created_at), r.network, t.word(r.kind), r.author, round(r.sentiment, 2) + 0.0, t(r.label),  # (+ 0.0: no "-0.0")
            yes(r.complaint), t.word(r.status), yes(r.starred), when(r.answered_at),
            "" if minutes is None else round(minutes), yes(r.on_time),
            "|".join(r.cues), yes(r.praise), clean_line(r.url), clean_line(for_display(r.text)),
        )])  # fmt: skip
    return len(report.rows)
