"""The footer in the order the bindings are declared, whatever keys a `[keys]` table gives them.

Textual applies a keymap by taking each remapped binding out of its place and adding it back
after all the others: the footer then shows it last, and in a narrow terminal not at all
("Done", remapped to `e`, fell off the end at 100 columns). A screen with this mixin lists its
active bindings in their declared order, namespace by namespace as Textual gives them.
"""

from __future__ import annotations

from functools import cache

from textual.binding import ActiveBinding

_UNKNOWN = 1 << 30  # a binding its class does not declare (none today): after the others


class DeclaredOrder:
    """Mixin for a `Screen`: `active_bindings` (what the footer shows) in declared order."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active = super().active_bindings  # type: ignore[misc]
        namespaces: dict[int, int] = {}
        for item in active.values():
            namespaces.setdefault(id(item.node), len(namespaces))
        return dict(sorted(active.items(), key=lambda entry: (namespaces[id(entry[1].node)], _position(entry[1]))))


def _position(active: ActiveBinding) -> int:
    binding = active.binding
    return _declared(type(active.node)).get(binding.id or (binding.key, binding.action), _UNKNOWN)


@cache
def _declared(owner: type) -> dict[object, int]:
    """Where each binding of a class comes in its declared bindings: by id, or (key, action)."""
    merged = getattr(owner, "_merged_bindings", None)
    positions: dict[object, int] = {}
    if merged is None:
        return positions
    for position, (key, bindings) in enumerate(merged.key_to_bindings.items()):
        for binding in bindings:
            positions.setdefault(binding.id or (key, binding.action), position)
    return positions
