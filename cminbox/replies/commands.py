"""`cminbox replies [list|check|init]`: the saved-replies library from the command line.

Findings go to standard output (as a linter's do), errors to standard error; `check` exits 1
when it finds a problem, 2 on a usage error, 0 when the library is sound.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Config
from .check import check_library
from .library import Library, load_folder, load_library, install_starter
from .placeholders import BUILTIN, FRENCH_NAMES

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def run_replies(args: argparse.Namespace, config: Config, user_folder: Path, db_path: Path | None) -> int:
    if args.folder is not None and args.action != "init" and not args.folder.is_dir():
        print(f"cminbox: {args.folder}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "init":
        return _init(args.folder or user_folder)
    library = _library(args.folder, user_folder)
    if args.action == "check":
        return _check(library, config)
    return _list(library, args, db_path)


def _library(folder: Path | None, user_folder: Path) -> Library:
    if folder is not None:
        replies, problems = load_folder(folder)
        return Library(replies, problems, folder)
    return load_library(user_folder)


def _where(library: Library) -> str:
    if library.starter:
        return f"the starter set (your folder {library.folder} does not exist yet: `cminbox replies init` copies the set there)"
    return str(library.folder)


def _init(folder: Path) -> int:
    try:
        copied, kept = install_starter(folder)
    except OSError as error:
        print(f"cminbox: cannot write to {folder}: {error.strerror or error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Copied {len(copied)} starter file{'s' if len(copied) != 1 else ''} to {folder}")
    if kept:
        named = ", ".join(kept[:5]) + (f" and {len(kept) - 5} more" if len(kept) > 5 else "")
        print(f"Kept {len(kept)} file{'s' if len(kept) != 1 else ''} already there, unchanged: {named}")
    return 0


def _check(library: Library, config: Config) -> int:
    known = {name for workspace in config.workspaces for name in workspace.placeholders}
    brands = [w.name for w in config.workspaces]
    brand = max(brands, key=len) if brands else None
    problems = check_library(library, known=known, brand=brand, agent=config.agent or None,
                             workspaces=[w.slug for w in config.workspaces])
    for problem in problems:
        print(problem)
    loaded = {reply.path for reply in library.replies}
    refused = {p.path for p in library.problems if p.path is not None and p.path not in loaded}
    count = len(library.replies) + len(refused)  # every file, the ones that could not be read too
    summary = f"{count} repl{'ies' if count != 1 else 'y'} checked in {_where(library)}"
    if problems:
        print(f"{summary}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        return EXIT_PROBLEMS
    print(f"{summary}: no problems")
    return 0


def _usage(db_path: Path | None) -> dict[str, int]:
    """Uses per saved reply, read from the database if there is one (never created here)."""
    if db_path is None or not db_path.exists():
        return {}
    from ..store import Store, StoreError

    try:
        store = Store(db_path, readonly=True, migrate=False)
    except StoreError:
        return {}
    try:
        return store.reply_usage()
    except StoreError:
        return {}  # a database from before the outbox existed
    finally:
        store.close()


def _list(library: Library, args: argparse.Namespace, db_path: Path | None) -> int:
    replies = [
        r for r in library.replies
        if (not args.lang or r.lang in (args.lang, None))
        and (not args.tag or args.tag.lower() in r.tags)
        and (not args.network or not r.networks or args.network in r.networks)
    ]
    uses = _usage(db_path)
    print(f"{len(replies)} saved repl{'ies' if len(replies) != 1 else 'y'} in {_where(library)}")
    if db_path is not None and not db_path.exists():
        from .. import paths

        print(f"uses: none counted, {paths.missing_database(db_path)}")
    rows = [("key", "lang", "tone", "uses", "tags", "networks", "title")]
    for r in sorted(replies, key=lambda r: (r.lang or "", r.key)):
        rows.append((r.key, r.lang or "any", r.tone or "", str(uses.get(r.key, 0)), ", ".join(r.tags), ", ".join(r.networks) or "all", r.title))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])
    print("\nPlaceholders: " + " ".join("{" + name + "}" for name in BUILTIN) + ", and the [ask] ones each reply declares.")
    print("In French: " + " ".join(f"{{{french}}} = {{{name}}}" for french, name in FRENCH_NAMES.items()))
    for problem in library.problems:
        print(f"cminbox: {problem}", file=sys.stderr)
    return EXIT_PROBLEMS if library.problems else 0
