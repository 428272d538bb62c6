"""The command line: help, clear errors on stderr, non-zero exits, never a traceback for a user's mistake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cminbox(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cminbox", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_the_options():
    out = cminbox("--help")
    assert out.returncode == 0
    for option in ("--demo", "--seed", "--speed", "--db", "--config", "--fresh"):
        assert option in out.stdout


def test_bad_speed_is_a_usage_error():
    out = cminbox("--demo", "--speed", "0")
    assert out.returncode == 2
    assert "--speed" in out.stderr and "Traceback" not in out.stderr


def test_unknown_option_is_a_usage_error():
    out = cminbox("--frobnicate")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_corrupt_database_is_explained(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 500)
    out = cminbox("--db", str(bad))
    assert out.returncode == 1
    assert "damaged or is not a cminbox database" in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_config_file_named_on_the_command_line(tmp_path):
    out = cminbox("--config", str(tmp_path / "nope.toml"))
    assert out.returncode == 2 and "no such file" in out.stderr


def test_without_a_terminal_it_says_so(tmp_path):
    out = cminbox("--db", str(tmp_path / "x.db"))
    assert out.returncode == 2
    assert "needs a terminal" in out.stderr


def test_config_errors_give_the_line(tmp_path):
    from cminbox.config import ConfigError, load

    path = tmp_path / "config.toml"
    path.write_text('[workspaces.brioche]\nname = "Brioche"\ntarget_minutes = "soon"\n')
    try:
        load(path)
    except ConfigError as error:
        assert "target_minutes" in str(error)
    else:
        raise AssertionError("expected a ConfigError")
    path.write_text('[workspaces.brioche\nname = "x"\n')
    try:
        load(path)
    except ConfigError as error:
        assert "line 1" in str(error)
    else:
        raise AssertionError("expected a ConfigError")


def test_sources_add_and_disable_edit_the_config(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('# mine\n[workspaces.brioche]\nname = "Brioche & Co"\n')
    out = cminbox("sources", "add", "rss", "--workspace", "brioche", "--label", "Alerts",
                  "--url", "https://www.google.com/alerts/feeds/1/2", "--config", str(config))
    assert out.returncode == 0 and "added brioche-rss-alerts" in out.stdout
    refused = cminbox("sources", "add", "mastodon", "--workspace", "brioche", "--token", "abc123secret", "--config", str(config))
    assert refused.returncode == 1 and "env:" in refused.stderr and "abc123secret" not in refused.stderr
    assert cminbox("sources", "disable", "brioche-rss-alerts", "--config", str(config)).returncode == 0
    text = config.read_text()
    assert text.startswith("# mine\n") and "enabled = false" in text and "mastodon" not in text
