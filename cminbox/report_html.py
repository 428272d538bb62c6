"""The month's report as one self-contained HTML page, with its charts drawn in inline SVG: a
file to mail or to open in any browser, with no script, no stylesheet or font to fetch, and
nothing that runs.

Every piece of message text goes through `html.escape` (after `for_display`), so it shows as
text; a message's link is kept only if a browser may open it (`safe_url`: http or https, no
credentials in the host), and opens in a new tab without telling the page where it came from.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime
from html import escape
from typing import Final

from .report import MonthReport, Row, percent, snoozed
from .textsafe import clean_line, for_display, safe_url

COLOURS: Final = {"negative": "#c0392b", "neutral": "#a5acb3", "positive": "#27864a"}
_CHART_WIDTH: Final = 420
_BAR_HEIGHT: Final = 18
_LABEL_WIDTH: Final = 110
_QUOTE_CHARS: Final = 500

_STYLE: Final = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222 }
h1 { font-size: 1.6rem } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd }
table { border-collapse: collapse } td, th { padding: .2rem .8rem; border-bottom: 1px solid #eee; text-align: left }
td.n { text-align: right } blockquote { margin: .4rem 0 .8rem; padding-left: .8rem; border-left: 3px solid #ccc }
.meta { color: #666; font-size: .9rem } .legend span { margin-right: 1rem }
"""


def text(value: object) -> str:
    """Untrusted text, shown as text."""
    return escape(clean_line(for_display(str(value))), quote=True)


def _stacked_bars(rows: list[tuple[str, list[tuple[str, int]]]]) -> str:
    """One horizontal bar per row, its parts stacked left to right: (label, [(colour, n)])."""
    height = len(rows) * (_BAR_HEIGHT + 6) + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_LABEL_WIDTH + _CHART_WIDTH + 60}" height="{height}" '
           'role="img" font-size="12" font-family="system-ui, sans-serif">']  # fmt: skip
    for i, (label, parts) in enumerate(rows):
        y = 2 + i * (_BAR_HEIGHT + 6)
        total = sum(n for _, n in parts)
        out.append(f'<text x="0" y="{y + 13}">{text(label)}</text>')
        x = float(_LABEL_WIDTH)
        for colour, n in parts:
            width = _CHART_WIDTH * n / total if total else 0
            if width:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_BAR_HEIGHT}" fill="{colour}">'
                           f"<title>{n:,}</title></rect>")  # fmt: skip
            x += width
        out.append(f'<text x="{_LABEL_WIDTH + _CHART_WIDTH + 6}" y="{y + 13}">{total:,}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend(items: list[tuple[str, str]]) -> str:
    return '<p class="legend">' + "".join(
        f'<span><svg width="10" height="10"><rect width="10" height="10" fill="{c}"/></svg> {text(name)}</span>'
        for name, c in items
    ) + "</p>"


def _quote(row: Row, zone) -> str:
    when = datetime.fromtimestamp(row.created_at, zone)
    body = row.text[:_QUOTE_CHARS] + ("…" if len(row.text) > _QUOTE_CHARS else "")
    link = safe_url(row.url)
    where = f"{text(row.network)} {text(row.kind)}"
    if link:
        where = f'<a href="{escape(link, quote=True)}" target="_blank" rel="noopener noreferrer">{where}</a>'
    return (f'<blockquote>{escape(for_display(body)).replace(chr(10), "<br>")}<div class="meta">'
            f"{text(row.author)} · {where} · {when:%d %b %H:%M}</div></blockquote>")  # fmt: skip


def html(report: MonthReport) -> str:
    ws, rows, zone = report.workspace, report.rows, report.zone
    title = f"{ws.name}: report for {report.month}"
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8">',
           f"<title>{text(title)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{text(title)}</h1>",
           f'<p class="meta">{len(rows):,} message{"" if len(rows) == 1 else "s"}, spam left out.</p>']  # fmt: skip

    out.append("<h2>Volumes</h2><table><tr><th>network</th><th>kind</th><th>messages</th></tr>")
    out += [f'<tr><td>{text(n)}</td><td>{text(k)}</td><td class="n">{c:,}</td></tr>' for n, k, c in report.volumes]
    out.append("</table>")

    labels = Counter(r.label for r in rows)
    out.append("<h2>Sentiment</h2><p>" + ", ".join(
        f"{name} {labels[name]:,} ({percent(labels[name], len(rows))})" for name in COLOURS
    ) + "</p>")  # fmt: skip
    out.append(_legend([(name, colour) for name, colour in COLOURS.items()]))
    out.append(_stacked_bars([
        (f"week of {monday:%d %b}", [(COLOURS[name], counts[name]) for name in COLOURS])
        for monday, counts in report.weeks
    ]))  # fmt: skip

    complaints = report.complaints
    answered = report.answered
    on_time = sum(1 for r in answered if r.on_time)
    out.append(f"<h2>Complaints</h2><p>{len(complaints):,} complaint{'' if len(complaints) == 1 else 's'} ({percent(len(complaints), len(rows))} of "
               f"messages); target: an answer within {ws.target_minutes} min"
               f"{', in business hours' if ws.business_hours else ''}.</p>")  # fmt: skip
    # Every complaint is in one of the three parts: a snoozed one is still open.
    still_open = report.still_open
    asleep = snoozed(still_open)
    parts = [("answered on time", "#27864a", on_time), ("answered late", "#e0a030", len(answered) - on_time),
             ("still open", "#c0392b", len(still_open))]  # fmt: skip
    names = [f"{name}: {n:,}" for name, _, n in parts]
    if asleep:
        names[-1] += f" ({asleep:,} snoozed)"
    out.append(_legend([(name, colour) for name, (_, colour, _) in zip(names, parts)]))
    out.append(_stacked_bars([("complaints", [(colour, n) for _, colour, n in parts])]))
    if answered:
        minutes = statistics.median(r.response_minutes for r in answered)
        out.append(f"<p>Median time to answer: {minutes:,.0f} min.</p>")
    if report.themes:
        out.append("<table><tr><th>theme</th><th>complaints</th></tr>")
        out += [f'<tr><td>{text(cue)}</td><td class="n">{n:,}</td></tr>' for cue, n in report.themes]
        out.append("</table>")

    praise, thanked = report.praise, report.thanked
    out.append(f"<h2>Praise</h2><p>{len(praise):,} message{'' if len(praise) == 1 else 's'} of praise "
               f"({percent(len(praise), len(rows))} of "
               f"messages); thanked (a reply sent, or marked done): {len(thanked):,} "
               f"({percent(len(thanked), len(praise))}).</p>")  # fmt: skip

    out.append("<h2>Starred feedback</h2>")
    starred = report.starred
    if not starred:
        out.append("<p>No starred message this month: <code>*</code> in the inbox stars one for this report.</p>")
    for name, heading in (("positive", "Positive"), ("negative", "Negative"), ("neutral", "Other")):
        chosen = [r for r in starred if r.label == name]
        if chosen:
            out.append(f"<h3>{heading} ({len(chosen)})</h3>")
            out += [_quote(r, zone) for r in chosen]
    out.append("</body></html>")
    return "\n".join(out)
