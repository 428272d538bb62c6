"""The `cminbox` command: open the inbox (or the live demo), and the headless subcommands.

Unix habits: errors go to stderr as one sentence, exit status is non-zero on failure, and a
user's mistake never prints a traceback. Heavy imports (Textual) happen only when the app opens.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, paths
from .config import Config, ConfigError, load

EXIT_USAGE = 2
EXIT_FAILURE = 1
TRIAGE_COMMANDS = ("score", "eval", "corrections", "buzz", "report")  # handled by cli_triage.py


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """--config and --db, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", type=Path, metavar="FILE", default=default,
                        help=f"config file (default: {paths.config_file()})")
    parser.add_argument("--db", type=Path, metavar="FILE", default=default,
                        help="database file (default: the platform's data dir)")


def _parser() -> argparse.ArgumentParser:
    from .sources.registry import SOURCE_TYPES  # names only: no source module is loaded
    parser = argparse.ArgumentParser(
        prog="cminbox",
        description="The social inbox a community manager keeps open all day: comments, DMs, "
        "mentions and reviews from every network, triaged, in one keyboard-driven terminal app.",
        epilog="Triage commands: cminbox score, cminbox eval, cminbox corrections export|import, "
        "cminbox buzz, and the month's report: cminbox report (each has --help). Keys: press ? in the app. Files: config at %s, data at %s."
        % (paths.config_file(), paths.data_dir()),
    )
    parser.add_argument("--version", action="version", version=f"cminbox {__version__}")
    _common(parser, suppress=False)
    demo = parser.add_argument_group("live demo")
    demo.add_argument("--demo", action="store_true", help="open the live demo inbox (its own database, never mixed with yours)")
    demo.add_argument("--seed", type=int, default=1, help="demo day to replay: same seed, same day (default 1)")
    demo.add_argument("--speed", type=float, default=1.0, help="demo time compression: 10 makes 10 minutes pass in one (default 1)")
    demo.add_argument("--fresh", action="store_true", help="start the demo day over from the beginning")
    parser.add_argument("--replies", type=Path, metavar="DIR", help="saved-replies folder (default: the config's `replies`, else %s)" % paths.replies_dir())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     description="without a command, cminbox opens the inbox")
    sync = commands.add_parser("sync", help="fetch every source once, print what came (for cron)",
                               description="Fetch every configured source once and print per-source counts "
                               "and errors. Exits 1 if any source failed.")
    sync.add_argument("--source", action="append", metavar="KEY", help="only this source (repeatable); keys: `cminbox sources`")
    _common(sync, suppress=True)
    health = commands.add_parser("sources", help="each source's health; add, enable or disable one",
                                 description="Without an action: each source's health (last success, last "
                                 "error, next try). The actions edit the config file, keeping its comments.")
    health.add_argument("--unreadable", nargs="?", const="", metavar="KEY",
                        help="list the items a source could not read (all sources, or KEY's), with what the network sent")
    _common(health, suppress=True)
    actions = health.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a [[sources]] entry to the config file")
    add.add_argument("type", help=", ".join(SOURCE_TYPES))
    add.add_argument("--workspace", required=True, metavar="NAME")
    add.add_argument("--label", help="its name in the sidebar")
    add.add_argument("--id", dest="key", metavar="KEY", help="a stable key (default: workspace-type-label)")
    add.add_argument("--url", help="the feed address (rss)")
    add.add_argument("--base-url", help="the network's address (a self-hosted instance)")
    add.add_argument("--interval", help='time between polls: "90s", "5m", "1h"')
    for secret in ("token", "password", "app-password", "client-secret"):
        add.add_argument(f"--{secret}", metavar="REF", help="env:NAME or keyring:service/account (never the secret itself)"
                         if secret == "token" else argparse.SUPPRESS)
    add.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="any other option of the type")
    _common(add, suppress=True)
    for verb in ("enable", "disable"):
        toggle = actions.add_parser(verb, help=f"{verb} a source (in the config file)")
        toggle.add_argument("key", metavar="KEY")
        _common(toggle, suppress=True)
    doctor = commands.add_parser("doctor", help="check the config, each token, the clipboard and the database",
                                 description="Check the config file, each source's credentials (one cheap "
                                 "authenticated call each), the clipboard and the database; say what to fix.")
    _common(doctor, suppress=True)
    imports = commands.add_parser("import", help="import messages from a JSONL or CSV export",
                                  description="Import messages from another tool's export (JSONL or CSV; columns "
                                  "in the README). Bad rows are reported with their line number; the good ones are imported.")
    imports.add_argument("file", type=Path, metavar="FILE")
    imports.add_argument("--workspace", metavar="NAME", help="the workspace (brand) they belong to")
    _common(imports, suppress=True)
    replies = commands.add_parser(
        "replies", help="list the saved replies (check: validate them; init: copy the starter set)",
        description="List the saved-replies library: key, language, tone, tags, networks, uses and title.",
    )
    replies.add_argument("action", nargs="?", choices=("list", "check", "init"), default="list",
                         help="list (default), check (exit 1 on problems) or init (copy the starter replies, never overwriting)")
    replies.add_argument("folder", nargs="?", type=Path, help="the library to use (default: yours)")
    replies.add_argument("--lang", help="only replies in this language (fr, en…)")
    replies.add_argument("--tag", help="only replies with this tag (crisis, refund…)")
    replies.add_argument("--network", help="only replies meant for this network (x, instagram…)")
    _common(replies, suppress=True)
    return parser


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"cminbox: {message}", file=sys.stderr)
    return code


def _load_config(path: Path | None) -> tuple[Config, str | None]:
    """The config, or an empty one with the reason it could not be read (the app still opens)."""
    config_path = path or paths.config_file()
    if path is not None and not path.exists():
        raise ConfigError(f"{path}: no such file")
    try:
        return load(config_path), None
    except ConfigError as error:
        return Config(), str(error)


def replies_folder(args: argparse.Namespace, config: Config) -> Path:
    """The saved-replies folder: --replies, else the config's `replies`, else the platform's data dir."""
    return args.replies or config.replies or paths.replies_dir()


def run_replies_command(args: argparse.Namespace) -> int:
    from .replies.commands import run_replies

    try:
        config, config_problem = _load_config(args.config)
    except ConfigError as error:
        return _fail(str(error), EXIT_USAGE)
    if config_problem:
        print(f"cminbox: config not loaded: {config_problem}", file=sys.stderr)
    return run_replies(args, config, replies_folder(args, config), args.db or paths.database_file())


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_app(args: argparse.Namespace) -> int:
    from .store import Store, StoreError

    if args.speed <= 0 or args.speed > 10_000:
        return _fail("--speed must be more than 0 and at most 10000", EXIT_USAGE)
    try:
        config, config_problem = _load_config(args.config)
    except ConfigError as error:
        return _fail(str(error), EXIT_USAGE)
    db_path = args.db or (paths.demo_database_file() if args.demo else paths.database_file())
    try:
        store = Store(db_path)
        demo = None
        if args.demo:
            from .sources.demo import DemoFeed, with_demo_brand

            config = with_demo_brand(config)
            if args.fresh or DemoFeed.reset_needed(store, args.seed):
                store.close()
                _remove_database(db_path)
                store = Store(db_path)
            demo = DemoFeed(store, seed=args.seed, speed=args.speed)
        else:
            for workspace in config.workspaces:
                store.ensure_workspace(workspace.slug, **workspace.stored())
    except StoreError as error:
        return _fail(str(error))
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        store.close()
        return _fail("the inbox needs a terminal (for scripts, see the subcommands in --help)", EXIT_USAGE)

    from .app import InboxApp
    from .outbox import Senders
    from .terminal_watch import TerminalWatch

    senders = Senders()
    if demo is not None:
        from .sources.demo import SOURCE_KEY, DemoSource

        senders.register(SOURCE_KEY, DemoSource())
    notices = [f"Config not loaded: {config_problem}"] if config_problem else []
    notices += [f"Config: {problem}" for problem in config.problems]  # (each says what was left out)
    app = InboxApp(
        store, config=config, demo=demo, notices=notices, senders=senders, replies_folder=replies_folder(args, config),
        terminal=TerminalWatch.of_stdin(), **({"clock": demo.now} if demo is not None else {}),
    )
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def run_command(args: argparse.Namespace) -> int:
    from . import headless

    config_path = args.config or paths.config_file()
    if args.config is not None and not args.config.exists():
        return _fail(f"{args.config}: no such file", EXIT_USAGE)
    try:
        config, problem = load(config_path), None
    except ConfigError as error:
        if args.command != "doctor":
            return _fail(str(error), EXIT_USAGE)
        config, problem = Config(), str(error)
    db_path = args.db or paths.database_file()
    if args.command == "sync":
        return headless.sync(config, db_path, args.source)
    if args.command == "sources" and args.action:
        return headless.edit_sources(config_path, args)
    if args.command == "sources" and args.unreadable is not None:
        return headless.unreadable(db_path, args.unreadable or None)
    if args.command == "sources":
        return headless.sources(config, db_path)
    if args.command == "doctor":
        return headless.doctor(config, problem, db_path)
    return headless.import_file(config, db_path, args.file, args.workspace)


def _command_at(parser: argparse.ArgumentParser, argv: list[str]) -> int | None:
    """Where the command is in `argv` (None without one). An option or a command cminbox does not
    know is refused here, by name and with the nearest spelling: left to argparse, "--sped 30"
    read "30" as a command, and the list of commands it gave left out the triage ones."""
    options = parser._option_string_actions  # noqa: SLF001 (argparse keeps them nowhere public)
    commands = sorted({*_subcommands(parser), *TRIAGE_COMMANDS})
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in commands:
            return i
        if token == "--":
            return None
        if token.startswith("-") and token != "-":
            name = token.split("=", 1)[0]
            known = [o for o in options if o.startswith(name)] if name.startswith("--") else [name] * (name in options)
            if not known:
                parser.error(f"unknown option {name}{_did_you_mean(name, options)}")
            action = options[known[0]] if len(known) == 1 else options.get(name)
            if action is not None and action.nargs != 0 and "=" not in token:
                i += 1  # its value
        else:
            parser.error(f"unknown command {token!r}{_did_you_mean(token, commands)} (commands: {', '.join(commands)})")
        i += 1
    return None


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return list(action.choices)
    return []


def _did_you_mean(word: str, choices) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # Whoever read our output stopped (`cminbox replies | head`, `cminbox score | head`): stop
        # quietly. stdout goes to /dev/null, or Python reports the error again when it flushes
        # stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser()
    at = _command_at(parser, argv)  # exits with usage on an unknown option or command
    if at is not None and argv[at] in TRIAGE_COMMANDS:  # cminbox score / eval / corrections / buzz / report
        from .cli_triage import main as triage_main

        # "cminbox --db X report" as "cminbox report --db X": those commands take the options.
        return triage_main([*argv[at:], *argv[:at]])
    args = parser.parse_args(argv)
    try:
        if args.command == "replies":
            return run_replies_command(args)
        return run_command(args) if args.command else run_app(args)
    except KeyboardInterrupt:
        return 130
