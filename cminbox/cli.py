"""The `cminbox` command: open the inbox (or the live demo), and the headless subcommands.

Unix habits: errors go to stderr as one sentence, exit status is non-zero on failure, and a
user's mistake never prints a traceback. Heavy imports (Textual) happen only when the app opens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, paths
from .config import Config, ConfigError, load

EXIT_USAGE = 2
EXIT_FAILURE = 1
TRIAGE_COMMANDS = ("score", "eval", "corrections", "buzz")  # handled by cli_triage.py


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cminbox",
        description="The social inbox a community manager keeps open all day: comments, DMs, "
        "mentions and reviews from every network, triaged, in one keyboard-driven terminal app.",
        epilog="Triage commands: cminbox score, cminbox eval, cminbox corrections export|import, "
        "cminbox buzz (each has --help). Keys: press ? in the app. Files: config at %s, data at %s."
        % (paths.config_file(), paths.data_dir()),
    )
    parser.add_argument("--version", action="version", version=f"cminbox {__version__}")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file (default: %(default)s)",
                        default=None)
    parser.add_argument("--db", type=Path, metavar="FILE", help="database file (default: the platform's data dir)")
    demo = parser.add_argument_group("live demo")
    demo.add_argument("--demo", action="store_true", help="open the live demo inbox (its own database, never mixed with yours)")
    demo.add_argument("--seed", type=int, default=1, help="demo day to replay: same seed, same day (default 1)")
    demo.add_argument("--speed", type=float, default=1.0, help="demo time compression: 10 makes 10 minutes pass in one (default 1)")
    demo.add_argument("--fresh", action="store_true", help="start the demo day over from the beginning")
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
            from .sources.demo import DemoFeed

            if args.fresh or DemoFeed.reset_needed(store, args.seed):
                store.close()
                _remove_database(db_path)
                store = Store(db_path)
            demo = DemoFeed(store, seed=args.seed, speed=args.speed)
        else:
            for workspace in config.workspaces:
                store.ensure_workspace(
                    workspace.slug, workspace.name, workspace.target_minutes,
                    business_hours=workspace.business_hours, timezone=workspace.timezone,
                )  # fmt: skip
    except StoreError as error:
        return _fail(str(error))
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        store.close()
        return _fail("the inbox needs a terminal (for scripts, see the subcommands in --help)", EXIT_USAGE)

    from .app import InboxApp

    notices = [f"Config not loaded: {config_problem}"] if config_problem else []
    app = InboxApp(store, config=config, demo=demo, notices=notices)
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in TRIAGE_COMMANDS:  # cminbox score / eval / corrections / buzz
        from .cli_triage import main as triage_main

        return triage_main(argv)
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return run_app(args)
    except KeyboardInterrupt:
        return 130
