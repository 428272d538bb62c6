"""Reading an answer one item at a time: an item of a shape the code does not expect (a number
where text was documented, an object where a list was) is set aside with the reason, and the
other items of the answer are read as usual.

Without this, one odd item makes the whole fetch fail with the same error at every poll: the
source stops moving and every later message waits behind it.

    for comment in data:
        with one_item(comment, "comment"):
            messages.append(read(comment))

The engine collects what was set aside (`collecting()`) and stores it with the page, in the
same transaction as the cursor that moves past it (`Store.ingest(..., unreadable=...)`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..models import Unreadable
from .base import PayloadError

# What reading a JSON value of an unexpected shape raises: `None.get`, `int.strip`,
# `"x"["id"]`, `int("x")`, `[][0]`, and the sources' own `PayloadError` (a time that is not one).
SHAPE_ERRORS = (AttributeError, KeyError, TypeError, ValueError, IndexError, PayloadError)

_set_aside: ContextVar[list[Unreadable] | None] = ContextVar("unreadable_items", default=None)


@contextmanager
def collecting() -> Iterator[list[Unreadable]]:
    """Collect the items set aside while the block runs (a fetch, a stream's next page)."""
    found: list[Unreadable] = []
    token = _set_aside.set(found)
    try:
        yield found
    finally:
        _set_aside.reset(token)


@contextmanager
def one_item(item: object, what: str, ident: object = None) -> Iterator[None]:
    """Read one item; if its shape is not what the code expects, set it aside and go on.

    `ident` names the item when its id is not under "id": a value, or a function giving it (called
    only if the item is set aside, so it may itself fail on the odd shape). Outside `collecting()`
    (a caller that would not keep the item) the error propagates as before.
    """
    try:
        yield
    except SHAPE_ERRORS as error:
        found = _set_aside.get()
        if found is None:
            raise
        detail = f"missing {error}" if isinstance(error, KeyError) else str(error)  # KeyError says only the key
        found.append(Unreadable.of(item, f"{what} not readable ({type(error).__name__}: {detail})", _ident(item, ident)))


def _ident(item: object, ident: object) -> object:
    try:
        return ident() if callable(ident) else ident
    except SHAPE_ERRORS:  # the id itself is where the shape is wrong
        return None
