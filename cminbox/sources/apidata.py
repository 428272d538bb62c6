"""Reading the networks' API payloads, shared by the network sources: ids in order, ISO times, JSON cursors,
documented shapes checked, brand terms matched."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from .base import PayloadError


def id_key(value: object) -> tuple[int, str]:
    """Sort key for the networks' string ids: numeric ids by value, sortable ids (TIDs, flake ids) by text.

    Mastodon ids are decimal strings of growing length ("9" < "10"); comparing length first, then
    text, orders them like numbers and keeps fixed-length sortable ids in their own order.
    """
    text = str(value)
    return (len(text), text)


def newest(*values: str | None) -> str | None:
    """The highest of some ids (None ignored), by `id_key`."""
    present = [v for v in values if v]
    return max(present, key=id_key) if present else None


def iso_seconds(value: object) -> float | str:
    """Epoch seconds (UTC) from an ISO 8601 time; the raw value back if it is not one, so that
    `Incoming.check()` rejects the message with the value in its reason instead of a wrong time."""
    if not isinstance(value, str) or not value:
        return str(value)
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


def load_cursor(cursor: str | None) -> dict:
    """A source's JSON cursor as a dict; an unreadable one starts afresh rather than failing forever."""
    if not cursor:
        return {}
    try:
        state = json.loads(cursor)
    except ValueError:
        return {}
    return state if isinstance(state, dict) else {}


def dump_cursor(state: dict) -> str:
    return json.dumps(state, sort_keys=True, separators=(",", ":"))


def as_object(value: object) -> dict:
    """A JSON object, or an empty one where the answer has null or something else: for optional
    parts of an answer (paging, includes, metrics), whose absence must not fail the rest."""
    return value if isinstance(value, dict) else {}


def text_of(value: object) -> str:
    """A documented text field: the string, "" when absent; anything else raises TypeError, so
    that the item is set aside (`items.one_item`) rather than shown as `{'…': …}`."""
    if value is None or isinstance(value, str):
        return value or ""
    raise TypeError(f"expected text, got {type(value).__name__}")


def expect(data: object, kind: type, what: str, label: str):
    """The payload if it has the JSON shape the API documents, else `PayloadError` naming it."""
    if not isinstance(data, kind):
        shape = "a list" if kind is list else "an object"
        raise PayloadError(f"{label}: {what} did not answer with {shape} as documented")
    return data


def items(data: object, key: str, what: str, label: str) -> list[dict]:
    """The objects under `key` in a documented `{key: [...]}` answer; entries that are not objects
    are skipped (one odd entry must not hide the others)."""
    body = expect(data, dict, what, label)
    found = body.get(key, [])
    if not isinstance(found, list):
        raise PayloadError(f"{label}: {what} did not answer with a list under {key!r} as documented")
    return [item for item in found if isinstance(item, dict)]


def check_reads(read: tuple[str, ...], known: tuple[str, ...], network: str) -> frozenset[str]:
    """What an entry's `read` asks for (all of `known` when empty); ValueError naming unknown ones."""
    unknown = [r for r in read if r not in known]
    if unknown:
        raise ValueError(f"read: unknown {', '.join(map(repr, unknown))} ({network} reads {', '.join(known)})")
    return frozenset(read or known)


def mentions_term(text: str, tags: list[str], terms: tuple[str, ...]) -> bool:
    """True when a post names one of the brand terms (a `#tag` term also matches the post's tags)."""
    folded = text.casefold()
    tag_names = {t.casefold() for t in tags}
    for term in terms:
        needle = term.casefold()
        if needle.startswith("#") and needle[1:] in tag_names:
            return True
        if needle and needle in folded:
            return True
    return False


class TimeMark:
    """How far a newest-first listing was read: the newest time seen, and the ids seen at that
    very time (two items can share a second). Walking back from the newest, an item is already
    known once it is older than the mark, or at the mark and among its ids."""

    def __init__(self, raw: object = None) -> None:
        raw = raw if isinstance(raw, dict) else {}
        at = raw.get("at")
        self.at: float | None = float(at) if isinstance(at, (int, float)) and not isinstance(at, bool) else None
        self.ids: set[str] = {str(i) for i in raw.get("ids") or () if i}
        self._start = (self.at, set(self.ids))

    @property
    def empty(self) -> bool:
        """Nothing read yet: a first sync takes the newest page only."""
        return self._start[0] is None

    def known(self, when: float | None, ident: object) -> bool:
        at, ids = self._start
        if at is None or when is None:
            return False
        return when < at or (when == at and str(ident) in ids)

    def note(self, when: float | None, ident: object) -> None:
        """Remember an item read now; the mark moves to the newest."""
        if when is None or not ident:
            return
        if self.at is None or when > self.at:
            self.at, self.ids = when, {str(ident)}
        elif when == self.at:
            self.ids.add(str(ident))

    def dump(self) -> dict:
        return {"at": self.at, "ids": sorted(self.ids)}
