"""The config file: workspaces, [[sources]] entries, credential references, errors with their line."""

from __future__ import annotations

import re
import textwrap
import tomllib

import httpx
import pytest

from cminbox.config import _COMMON_KEYS, CREDENTIAL_KEYS, ConfigError, load, parse, parse_interval
from cminbox.credentials import CredentialError, check_reference, resolve
from cminbox.sources.http import Http
from cminbox.sources.registry import build
from sourcekit import secrets
from test_cli import ROOT

GOOD = textwrap.dedent(
    """\
    agent = "Camille"

    [workspaces.brioche]
    name = "Brioche & Co"
    keywords = ["Brioche & Co"]
    hashtags = ["BriocheAndCo"]
    business_hours = "mon-fri 09:00-18:00"

    # Google Alerts for the brand
    [[sources]]
    type = "rss"
    workspace = "brioche"
    label = "Google Alerts"
    url = "https://www.google.com/alerts/feeds/1/2"
    interval = "15m"

    [[sources]]
    type = "mastodon"
    workspace = "brioche"
    base_url = "https://piaille.fr/"
    token = "env:MASTODON_TOKEN"
    read = ["mentions", "dms"]
    """
)


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_are_read_with_their_options(tmp_path):
    config = load(write(tmp_path, GOOD))
    assert not config.problems
    rss, mastodon = config.sources
    assert rss.key == "brioche-rss-google-alerts" and rss.interval == 900
    assert rss.options == {"url": "https://www.google.com/alerts/feeds/1/2"}
    assert rss.terms == ("Brioche & Co", "#BriocheAndCo")  # the workspace's terms by default
    assert rss.line == 10
    assert mastodon.base_url == "https://piaille.fr" and mastodon.interval is None
    assert mastodon.credentials == {"token": "env:MASTODON_TOKEN"} and "token" not in mastodon.options
    assert mastodon.read == ("mentions", "dms")
    from cminbox.hours import BusinessHours

    hours = BusinessHours.parse(config.workspace("brioche").business_hours)
    assert hours.spans[0] == [(9 * 60, 18 * 60)] and hours.spans[5] == []  # Monday open, Saturday closed


def test_a_literal_token_is_refused_without_being_repeated(tmp_path):
    text = GOOD.replace('"env:MASTODON_TOKEN"', '"Zx81secretTOKEN"')
    config = load(write(tmp_path, text))
    assert [s.type for s in config.sources] == ["rss"]  # the others still load
    (problem,) = config.problems
    assert "line 21" in problem and "token" in problem and "env:" in problem and "keyring" in problem
    assert "Zx81secretTOKEN" not in problem


@pytest.mark.parametrize(
    "change, words",
    [
        (('type = "mastodon"', 'type = "myspace"'), "type must be one of"),
        (('workspace = "brioche"\nbase_url', 'workspace = "nope"\nbase_url'), "workspace must name"),
        (('interval = "15m"', 'interval = "often"'), "interval"),
        (('base_url = "https://piaille.fr/"', 'base_url = "piaille.fr"'), "base_url"),
    ],
)
def test_a_broken_entry_is_left_out_with_its_line(tmp_path, change, words):
    config = load(write(tmp_path, GOOD.replace(*change)))
    assert len(config.sources) == 1
    (problem,) = config.problems
    assert words in problem and "line " in problem


def test_two_sources_with_the_same_key_need_ids(tmp_path):
    config = load(write(tmp_path, GOOD + '\n[[sources]]\ntype = "rss"\nworkspace = "brioche"\nlabel = "Google Alerts"\nurl = "https://x.example/feed"\n'))
    assert len(config.sources) == 2 and "id" in config.problems[0]


def test_bad_business_hours_leave_them_out_not_the_whole_config(tmp_path):
    # One typo in one brand's hours or time zone used to drop the whole file: every brand's
    # sources, targets and [keys]. It is a problem with its line; the rest loads.
    config = load(write(tmp_path, GOOD.replace("mon-fri 09:00-18:00", "all day")))
    assert len(config.sources) == 2 and config.workspace("brioche").business_hours == ""
    assert len(config.problems) == 1 and "line 7" in config.problems[0] and "business_hours" in config.problems[0]
    assert "left out" in config.problems[0]


def test_a_mistyped_time_zone_names_the_nearest_one(tmp_path):
    config = load(write(tmp_path, GOOD.replace('business_hours = "mon-fri 09:00-18:00"',
                                               'business_hours = "mon-fri 09:00-18:00"\ntimezone = "Europe/Pari"')))
    assert len(config.sources) == 2 and config.agent == "Camille"
    brioche = config.workspace("brioche")
    assert (brioche.business_hours, brioche.timezone) == ("", "")
    [problem] = config.problems
    assert "line 8" in problem and "'Europe/Pari'" in problem and "did you mean Europe/Paris?" in problem


def test_a_mistyped_workspace_setting_is_a_problem_not_silence(tmp_path):
    # "targt_minutes = 120" left the brand on the default 60 minutes without a word.
    config = load(write(tmp_path, GOOD.replace('name = "Brioche & Co"', 'name = "Brioche & Co"\ntargt_minutes = 120\ncolour = "red"')))
    assert config.workspace("brioche").target_minutes == 60 and len(config.sources) == 2
    typo, unknown = config.problems
    assert "line 5" in typo and "'targt_minutes'" in typo and "did you mean target_minutes?" in typo and "ignored" in typo
    assert "line 6" in unknown and "'colour'" in unknown and "known: business_hours, buzz," in unknown


def test_every_error_of_the_file_is_said_at_once_with_its_line(tmp_path):
    # doctor said one error a run: five runs to see five mistakes, two of them without a line.
    broken = GOOD.replace('agent = "Camille"', 'agent = "Camille"\nbell = "oui"').replace(
        'keywords = ["Brioche & Co"]', 'keywords = "Brioche"\ntarget_minutes = -5\ntone = "toi"')
    with pytest.raises(ConfigError) as raised:
        load(write(tmp_path, broken))
    said = str(raised.value).splitlines()
    assert [re.sub(r"^.*?, (line \d+): .*?(\w+) (?:must|is).*$", r"\1 \2", line) for line in said] == [
        "line 7 target_minutes", "line 6 keywords", "line 8 tone", "line 2 bell"]


def test_workspace_errors_give_the_line(tmp_path):
    with pytest.raises(ConfigError, match="line 6.*target_minutes"):
        load(write(tmp_path, GOOD.replace('keywords = ["Brioche & Co"]', 'keywords = ["Brioche & Co"]\ntarget_minutes = "1h"')))


def test_intervals():
    assert parse_interval(90) == 90 and parse_interval("5m") == 300 and parse_interval("1h") == 3600
    with pytest.raises(ValueError):
        parse_interval(0)


def test_references_resolve_from_the_environment(monkeypatch):
    monkeypatch.setenv("CM_TEST_TOKEN", "abc123")
    assert resolve("env:CM_TEST_TOKEN") == "abc123"
    monkeypatch.delenv("CM_TEST_TOKEN")
    with pytest.raises(CredentialError, match="CM_TEST_TOKEN is not set"):
        resolve("env:CM_TEST_TOKEN")
    assert check_reference("keyring:cminbox/brioche") is None
    assert "keyring:" in check_reference("keyring:cminbox")


def test_references_resolve_from_the_keyring(monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1
        values = {("cminbox", "brioche"): "s3cret"}

        def get_password(self, service, username):
            return self.values.get((service, username))

        def set_password(self, service, username, password):
            self.values[(service, username)] = password

        def delete_password(self, service, username):
            self.values.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        assert resolve("keyring:cminbox/brioche") == "s3cret"
        with pytest.raises(CredentialError, match="keyring set cminbox other"):
            resolve("keyring:cminbox/other")
    finally:
        keyring.set_keyring(previous)


# -- edits keep the user's comments ------------------------------------------------------------

from cminbox.config_edit import add_source, set_enabled  # noqa: E402


def test_adding_a_source_keeps_comments_and_layout(tmp_path):
    path = write(tmp_path, GOOD)
    key, new_workspace = add_source(path, {"type": "hackernews", "workspace": "brioche", "label": "HN", "interval": "10m"})
    assert not new_workspace
    text = path.read_text()
    assert text.startswith(GOOD)  # every comment and blank line as the user wrote them
    assert key == "brioche-hackernews-hn"
    config = load(path)
    assert [s.key for s in config.sources][-1] == key and config.sources[-1].interval == 600


def test_an_edit_with_a_problem_writes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    with pytest.raises(ConfigError, match="literal secret.*nothing written"):
        add_source(path, {"type": "mastodon", "workspace": "brioche", "token": "sk_live_123"})
    with pytest.raises(ConfigError, match="nothing written"):
        add_source(path, {"type": "rss", "workspace": "nowhere"})
    assert path.read_text() == GOOD


def test_disabling_and_enabling_a_source(tmp_path):
    path = write(tmp_path, GOOD)
    set_enabled(path, "brioche-rss-google-alerts", False)
    assert "enabled = false" in path.read_text() and "# Google Alerts for the brand" in path.read_text()
    assert not load(path).source("brioche-rss-google-alerts").enabled
    set_enabled(path, "brioche-rss-google-alerts", True)
    assert path.read_text() == GOOD
    with pytest.raises(ConfigError, match="no source with key"):
        set_enabled(path, "nope", False)


def test_the_first_source_of_a_new_file_brings_its_workspace(tmp_path):
    path = tmp_path / "new" / "config.toml"
    key, new_workspace = add_source(path, {"type": "rss", "workspace": "brioche", "url": "https://x.example/feed"})
    assert new_workspace and key == "brioche-rss"
    config = load(path)
    assert not config.problems and [w.slug for w in config.workspaces] == ["brioche"]
    assert "[workspaces.brioche]" in path.read_text()
    # Once there are workspaces, an unknown one is a typo, not a new brand.
    with pytest.raises(ConfigError, match="the new source: workspace must name.*nothing written") as refused:
        add_source(path, {"type": "rss", "workspace": "brioch", "url": "https://y.example/feed"})
    assert "line" not in str(refused.value)  # no line of a file that never got the entry
    assert [s.key for s in load(path).sources] == [key]


def test_the_readme_example_config_loads_without_problems(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```toml\nagent = ")
    example = readme[start + len("```toml\n"):readme.index("```", start + 7)]
    config = load(write(tmp_path, example))
    assert not config.problems
    assert {s.type for s in config.sources} == {"rss", "hackernews", "mastodon", "bluesky", "reddit"}
    assert all(not any(v.startswith(("env:", "keyring:")) for v in map(str, s.options.values())) for s in config.sources)


_WORKSPACE = '[workspaces.brioche]\nname = "Brioche & Co"\nkeywords = ["Brioche & Co"]\n'


def _readme_source_blocks() -> list[str]:
    """Every ```toml block of the README that holds [[sources]] entries."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b for b in re.findall(r"```toml\n(.*?)```", readme, re.S) if "[[sources]]" in b]


async def test_every_readme_source_example_builds_with_options_the_code_reads():
    """A key the README shows that no source reads would be silently ignored: the user's
    setting would do nothing. Commented-out keys (`# streaming_url = …`) are checked too."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "cminbox" / "sources").glob("*.py"))
    blocks = _readme_source_blocks()
    assert len(blocks) >= 6  # the full example, then Mastodon, Bluesky, Reddit, Facebook…
    async with httpx.AsyncClient() as client:
        http = Http(client)
        for block in blocks:
            text = block if "[workspaces." in block else _WORKSPACE + block
            config = parse(tomllib.loads(text), None, text)
            assert not config.problems, config.problems
            for entry in config.sources:
                build(entry, http, secrets())  # a missing or misnamed required option raises here
                for option in entry.options:
                    assert f'"{option}"' in code, f"the README's {entry.type} option {option!r} is read by no source"
                for name in entry.credentials:
                    assert f'secret("{name}")' in code or f"secret('{name}')" in code, (entry.type, name)
            for option in re.findall(r"^# ([a-z_]+) = ", block, re.M):
                assert option in _COMMON_KEYS | CREDENTIAL_KEYS or f'"{option}"' in code, option


def test_doctor_says_how_to_fix_a_brands_hours(tmp_path):
    # (No [[sources]]: doctor would try to reach them.)
    config = write(tmp_path, '[workspaces.brioche]\nname = "Brioche & Co"\ntimezone = "Europe/Pari"\ntargt_minutes = 30\n')
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "cminbox", "doctor", "--config", str(config), "--db", str(tmp_path / "x.db")],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL)
    said = out.stdout + out.stderr
    assert "unknown timezone 'Europe/Pari' (did you mean Europe/Paris?)" in said and "expected a name" not in said
    assert "correct or remove that [workspaces] table's hours" in said and "[[sources]] entry" not in said
    assert "line 4: [workspaces.brioche] unknown setting 'targt_minutes'" in said and "correct or remove that setting" in said
