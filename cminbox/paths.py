"""Where cminbox keeps things: the platform's config and data dirs, created on demand.

`CMINBOX_CONFIG_DIR` and `CMINBOX_DATA_DIR` override them (tests point both at a temp dir).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "cminbox"


def config_dir() -> Path:
    override = os.environ.get("CMINBOX_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    override = os.environ.get("CMINBOX_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.toml"


def database_file() -> Path:
    return data_dir() / "cminbox.db"


def replies_dir() -> Path:
    """The user's saved-replies library (a plain folder a team can keep in git)."""
    return data_dir() / "replies"


def demo_database_file() -> Path:
    """The demo's own database: it never mixes with real data."""
    return data_dir() / "demo.db"


def missing_database(path: Path) -> str:
    """Why a command has nothing to read: "no database at …", and where the demo's is when the
    default one does not exist yet (the commands read your inbox, not the demo's)."""
    said = f"no database at {path} (give one with --db"
    demo = demo_database_file()
    if Path(path) == database_file() and demo.exists():
        said += f"; the demo's is --db {demo}"
    return said + ")"
