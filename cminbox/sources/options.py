"""Reading a source's own options from its `[[sources]]` entry, with errors a user can act on.

Each helper raises `ValueError("reason")`; the registry adds the entry's line to it.
"""

from __future__ import annotations

import json

from ..config import SourceEntry


# What a source that searches says when it has no terms: in the config file or on the command line.
NEEDS_TERMS = (
    'needs terms to search: keywords in the workspace, or terms = ["…"] in this [[sources]] entry'
    " (with `cminbox sources add`: --set terms=WORD)"
)


def text(entry: SourceEntry, name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = entry.options.get(name, default)
    if value is None:
        if required:
            raise ValueError(f'{name} is required (for example {name} = "1234567890")')
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be text in quotes")
    return value.strip()


def flag(entry: SourceEntry, name: str, default: bool = False) -> bool:
    value = entry.options.get(name, default)
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


def number(entry: SourceEntry, name: str, default: int, *, low: int, high: int) -> int:
    value = entry.options.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return value


def reads(entry: SourceEntry, known: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
    """What the entry asks the source to read (`read = [...]`), checked against what it can."""
    wanted = entry.read or default
    unknown = [r for r in wanted if r not in known]
    if unknown:
        raise ValueError(f"read: {', '.join(unknown)} unknown here (this source reads {', '.join(known)})")
    return tuple(wanted)


def load_cursor(cursor: str | None) -> dict:
    """A source's cursor (JSON it wrote itself); a damaged one starts over rather than failing."""
    if not cursor:
        return {}
    try:
        value = json.loads(cursor)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def dump_cursor(value: dict) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
