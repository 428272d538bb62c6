"""Changing the config file for the user (a new source, a source switched off) without losing
the comments and layout they wrote: edits go through `tomlkit`, which keeps both.

Every edit is checked before it is written: the new text must load, and the edited entry must
come out without a problem; otherwise nothing is written and `ConfigError` says why. The file is
replaced atomically, so a crash mid-write leaves the old one.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path

import tomlkit

from .config import Config, ConfigError, parse, source_key


def _load(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as error:
        raise ConfigError(f"{path}: cannot edit it ({error})") from None


def _checked(document: tomlkit.TOMLDocument, path: Path) -> tuple[str, Config]:
    text = tomlkit.dumps(document)
    try:
        return text, parse(tomllib.loads(text), path, text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: the edit would break the file ({error}); nothing written") from None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def add_source(path: Path, values: dict[str, object]) -> tuple[str, bool]:
    """Append a [[sources]] entry; returns its key, and whether its workspace was added too (the
    first source of a config with no workspace yet gets a `[workspaces.NAME]` table named after
    it; once there are workspaces, an unknown name is refused, since it is most likely a typo).
    Refused (nothing written) if it has a problem."""
    document = _load(path)
    before = len(_checked(document, path)[1].problems)
    slug = values.get("workspace")
    new_workspace = isinstance(slug, str) and bool(slug.strip()) and not document.get("workspaces")
    if new_workspace:
        workspace = tomlkit.table()
        workspace.add("name", slug)
        workspace.add("keywords", tomlkit.array())
        workspace["keywords"].comment("the brand's names: what sources search for, and what is highlighted")
        workspaces = tomlkit.table(is_super_table=True)
        workspaces.add(slug, workspace)
        document.add("workspaces", workspaces)
    table = tomlkit.table()
    for name, value in values.items():
        if value is not None:
            table.add(name, value)
    table.add(tomlkit.nl())  # a blank line before whatever follows
    if "sources" not in document:
        document.add(tomlkit.nl())
        document.add("sources", tomlkit.aot())
    sources = document["sources"]
    if not isinstance(sources, tomlkit.items.AoT):
        raise ConfigError(f"{path}: sources must be written [[sources]]: fix the file first")
    sources.append(table)
    text, config = _checked(document, path)
    if len(config.problems) > before:
        # Said of the entry being added, not of a line in a file that never got it.
        problem = re.sub(r"^.*?\[\[sources\]\] #\d+: ", "", config.problems[-1].replace(" (left out)", ""))
        raise ConfigError(f"{path}: the new source: {problem}; nothing written")
    if config.sources:
        _check_options(path, config.sources[-1])
    _write(path, text)
    return (config.sources[-1].key if config.sources else ""), new_workspace


def _check_options(path: Path, entry) -> None:
    """What the source itself requires of its entry (a feed's url, an instance's base_url, a
    page_id), checked by building it, without reading any credential or the network."""
    from .sources.registry import UnavailableType, build

    try:
        source = build(entry, None, lambda name: "")  # type: ignore[arg-type]
    except UnavailableType:
        return  # an optional piece missing on this machine: `cminbox doctor` says what
    except ValueError as error:
        problem = str(error).removeprefix(f"{entry.where}: ")  # a line the file never got
        raise ConfigError(f"{path}: the new source: {problem}; nothing written") from None
    sets = type(source).credential_sets
    if sets and not any(needed <= set(entry.credentials) for needed in sets):
        ways = " or ".join(" and ".join(_CREDENTIAL_FLAGS.get(n, f"--set {n}=env:NAME") for n in sorted(needed))
                           for needed in sets)
        raise ConfigError(f"{path}: the new source: a {entry.type} source needs {ways}; nothing written")


# How `cminbox sources add` takes each credential (a reference: env:NAME or keyring:…).
_CREDENTIAL_FLAGS = {"token": "--token env:NAME", "password": "--password env:NAME",
                     "app_password": "--app-password env:NAME", "client_secret": "--client-secret env:NAME"}


def set_enabled(path: Path, key: str, enabled: bool) -> None:
    """Switch a source on or off (`enabled = false` in its entry), keeping everything else."""
    document = _load(path)
    _, config = _checked(document, path)
    keys = [entry.key for entry in config.sources]
    if key not in keys:
        raise ConfigError(f"{path}: no source with key {key!r} (see `cminbox sources`)")
    for table in document.get("sources", []):
        if source_key(table) == key:
            if enabled:
                table.pop("enabled", None)
            else:
                table["enabled"] = False
            break
    _write(path, _checked(document, path)[0])
