"""The command line: help, clear errors on stderr, non-zero exits, never a traceback for a user's mistake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cminbox(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cminbox", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(("args", "said"), [
    (("--demo", "--sped", "30"), "unknown option --sped (did you mean --speed?)"),
    (("reprot",), "unknown command 'reprot' (did you mean report?) (commands: buzz, corrections, doctor, eval,"),
    (("--demo", "--seeed=2"), "unknown option --seeed (did you mean --seed?)"),
])
def test_a_typo_is_named_with_the_nearest_spelling(args, said):
    out = cminbox(*args)
    assert out.returncode == 2 and said in out.stderr and "invalid choice" not in out.stderr


def test_options_before_a_triage_command_reach_it(tmp_path):
    out = cminbox("--db", str(tmp_path / "none.db"), "report", "--month", "2025-11")
    assert out.returncode != 0 and f"no database at {tmp_path / 'none.db'}" in out.stderr


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


def test_sources_add_help_lists_every_type():
    out = cminbox("sources", "add", "--help")
    assert "rss, hackernews, mastodon, bluesky, reddit, facebook," in " ".join(out.stdout.split())
    assert "instagram, youtube, x" in " ".join(out.stdout.split())


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


@pytest.mark.parametrize(("args", "said"), [
    (("rss",), 'url = "https://…" (the feed\'s address) is required'),
    (("rss", "--url", "file:///home/camille/bike.xml"),
     "url must be a web address, http:// or https:// (not 'file:///home/camille/bike.xml')"),
    (("rss", "--url", "/home/camille/bike.xml"), "python3 -m http.server"),
    (("mastodon", "--token", "env:MASTO"), "a mastodon source needs base_url"),
    (("facebook", "--token", "env:FB"), "page_id is required"),
    (("bluesky", "--set", "handle=velovert.bsky.social", "--token", "env:BSKY"),
     "a bluesky source needs --app-password env:NAME"),
    # The workspace has no keywords: the message says how to give terms from the command line.
    (("hackernews",), "--set terms=WORD"),
])
def test_sources_add_refuses_an_entry_its_source_cannot_use(tmp_path, args, said):
    config = tmp_path / "config.toml"
    config.write_text('[workspaces.brioche]\nname = "Brioche & Co"\n')
    out = cminbox("sources", "add", *args, "--workspace", "brioche", "--config", str(config))
    assert out.returncode == 1 and said in out.stderr and "nothing written" in out.stderr
    assert "line " not in out.stderr  # no line of a file that never got the entry
    assert "[[sources]]" not in config.read_text()


# -- cminbox replies ---------------------------------------------------------------------------


def test_every_starter_reply_passes_replies_check():
    out = cminbox("replies", "check", str(ROOT / "replies"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no problems" in out.stdout


def test_replies_lists_the_starter_set_until_the_users_folder_exists(tmp_path):
    out = cminbox("replies", "--lang", "fr", "--tag", "crisis", env={"CMINBOX_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0
    assert "starter set" in out.stdout and "replies init" in out.stdout
    assert "fr-vous-crise-message-d-attente" in out.stdout and "\nen-" not in out.stdout
    init = cminbox("replies", "init", env={"CMINBOX_DATA_DIR": str(tmp_path)})
    assert init.returncode == 0 and "Copied 52 starter files" in init.stdout
    again = cminbox("replies", "init", env={"CMINBOX_DATA_DIR": str(tmp_path)})
    assert "Copied 0" in again.stdout and "Kept 52 files" in again.stdout and "and 47 more" in again.stdout
    listed = cminbox("replies", env={"CMINBOX_DATA_DIR": str(tmp_path)})
    assert str(tmp_path / "replies") in listed.stdout and "starter set" not in listed.stdout


def test_replies_check_names_every_problem_of_a_file_in_one_run(tmp_path):
    (tmp_path / "many.md").write_text('+++\ntitle = "x"\ntone = "toi"\nnetworks = ["facebok"]\ncolour = "red"\n+++\nhi\n')
    out = cminbox("--replies", str(tmp_path), "replies", "check")
    assert out.returncode == 1
    many = tmp_path / "many.md"
    for said in (f"{many}:5: unknown field 'colour'", f"{many}:3: tone is", f"{many}:4: unknown network 'facebok'"):
        assert said in out.stdout
    assert "1 reply checked" in out.stdout and "3 problems" in out.stdout


def test_replies_check_names_each_problem_and_fails(tmp_path):
    (tmp_path / "ok.md").write_text('+++\ntitle = "ok"\n+++\nHello {first_name}\n')
    (tmp_path / "broken.md").write_text('+++\ntitle = "x"\nlang = en\n+++\nhi\n')
    (tmp_path / "unknown.md").write_text('+++\ntitle = "x"\n+++\nHi {first_name},\nsee {faq_link}\n')
    out = cminbox("--replies", str(tmp_path), "replies", "check")
    assert out.returncode == 1
    assert f"{tmp_path / 'broken.md'}:3: front matter is not valid TOML" in out.stdout
    assert f"{tmp_path / 'unknown.md'}:5: unknown placeholder {{faq_link}}" in out.stdout
    assert "3 replies checked" in out.stdout and "2 problems" in out.stdout
    assert "Traceback" not in out.stderr


def test_replies_check_knows_placeholders_the_config_fills(tmp_path):
    library = tmp_path / "lib"
    library.mkdir()
    (library / "r.md").write_text('+++\ntitle = "x"\n+++\nWrite to {support_contact}\n')
    config = tmp_path / "config.toml"
    config.write_text(f'replies = "lib"\n[workspaces.b]\nname = "B"\n[workspaces.b.placeholders]\nsupport_contact = "help@b.example"\n')
    out = cminbox("--config", str(config), "replies", "check")
    assert out.returncode == 0, out.stdout


def test_replies_on_a_missing_folder_is_a_usage_error(tmp_path):
    out = cminbox("replies", "check", str(tmp_path / "nope"))
    assert out.returncode == 2 and "no such folder" in out.stderr and "Traceback" not in out.stderr


def test_config_keys_for_saved_replies(tmp_path):
    from cminbox.config import ConfigError, load

    path = tmp_path / "config.toml"
    path.write_text(
        'agent = "Camille"\nreplies = "team-replies"\n[workspaces.brioche]\nname = "Brioche & Co"\ntone = "tu"\n'
        '[workspaces.brioche.placeholders]\nsupport_contact = "01 23 45 67 89"\n'
    )
    config = load(path)
    assert config.replies == tmp_path / "team-replies"  # relative to the config file
    workspace = config.workspace("brioche")
    assert workspace.tone == "tu" and workspace.placeholders == {"support_contact": "01 23 45 67 89"}
    for bad, words in (
        ('[workspaces.b]\ntone = "toi"\n', 'tone is "tu" or "vous"'),
        ('[workspaces.b.placeholders]\nLink = "x"\n', "placeholder names"),
        ('[workspaces.b.placeholders]\nlink = 3\n', "maps a placeholder to its text"),
        ("replies = 3\n", "folder of your saved replies"),
    ):
        path.write_text(bad)
        try:
            load(path)
        except ConfigError as error:
            assert words in str(error)
        else:
            raise AssertionError(f"expected a ConfigError for {bad!r}")


def test_a_reader_that_stops_early_ends_the_command_quietly():
    """`cminbox replies | head -1`, `cminbox score < big.txt | head -1`: the reader is gone before
    cminbox has written everything (here before it writes at all)."""
    for args, stdin in ((["replies"], ""), (["score"], "toujours pas reçu ma commande\n" * 2000)):
        process = subprocess.Popen(
            [sys.executable, "-m", "cminbox", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )
        process.stdout.close()  # like head, done reading
        _, err = process.communicate(stdin, timeout=60)
        assert process.returncode == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
