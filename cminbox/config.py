"""The user's configuration (TOML): workspaces (brands) and their targets, the agent, the keymap,
the saved-replies folder.

Read with `tomllib`. A missing file is a valid, empty configuration; a broken one raises
`ConfigError` with the file, the line and the reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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
    tone: str | None = None  # "tu" or "vous": the French saved replies this brand uses
    placeholders: dict[str, str] = field(default_factory=dict)  # fixed values for saved replies


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    workspaces: tuple[WorkspaceConfig, ...] = ()
    agent: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    replies: Path | None = None  # the saved-replies folder, when not the default

    def workspace(self, slug: str) -> WorkspaceConfig | None:
        return next((w for w in self.workspaces if w.slug == slug), None)


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
                tone=_tone(table, where, slug),
                placeholders=_placeholders(table, where, slug),
            )
        )
    keymap = data.get("keys") or {}
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f'{where}: [keys] maps an action id to keys, e.g. done = "d,ctrl+d"')
    agent = data.get("agent", "")
    if not isinstance(agent, str):
        raise ConfigError(f"{where}: agent must be text (your signature or initials)")
    replies = data.get("replies")
    if replies is not None and (not isinstance(replies, str) or not replies.strip()):
        raise ConfigError(f'{where}: replies is the folder of your saved replies, e.g. replies = "~/brand-replies"')
    return Config(
        path=path,
        workspaces=tuple(workspaces),
        agent=agent,
        keymap=dict(keymap),
        replies=_folder(replies, path) if replies else None,
    )


def _folder(value: str, config_path: Path | None) -> Path:
    """A folder named in the config: `~` expanded, relative to the config file's folder."""
    folder = Path(value).expanduser()
    if not folder.is_absolute() and config_path is not None:
        folder = config_path.parent / folder
    return folder


def _tone(table: dict, where: str, slug: str) -> str | None:
    tone = table.get("tone")
    if tone is not None and tone not in ("tu", "vous"):
        raise ConfigError(f'{where}: [workspaces.{slug}] tone is "tu" or "vous" (how the brand addresses people in French)')
    return tone


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


def _strings(table: dict, key: str, where: str, slug: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [workspaces.{slug}] {key} must be a list of strings")
    return tuple(value)
