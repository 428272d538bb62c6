"""A fetch made of several reads (mentions, a search, DMs…): one that fails does not stop the others.

Without this, a read the account may not make (DMs without the permission, a search over its
plan's quota) failed the whole fetch at every poll, and the mentions read beside it never
arrived. A read's cursor moves only when it succeeds (its assignment is the block's last step),
so a failed read is tried again at the next poll from where it stood. The page says what failed
(`Page.problems`); the engine stores the rest and shows the source as failing, with the reason.

    reads = Reads(self.label)
    with reads.part("DMs"):
        found, state["dms"] = await self._dms(state.get("dms"))
        messages += found
    return reads.page(messages, dump_cursor(state))

When every read fails, the first failure is raised as before, so a network that is down, a
rate limit or a refused token still backs the source off as a whole. A refused token is raised
at once: every read would meet it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..health import unlabelled
from ..models import Incoming
from .base import AuthError, Page, SourceError


class Reads:
    def __init__(self, label: str) -> None:
        self.label = label
        self.failed: list[tuple[str, SourceError]] = []
        self.succeeded = 0

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        """One read, named as the user knows it ("DMs", "search 'brioche'")."""
        try:
            yield
        except AuthError:
            raise
        except SourceError as error:
            self.failed.append((name, error))
        else:
            self.succeeded += 1

    def page(self, messages: list[Incoming], cursor: str | None, more: bool = False) -> Page:
        if self.failed and not self.succeeded:
            raise self.failed[0][1]
        problems = tuple(f"{self.label}: {name}: {unlabelled(str(error), self.label)}" for name, error in self.failed)
        return Page(messages, cursor, more, problems)
