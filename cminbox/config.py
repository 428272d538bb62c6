"""The user's configuration (TOML): workspaces (brands) and their targets, the agent, the keymap.

Read with `tomllib`. A missing file is a valid, empty configuration; a broken one raises
`ConfigError` with the file, the line and the reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .buzz import BuzzSettings
from .models import DEFAULT_TARGET_MINUTES

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the line when known, and why."""


@dataclass(frozen=True, slots=True)
class WorkspaceConfig:
    slug: str
    name: str
    target_minutes: int = DEFAULT_TARGET_MINUTES
    keywords: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    business_hours: str = ""  # "Mon-Fri 09:00-18:00": when the response clock runs (hours.py)
    timezone: str = ""  # "Europe/Paris"; the computer's own when empty
    buzz: BuzzSettings = field(default_factory=BuzzSettings)


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    workspaces: tuple[WorkspaceConfig, ...] = ()
    agent: str = ""
    keymap: dict[str, str] = field(default_factory=dict)


def load(path: Path) -> Config:
    if not path.exists():
        return Config(path=None)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        # tomllib's message already carries "(at line N, column M)".
        raise ConfigError(f"{path}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({error})") from None
    return parse(data, path)


def parse(data: dict, path: Path | None = None) -> Config:
    where = str(path) if path else "config"
    workspaces = []
    for slug, table in (data.get("workspaces") or {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [workspaces.{slug}] must be a table")
        if not _SLUG.match(slug):
            raise ConfigError(f"{where}: workspace name {slug!r} must be lowercase letters, digits, - or _")
        target = table.get("target_minutes", DEFAULT_TARGET_MINUTES)
        if not isinstance(target, int) or not 1 <= target <= 7 * 24 * 60:
            raise ConfigError(f"{where}: [workspaces.{slug}] target_minutes must be a whole number of minutes (1 to 10080)")
        workspaces.append(
            WorkspaceConfig(
                slug=slug,
                name=str(table.get("name") or slug),
                target_minutes=target,
                keywords=_strings(table, "keywords", where, slug),
                competitors=_strings(table, "competitors", where, slug),
                **_triage_settings(table, where, slug),
            )
        )
    keymap = data.get("keys") or {}
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f'{where}: [keys] maps an action id to keys, e.g. done = "d,ctrl+d"')
    agent = data.get("agent", "")
    if not isinstance(agent, str):
        raise ConfigError(f"{where}: agent must be text (your signature or initials)")
    return Config(path=path, workspaces=tuple(workspaces), agent=agent, keymap=dict(keymap))


def buzz_settings(config: Config, slug: str) -> BuzzSettings:
    """A workspace's bad-buzz settings (the defaults for a workspace the config does not name)."""
    for workspace in config.workspaces:
        if workspace.slug == slug:
            return workspace.buzz
    return BuzzSettings()


def _triage_settings(table: dict, where: str, slug: str) -> dict:
    """Business hours, timezone and the [workspaces.<slug>.buzz] table, checked."""
    from .buzz import BuzzSettingsError, check_settings
    from .hours import BusinessHours, HoursError

    hours = table.get("business_hours", "")
    zone = table.get("timezone", "")
    if not isinstance(hours, str) or not isinstance(zone, str):
        raise ConfigError(f'{where}: [workspaces.{slug}] business_hours and timezone are text, e.g. "Mon-Fri 09:00-18:00" and "Europe/Paris"')
    try:
        BusinessHours.parse(hours, zone or None)
    except HoursError as error:
        raise ConfigError(f"{where}: [workspaces.{slug}] {error}") from None
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
        settings = check_settings(BuzzSettings(**values))
    except BuzzSettingsError as error:
        raise ConfigError(f"{where}: [workspaces.{slug}.buzz] {error}") from None
    return {"business_hours": hours, "timezone": zone, "buzz": settings}


def _strings(table: dict, key: str, where: str, slug: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [workspaces.{slug}] {key} must be a list of strings")
    return tuple(value)
