"""The month's report: what it counts, how it treats untrusted text, and `cminbox report`."""

import csv
import io
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

import pytest

from cminbox.report import ReportError, build, csv_cell, markdown, md_text, month_bounds, write_csv
from cminbox.report_html import html
from cminbox.store import Store

from conftest import make_message

PARIS = ZoneInfo("Europe/Paris")
# A fixed moment in November 2025, Paris time; the report's "now".
NOW = datetime(2025, 11, 24, 17, 0, tzinfo=PARIS).timestamp()


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> float:
    return datetime(2025, month, day, hour, minute, tzinfo=PARIS).timestamp()


@pytest.fixture
def inbox(tmp_path):
    """A Paris workspace (weekdays 9-18, answers due within 60 min) with a month of messages."""
    s = Store(tmp_path / "report.db")
    s.ensure_workspace("brand", "Brand & Co", 60, business_hours="Mon-Fri 09:00-18:00", timezone="Europe/Paris")
    s.register_source("test", "brand", "test", "test source")
    messages = {
        # Complaints: one answered by a reply 20 min later, one marked done 3 h later, one open.
        "replied": make_message(text="Toujours pas reçu ma commande, je veux être remboursée !!", created_at=at(3, 10)),
        "late": make_message(text="I was charged twice for my order and still no refund", network="instagram",
                             kind="dm", created_at=at(5, 11)),
        "open": make_message(text="Colis jamais reçu, c'est une honte, remboursement svp", created_at=at(20, 15)),
        # Praise and a neutral question, starred and not.
        "praise": make_message(text="Merci, la brioche était délicieuse, je recommande !", network="facebook",
                               kind="comment", created_at=at(12, 9)),
        "question": make_message(text="Vous ouvrez à quelle heure dimanche ?", created_at=at(18, 12)),
        # Outside the month, and spam: left out.
        "october": make_message(text="Super service, merci !", created_at=at(31, 12, month=10)),
        "spam": make_message(text="Je gagne 300€/jour grâce au trading, écrivez-moi sur telegram", created_at=at(7, 8)),
    }  # fmt: skip
    ids = dict(zip(messages, s.ingest("test", list(messages.values())).new_ids))
    s.conn.execute(
        """INSERT INTO outbox (message_id, text, state, created_at, updated_at, sent_at)
           VALUES (?, 'Nous regardons tout de suite.', 'sent', ?, ?, ?)""",
        (ids["replied"], at(3, 10, 20), at(3, 10, 20), at(3, 10, 20)),
    )
    s.mark_done([ids["late"]])
    s.conn.execute("UPDATE messages SET status_at = ? WHERE id = ?", (at(5, 14), ids["late"]))
    s.set_starred([ids["praise"], ids["open"]], True)
    s.conn.commit()
    yield s, ids
    s.close()


def workspace(store):
    return store.workspaces()[0]


def test_the_report_counts_the_month_and_leaves_spam_and_other_months_out(inbox):
    store, _ = inbox
    report = build(store, workspace(store), "2025-11", now=NOW)
    assert report.month == "2025-11"
    assert len(report.rows) == 5
    assert sum(count for _, _, count in report.volumes) == 5
    assert ("x", "mention", 3) in report.volumes


def test_complaints_are_timed_against_the_target_in_business_hours(inbox):
    store, _ = inbox
    report = build(store, workspace(store), "2025-11", now=NOW)
    by_text = {r.text[:12]: r for r in report.complaints}
    assert len(report.complaints) == 3
    replied, late, still_open = by_text["Toujours pas"], by_text["I was charge"], by_text["Colis jamais"]
    assert replied.response_minutes == pytest.approx(20) and replied.on_time is True
    assert late.response_minutes == pytest.approx(180) and late.on_time is False
    assert still_open.answered_at is None and still_open.on_time is None
    text = markdown(report)
    assert "- 3 complaints" in text
    assert "(target: an answer within 60 min, in business hours)" in text
    always = replace(workspace(store), business_hours="")
    assert "(target: an answer within 60 min)" in markdown(build(store, always, "2025-11", now=NOW))
    assert "target: an answer within 60 min, in business hours." in html(report)
    assert "target: an answer within 60 min.</p>" in html(build(store, always, "2025-11", now=NOW))
    assert "- answered (a reply sent, or marked done): 2 (67 %)" in text
    # One on time, one late, one open: 34 + 33 + 33, adding up to 100 % (not 33 × 3), answered 67 %.
    assert "    - within the target: 1 (34 % of complaints)" in text
    assert "    - after the target: 1 (33 % of complaints)" in text and "still open (no reply sent, not marked done): 1 (33 %)" in text
    assert "median 1.7 h, slowest 3.0 h" in text  # 20 min and 180 min
    assert "Time to answer: median 1.7 h, slowest 3.0 h." in html(report)  # the page says all the Markdown says
    # The same problem in both languages is one theme: the English report names it in English first.
    assert "| refund / remboursement | 3 |" in text
    assert "| remboursement / refund | 3 |" in markdown(report, "fr")
    assert "<td>refund / remboursement</td>" in html(report)


def test_a_theme_counts_each_complaint_once_and_is_named_by_the_cues_written():
    from cminbox.triage.cue_themes import SAME_PROBLEM, themes
    from cminbox.triage.cues import CUE_PATTERNS

    assert {cue for fr, en in SAME_PROBLEM for cue in fr + en} <= set(CUE_PATTERNS)  # no stale label
    complaints = [["débité deux fois", "remboursement"], ["charged twice", "refund"], ["débité deux fois", "charged twice"],
                  ["retard"], ["late", "delay"], ["bug"]]  # fmt: skip
    assert themes(complaints, "fr", 10) == [
        ("débité deux fois / charged twice", 3), ("remboursement / refund", 2), ("retard / delay / late", 2), ("bug", 1),
    ]
    assert themes(complaints, "en", 2) == [("charged twice / débité deux fois", 3), ("refund / remboursement", 2)]
    assert themes([["charged twice"]], "fr", 5) == [("charged twice", 1)]  # only what customers wrote


def test_starred_feedback_is_quoted_by_sentiment(inbox):
    store, _ = inbox
    text = markdown(build(store, workspace(store), "2025-11", now=NOW))
    starred = text.split("## Starred feedback")[1]
    positive, negative = starred.split("### Negative")
    assert "### Positive (1)" in positive and "la brioche était délicieuse" in positive
    assert "Colis jamais reçu" in negative
    assert "Vous ouvrez" not in starred  # not starred


def test_a_month_without_stars_says_how_to_star(inbox):
    store, _ = inbox
    text = markdown(build(store, workspace(store), "2025-10", now=NOW))
    assert "1 message from 01 Oct 2025 to 31 Oct 2025 (spam left out)" in text
    assert "`*` in the inbox stars one" in text


def test_the_period_is_the_whole_month_so_far_or_not_yet(inbox):
    store, _ = inbox
    empty = markdown(build(store, workspace(store), "2025-09", now=NOW))
    assert "0 messages from 01 Sep 2025 to 30 Sep 2025" in empty
    ongoing = markdown(build(store, workspace(store), None, now=NOW))
    assert f"to {datetime.fromtimestamp(NOW, PARIS):%d %b %Y} (this month so far)" in ongoing
    assert "has not started yet" in markdown(build(store, workspace(store), "2026-03", now=NOW))
    # The HTML page says the same: a month in progress must not read as a whole one.
    page = html(build(store, workspace(store), None, now=NOW))
    assert f"to {datetime.fromtimestamp(NOW, PARIS):%d %b %Y} (this month so far)" in page
    assert "0 message du 1er septembre 2025 au 30 septembre 2025" in html(build(store, workspace(store), "2025-09", now=NOW), "fr")


def test_months_are_asked_for_by_number_this_or_last():
    assert month_bounds("2025-11", PARIS, NOW)[0] == "2025-11"
    assert month_bounds(None, PARIS, NOW)[0] == "2025-11"
    assert month_bounds("last", PARIS, NOW)[0] == "2025-10"
    label, start, end = month_bounds("2025-12", PARIS, NOW)
    assert (label, start, end) == ("2025-12", at(1, 0, month=12), datetime(2026, 1, 1, tzinfo=PARIS).timestamp())
    for bad in ("novembre", "2025-13", "11/2025"):
        with pytest.raises(ReportError, match="expected YYYY-MM"):
            month_bounds(bad, PARIS, NOW)


def test_untrusted_text_stays_text_in_markdown_and_csv(inbox):
    store, _ = inbox
    hostile = "La brioche était super [voir ici](javascript:alert(1)) <img src=x onerror=alert(1)> | `code` \x1b]52;c;aGk=\x07"
    [mid] = store.ingest("test", [make_message(text=hostile, author_name="=cmd|' /C calc'!A0", created_at=at(21, 10))]).new_ids
    store.set_starred([mid], True)
    report = build(store, workspace(store), "2025-11", now=NOW)
    text = markdown(report)
    line = next(line for line in text.splitlines() if "voir ici" in line)
    assert "\\[voir ici\\]" in line and "\\<img" in line and "\\|" in line and "\\`code\\`" in line
    assert "\x1b" not in text and "\x07" not in text
    out = io.StringIO()
    write_csv(report, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    row = next(r for r in rows if "voir ici" in r["text"])
    assert row["author"].startswith("'=")  # a spreadsheet shows it, does not run it
    assert "\x1b" not in out.getvalue()
    assert md_text("Tom & Jerry &amp; &#60;") == "Tom & Jerry \\&amp; \\&#60;"  # no entity, readable &
    assert md_text("a*b_c") == "a\\*b\\_c" and csv_cell("+1") == "'+1" and csv_cell("ok") == "ok"


def test_csv_has_a_line_per_message_with_its_answer(inbox):
    store, _ = inbox
    out = io.StringIO()
    assert write_csv(build(store, workspace(store), "2025-11", now=NOW), out) == 5
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    replied = next(r for r in rows if r["text"].startswith("Toujours pas"))
    assert replied["complaint"] == "yes" and replied["response_minutes"] == "20" and replied["on_time"] == "yes"
    assert replied["created"] == "2025-11-03T10:00+01:00"
    # Scores are numbers a spreadsheet can average: a negative one is not quoted as text.
    negative = [r["sentiment"] for r in rows if float(r["sentiment"].lstrip("'")) < 0]
    assert negative and all(not value.startswith("'") for value in negative)
    assert csv_cell(-0.86) == "-0.86" and csv_cell("-0.86") == "'-0.86"  # the same from a stranger stays text


def cminbox(*args):
    return subprocess.run([sys.executable, "-m", "cminbox", *args], capture_output=True, text=True, timeout=60)


def test_cminbox_report_writes_the_month(inbox, tmp_path):
    store, _ = inbox
    path = store.path
    target = tmp_path / "nov.csv"
    done = cminbox("report", "--db", str(path), "--month", "2025-11", "--format", "csv", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert "brand 2025-11: 5 messages reported in" in done.stderr
    assert target.read_text(encoding="utf-8").count("\n") == 6  # header + 5
    shown = cminbox("report", "--db", str(path), "--month", "2025-11")
    assert shown.returncode == 0 and shown.stdout.startswith("# Brand & Co: report for 2025-11")


def test_cminbox_report_says_what_is_wrong(inbox, tmp_path):
    store, _ = inbox
    bad = cminbox("report", "--db", str(store.path), "--month", "novembre")
    assert bad.returncode == 2 and "expected YYYY-MM" in bad.stderr and "Traceback" not in bad.stderr
    missing = cminbox("report", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no database at" in missing.stderr
    unwritable = cminbox("report", "--db", str(store.path), "-o", str(tmp_path / "no" / "such" / "dir.md"))
    assert unwritable.returncode == 1 and "cannot write" in unwritable.stderr


def test_the_html_page_draws_its_charts_and_shows_text_as_text(inbox):
    store, _ = inbox
    hostile = "La brioche était super <script>alert(1)</script> <img src=x onerror=alert(1)> \x1b[2J"
    [mid] = store.ingest("test", [make_message(text=hostile, url="javascript:alert(1)", created_at=at(21, 10))]).new_ids
    store.set_starred([mid], True)
    page = html(build(store, workspace(store), "2025-11", now=NOW))
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 2  # sentiment by week, complaints
    assert "<script" not in page and "<img" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page  # the link a browser must not open is dropped, the text kept
    assert 'href="https://example.com/status/' in page and 'rel="noopener noreferrer"' in page  # the praise's link
    assert "Brand &amp; Co: report for 2025-11" in page
    assert "<td>X</td><td>mention</td>" in page and "<td>x</td>" not in page  # networks as readers name them


def test_cminbox_report_writes_html(inbox, tmp_path):
    store, _ = inbox
    target = tmp_path / "nov.html"
    done = cminbox("report", "--db", str(store.path), "--month", "2025-11", "--format", "html", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert "<h2>Starred feedback</h2>" in target.read_text(encoding="utf-8")


def test_praise_is_counted_and_so_is_how_much_of_it_was_thanked(inbox):
    store, ids = inbox
    report = build(store, workspace(store), "2025-11", now=NOW)
    assert [r.text[:5] for r in report.praise] == ["Merci"] and report.thanked == []
    assert "- 1 message of praise, 20 % of messages" in markdown(report)
    assert "- thanked (a reply sent, or marked done): 0 (0 %)" in markdown(report)
    store.mark_done([ids["praise"]])
    report = build(store, workspace(store), "2025-11", now=NOW)
    assert "- thanked (a reply sent, or marked done): 1 (100 %)" in markdown(report)
    assert "thanked (a reply sent, or marked done): 1 (100 %)" in html(report)
    out = io.StringIO()
    write_csv(report, out)
    lines = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [line["praise"] for line in lines if line["text"].startswith("Merci")] == ["yes"]
    assert {line["praise"] for line in lines if not line["text"].startswith("Merci")} == {"no"}


def test_a_sentiment_that_rounds_to_zero_is_written_0_not_minus_0(inbox):
    store, ids = inbox
    store.conn.execute("UPDATE messages SET sentiment = -0.001")
    out = io.StringIO()
    write_csv(build(store, workspace(store), "2025-11", now=NOW), out)
    assert {line["sentiment"] for line in csv.DictReader(io.StringIO(out.getvalue()))} == {"0.0"}


# -- Every message and every complaint is counted once: parts add up to their totals ----------


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def md_counts(text: str) -> dict:
    """What the Markdown report says, as numbers: its totals and the parts of each."""
    lines = text.splitlines()

    def section(title: str) -> list[str]:
        start = lines.index(title) + 1
        end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
        return lines[start:end]

    def line_number(pattern: str, default: int | None = None) -> int:
        found = re.search(pattern, text, re.MULTILINE)
        assert found or default is not None, pattern
        return _int(found.group(1)) if found else default

    complaints = section(next(line for line in lines if line.startswith("## Complaints")))
    return {
        "messages": line_number(r"^([\d,]+) messages? "),
        "volumes": [_int(row.split("|")[3]) for row in section("## Volumes")[3:] if row.startswith("|")],
        "labels": [line_number(rf"^- {name}: ([\d,]+) ") for name in ("negative", "neutral", "positive")],
        "weeks": [[_int(cell) for cell in row.split("|")[2:5]]
                  for row in section("## Sentiment") if re.match(r"\| \w{3} \d\d \w{3} \|", row)],  # fmt: skip
        "complaints": line_number(r"^- ([\d,]+) complaints?, "),
        "answered": line_number(r"^- answered \(a reply sent, or marked done\): ([\d,]+) "),
        "on time": line_number(r"^    - within the target: ([\d,]+) "),
        "late": line_number(r"^    - after the target: ([\d,]+) "),
        "open": line_number(r"^- still open \(no reply sent, not marked done\): ([\d,]+) "),
        "snoozed": line_number(r"^- still open .*, ([\d,]+) of them snoozed$", 0),
        "complaint lines": len([line for line in complaints if line.startswith(("- ", "    - "))]),
    }


def html_counts(page: str) -> dict:
    """What the HTML report says, as numbers: the same totals and parts."""
    weeks = re.findall(r'<text x="0" y="\d+">week of [^<]*</text>(.*?)<text x="\d+" y="\d+">([\d,]+)</text>', page)
    legend = dict(re.findall(r"</svg> (answered on time|answered late|still open): ([\d,]+)", page))
    snoozed = re.search(r"still open: [\d,]+ \(([\d,]+) snoozed\)", page)
    return {
        "messages": _int(re.search(r'<p class="meta">([\d,]+) messages? ', page).group(1)),
        "volumes": [_int(n) for n in re.findall(r'<td class="n">([\d,]+)</td></tr>', page.split("<h2>Sentiment")[0])],
        "labels": [_int(re.search(rf"{name} ([\d,]+) \(", page).group(1)) for name in ("negative", "neutral", "positive")],
        "weeks": [([_int(n) for n in re.findall(r"<title>week of [^<:]*: ([\d,]+) \w+</title>", bars)], _int(total))
                  for bars, total in weeks],  # fmt: skip
        "complaints": _int(re.search(r"<h2>Complaints</h2><p>([\d,]+) complaints?", page).group(1)),
        "on time": _int(legend["answered on time"]),
        "late": _int(legend["answered late"]),
        "open": _int(legend["still open"]),
        "snoozed": _int(snoozed.group(1)) if snoozed else 0,
    }


def csv_counts(report) -> dict:
    out = io.StringIO()
    write_csv(report, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    complaints = [r for r in rows if r["complaint"] == "yes"]
    waiting = [r for r in complaints if not r["answered"]]
    return {
        "messages": len(rows),
        "complaints": len(complaints),
        "answered": len(complaints) - len(waiting),
        "on time": sum(1 for r in complaints if r["on_time"] == "yes"),
        "late": sum(1 for r in complaints if r["on_time"] == "no"),
        "open": len(waiting),
        "snoozed": sum(1 for r in waiting if r["status"] == "snoozed"),
    }


def snooze(store, ids, day=30):
    store.set_status(ids, "snoozed", snooze_until=at(day, 10))


@pytest.fixture
def busy_inbox(inbox):
    """The month's inbox with complaints in every state: one snoozed without an answer, one
    answered by a reply then snoozed (the CM waits for the customer), beside the fixture's one
    replied to (left open), one marked done late, and one open."""
    store, ids = inbox
    more = {
        "snoozed": make_message(text="Commande jamais arrivée, remboursez-moi, c'est inadmissible", created_at=at(14, 10)),
        "replied then snoozed": make_message(text="Produit cassé à la livraison, je veux un remboursement",
                                             network="facebook", kind="comment", created_at=at(14, 11)),
    }  # fmt: skip
    ids.update(zip(more, store.ingest("test", list(more.values())).new_ids))
    store.conn.execute(
        """INSERT INTO outbox (message_id, text, state, created_at, updated_at, sent_at)
           VALUES (?, 'Désolés, nous vous envoyons un autre produit.', 'sent', ?, ?, ?)""",
        (ids["replied then snoozed"], at(14, 11, 30), at(14, 11, 30), at(14, 11, 30)),
    )
    snooze(store, [ids["snoozed"], ids["replied then snoozed"]])
    store.conn.commit()
    return store, ids


def test_a_snoozed_complaint_is_still_open_and_a_replied_one_is_not(busy_inbox):
    store, _ = busy_inbox
    report = build(store, workspace(store), "2025-11", now=NOW)
    text = markdown(report)
    assert "- 5 complaints, 71 % of messages" in text
    assert "- answered (a reply sent, or marked done): 3 (60 %)" in text
    assert "    - within the target: 2 (40 % of complaints)" in text
    assert "    - after the target: 1 (20 % of complaints)" in text
    assert "- still open (no reply sent, not marked done): 2 (40 %), 1 of them snoozed" in text
    page = html(report)
    assert "answered on time: 2" in page and "answered late: 1" in page and "still open: 2 (1 snoozed)" in page


def test_parts_add_up_to_their_totals_in_every_format(busy_inbox):
    store, _ = busy_inbox
    report = build(store, workspace(store), "2025-11", now=NOW)
    md, page, table = md_counts(markdown(report)), html_counts(html(report)), csv_counts(report)
    total = len(report.rows)
    assert md["messages"] == page["messages"] == table["messages"] == total == 7
    for said in (md, page):
        assert sum(said["volumes"]) == total
        assert sum(said["labels"]) == total
    assert sum(map(sum, md["weeks"])) == total
    assert all(sum(parts) == week_total for parts, week_total in page["weeks"])
    assert sum(week_total for _, week_total in page["weeks"]) == total
    # Each complaint is answered (on time or late) or still open, snoozed or not: never both, never neither.
    for said in (md, page, table):
        assert said["on time"] + said["late"] + said["open"] == said["complaints"] == len(report.complaints) == 5
        assert said["snoozed"] <= said["open"]
    for said in (md, table):
        assert said["answered"] + said["open"] == said["complaints"]
        assert said["on time"] + said["late"] == said["answered"]
    for key in ("complaints", "on time", "late", "open", "snoozed"):
        assert md[key] == page[key] == table[key], key
    assert (md["open"], md["snoozed"]) == (2, 1)


def test_the_charts_tooltips_say_what_their_numbers_are_in_the_reports_language(busy_inbox):
    store, _ = busy_inbox
    report = build(store, workspace(store), "2025-11", now=NOW)
    page, page_fr = html(report), html(report, "fr")
    for said in (page, page_fr):
        assert not re.search(r"<title>[\d,\s\u202f]*</title>", said)  # never a bare number
    assert "<title>week of 03 Nov: 2 negative</title>" in page and "<title>week of 17 Nov: 1 neutral</title>" in page
    assert "<title>answered on time: 2</title>" in page and "<title>still open: 2 (1 snoozed)</title>" in page
    assert "<title>semaine du 3 novembre : 2 négatifs</title>" in page_fr
    assert "<title>semaine du 17 novembre : 1 neutre</title>" in page_fr
    assert "<title>répondues dans les délais : 2</title>" in page_fr


def test_shares_of_one_whole_add_up_to_exactly_100_percent_in_every_format_and_language(busy_inbox):
    from cminbox.report_lang import language, whole_percents

    assert whole_percents([2, 2, 3]) == [29, 28, 43]  # (29 + 29 + 43 = 101 rounded one by one; a tie: the earlier)
    assert whole_percents([1, 1, 1]) == [34, 33, 33] and whole_percents([26, 46, 28]) == [26, 46, 28]
    assert whole_percents([1, 2]) == [33, 67] and whole_percents([0, 0]) == [0, 0]
    assert language("fr").shares([2, 2, 3]) == ["29 %", "28 %", "43 %"] and language("en").shares([0, 0]) == ["—", "—"]
    for counts in ([1, 1, 1, 1, 1, 1, 1], [7, 0, 13], [1, 1, 998], [3, 3, 3, 3, 3, 3]):
        assert sum(whole_percents(counts)) == 100
    store, ids = busy_inbox
    # 7 messages: 2 negative, 2 neutral, 3 positive; complaints 2 on time, 1 late, 2 open: 40 + 20 + 40.
    store.conn.execute("UPDATE messages SET sentiment = 0.0 WHERE id IN (?, ?)", (ids["snoozed"], ids["replied then snoozed"]))
    store.conn.execute("UPDATE messages SET sentiment = 0.8 WHERE id IN (?, ?, ?)", (ids["praise"], ids["late"], ids["open"]))
    store.conn.execute("UPDATE messages SET sentiment = -0.8 WHERE id IN (?, ?)", (ids["replied"], ids["question"]))
    store.conn.commit()
    report = build(store, workspace(store), "2025-11", now=NOW)
    assert Counter(r.label for r in report.rows) == {"negative": 2, "neutral": 2, "positive": 3}
    for lang, (neg, neu, pos) in (("en", ("negative", "neutral", "positive")), ("fr", ("négatif", "neutre", "positif"))):
        text, page = markdown(report, lang), html(report, lang)
        said = [re.search(rf"^- {name} ?: \d+ \((\d+) %\)$", text, re.MULTILINE).group(1) for name in (neg, neu, pos)]
        assert said == ["29", "28", "43"], lang
        shown = [re.search(rf"{name} \d+ \((\d+) %\)", page).group(1) for name in (neg, neu, pos)]
        assert shown == ["29", "28", "43"], lang


# -- Every week of the month has its row -------------------------------------------------------


def md_weeks(text: str) -> list[str]:
    return [row for row in text.splitlines() if re.match(r"\| \w{3} \d\d \w{3} \|", row)]


def test_every_week_of_the_month_has_a_row_weeks_without_messages_included(inbox):
    store, _ = inbox
    # November 2025 starts on a Saturday: its first week is that of Mon 27 Oct. Nothing came in
    # that week, nor in the week of 24 Nov (the month so far ends on that Monday).
    report = build(store, workspace(store), "2025-11", now=NOW)
    weeks = md_weeks(markdown(report))
    assert [row[2:12] for row in weeks] == ["Mon 27 Oct", "Mon 03 Nov", "Mon 10 Nov", "Mon 17 Nov", "Mon 24 Nov"]
    # An empty week reads plainly: zeros and a dash, no empty bar between stray backticks.
    assert weeks[0] == "| Mon 27 Oct | 0 | 0 | 0 | — |" and weeks[-1] == "| Mon 24 Nov | 0 | 0 | 0 | — |"
    assert "| Mon 17 Nov | 1 | 1 | 0 | `████████████` 50 % |" in weeks  # a week with messages keeps its bar
    assert "| Mon 10 Nov | 0 | 0 | 1 | 0 % |" in weeks  # and one without a negative message has none
    page = html(report)
    assert re.findall(r">week of (\d\d \w{3})<", page) == ["27 Oct", "03 Nov", "10 Nov", "17 Nov", "24 Nov"]
    # A month gone by: all its weeks, from the one of its first day to the one of its last.
    october = md_weeks(markdown(build(store, workspace(store), "2025-10", now=NOW)))
    assert [row[2:12] for row in october] == ["Mon 29 Sep", "Mon 06 Oct", "Mon 13 Oct", "Mon 20 Oct", "Mon 27 Oct"]
    assert sum(int(row.split("|")[2]) + int(row.split("|")[3]) + int(row.split("|")[4]) for row in october) == 1


def test_a_month_still_going_shows_its_weeks_so_far_and_one_to_come_none(inbox):
    store, _ = inbox
    december = build(store, workspace(store), "2025-12", now=at(10, 12, month=12))
    assert [row[2:12] for row in md_weeks(markdown(december))] == ["Mon 01 Dec", "Mon 08 Dec"]
    assert md_weeks(markdown(build(store, workspace(store), "2026-03", now=NOW))) == []


# -- The report in French ----------------------------------------------------------------------

# English words of the report's own text: none may be left in the French one.
ENGLISH: Final = ("report for", " of messages", "complaint", "answered", "target", "still open", "snoozed",
                  "week of", "Sentiment", "negative", "neutral", "positive", "Praise", "thanked", "Starred",
                  "Other", "spam left out", "median", "slowest", "days", "from 0", "so far", "business hours",
                  "network", "kind", " Nov ", "Mon ")  # fmt: skip


def test_every_text_of_the_report_has_its_french_with_the_same_blanks():
    from string import Formatter

    from cminbox.report_lang import TEXTS

    def blanks(template):
        return sorted({name for _, name, _, _ in Formatter().parse(template) if name})

    assert set(TEXTS["fr"]) == set(TEXTS["en"])
    for key, english in TEXTS["en"].items():
        assert blanks(TEXTS["fr"][key]) == blanks(english), key


def test_the_report_in_french_says_it_all_in_french_with_french_dates_and_numbers(busy_inbox):
    store, _ = busy_inbox
    report = build(store, workspace(store), "2025-11", now=NOW)
    text = markdown(report, lang="fr")
    assert text.startswith("# Brand & Co : rapport de novembre 2025\n")
    assert "7 messages du 1er novembre 2025 au 24 novembre 2025 (mois en cours), hors spam." in text
    assert "| lundi 27 octobre | 0 | 0 | 0 | — |" in text and "| lundi 3 novembre | 2 | 0 | 0 |" in text
    assert "- 5 réclamations, 71 % des messages" in text
    # The words a French community manager writes to her client: "dans les délais", "hors délai",
    # "sans réponse", "mise en attente" (snoozed), "compliments", "verbatims".
    assert "## Réclamations (objectif : une réponse sous 60 min, en heures ouvrées)" in text
    assert "- répondues (réponse envoyée ou marquées comme traitées) : 3 (60 %)" in text
    assert "    - dans les délais : 2 (40 % des réclamations)" in text
    assert "    - hors délai : 1 (20 % des réclamations)" in text
    assert ("- sans réponse (aucune réponse envoyée, non marquées comme traitées) : 2 (40 %), "
            "dont 1 mise en attente") in text  # fmt: skip
    assert "médiane 30 min, maximum 3,0 h" in text  # the decimal comma
    assert "- 1 compliment, 14 % des messages" in text and "## Verbatims" in text
    assert "| semaine du | négatif | neutre | positif | part de négatifs |" in text
    for awkward in ("élogieux", "étoilé", "en pause", "l’objectif", "encore ouvertes", "le plus long", "jusqu’à"):
        assert awkward not in text, awkward
    assert "| réseau | type | messages |" in text and "| Instagram | message privé | 1 |" in text
    assert "· Facebook commentaire · **Author " in text and "** : Merci, la brioche" in text
    page = html(report, lang="fr")
    assert '<html lang="fr">' in page and "semaine du 3 nov." in page
    assert "médiane 30 min, maximum 3,0 h" in page and "une réponse sous 60 min, en heures ouvrées." in page
    assert "répondues dans les délais : 2" in page and "répondues hors délai : 1" in page
    assert "sans réponse : 2 (dont 1 mise en attente)" in page and "<h2>Verbatims</h2>" in page
    for said in (text, re.sub(r"<[^>]*>", " ", page)):  # (the page's text, not its tags' attributes)
        left = [word for word in ENGLISH if word in said.replace("Brand & Co", "")]
        assert not left, left
    assert md_counts(markdown(report))["complaints"] == 5  # the same report in English, for the record


def test_french_numbers_have_a_decimal_comma_and_a_thin_space_and_the_csv_opens_in_a_french_spreadsheet(busy_inbox):
    from cminbox.report_lang import language

    fr, en = language("fr"), language("en")
    assert (fr.number(1234567), en.number(1234567)) == ("1\u202f234\u202f567", "1,234,567")
    assert (fr.decimal(1.66), en.decimal(1.66)) == ("1,7", "1.7")
    assert (fr.duration(3 * 1440), en.duration(3 * 1440)) == ("3,0 jours", "3.0 days")
    store, _ = busy_inbox
    out = io.StringIO()
    write_csv(build(store, workspace(store), "2025-11", now=NOW), out, lang="fr")
    # What a French spreadsheet opens as columns: semicolons, a byte-order mark (else it reads
    # the accents as Latin-1), and a decimal comma; dates stay ISO 8601.
    written = out.getvalue()
    assert written.startswith("\ufeff") and written.splitlines()[0].count(";") >= 10
    rows = list(csv.DictReader(io.StringIO(written.removeprefix("\ufeff")), delimiter=";"))
    late = next(r for r in rows if r["texte"].startswith("I was charged"))
    assert late["créé"] == "2025-11-05T11:00+01:00" and late["délai_minutes"] == "180"
    assert late["réclamation"] == "oui" and late["dans_les_délais"] == "non" and late["statut"] == "traité"
    assert late["type"] == "message privé" and late["tonalité_libellé"] == "négatif"
    assert "," in late["tonalité"] and "." not in late["tonalité"]
    assert {r["statut"] for r in rows} == {"à traiter", "traité", "en attente"}


def test_cminbox_report_lang_fr_and_only_known_languages(inbox, tmp_path):
    store, _ = inbox
    done = cminbox("report", "--db", str(store.path), "--month", "2025-11", "--lang", "fr")
    assert done.returncode == 0 and done.stdout.startswith("# Brand & Co : rapport de novembre 2025"), done.stderr
    bad = cminbox("report", "--db", str(store.path), "--lang", "de")
    assert bad.returncode == 2 and "invalid choice: 'de'" in bad.stderr
