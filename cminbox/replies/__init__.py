"""Saved replies (core: no UI imports): the library of files, placeholders, network length limits.

The names below load on first use: the length limits (`replies.limits`) are needed at start-up
by the platform rules, the library's file reading only when a reply is picked.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "BUILTIN": "placeholders",
    "Filled": "placeholders",
    "fill": "placeholders",
    "placeholder_names": "placeholders",
    "NETWORK_NAMES": "placeholders",
    "message_values": "placeholders",
    "unfill": "placeholders",
    "Library": "library",
    "Problem": "library",
    "SavedReply": "library",
    "load_folder": "library",
    "load_library": "library",
    "starter_dir": "library",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from .library import Library, Problem, SavedReply, load_folder, load_library, starter_dir
    from .placeholders import BUILTIN, NETWORK_NAMES, Filled, fill, message_values, placeholder_names, unfill


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
