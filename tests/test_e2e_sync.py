"""End to end: `cminbox sync` as a subprocess against every fake network at once (tests/fakenets.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack

import pytest

from cminbox.store import Store
from fakenets import FAKE_NETWORKS
from fakeserver import FakeServer
from test_cli import ROOT

WORKSPACE = """\
agent = "Camille"

[workspaces.brioche]
name = "Brioche & Co"
keywords = ["Brioche & Co"]
"""


def run(*args, env):
    return subprocess.run([sys.executable, "-m", "cminbox", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, stdin=subprocess.DEVNULL, env={**os.environ, **env})


@pytest.fixture
def networks(tmp_path):
    with ExitStack() as stack:
        installed = {}
        for network in FAKE_NETWORKS:
            server = stack.enter_context(FakeServer())
            installed[network.name] = network.setup(server)
        config = tmp_path / "config.toml"
        config.write_text(WORKSPACE + "".join(i.toml for i in installed.values()), encoding="utf-8")
        env = {k: v for i in installed.values() for k, v in i.env.items()}
        yield installed, ["--config", str(config), "--db", str(tmp_path / "inbox.db")], env


def count(tmp_path) -> int:
    with Store(tmp_path / "inbox.db") as store:
        return sum(store.folder_counts(w.id)["all"] for w in store.workspaces())


def test_sync_fetches_every_network_then_only_what_is_new(networks, tmp_path):
    installed, files, env = networks
    first = run("sync", *files, env=env)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    for net in installed.values():
        for key in net.keys:
            assert f"({key}): " in first.stdout
    assert count(tmp_path) == sum(i.first_sync for i in installed.values())

    added = sum(net.add_new() for net in installed.values())
    second = run("sync", *files, env=env)
    assert second.returncode == 0, second.stderr
    assert count(tmp_path) == sum(i.first_sync for i in installed.values()) + added

    third = run("sync", *files, env=env)
    assert third.returncode == 0 and count(tmp_path) == sum(i.first_sync for i in installed.values()) + added

    health = run("sources", *files, env=env)
    assert health.returncode == 0 and health.stdout.count("✓") == sum(len(i.keys) for i in installed.values())


def test_one_broken_network_fails_the_run_but_not_the_others(networks, tmp_path):
    installed, files, env = networks
    broken_name, broken = next(iter(installed.items()))
    broken.break_it()
    out = run("sync", *files, env=env)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    for key in broken.keys:
        assert f"✗ " in out.stderr and f"({key}): backing off" in out.stderr
    # Each source is named once: "✗ label (key): backing off: why", not "…: label: why".
    for line in out.stderr.splitlines():
        if line.startswith("✗ "):
            label, _, rest = line[2:].partition(" (")
            assert not rest.partition("): backing off: ")[2].startswith(f"{label}: "), line
    listed = run("sources", *files, env=env).stdout.splitlines()
    for above, line in zip(listed, listed[1:]):
        if line.startswith("    ") and above[:1] in "◷✗⚠":  # the error under its source's line
            label = above[2:].partition(" (")[0]
            assert not line.strip().startswith(f"{label}: "), (above, line)
    healthy = [i for name, i in installed.items() if name != broken_name]
    assert count(tmp_path) == sum(i.first_sync for i in healthy)
    health = run("sources", *files, env=env)
    assert health.returncode == 1 and "backing off until" in health.stdout


def test_every_network_broken_reports_each_error_and_keeps_what_was_stored(networks, tmp_path):
    installed, files, env = networks
    assert run("sync", *files, env=env).returncode == 0
    stored = count(tmp_path)
    for net in installed.values():
        net.break_it()
    out = run("sync", *files, env=env)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    for net in installed.values():
        for key in net.keys:
            assert f"({key}): backing off" in out.stderr
    assert count(tmp_path) == stored
    health = run("sources", *files, env=env)
    assert health.returncode == 1
    assert health.stdout.count("backing off until") == sum(len(i.keys) for i in installed.values())


def test_doctor_checks_every_source(networks, tmp_path):
    installed, files, env = networks
    out = run("doctor", *files, env=env)
    assert "Traceback" not in out.stderr
    for net in installed.values():
        for key in net.keys:
            assert f"✓ source {key}:" in out.stdout
    assert "✓ config:" in out.stdout and "database" in out.stdout and "clipboard" in out.stdout


def test_doctor_tells_a_missing_variable_from_a_refused_token(networks, tmp_path):
    installed, files, env = networks
    name = next(n for n, v in env.items() if n.endswith("TOKEN"))  # one source's token variable
    out = run("doctor", *files, env={**env, name: ""})
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert f"environment variable {name} is not set" in out.stdout
    assert "put the credential where the entry's reference points" in out.stdout
