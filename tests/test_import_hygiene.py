"""The core knows nothing of the screen: models, store, sources, triage import neither textual nor rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = [
    "cminbox.models",
    "cminbox.store",
    "cminbox.store.notices",
    "cminbox.triage.score",
    "cminbox.triage.learn",
    "cminbox.triage.evaluate",
    "cminbox.triage.train",
    "cminbox.triage.gain",
    "cminbox.triage.labeled",
    "cminbox.buzz",
    "cminbox.hours",
    "cminbox.cli_triage",
    "cminbox.sources.demo",
    "cminbox.sources.base",
    "cminbox.sources.http",
    "cminbox.config",
    "cminbox.credentials",
    "cminbox.sources.registry",
    "cminbox.sources.html",
    "cminbox.sources.rss",
    "cminbox.sources.hackernews",
    "cminbox.sync",
    "cminbox.importer",
    "cminbox.headless",
    "cminbox.health",
    "cminbox.config_edit",
    "cminbox.sources.apidata",
    "cminbox.sources.mastodon",
    "cminbox.sources.bluesky",
    "cminbox.sources.reddit",
    "cminbox.textsafe",
    "cminbox.snooze",
    "cminbox.clipboard",
    "cminbox.browser",
    "cminbox.cli",
    "cminbox.reply_rules",
    "cminbox.network_actions",
    "cminbox.sources.graph",
    "cminbox.sources.facebook",
    "cminbox.sources.instagram",
    "cminbox.sources.youtube",
    "cminbox.sources.x",
    "cminbox.replies",
    "cminbox.replies.check",
    "cminbox.replies.commands",
    "cminbox.outbox",
    # Issue 6: triage, corrections and bad buzz.
    "cminbox.triage.cues",
    "cminbox.triage.features",
    "cminbox.triage.labels",
    "cminbox.triage.lang",
    "cminbox.triage.model",
    "cminbox.triage.priority",
    "cminbox.triage.sentiment",
    "cminbox.triage.text",
    "cminbox.triage.wordlists",
    "cminbox.store.corrections",
    "cminbox.store.buzzdata",
    "cminbox.store.scoring",
]
# Packages that are core as a whole: each of their modules is checked too, listed above or not,
# so a module added later cannot be forgotten.
CORE_PACKAGES = ("store", "sources", "triage", "replies")


def _core_modules() -> list[str]:
    root = Path(__file__).resolve().parent.parent / "cminbox"
    found = [
        "cminbox." + ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for package in CORE_PACKAGES
        for path in sorted((root / package).rglob("*.py"))
    ]
    return CORE + [m for m in found if m not in CORE]


def _fresh_python(code: str, *args: str) -> str:
    """What `code` prints, run in a new interpreter (nothing imported yet, as at a real start)."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout.strip()


def test_core_does_not_import_ui():
    # httpx itself imports rich when it is installed (for its command-line tool): what counts is
    # that our core adds no textual and no rich module of its own.
    code = (
        "import sys, httpx\n"
        + "before = set(sys.modules)\n"
        + "".join(f"import {m}\n" for m in _core_modules())
        + "bad = sorted(m for m in set(sys.modules) - before if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    assert _fresh_python(code) == ""


def test_importing_the_scorer_reads_no_lexicon():
    code = (
        "import builtins, io\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(f, *a, **k):\n"
        "    opened.append(str(f)); return real(f, *a, **k)\n"
        "builtins.open = io.open = spy\n"
        "import cminbox.triage.score, cminbox.triage.learn, cminbox.buzz, cminbox.config\n"
        "print([f for f in opened if 'lexicon' in f or f.endswith(('.txt', '.tsv'))])\n"
    )
    assert _fresh_python(code) == "[]"


def test_the_core_list_covers_the_core_packages():
    modules = _core_modules()
    assert "cminbox.triage.features" in modules and "cminbox.store.corrections" in modules
    assert "cminbox.replies.bulk" in modules and "cminbox.sources.apicall" in modules
    assert not any(m.endswith("__init__") for m in modules)


def test_the_inbox_starts_without_what_only_writing_or_answering_needs():
    """Cold start (issue 2's 0.6 s): opening the inbox imports no scorer, no saved-reply library,
    no source's credentials and no clipboard library; they load on first use."""
    code = (
        "import sys\n"
        "import cminbox.app\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('cminbox.triage.features', 'cminbox.triage.learn',"
        " 'cminbox.triage.model', 'cminbox.triage.score', 'cminbox.replies.library', 'cminbox.replies.placeholders',"
        " 'cminbox.credentials', 'vaderSentiment', 'pyperclip')))))\n"
    )
    assert _fresh_python(code) == ""


def test_importing_the_app_leaves_the_garbage_collector_as_it_found_it():
    """The app pauses collection while it imports and freezes what importing made (the first
    paint no longer pays a full collection); collection is back on afterwards, or stays off if
    the caller had turned it off."""
    code = (
        "import gc, sys\n"
        "if sys.argv[1] == 'off': gc.disable()\n"
        "import cminbox.app\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 10_000)\n"
    )
    for before, expected in (("on", "True True"), ("off", "False True")):
        assert _fresh_python(code, before) == expected
