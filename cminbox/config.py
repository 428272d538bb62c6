"""The user's configuration (TOML): workspaces (brands), sources, the agent, the keymap, the
saved-replies folder, the terminal bell.

Read with `tomllib`. A missing file is a valid, empty configuration. A file TOML cannot parse,
or a broken workspace, raises `ConfigError` with the file, the line and the reason. A broken
`[[sources]]` entry is different: it is left out and its problem (line and reason) is listed in
`Config.problems`, so the app still opens with the sources that are fine.

Writes go through `config_edit.py` (tomlkit), which keeps the user's comments.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from .bell import BELL_SETTINGS
from .buzz import BuzzSettings
from .models import DEFAULT_TARGET_MINUTES

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$")

# Keys every [[sources]] entry understands; anything else is the source type's own option.
_COMMON_KEYS = frozenset({"type", "workspace", "label", "id", "base_url", "interval", "read", "terms", "enabled"})
# Keys that hold secrets: their value must be a reference (env:NAME / keyring:service/account).
CREDENTIAL_KEYS = frozenset({"token", "password", "app_password", "client_secret", "api_key", "refresh_token"})
MIN_INTERVAL = 1.0
MAX_INTERVAL = 24 * 3600.0


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the line when known, and why."""


@dataclass(frozen=True, slots=True)
class WorkspaceConfig:
    slug: str
    name: str
    target_minutes: int = DEFAULT_TARGET_MINUTES
    keywords: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    business_hours: str = ""  # "Mon-Fri 09:00-18:00": when the response clock runs (hours.py)
    timezone: str = ""  # "Europe/Paris"; the computer's own when empty
    buzz: BuzzSettings = field(default_factory=BuzzSettings)
    tone: str | None = None  # "tu" or "vous": the French saved replies this brand uses
    placeholders: dict[str, str] = field(default_factory=dict)  # fixed values for saved replies

    def stored(self) -> dict[str, object]:
        """What the database keeps of the brand (`Store.ensure_workspace`'s arguments): all of
        it, every time, so no caller can write the workspace without its hours."""
        return {"name": self.name, "target_minutes": self.target_minutes,
                "business_hours": self.business_hours, "timezone": self.timezone}

    @property
    def brand_terms(self) -> tuple[str, ...]:
        """What to search for and highlight: keywords, then hashtags (with their #)."""
        tags = tuple(t if t.startswith("#") else "#" + t for t in self.hashtags)
        return tuple(dict.fromkeys(self.keywords + tags))


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One `[[sources]]` entry, checked: what a source type's constructor receives.

    `key` is the source's stable identity in the database (its cursor and messages hang on it):
    the entry's `id`, or derived from workspace, type and label. `interval` is None when the
    entry leaves it to the type's default. `terms` are the entry's own `terms`, else its
    workspace's keywords and hashtags. `credentials` maps a credential name (`token`,
    `password`…) to its reference, never to a value. `options` holds every other key, for the
    type to read and check (`url`, `kind`, `account`…).
    """

    key: str
    type: str
    workspace: str
    label: str
    base_url: str | None = None
    interval: float | None = None
    read: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    credentials: dict[str, str] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)
    enabled: bool = True
    line: int | None = None

    @property
    def where(self) -> str:
        """How messages name this entry: 'line 12 ([[sources]] rss "Google Alerts")'."""
        at = f"line {self.line} " if self.line else ""
        return f"{at}([[sources]] {self.type} {self.label!r})"


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    workspaces: tuple[WorkspaceConfig, ...] = ()
    agent: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    sources: tuple[SourceEntry, ...] = ()
    problems: tuple[str, ...] = ()  # entries left out, each with its line and reason
    replies: Path | None = None  # the saved-replies folder, when not the default
    bell: str = "buzz"  # what rings the terminal bell (`bell.BELL_SETTINGS`)

    def workspace(self, slug: str) -> WorkspaceConfig | None:
        return next((w for w in self.workspaces if w.slug == slug), None)

    def source(self, key: str) -> SourceEntry | None:
        return next((s for s in self.sources if s.key == key), None)


def load(path: Path) -> Config:
    if not path.exists():
        return Config(path=None)
    import tomllib  # here: without a config file (the demo) the parser is not needed

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message already carries "(at line N, column M)".
        raise ConfigError(f"{path}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({error})") from None
    return parse(data, path, text)


class _Lines:
    """Line numbers for messages: tomllib gives none, so they are found in the text itself."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def header(self, pattern: str, nth: int = 0) -> int | None:
        regex = re.compile(r"^\s*" + pattern + r"\s*(#.*)?$")
        found = [i for i, line in enumerate(self.lines) if regex.match(line)]
        return found[nth] + 1 if nth < len(found) else None

    def key(self, start: int | None, key: str) -> int | None:
        """The line of `key = …` in the table starting at line `start` (1-based)."""
        if start is None:
            return None
        regex = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            if line.lstrip().startswith("["):
                break
            if regex.match(line):
                return index + 1
        return start


# What a [workspaces.<slug>] table may set (`WorkspaceConfig`'s fields, as the file names them).
_WORKSPACE_SETTINGS: Final = frozenset(
    ["name", "target_minutes", "keywords", "hashtags", "competitors", "business_hours", "timezone", "buzz",
     "tone", "placeholders"]
)


def parse(data: dict, path: Path | None = None, text: str = "") -> Config:
    where = str(path) if path else "config"
    lines = _Lines(text)
    workspaces = []
    problems: list[str] = []
    # Every error of the file is said at once, not one per run: each check that fails is noted
    # and the next ones still run (on a default in its place); the file is refused at the end.
    errors: list[str] = []
    noted = _Noted(errors)
    for slug, table in (data.get("workspaces") or {}).items():
        at = lines.header(r"\[\s*workspaces\.[\"']?" + re.escape(slug) + r"[\"']?\s*\]")

        def fail(reason: str, key: str | None = None) -> ConfigError:
            line = lines.key(at, key) if key else at
            return ConfigError(f"{where}{f', line {line}' if line else ''}: [workspaces.{slug}] {reason}")

        if not isinstance(table, dict):
            errors.append(str(fail("must be a table")))
            continue
        if not _SLUG.match(slug):
            errors.append(str(fail("name must be lowercase letters, digits, - or _")))
        target = table.get("target_minutes", DEFAULT_TARGET_MINUTES)
        if not isinstance(target, int) or isinstance(target, bool) or not 1 <= target <= 7 * 24 * 60:
            errors.append(str(fail("target_minutes must be a whole number of minutes (1 to 10080)", "target_minutes")))
            target = DEFAULT_TARGET_MINUTES
        lists = {}
        for key in ("keywords", "hashtags", "competitors"):
            value = table.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                errors.append(str(fail(f"{key} must be a list of words in quotes", key)))
                value = []
            lists[key] = tuple(v.strip() for v in value)
        try:
            hours = _hours(table, fail)
        except ConfigError as error:
            # A typo in one brand's hours must not drop the whole file (every brand's sources,
            # targets, keys): those hours are left out, and said.
            problems.append(f"{error}; its business hours and time zone are left out (deadlines run round the clock) until it is fixed")
            hours = {"business_hours": "", "timezone": ""}
        for key in [k for k in table if k not in _WORKSPACE_SETTINGS]:  # (in the file's order)
            # A typo ("targt_minutes") would leave the default in place without a word.
            nearest = difflib.get_close_matches(key, sorted(_WORKSPACE_SETTINGS), n=1, cutoff=0.6)
            hint = f" (did you mean {nearest[0]}?)" if nearest else f" (known: {', '.join(sorted(_WORKSPACE_SETTINGS))})"
            problems.append(f"{fail(f'unknown setting {key!r}{hint}', key)}; it is ignored")
        tone = placeholders = buzz = None
        with noted:
            tone = _tone(table, fail)
        with noted:
            placeholders = _placeholders(table, where, slug)
        with noted:
            buzz = _buzz_settings(table, where, slug)
        workspaces.append(
            WorkspaceConfig(slug=slug, name=str(table.get("name") or slug), target_minutes=target,
                            tone=tone, placeholders=placeholders or {},
                            **lists, **hours, buzz=buzz or BuzzSettings())
        )
    keymap = data.get("keys") or {}
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        errors.append(f'{where}: [keys] maps an action id to keys, e.g. done = "d,ctrl+d"')
        keymap = {}
    agent = data.get("agent", "")
    if not isinstance(agent, str):
        errors.append(_top_level(where, lines, "agent", "agent must be text (your signature or initials)"))
    sources, source_problems = _parse_sources(data.get("sources"), {w.slug: w for w in workspaces}, lines, where)
    problems += source_problems
    replies = data.get("replies")
    if replies is not None and (not isinstance(replies, str) or not replies.strip()):
        errors.append(_top_level(where, lines, "replies", 'replies is the folder of your saved replies, e.g. replies = "~/brand-replies"'))
    bell = data.get("bell", "buzz")
    if bell not in BELL_SETTINGS:
        errors.append(_top_level(where, lines, "bell", 'bell is "buzz" (a bad buzz rings the terminal bell), "complaints" '
                                 f'(every complaint that arrives too) or "off", not {str(bell)[:30]!r}'))
    if errors:
        raise ConfigError("\n".join(errors))
    return Config(path=path, workspaces=tuple(workspaces), agent=agent, keymap=dict(keymap),
                  sources=tuple(sources), problems=tuple(problems),
                  replies=_folder(replies, path) if replies else None, bell=bell)


def _folder(value: str, config_path: Path | None) -> Path:
    """A folder named in the config: `~` expanded, relative to the config file's folder."""
    folder = Path(value).expanduser()
    if not folder.is_absolute() and config_path is not None:
        folder = config_path.parent / folder
    return folder


def _tone(table: dict, fail) -> str | None:
    tone = table.get("tone")
    if tone is not None and tone not in ("tu", "vous"):
        raise fail('tone is "tu" or "vous" (how the brand addresses people in French)', "tone")
    return tone


def _top_level(where: str, lines: _Lines, key: str, reason: str) -> str:
    """An error about a key before the first table, with its line."""
    line = lines.key(0, key)
    return f"{where}{f', line {line}' if line else ''}: {reason}"


class _Noted:
    """`with noted:` notes a ConfigError in the list and goes on (see `parse`)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> bool:
        if isinstance(error, ConfigError):
            self.errors.append(str(error))
            return True
        return False


def _placeholders(table: dict, where: str, slug: str) -> dict[str, str]:
    values = table.get("placeholders", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise ConfigError(
            f'{where}: [workspaces.{slug}.placeholders] maps a placeholder to its text, e.g. support_contact = "01 23 45 67 89"'
        )
    for name in values:
        if not re.match(r"^[a-z][a-z0-9_]*$", name):
            raise ConfigError(f"{where}: [workspaces.{slug}.placeholders] {name!r}: placeholder names are lowercase letters, digits and _")
    return dict(values)


def parse_interval(value: object) -> float:
    """Seconds, from a number of seconds or a string like "90s", "5m", "1h"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        unit = {"h": 3600, "m": 60, "min": 60}.get(match.group(2) or "s", 1)
        seconds = float(match.group(1)) * unit
    else:
        raise ValueError('interval must be seconds, or text like "90s", "5m", "1h"')
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise ValueError("interval must be between 1 second and 24 hours")
    return seconds


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def source_key(table: dict) -> str:
    """A [[sources]] entry's stable key: its `id`, else workspace-type-label."""
    explicit = table.get("id")
    if isinstance(explicit, str) and explicit:
        return explicit
    parts = (str(table.get("workspace") or ""), str(table.get("type") or ""), _slugify(str(table.get("label") or "")))
    return "-".join(p for p in parts if p)


def _strings(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of words in quotes")
    return tuple(v.strip() for v in value)


def _parse_sources(raw: object, workspaces: dict[str, WorkspaceConfig], lines: _Lines, where: str):
    from .sources.registry import SOURCE_TYPES

    if raw is None:
        return [], []
    if not isinstance(raw, list):
        line = lines.header(r"\[\s*sources\s*\]")
        return [], [f"{where}{f', line {line}' if line else ''}: sources are written [[sources]] (two brackets), one per source"]
    entries: list[SourceEntry] = []
    problems: list[str] = []
    keys: set[str] = set()
    for index, table in enumerate(raw):
        at = lines.header(r"\[\[\s*sources\s*\]\]", index)

        def problem(reason: str, key: str | None = None) -> None:
            line = lines.key(at, key) if key else at
            problems.append(f"{where}{f', line {line}' if line else ''}: [[sources]] #{index + 1}: {reason} (left out)")

        if not isinstance(table, dict):
            problem("must be a table")
            continue
        type_ = table.get("type")
        if type_ not in SOURCE_TYPES:
            problem(f"type must be one of {', '.join(sorted(SOURCE_TYPES))}", "type")
            continue
        slug = table.get("workspace")
        if slug not in workspaces:
            known = ", ".join(sorted(workspaces)) or "none yet: add a [workspaces.NAME] table"
            problem(f"workspace must name a [workspaces.…] table (known: {known})", "workspace")
            continue
        try:
            entry = _entry(table, type_, workspaces[slug], at)
        except _EntryProblem as error:
            problem(error.reason, error.key)
            continue
        if entry.key in keys:
            problem(f"another source already has the key {entry.key!r}: give each one its own id = \"…\"", "id")
            continue
        keys.add(entry.key)
        entries.append(entry)
    return entries, problems


class _EntryProblem(Exception):
    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.key = reason, key


def _entry(table: dict, type_: str, workspace: WorkspaceConfig, line: int | None) -> SourceEntry:
    def field_value(key: str, convert):
        try:
            return convert(table[key])
        except (ValueError, TypeError) as error:
            raise _EntryProblem(f"{key}: {error}", key) from None

    # Imported here: the credentials module brings the sources' error types, which an inbox
    # without sources does not need to start.
    from .credentials import check_reference

    credentials: dict[str, str] = {}
    options: dict[str, object] = {}
    for key, value in table.items():
        if key in CREDENTIAL_KEYS:
            reason = check_reference(value)
            if reason:
                raise _EntryProblem(f"{key} {reason}", key)
            credentials[key] = value
        elif key not in _COMMON_KEYS:
            options[key] = value
    label = table.get("label") or ""
    if not isinstance(label, str):
        raise _EntryProblem("label must be text", "label")
    explicit = table.get("id")
    if explicit is not None and (not isinstance(explicit, str) or not _SLUG.match(explicit)):
        raise _EntryProblem("id must be lowercase letters, digits, - or _", "id")
    base_url = table.get("base_url")
    if base_url is not None and (not isinstance(base_url, str) or not re.match(r"^https?://[^\s/]+", base_url)):
        raise _EntryProblem("base_url must be an http(s) address, like \"https://mastodon.social\"", "base_url")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _EntryProblem("enabled must be true or false", "enabled")
    key = source_key(table)
    return SourceEntry(
        key=key,
        type=type_,
        workspace=workspace.slug,
        label=label or f"{type_} · {workspace.name}",
        base_url=base_url.rstrip("/") if base_url else None,
        interval=field_value("interval", parse_interval) if "interval" in table else None,
        read=field_value("read", lambda v: _strings(v, "read")) if "read" in table else (),
        terms=field_value("terms", lambda v: _strings(v, "terms")) if "terms" in table else workspace.brand_terms,
        credentials=credentials,
        options=options,
        enabled=enabled,
        line=line,
    )


def buzz_settings(config: Config, slug: str) -> BuzzSettings:
    """A workspace's bad-buzz settings (the defaults for a workspace the config does not name)."""
    for workspace in config.workspaces:
        if workspace.slug == slug:
            return workspace.buzz
    return BuzzSettings()


def _hours(table: dict, fail) -> dict:
    """Business hours and timezone, checked; `fail(reason, key)` makes the error (with the key's line)."""
    from .hours import BusinessHours, HoursError

    hours = table.get("business_hours", "")
    zone = table.get("timezone", "")
    if not isinstance(hours, str) or not isinstance(zone, str):
        raise fail('business_hours and timezone are text, e.g. "Mon-Fri 09:00-18:00" and "Europe/Paris"', "business_hours")
    try:
        BusinessHours.parse(hours, zone or None)
    except HoursError as error:
        key = "timezone" if "timezone" in str(error) else "business_hours"
        nearest = _nearest_zone(zone) if key == "timezone" else ""
        raise fail(f"{key}: {str(error).rsplit(' (expected', 1)[0] if nearest else error}{nearest}", key) from None
    return {"business_hours": hours, "timezone": zone}


def _nearest_zone(name: str) -> str:
    """ " (did you mean Europe/Paris?)" for a mistyped IANA name, or nothing."""
    import difflib
    import zoneinfo

    close = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=1, cutoff=0.8)
    return f" (did you mean {close[0]}?)" if close else ""  # (said instead of the usual example)


def _buzz_settings(table: dict, where: str, slug: str) -> BuzzSettings:
    """The [workspaces.<slug>.buzz] table, checked."""
    from .buzz import BuzzSettingsError, check_settings

    buzz = table.get("buzz", {})
    if not isinstance(buzz, dict):
        raise ConfigError(f"{where}: [workspaces.{slug}.buzz] must be a table")
    fields = {"window_minutes": int, "sensitivity": (int, float), "min_volume": int, "ratio": (int, float),
              "cooldown_minutes": int, "history_days": int, "quiet_hours": str}  # fmt: skip
    values = {}
    for key, value in buzz.items():
        kind = fields.get(key)
        if kind is None:
            raise ConfigError(f"{where}: [workspaces.{slug}.buzz] unknown setting {key!r} (known: {', '.join(fields)})")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(f"{where}: [workspaces.{slug}.buzz] {key} has the wrong type")
        values[key] = value
    try:
        return check_settings(BuzzSettings(**values))
    except BuzzSettingsError as error:
        raise ConfigError(f"{where}: [workspaces.{slug}.buzz] {error}") from None

