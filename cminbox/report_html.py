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
from typing import Callable, Final

from .report import MonthReport, Row, network_name, period, snoozed
from .report_lang import Language, language
from .textsafe import clean_line, for_display, safe_url

COLOURS: Final = {"negative": "#c0392b", "neutral": "#a5acb3", "positive": "#27864a"}
_CHART_WIDTH: Final = 420
_BAR_HEIGHT: Final = 18
_LABEL_WIDTH: Final = 130  # room for "semaine du 1er sept."
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


def _stacked_bars(rows: list[tuple[str, list[tuple[str, int, str]], Callable[[int], str]]]) -> str:
    """One horizontal bar per row, its parts stacked left to right: (label, [(colour, n, what a
    part's tooltip says it is)], how to write a number)."""
    height = len(rows) * (_BAR_HEIGHT + 6) + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_LABEL_WIDTH + _CHART_WIDTH + 60}" height="{height}" '
           'role="img" font-size="12" font-family="system-ui, sans-serif">']  # fmt: skip
    for i, (label, parts, number) in enumerate(rows):
        y = 2 + i * (_BAR_HEIGHT + 6)
        total = sum(n for _, n, _ in parts)
        out.append(f'<text x="0" y="{y + 13}">{text(label)}</text>')
        x = float(_LABEL_WIDTH)
        for colour, n, tooltip in parts:
            width = _CHART_WIDTH * n / total if total else 0
            if width:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_BAR_HEIGHT}" fill="{colour}">'
                           f"<title>{text(tooltip)}</title></rect>")  # fmt: skip
            x += width
        out.append(f'<text x="{_LABEL_WIDTH + _CHART_WIDTH + 6}" y="{y + 13}">{number(total)}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend(items: list[tuple[str, str]]) -> str:
    return '<p class="legend">' + "".join(
        f'<span><svg width="10" height="10"><rect width="10" height="10" fill="{c}"/></svg> {text(name)}</span>'
        for name, c in items
    ) + "</p>"


def _quote(row: Row, zone, t: Language) -> str:
    when = t.moment(datetime.fromtimestamp(row.created_at, zone))
    body = row.text[:_QUOTE_CHARS] + ("…" if len(row.text) > _QUOTE_CHARS else "")
    link = safe_url(row.url)
    where = f"{text(network_name(row.network))} {text(t.word(row.kind))}"
    if link:
        where = f'<a href="{escape(link, quote=True)}" target="_blank" rel="noopener noreferrer">{where}</a>'
    return (f'<blockquote>{escape(for_display(body)).replace(chr(10), "<br>")}<div class="meta">'
            f"{text(row.author)} · {where} · {when}</div></blockquote>")  # fmt: skip


def html(report: MonthReport, lang: str = "en") -> str:
    t = language(lang)
    ws, rows, zone, n, share = report.workspace, report.rows, report.zone, t.number, t.percent
    title = t("title", name=ws.name, month=t.month(report.month))
    messages = t.plural(len(rows), "message", "messages")
    out = [f'<!DOCTYPE html><html lang="{t.code}"><head><meta charset="utf-8">',
           f"<title>{text(title)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{text(title)}</h1>",
           f'<p class="meta">{text(t("intro", count=n(len(rows)), messages=messages, period=period(report, t)))}</p>']  # fmt: skip

    out.append(f"<h2>{text(t('volumes'))}</h2><table><tr><th>{text(t('network'))}</th><th>{text(t('kind'))}</th>"
               f"<th>{text(t('messages'))}</th></tr>")  # fmt: skip
    out += [f'<tr><td>{text(network_name(net))}</td><td>{text(t.word(kind))}</td><td class="n">{n(c)}</td></tr>'
            for net, kind, c in report.volumes]  # fmt: skip
    out.append("</table>")

    labels = Counter(r.label for r in rows)
    shares = t.shares([labels[name] for name in COLOURS])  # (adding up to 100 %, as in the Markdown)
    out.append(f"<h2>{text(t('sentiment'))}</h2><p>" + ", ".join(
        text(f"{t(name)} {n(labels[name])} ({part})") for name, part in zip(COLOURS, shares)
    ) + "</p>")  # fmt: skip
    out.append(_legend([(t(name), colour) for name, colour in COLOURS.items()]))
    # A part's tooltip says what its number is: "week of 09 Nov: 78 negative".
    out.append(_stacked_bars([
        (t("week label", day=t.short_date(monday)), [
            (COLOURS[name], counts[name], t("week tooltip", week=t("week label", day=t.day_month(monday)),
                                            count=n(counts[name]), label=t.plural(counts[name], name, name + "s")))
            for name in COLOURS
        ], n)
        for monday, counts in report.weeks
    ]))  # fmt: skip

    complaints, answered, still_open = report.complaints, report.answered, report.still_open
    on_time = sum(1 for r in answered if r.on_time)
    hours = t("in business hours") if ws.business_hours else ""
    out.append(f"<h2>{text(t('complaints title'))}</h2><p>" + text(t(
        "html complaints", count=n(len(complaints)), complaints=t.plural(len(complaints), "complaint", "complaints"),
        share=share(len(complaints), len(rows)), minutes=ws.target_minutes, hours=hours,
    )) + "</p>")  # fmt: skip
    # Every complaint is in one of the three parts: a snoozed one is still open.
    asleep = snoozed(still_open)
    parts = [(t("answered on time"), "#27864a", on_time), (t("answered late"), "#e0a030", len(answered) - on_time),
             (t("open part"), "#c0392b", len(still_open))]  # fmt: skip
    names = [t("part", name=name, count=n(count)) for name, _, count in parts]
    if asleep:
        names[-1] += " " + t("snoozed part", count=n(asleep), snoozed=t.plural(asleep, "snoozed complaint", "snoozed complaints"))
    out.append(_legend([(name, colour) for name, (_, colour, _) in zip(names, parts)]))
    out.append(_stacked_bars([(t("complaints"), [(colour, count, name) for name, (_, colour, count) in zip(names, parts)], n)]))
    if answered:  # (the Markdown's words: its median and its slowest, written the same way)
        times = [r.response_minutes for r in answered]
        said = t("html time to answer", median=t.duration(statistics.median(times)), slowest=t.duration(max(times)))
        out.append(f"<p>{text(said)}</p>")
    if themes := report.themes(t.code):
        out.append(f"<table><tr><th>{text(t('theme'))}</th><th>{text(t('complaints'))}</th></tr>")
        out += [f'<tr><td>{text(theme)}</td><td class="n">{n(count)}</td></tr>' for theme, count in themes]
        out.append("</table>")

    praise, thanked = report.praise, report.thanked
    out.append(f"<h2>{text(t('praise'))}</h2><p>" + text(t(
        "html praise", count=n(len(praise)), praise=t.plural(len(praise), "message of praise", "messages of praise"),
        share=share(len(praise), len(rows)), thanked=n(len(thanked)), thanked_share=share(len(thanked), len(praise)),
    )) + "</p>")  # fmt: skip

    out.append(f"<h2>{text(t('starred'))}</h2>")
    starred = report.starred
    if not starred:
        out.append(f"<p>{t('no star', star='<code>*</code>')}</p>")  # (the table's own text: no markup in it)
    for name, heading in (("positive", "Positive"), ("negative", "Negative"), ("neutral", "Other")):
        chosen = [r for r in starred if r.label == name]
        if chosen:
            out.append(f"<h3>{text(t(heading))} ({n(len(chosen))})</h3>")
            out += [_quote(r, zone, t) for r in chosen]
    out.append("</body></html>")
    return "\n".join(out)
