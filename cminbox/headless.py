"""The subcommands that run without a screen: sync, sources, doctor, import.

Each returns an exit status and prints for people (and cron): results on stdout, failures on
stderr, one line each. Nothing printed here ever holds a secret: errors come from the engine,
which scrubs them, and credentials are named by their reference only.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from . import health, paths
from .config import Config
from .store import Store, StoreError
from .textsafe import clean_line, one_line
from .timefmt import clock_time

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
# Messages stored per transaction by `cminbox import`. Bigger batches share out the commit and
# the full-text index's new segment: storing into a 1M inbox (scores aside) took 71-83 µs a
# message in batches of 500 and 59-66 in batches of 2,000. Batches of 5,000 stored a little
# faster alone (56-58 µs) but no faster with scoring (alternating builds), and the transaction
# holds the write lock longer: an inbox open meanwhile waits for it to mark a message done
# (about 0.1 s at 2,000 into a 1M inbox; scoring runs before the transaction, outside the lock).
# A killed import loses at most its last batch, which the next run stores (rows already there
# are skipped).
IMPORT_BATCH = 2_000
_SHOWN_BAD_ROWS = 50


def _out(line: str) -> None:
    print(line, flush=True)


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _problems(config: Config) -> bool:
    for problem in config.problems:
        _err(f"✗ config: {problem}")
    return bool(config.problems)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- cminbox sync -----------------------------------------------------------------------------


def sync(config: Config, db_path: Path, only: list[str] | None = None) -> int:
    from .sync import Engine

    unknown = sorted(set(only or ()) - {s.key for s in config.sources})
    if unknown:
        _err(f"cminbox: no source with key {', '.join(unknown)} (see `cminbox sources`)")
        return EXIT_USAGE
    failed = _problems(config)
    if not config.sources:
        _err(f"cminbox: no sources configured: add one with `cminbox sources add TYPE --workspace NAME …`, or "
             f"[[sources]] entries to {config.path or paths.config_file()} (see README)")
        return EXIT_FAILURE

    async def run():
        with Store(db_path) as store:
            async with Engine(store, config) as engine:
                results = await engine.sync_once(only=set(only) if only else None)
            return results, {h.key: h.next_try for h in store.sources()}

    try:
        results, next_tries = asyncio.run(run())
    except StoreError as error:
        _err(f"cminbox: {error}")
        return EXIT_FAILURE
    now = time.time()
    for result in results:
        name = f"{result.label} ({result.key})"
        if result.failed and not result.problems:
            failed = True
            state = {"reauth": "needs re-auth", "backoff": "backing off", "error": "error"}.get(result.state, result.state)
            _err(f"✗ {name}: {state}: {health.unlabelled(result.error or '', result.label)}")
            if result.state == "backoff" and next_tries.get(result.key):
                _err(_when_to_retry(result.retry_after is not None, next_tries[result.key], now))
            continue
        counts = [f"{result.new} new"]
        if result.updated:
            counts.append(f"{result.updated} updated")
        if result.duplicates:
            counts.append(f"{result.duplicates} already brought by another source")
        if result.rejected:
            counts.append(f"{len(result.rejected)} unreadable")
        _out(f"✓ {name}: {', '.join(counts)}")
        for problem in result.problems:  # a read that failed while the others worked
            failed = True
            _err(f"✗ {name}: {health.unlabelled(problem, result.label)}")
        for native_id, reason in result.rejected[:5]:
            _err(f"  skipped {clean_line(native_id)[:40]}: {reason}")
        if result.rejected:
            _err("  (kept aside: `cminbox sources --unreadable` shows them with what the network sent)")
    return EXIT_FAILURE if failed else EXIT_OK


def _when_to_retry(rate_limited: bool, next_try: float, now: float) -> str:
    """When this source is worth trying again. A one-off sync does not wait: it says when the
    network allows it (a rate limit) or when the app's own back-off would try."""
    at = clock_time(next_try, now)
    if rate_limited:
        return f"  the network asks to wait: sync it again after {at}"
    return f"  the app's next try is at {at}; `cminbox sync` tries again whenever it is run"


# -- cminbox sources --------------------------------------------------------------------------


def sources(config: Config, db_path: Path, now: float | None = None) -> int:
    now = time.time() if now is None else now
    _problems(config)
    known = {}
    if Path(db_path).exists():
        try:
            with Store(db_path, readonly=True, migrate=False) as store:
                known = {h.key: h for h in store.sources()}
        except StoreError as error:
            _err(f"cminbox: {error}")
            return EXIT_FAILURE
    keys = [s.key for s in config.sources] + [k for k in known if k not in {s.key for s in config.sources}]
    if not keys:
        _out("No sources yet: add one with `cminbox sources add TYPE --workspace NAME …` (or [[sources]] entries "
             "in the config file, see README), then run `cminbox sync`.")
        return EXIT_FAILURE if config.problems else EXIT_OK
    failing = bool(config.problems)
    for key in keys:
        entry = config.source(key)
        row = known.get(key)
        label = entry.label if entry else (row.label if row else key)
        type_ = entry.type if entry else (row.type if row else "?")
        if entry is not None and not entry.enabled:
            _out(f"○ {label} ({key}, {type_}): disabled in the config")
            continue
        if row is None:
            _out(f"· {label} ({key}, {type_}): never synced")
            continue
        if entry is None and type_ != "import":  # stored by another config, or removed from this one: nothing runs it
            _out(f"○ {label} ({key}, {type_}): off (not in the config)")
            continue
        line = f"{health.mark(row)} {label} ({key}, {type_}): {health.phrase(row, now)}"
        if row.fetched_total:
            line += f" · {_plural(row.fetched_total, 'message')} so far"
        _out(line)
        if row.last_error and row.state in health.FAILING:
            failing = True
            _out(f"    {health.error_detail(row)}")
        if row.unreadable:
            _out(f"    {health.unreadable_phrase(row)}: {one_line(row.unreadable_latest)}"
                 f"{' (and more)' if row.unreadable > 1 else ''}; see `cminbox sources --unreadable`")
    return EXIT_FAILURE if failing else EXIT_OK


def unreadable(db_path: Path, key: str | None = None) -> int:
    """`cminbox sources --unreadable`: every item set aside, newest first, with what the network sent."""
    if not Path(db_path).exists():
        _out("Nothing set aside: no database yet.")
        return EXIT_OK
    try:
        with Store(db_path, readonly=True, migrate=False) as store:
            known = {h.key for h in store.sources()}
            items = store.unreadable(key)
    except StoreError as error:
        _err(f"cminbox: {error}")
        return EXIT_FAILURE
    if key is not None and key not in known:
        _err(f"cminbox: no source {key!r} in {db_path}; its sources: {', '.join(sorted(known)) or 'none yet'}")
        return EXIT_USAGE
    if not items:
        _out("Nothing set aside: every item the sources brought was read.")
        return EXIT_OK
    for item in items:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(item.at))
        _out(f"{one_line(item.source_label)} ({item.source_key}) · {when} · {one_line(item.item)}: {one_line(item.reason)}")
        _out(f"    {one_line(item.raw)}")
    _out(f"{_plural(len(items), 'item')} set aside. They stay here until a sync reads them (a newer cminbox may).")
    return EXIT_OK


def edit_sources(config_path: Path, args) -> int:
    """`cminbox sources add|enable|disable`: the config file edited, its comments kept."""
    import tomllib

    from .config import ConfigError
    from .config_edit import add_source, set_enabled

    try:
        if args.action in ("enable", "disable"):
            set_enabled(config_path, args.key, args.action == "enable")
            _out(f"{args.key}: {args.action}d in {config_path} (the app picks it up when it next starts)")
            return EXIT_OK
        values: dict[str, object] = {
            "id": args.key, "type": args.type, "workspace": args.workspace, "label": args.label,
            "url": args.url, "base_url": args.base_url, "interval": args.interval,
            "token": args.token, "password": args.password, "app_password": args.app_password,
            "client_secret": args.client_secret,
        }
        for setting in args.set:
            name, sep, raw = setting.partition("=")
            if not sep or not name.strip():
                _err(f"cminbox: --set takes NAME=VALUE, not {setting!r}")
                return EXIT_USAGE
            try:
                values[name.strip()] = tomllib.loads(f"v = {raw}")["v"]
            except tomllib.TOMLDecodeError:
                values[name.strip()] = raw
        key, new_workspace = add_source(config_path, values)
    except ConfigError as error:
        _err(f"cminbox: {error}")
        return EXIT_FAILURE
    if new_workspace:
        _out(f"added the workspace {args.workspace} to {config_path}: give it the brand's name, keywords and "
             f"hashtags under [workspaces.{args.workspace}]")
    _out(f"added {key} to {config_path}; check it with `cminbox doctor`, fetch with `cminbox sync`")
    return EXIT_OK


# -- cminbox doctor ---------------------------------------------------------------------------


class _Report:
    def __init__(self) -> None:
        self.failed = False

    def ok(self, topic: str, text: str) -> None:
        _out(f"✓ {topic}: {text}")

    def warn(self, topic: str, text: str) -> None:
        _out(f"⚠ {topic}: {text}")

    def fail(self, topic: str, text: str, fix: str | None = None) -> None:
        self.failed = True
        _out(f"✗ {topic}: {text}")
        if fix:
            _out(f"    fix: {fix}")


def doctor(config: Config, config_problem: str | None, db_path: Path) -> int:
    report = _Report()
    where = config.path or paths.config_file()
    if config_problem:
        *each, last = config_problem.splitlines()  # one line per error of the file
        for problem in each:
            report.fail("config", problem)
        report.fail("config", last, "correct the file at those lines; the app opens without it meanwhile" if each
                    else "correct the file at that line; the app opens without it meanwhile")
    elif config.path is None:
        report.warn("config", f"no file at {where}: the inbox opens empty (try `cminbox --demo`)")
    else:
        report.ok("config", f"{where}: {_plural(len(config.workspaces), 'workspace')}, {_plural(len(config.sources), 'source')}")
    for problem in config.problems:
        report.fail("config", problem, f"correct or remove {_what_to_fix(problem)}")
    if config.keymap:
        from .keyids import keymap_problems

        for said in keymap_problems(config.keymap):
            report.warn("config", said)
    asyncio.run(_check_sources(config, report))
    _check_clipboard(report)
    _check_database(db_path, report)
    return EXIT_FAILURE if report.failed else EXIT_OK


async def _check_sources(config: Config, report: _Report) -> None:
    from .credentials import CredentialError, resolve
    from .sources.base import AuthError, SourceError
    from .sources.http import Http, new_client
    from .sources.items import collecting
    from .sources.registry import UnavailableType, build

    async with new_client() as client:
        http = Http(client)
        for entry in config.sources:
            topic = f"source {entry.key}"
            if not entry.enabled:
                report.warn(topic, "disabled (enabled = false)")
                continue

            def secret(name: str, entry=entry) -> str:
                reference = entry.credentials.get(name)
                if reference is None:
                    raise AuthError(f'no {name} in the entry: add {name} = "env:NAME"')
                return resolve(reference)

            try:
                source = build(entry, http, secret)
                with collecting() as unreadable:  # a feed's check reads it: odd items are set aside
                    who = await source.verify()
            except (ValueError, UnavailableType) as error:
                report.fail(topic, str(error), f"correct the entry at line {entry.line}")
            except CredentialError as error:  # not found where the entry points: nothing wrong with the token yet
                report.fail(topic, str(error), "put the credential where the entry's reference points (the message says how)")
            except AuthError as error:
                report.fail(topic, str(error), "create a new token on the network and store it where the entry's reference points")
            except SourceError as error:
                report.fail(topic, str(error), "check base_url / url, and that the network is reachable from here")
            else:
                odd = f" ({_plural(len(unreadable), 'item')} it cannot read: `cminbox sync` sets them aside)" if unreadable else ""
                report.ok(topic, f"{entry.type}: {clean_line(who)}{odd}")


def _check_clipboard(report: _Report) -> None:
    try:
        import pyperclip

        copy, _paste = pyperclip.determine_clipboard()
        available = bool(copy)
    except Exception:
        available = False
    if available:
        report.ok("clipboard", "system clipboard available")
    else:
        report.warn("clipboard", "no system clipboard here: `c` copies through the terminal (OSC 52); "
                    "install xclip, xsel or wl-clipboard for the system one")


def _what_to_fix(problem: str) -> str:
    """What a config problem's line holds, for doctor's advice."""
    if "unknown setting" in problem:
        return "that setting"
    return "that [workspaces] table's hours" if "[workspaces." in problem else "that [[sources]] entry"


def _check_database(db_path: Path, report: _Report) -> None:
    path = Path(db_path)
    if not path.exists():
        folder = path.parent
        while not folder.exists():
            folder = folder.parent
        import os

        if os.access(folder, os.W_OK):
            report.ok("database", f"not created yet: it will be {path}")
        else:
            report.fail("database", f"cannot create {path}: {folder} is not writable", "choose another place with --db")
        return
    try:
        with Store(path) as store:
            problems = store.check_integrity()
            count = store.max_id()
    except StoreError as error:
        report.fail("database", str(error))
        return
    if problems:
        report.fail("database", f"{path}: damaged ({problems[0]})", "move the file aside; cminbox starts a new one")
    else:
        size = path.stat().st_size / 1e6
        report.ok("database", f"{path}: sound, {size:.1f} MB, {_plural(count, 'message')} stored")


# -- cminbox import ---------------------------------------------------------------------------


def import_file(config: Config, db_path: Path, file: Path, workspace: str | None) -> int:
    from zoneinfo import ZoneInfo

    from .importer import BadRow, NotImportable, read_file

    if not file.is_file():
        _err(f"cminbox: {file}: no such file")
        return EXIT_USAGE
    slugs = [w.slug for w in config.workspaces]
    if workspace is None:
        if len(slugs) != 1:
            choice = f"one of {', '.join(slugs)}" if slugs else "a name for the brand, e.g. --workspace brioche"
            _err(f"cminbox: say which workspace the messages belong to: --workspace ({choice})")
            return EXIT_USAGE
        workspace = slugs[0]
    ws = config.workspace(workspace)
    zone = ZoneInfo(ws.timezone) if ws is not None and ws.timezone else None  # (checked when the config loaded)
    try:
        records = read_file(file, zone)
    except NotImportable as error:
        _err(f"cminbox: {file}: {error}; nothing was imported")
        return EXIT_FAILURE
    except OSError as error:
        _err(f"cminbox: {file}: {error.strerror or error}")
        return EXIT_FAILURE
    key = f"import-{workspace}"
    totals = {"new": 0, "already": 0}
    bad: list[BadRow] = []
    elsewhere: dict[str, int] = {}  # rows another brand holds already, by its slug
    try:
        with Store(db_path) as store:
            stored = {w.slug for w in store.workspaces()}
            if ws is not None:
                store.ensure_workspace(ws.slug, **ws.stored())
            elif workspace not in stored:
                known = sorted(set(slugs) | stored)
                if known:  # a typo would make a new brand beside the real one
                    _err(f"cminbox: no workspace {workspace!r} (known: {', '.join(known)}): use one of these, "
                         f"or add [workspaces.{workspace}] to the config file first")
                    return EXIT_USAGE
                store.ensure_workspace(workspace, workspace)  # a first import, before any config
            store.register_source(key, workspace, "import", f"import · {ws.name if ws else workspace}")
            batch = []

            def flush() -> None:
                # A brand's messages stay in its workspace: an export imported again under another
                # --workspace would put one brand's customers in the other's inbox and report.
                held = store.held_by_other_workspaces(workspace, batch)
                if held:
                    for slug in held.values():
                        elsewhere[slug] = elsewhere.get(slug, 0) + 1
                    batch[:] = [m for m in batch if m.native_id not in held]
                result = store.ingest(key, batch, keep_cursor=True)
                totals["new"] += len(result.new_ids)
                totals["already"] += len(batch) - len(result.new_ids) - len(result.rejected)
                bad.extend(BadRow(0, f"the row with id {clean_line(native)[:40]}: {reason}") for native, reason in result.rejected)
                batch.clear()

            for item in records:
                if isinstance(item, BadRow):
                    bad.append(item)
                    continue
                batch.append(item)
                if len(batch) >= IMPORT_BATCH:
                    flush()
            if batch:
                flush()
    except (StoreError, OSError) as error:
        _err(f"cminbox: {error}")
        return EXIT_FAILURE
    for row in bad[:_SHOWN_BAD_ROWS]:
        _err(f"✗ {file.name} {row}")
    if len(bad) > _SHOWN_BAD_ROWS:
        _err(f"  … and {len(bad) - _SHOWN_BAD_ROWS} more bad rows")
    for slug, count in elsewhere.items():
        _err(f"✗ {file.name}: {_plural(count, 'row')} already in workspace {slug}, not imported into {workspace} "
             f"(a message belongs to one brand; if {workspace} was not meant, nothing else is needed)")
    summary = f"{totals['new']} imported into {workspace}"
    if totals["already"]:
        summary += f", {totals['already']} already there"
    if elsewhere:
        summary += f", {sum(elsewhere.values())} in another workspace"
    if bad:
        summary += f", {_plural(len(bad), 'bad row')} skipped"
    _out(summary)
    return EXIT_FAILURE if bad or elsewhere else EXIT_OK
