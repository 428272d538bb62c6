"""Triage from the command line, and the evaluation that keeps the README's figures honest."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from cminbox.triage import labeled

ROOT = Path(__file__).resolve().parent.parent


def cminbox(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cminbox", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


# -- the labeled inbox -----------------------------------------------------------------------


def test_the_labeled_inbox_is_well_formed_and_big_enough():
    items = labeled.load()  # raises on a malformed line or a duplicate text
    langs = Counter(i.lang for i in items)
    assert len(items) >= 2000 and langs["fr"] >= 900 and langs["en"] >= 900
    for which in (labeled.TUNING, labeled.TEST):
        part = labeled.part(items, which)
        for label in ("complaint", "question", "praise", "spam"):
            for lang in ("fr", "en"):
                assert sum(getattr(i, label) for i in part if i.lang == lang) >= 5, (which, label, lang)
    assert {i.network for i in items} >= {"x", "facebook", "instagram", "google", "trustpilot", "reddit", "youtube"}
    assert {i.kind for i in items} == {"comment", "dm", "mention", "review"}
    assert len(labeled.part(items, labeled.TEST)) / len(items) == pytest.approx(0.3, abs=0.03)


def test_a_bad_line_is_named():
    with pytest.raises(labeled.LabelError, match="x.txt:1"):
        labeled.parse_line("fr x mention angry C | text", "x.txt:1")
    with pytest.raises(labeled.LabelError, match="question"):
        labeled.parse_line("fr x mention neg CQ | où est ma commande ?", "x.txt:2")


# -- cminbox score ---------------------------------------------------------------------------


def test_score_reads_plain_lines_and_jsonl():
    lines = [
        "Toujours pas reçu ma commande, remboursez-moi",
        json.dumps({"id": "a7", "text": "Do you ship to Canada?", "lang": "en", "kind": "comment"}),
        json.dumps({"text": "Service nul, 1 étoile", "kind": "review", "rating": 1}),
        "",
    ]
    out = cminbox("score", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 4
    assert rows[0]["lang"] == "fr" and rows[0]["complaint"] is True and rows[0]["sentiment"] == "negative"
    assert set(rows[0]) >= {"sentiment_score", "complaint_score", "question", "praise", "spam", "cues"}
    assert rows[1]["id"] == "a7" and rows[1]["question"] is True and rows[1]["complaint"] is False
    assert rows[2]["complaint"] is True
    assert rows[3] == {}  # an empty line gives an empty object: lines stay aligned


def test_score_takes_messages_as_arguments_too():
    # `cminbox score "…"` is the first thing one tries: each argument is one message, and
    # standard input is not read.
    out = cminbox("score", "Toujours pas reçu ma commande, remboursez-moi", "Do you ship to Canada?", stdin="ignored\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["lang"], r["complaint"], r["question"]) for r in rows] == [("fr", True, False), ("en", False, True)]


def test_score_reports_a_bad_json_line_and_goes_on():
    out = cminbox("score", stdin='{"text": 3}\nhello there\n')
    assert out.returncode == 1 and "could not be read" in out.stderr and "Traceback" not in out.stderr
    first, second = (json.loads(line) for line in out.stdout.splitlines())
    assert first == {"line": 1, "error": 'a JSON line needs an object with a "text" string'}
    assert second["lang"] == "en"


def test_score_streams_line_by_line():
    """An answer comes out before the input ends: nothing waits for the whole input."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cminbox", "score"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"},
    )
    try:
        for n in range(3):
            process.stdin.write(f"still waiting for my refund, day {n}\n")
            process.stdin.flush()
            assert json.loads(process.stdout.readline())["complaint"] is True
    finally:
        process.stdin.close()
        process.wait(timeout=60)


# -- cminbox eval ------------------------------------------------------------------------------


def _readme_figures() -> tuple[float, float]:
    """(the complaint F1 floor, the complaint F1 in the README's table of figures)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    floor = re.search(r"complaint F1 floor is \*\*(\d\.\d+)\*\*", text)
    table = re.search(r"^\| complaint F1 \| \*\*(\d\.\d+)\*\*", text, re.MULTILINE)
    assert floor and table, "README.md must state the complaint F1 floor and show the figure in its table"
    return float(floor.group(1)), float(table.group(1))


def test_complaint_f1_on_the_test_part_is_at_least_the_readme_floor():
    floor, shown = _readme_figures()
    assert floor == shown, "the README's floor and the figure in its table disagree"
    out = cminbox("eval", "--split", "test", "--json")
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    scorer = figures["scorer"]["labels"]["complaint"]["all"]["f1"]
    assert scorer >= floor
    assert scorer > figures["plain VADER"]["labels"]["complaint"]["all"]["f1"]
    assert scorer > figures["0.1 rules"]["labels"]["complaint"]["all"]["f1"]


def test_eval_prints_every_label_per_language_and_the_matrices():
    out = cminbox("eval", "--split", "tuning")
    assert out.returncode == 0, out.stderr
    for heading in ("complaint", "question", "praise", "spam", "sentiment", "plain VADER", "0.1 rules",
                    "complaint confusion", "sentiment confusion", "  fr (", "  en ("):  # fmt: skip
        assert heading in out.stdout


def test_eval_measures_outside_data(tmp_path):
    data = tmp_path / "outside.jsonl"
    data.write_text("\n".join(json.dumps(row) for row in [
        {"text": "where is my refund??", "complaint": True, "sentiment": "negative", "lang": "en"},
        {"text": "merci, tout est parfait", "complaint": False, "sentiment": "positive", "lang": "fr"},
    ]) + "\n", encoding="utf-8")  # fmt: skip
    out = cminbox("eval", "--data", str(data), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["scorer"]["labels"]["complaint"]["all"]["n"] == 2
    bad = cminbox("eval", "--data", str(tmp_path / "missing.jsonl"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert f"{tmp_path / 'missing.jsonl'}: no such file or directory" in bad.stderr and "Errno" not in bad.stderr


def test_eval_shows_no_sentiment_figure_for_a_language_without_data(tmp_path):
    data = tmp_path / "english.jsonl"
    data.write_text(json.dumps({"text": "love it, thanks", "sentiment": "positive", "lang": "en"}) + "\n", encoding="utf-8")
    out = cminbox("eval", "--data", str(data))
    assert out.returncode == 0, out.stderr
    rows = out.stdout.split("sentiment (accuracy")[1].splitlines()
    french = next(row for row in rows if row.startswith("  fr"))
    english = next(row for row in rows if row.startswith("  en"))
    assert "0.00" not in french and "—" in french  # no French message: no figure, rather than 0
    assert "1.00" in english


# -- cminbox corrections / buzz ------------------------------------------------------------------


def test_corrections_export_import_and_buzz_from_the_command_line(tmp_path):
    from cminbox.store import Store
    from conftest import make_message

    source = tmp_path / "a.db"
    store = Store(source)
    store.ensure_workspace("brand", "Brand", 60)
    store.register_source("s", "brand", "t", "t")
    ids = store.ingest("s", [make_message(native_id="x1", text="La box du dimanche est arrivée sans la brioche")]).new_ids
    store.set_complaint_override(ids, True)
    store.close()
    exported = tmp_path / "corrections.jsonl"
    out = cminbox("corrections", "export", "--db", str(source), "-o", str(exported))
    assert out.returncode == 0 and "1 correction exported" in out.stderr
    assert json.loads(exported.read_text())["complaint"] is True

    target = tmp_path / "b.db"
    other = Store(target)
    other.ensure_workspace("brand", "Brand", 60)
    other.close()
    out = cminbox("corrections", "import", str(exported), "--db", str(target), "--workspace", "brand")
    assert out.returncode == 0 and "1 added" in out.stderr
    out = cminbox("corrections", "import", str(exported), "--db", str(target), "--workspace", "nope")
    assert out.returncode == 2 and "no workspace 'nope'" in out.stderr

    out = cminbox("buzz", "--db", str(target))
    assert out.returncode == 0 and "brand: no bad buzz" in out.stdout
    out = cminbox("buzz", "--db", str(tmp_path / "none.db"))
    assert out.returncode == 2 and "no database" in out.stderr


def test_a_command_without_an_inbox_yet_says_where_the_demo_database_is(tmp_path):
    # After `make run`, only the demo's database exists: `cminbox buzz` and `cminbox report`
    # read your inbox's, and say where the demo's is rather than only that none exists.
    data = tmp_path / "data"
    data.mkdir()
    (data / "demo.db").write_bytes(b"")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "CMINBOX_DATA_DIR": str(data), "CMINBOX_CONFIG_DIR": str(tmp_path)}
    for command in (["buzz"], ["report", "--month", "last"]):
        out = subprocess.run([sys.executable, "-m", "cminbox", *command], capture_output=True, text=True, cwd=ROOT,
                             timeout=60, env=env)
        assert out.returncode == 2, out.stderr
        assert f"no database at {data / 'cminbox.db'}" in out.stderr and f"the demo's is --db {data / 'demo.db'}" in out.stderr


def test_buzz_history_says_when_an_alert_fired_and_ended_its_peak_and_the_usual_before_it(tmp_path):
    from datetime import datetime

    from cminbox.store import Store

    path = tmp_path / "buzz.db"
    store = Store(path)
    store.ensure_workspace("brand", "Brand", 60)
    fired = datetime(2026, 1, 5, 9, 6).timestamp()
    summary = {"headline": "27 negative in 15 min, usual 2", "count": 27, "peak": 53, "usual": 2.2, "window_minutes": 15,
               "terms": [["deux fois", 20]], "labels": {}, "authors": [], "networks": [["facebook", 12]]}  # fmt: skip
    alert = store.open_buzz(1, fired - 900, fired, 17, 2.2, {**summary, "count": 17, "peak": 17})
    store.update_buzz(alert, fired + 600, 53, summary)
    store.close()
    out = cminbox("buzz", "--db", str(path), "--history")
    assert out.returncode == 0, out.stderr
    assert ("fired 2026-01-05 09:06, active, now 27 negative in 15 min · peak 53 negative in 15 min · usual 2 before it"
            " · deux fois · facebook 12") in out.stdout  # fmt: skip
    store = Store(path)
    store.update_buzz(alert, fired + 3600, 4, {**summary, "count": 4}, ended_at=fired + 1920)
    store.close()
    out = cminbox("buzz", "--db", str(path), "--history")
    assert "fired 2026-01-05 09:06, ended 09:38 · peak 53 negative in 15 min · usual 2 before it" in out.stdout, out.stdout


def test_buzz_history_says_what_an_ended_alert_was_about_at_its_peak(tmp_path):
    # It printed its last window's words and networks ("appli · instagram 2").
    from datetime import datetime

    from cminbox.store import Store

    path = tmp_path / "buzz.db"
    store = Store(path)
    store.ensure_workspace("brand", "Brand", 60)
    fired = datetime(2026, 1, 5, 9, 6).timestamp()
    at_peak = {"count": 54, "terms": [["deux fois", 15], ["#briochegate", 8]], "labels": {"#briochegate": "#BriocheGate"},
               "authors": [], "networks": [["facebook", 20], ["x", 12]]}  # fmt: skip
    summary = {"headline": "4 negative in 15 min, usual 2", "count": 4, "peak": 54, "usual": 2.2, "window_minutes": 15,
               "terms": [["appli", 3]], "labels": {}, "authors": [], "networks": [["instagram", 2]], "at_peak": at_peak}  # fmt: skip
    alert = store.open_buzz(1, fired - 900, fired, 17, 2.2, summary)
    store.update_buzz(alert, fired + 3600, 54, summary, ended_at=fired + 1920)
    store.close()
    out = cminbox("buzz", "--db", str(path), "--history")
    assert out.returncode == 0, out.stderr
    assert "peak 54 negative in 15 min · usual 2 before it · deux fois, #BriocheGate · facebook 20, x 12" in out.stdout, out.stdout
