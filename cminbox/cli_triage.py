"""Triage on the command line: `cminbox score`, `cminbox eval`, `cminbox corrections`, `cminbox buzz`,
and the month's report, `cminbox report`.

    cminbox score "a message" ["another"…]   one JSON object per line out, for each message
    cminbox score < messages.txt              or for each line in
    cminbox score < messages.jsonl            (JSONL: "text", and optional "lang", "kind", "rating", "id")
    cminbox eval [--split test|tuning|all] [--data FILE.jsonl] [--demo] [--corrections]
    cminbox corrections export [--workspace SLUG] [-o FILE]
    cminbox corrections import FILE [--workspace SLUG]
    cminbox buzz [--workspace SLUG] [--history]
    cminbox report [--workspace SLUG] [--month YYYY-MM|last] [--format md|csv|html] [--lang en|fr] [-o FILE]

Core: no UI imports. Errors go to stderr as one sentence; a user's mistake exits with 2,
a failure with 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from . import paths
from .report_lang import LANGUAGES

COMMANDS = ("score", "eval", "corrections", "buzz", "report")
EXIT_USAGE = 2
EXIT_FAILURE = 1


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"cminbox: {message}", file=sys.stderr)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cminbox", description="Triage commands: score, evaluate, corrections, bad buzz.")
    sub = parser.add_subparsers(dest="command", required=True)

    score = sub.add_parser("score", help="score messages (arguments, or lines of standard input), one JSON object per line out")
    score.add_argument("texts", nargs="*", metavar="TEXT", help="a message to score (none: read standard input, one per line)")
    score.add_argument("--kind", default="mention", choices=("comment", "dm", "mention", "review"),
                       help="kind of message when a line does not say (default: mention)")  # fmt: skip
    score.add_argument("--workspace", help="apply this workspace's corrections (reads --db)")
    score.add_argument("--db", type=Path, metavar="FILE", help="database file (with --workspace)")

    evaluate = sub.add_parser("eval", help="precision, recall and F1 of the scorer, next to plain VADER")
    evaluate.add_argument("--split", choices=("test", "tuning", "all"), default="test",
                          help="part of the labeled inbox to measure (default: test)")  # fmt: skip
    evaluate.add_argument("--data", type=Path, metavar="FILE.jsonl", help="measure on outside labeled data instead")
    evaluate.add_argument("--demo", action="store_true", help="also measure on the demo day (a set written by another hand)")
    evaluate.add_argument("--corrections", action="store_true", help="also show the gain after N corrections")
    evaluate.add_argument("--errors", type=int, default=0, metavar="N", help="print N of the scorer's complaint errors")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")

    corrections = sub.add_parser("corrections", help="export or import a workspace's corrections (JSONL)")
    corrections_sub = corrections.add_subparsers(dest="action", required=True)
    export = corrections_sub.add_parser("export", help="write the workspace's corrections as JSONL")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    imported = corrections_sub.add_parser("import", help="add corrections from a JSONL file ('-' for standard input)")
    imported.add_argument("file", metavar="FILE")
    for p in (export, imported):
        p.add_argument("--workspace", help="workspace short name (default: the only one)")
        p.add_argument("--db", type=Path, metavar="FILE", help="database file (default: the platform's data dir)")

    buzz = sub.add_parser("buzz", help="check a workspace for a bad buzz now, on its stored messages")
    buzz.add_argument("--workspace", help="workspace short name (default: every workspace)")
    buzz.add_argument("--db", type=Path, metavar="FILE", help="database file (default: the platform's data dir)")
    buzz.add_argument("--config", type=Path, metavar="FILE", help="config file (for the workspace's buzz settings)")
    buzz.add_argument("--history", action="store_true", help="list the latest alerts instead")

    report = sub.add_parser(
        "report", help="the month's report: volumes, sentiment, complaint response times, themes, starred feedback",
        description="A workspace's month: messages by network and kind, sentiment by week, complaints "
        "answered within the target, their top themes, and the messages starred with `*`. Markdown "
        "(default), HTML with charts (one self-contained page), or CSV (one line per message, for a spreadsheet).",
    )
    report.add_argument("--workspace", help="workspace short name (default: the only one)")
    report.add_argument("--month", metavar="YYYY-MM", help="the month (default: this month so far; 'last': the month before)")
    report.add_argument("--format", choices=("md", "html", "csv"), default="md", help="md (default), html or csv")
    report.add_argument("--lang", choices=LANGUAGES, default="en", help="the report's language: en (default) or fr")
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    report.add_argument("--db", type=Path, metavar="FILE", help="database file (default: the platform's data dir)")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    commands = {"score": run_score, "eval": run_eval, "corrections": run_corrections, "buzz": run_buzz, "report": run_report}
    return commands[args.command](args)  # (`cminbox score | head`: cli.main ends it quietly)


# -- score -------------------------------------------------------------------------------------


def _scored(line: str, number: int, default_kind: str, learner) -> dict:
    from .models import KINDS
    from .triage.score import score_message

    line = line.rstrip("\n")
    record: dict = {"text": line}
    if line.lstrip().startswith("{"):
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError
        except ValueError:
            return {"line": number, "error": "a JSON line needs an object with a \"text\" string"}
    kind = record.get("kind") if record.get("kind") in KINDS else default_kind
    rating = record.get("rating")
    rating = float(rating) if isinstance(rating, (int, float)) and not isinstance(rating, bool) else None
    lang = record.get("lang") if record.get("lang") in ("fr", "en") else None
    s = score_message(record["text"], kind=kind, lang=lang, rating=rating, learner=learner, author=record.get("author"))
    out = {"id": record["id"]} if "id" in record else {}
    out.update({
        "lang": s.lang, "sentiment": s.sentiment_label, "sentiment_score": s.sentiment,
        "complaint": s.complaint, "complaint_score": s.complaint_score, "question": s.question,
        "praise": s.praise, "spam": s.spam, "cues": list(s.cues),
    })  # fmt: skip
    return out


def run_score(args: argparse.Namespace) -> int:
    """Streams: one line read, one line written; nothing is held but the current line."""
    learner = None
    if args.workspace:
        store, workspace = _open(args.db, args.workspace)
        if store is None:
            return workspace
        learner = store.scoring_context(workspace.id).learner
        store.close()
    errors = 0
    write = sys.stdout.write
    interactive = sys.stdout.isatty()
    if args.texts:
        lines = args.texts
    else:
        if sys.stdin.isatty():  # a prompt, not a silent wait
            print('cminbox score: type messages, one per line, then ctrl+d (or: cminbox score "a message")',
                  file=sys.stderr, flush=True)
        lines = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            write("{}\n")
            continue
        out = _scored(line, number, args.kind, learner)
        errors += "error" in out
        write(json.dumps(out, ensure_ascii=False) + "\n")
        if interactive:
            sys.stdout.flush()
    sys.stdout.flush()
    if errors:
        return _fail(f"{errors} line{'s' if errors > 1 else ''} could not be read (see the \"error\" objects)")
    return 0


# -- eval --------------------------------------------------------------------------------------


def run_eval(args: argparse.Namespace) -> int:
    from .triage import evaluate as E
    from .triage import labeled

    if args.data is not None:
        try:
            items = E.load_jsonl(args.data)
        except OSError as error:  # "no such file", not "[Errno 2] No such file or directory: '…'"
            return _fail(f"{args.data}: {(error.strerror or str(error)).lower()}", EXIT_USAGE)
        except ValueError as error:
            return _fail(str(error), EXIT_USAGE)
        title = f"cminbox eval · {args.data} ({len(items)} messages)"
    else:
        everything = labeled.load()
        items = everything if args.split == "all" else labeled.part(everything, args.split)
        title = f"cminbox eval · labeled inbox, {args.split} part ({len(items)} messages)"
    results = [E.evaluate(items, predictor, name) for name, predictor in E.PREDICTORS.items()]
    if args.json:
        print(json.dumps(E.figures(results), indent=1))
        return 0
    print(E.report(results, title=title))
    if args.errors:
        print(f"\nfirst {args.errors} complaint errors of the scorer:")
        for label, item, guess in [e for e in results[0].errors if e[0] == "complaint"][: args.errors]:
            truth = "complaint" if item.complaint else "no complaint"
            print(f"  [{item.where}] labeled {truth}: {item.text[:110]}")
    if args.demo:
        demo = E.demo_set()
        print()
        print(E.report([E.evaluate(demo, p, n) for n, p in E.PREDICTORS.items()],
                       title=f"demo day (seed 1, {len(demo)} messages; labels from the script's topics)", tags=False))  # fmt: skip
    if args.corrections:
        from .triage.gain import report_gain

        print()
        print(report_gain(items if args.data is not None else labeled.part(labeled.load(), labeled.TEST)))
    return 0


# -- corrections -------------------------------------------------------------------------------


def _open(db: Path | None, slug: str | None):
    """(store, workspace), or (None, exit code) after saying why."""
    from .store import Store, StoreError

    path = db or paths.database_file()
    if not Path(path).exists():
        return None, _fail(paths.missing_database(path), EXIT_USAGE)
    try:
        store = Store(path)
    except StoreError as error:
        return None, _fail(str(error))
    workspaces = store.workspaces()
    if slug:
        chosen = [w for w in workspaces if w.slug == slug]
        if not chosen:
            store.close()
            known = ", ".join(w.slug for w in workspaces) or "none"
            return None, _fail(f"no workspace {slug!r} in {path} (known: {known})", EXIT_USAGE)
        return store, chosen[0]
    if len(workspaces) != 1:
        store.close()
        known = ", ".join(w.slug for w in workspaces) or "none"
        return None, _fail(f"say which workspace with --workspace (known: {known})", EXIT_USAGE)
    return store, workspaces[0]


def run_corrections(args: argparse.Namespace) -> int:
    from .store import StoreError

    store, workspace = _open(args.db, args.workspace)
    if store is None:
        return workspace
    try:
        if args.action == "export":
            out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
            count = 0
            try:
                for row in store.export_corrections(workspace.id):
                    out.write(json.dumps({"workspace": workspace.slug, **row}, ensure_ascii=False) + "\n")
                    count += 1
            finally:
                if args.output:
                    out.close()
            print(f"{count} correction{'s' if count != 1 else ''} exported from {workspace.slug}", file=sys.stderr)
            return 0
        if args.file == "-":
            lines = sys.stdin
        else:
            try:
                lines = Path(args.file).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                return _fail(f"cannot read {args.file}: {error}", EXIT_USAGE)
        result = store.import_corrections(workspace.id, lines)
        for number, reason in result.rejected[:20]:
            print(f"cminbox: line {number}: {reason}", file=sys.stderr)
        print(f"{result.added} added, {result.updated} updated, {result.unchanged} already there, "
              f"{len(result.rejected)} rejected in {workspace.slug}", file=sys.stderr)
        return EXIT_FAILURE if result.rejected and not (result.added or result.updated) else 0
    except StoreError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(str(error))
    finally:
        store.close()


# -- buzz --------------------------------------------------------------------------------------


def run_buzz(args: argparse.Namespace) -> int:
    from .buzz import check
    from .config import ConfigError, buzz_settings, load
    from .hours import BusinessHours, HoursError
    from .store import StoreError

    try:
        config = load(args.config or paths.config_file())
    except ConfigError as error:
        return _fail(str(error), EXIT_USAGE)
    path = args.db or paths.database_file()
    if not Path(path).exists():
        return _fail(paths.missing_database(path), EXIT_USAGE)
    from .store import Store

    try:
        store = Store(path)
    except StoreError as error:
        return _fail(str(error))
    try:
        workspaces = [w for w in store.workspaces() if not args.workspace or w.slug == args.workspace]
        if not workspaces:
            return _fail(f"no workspace {args.workspace!r}" if args.workspace else "no workspace yet", EXIT_USAGE)
        for workspace in workspaces:
            if args.history:
                alerts = store.buzz_alerts(workspace.id)
                print(f"{workspace.slug}: {len(alerts)} alert{'s' if len(alerts) != 1 else ''}")
                for alert in alerts:
                    print("  " + describe_alert(alert))
                continue
            try:
                hours = BusinessHours.parse(workspace.business_hours, workspace.timezone or None)
            except HoursError:
                hours = BusinessHours.parse(None)
            alert = check(store, workspace.id, time.time(), buzz_settings(config, workspace.slug), hours)
            print(f"{workspace.slug}: " + (describe_alert(alert) if alert else "no bad buzz"))
        return 0
    except StoreError as error:
        return _fail(str(error))
    finally:
        store.close()


def describe_alert(alert) -> str:
    """One line: when it fired, whether it is still on (its window now) or when it ended, its
    peak, the usual before it, the words and the networks (an active alert's now, an ended one's
    at its peak: what it was about, not its last window's stragglers)."""
    from datetime import datetime

    from .buzz import peak_words, shown_terms

    s = alert.summary if alert.active else peak_words(alert.summary)
    minutes = s.get("window_minutes", 15)
    fired = datetime.fromtimestamp(alert.fired_at)
    when = fired.strftime("%Y-%m-%d %H:%M")
    if alert.active:
        state = f"active, now {s.get('count', alert.count)} negative in {minutes} min"
    else:
        ended = datetime.fromtimestamp(alert.ended_at)
        state = "ended " + ended.strftime("%H:%M" if ended.date() == fired.date() else "%Y-%m-%d %H:%M")
    peak = max(alert.count, s.get("peak") or 0)
    usual = f"{alert.baseline:.0f}" if alert.baseline >= 1 else "under 1"
    terms = ", ".join(shown_terms(s)[:5])
    networks = ", ".join(f"{n} {c}" for n, c in s.get("networks", [])[:4])
    parts = [f"fired {when}, {state}", f"peak {peak} negative in {minutes} min", f"usual {usual} before it", terms, networks]
    return " · ".join(part for part in parts if part)  # a window gone quiet has no words or networks


# -- report ------------------------------------------------------------------------------------


def run_report(args: argparse.Namespace) -> int:
    from .hours import HoursError
    from .report import ReportError, build, markdown, write_csv
    from .store import StoreError

    store, workspace = _open(args.db, args.workspace)
    if store is None:
        return workspace
    try:
        report = build(store, workspace, args.month, now=time.time())
    except (ReportError, HoursError) as error:
        return _fail(str(error), EXIT_USAGE)
    except StoreError as error:
        return _fail(str(error))
    finally:
        store.close()
    try:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as error:
        return _fail(f"cannot write {args.output}: {error.strerror or error}")
    with out if args.output else nullcontext(out):  # standard output stays open
        if args.format == "csv":
            count = write_csv(report, out, args.lang)
        elif args.format == "html":
            from .report_html import html

            out.write(html(report, args.lang) + "\n")
            count = len(report.rows)
        else:
            out.write(markdown(report, args.lang) + "\n")
            count = len(report.rows)
    if args.output:
        print(f"{workspace.slug} {report.month}: {count} message{'s' if count != 1 else ''} reported in {args.output}", file=sys.stderr)
    return 0

