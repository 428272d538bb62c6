"""What a source is: one network account or feed that fetches messages and, where it can, replies.

The contract every source type keeps (core: no UI imports):

- `fetch(cursor)` returns one `Page`: the messages it brought and the cursor that resumes
  after them. The caller stores both in one transaction (`Store.ingest(..., cursor=...)`),
  so a crash between pages can neither skip nor duplicate. `more=True` means another page
  is ready now.
- `reply(target, text, key)` posts one reply and returns what the network says it created.
  `key` is the outbox's idempotency key: a source that can check it (a client-side id, a
  search of our own recent replies) must, so a retry after a timeout never double-posts.
- Failures are the exceptions below, with a message fit for the user: never a token.
  A fetch of several reads runs each through `reads.Reads`, so that one failing does not stop
  the others: their messages come back with the failure in `Page.problems`.
- A real-time source also implements `stream(cursor)` (see `StreamingSource`): the engine
  back-fills with `fetch` until `more` is False, then consumes the stream, and on a drop backs
  off, back-fills the gap with `fetch` and reconnects.

How a source is built from its config entry, and what it may use: `registry.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from ..models import Incoming

if TYPE_CHECKING:
    from ..config import SourceEntry
    from .http import Http
    from .registry import Secret


class SourceError(Exception):
    """A fetch or a reply failed; the message says what and why, in words a CM can act on."""


class AuthError(SourceError):
    """The credentials were refused: the source needs re-authentication."""


class RateLimited(SourceError):
    """The network asked us to wait (HTTP 429, or its rate-limit headers say the budget is spent)."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TemporaryError(SourceError):
    """Worth retrying later with back-off: 5xx, timeout, connection refused, truncated body."""


class PayloadError(SourceError):
    """The network answered something we cannot read (malformed JSON, missing fields)."""


class NotSupported(SourceError):
    """This source cannot do that (replying on Hacker News, say): copy and open instead."""


class ObjectGone(SourceError):
    """What was asked for was deleted (or hidden from this token) since it was listed: a refusal
    of that one object, not of the source."""


class UnknownOutcome(SourceError):
    """A reply may or may not have been posted (timeout after sending): never retried blindly."""


def certainly_not_posted(error: BaseException) -> bool:
    """Whether a failed send proves the reply did not go out: a clear refusal (credentials,
    429 or our own budget, not supported, a plain 4xx `SourceError`). Anything else (a timeout,
    a 5xx, a cut connection, an unreadable answer) may have posted it."""
    return isinstance(error, (AuthError, RateLimited, NotSupported, ObjectGone)) or type(error) is SourceError


@dataclass(frozen=True, slots=True)
class Page:
    """What one fetch brought. `cursor=None` keeps the stored cursor (a stream's pages usually do:
    the REST back-fill advances it, and what was streamed is not stored twice)."""

    messages: list[Incoming]
    cursor: str | None
    more: bool = False
    # Reads of the fetch that failed while others worked, each "label: read: why" (`reads.Reads`):
    # the page is stored and the source is shown failing with them.
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """What a reply needs to know about the message it answers."""

    native_id: str
    network: str
    kind: str
    author_handle: str
    parent_id: str | None = None
    thread_id: str | None = None
    url: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sent:
    """What the network created for a reply."""

    native_id: str | None = None
    url: str | None = None


class Source:
    """Base class of every source type; one instance per configured source."""

    type: ClassVar[str] = ""
    network: ClassVar[str] = ""
    can_reply: ClassVar[bool] = False
    default_interval: ClassVar[float] = 300.0
    # The credentials an entry must name: any one of these sets, whole (none for open feeds).
    credential_sets: ClassVar[tuple[frozenset[str], ...]] = ()

    def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
        self.entry = entry
        self.http = http
        self.secret = secret
        self.key = entry.key
        self.label = entry.label

    @property
    def interval(self) -> float:
        return self.entry.interval or self.default_interval

    async def fetch(self, cursor: str | None) -> Page:
        raise NotImplementedError

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        raise NotSupported(f"{self.label} cannot post replies: copy the text and open the message instead")

    async def verify(self) -> str:
        """A cheap authenticated call for `cminbox doctor`; returns who we are on the network."""
        return self.label


@runtime_checkable
class StreamingSource(Protocol):
    """A source that can also push items as they happen (Mastodon's streaming API).

    `stream(cursor)` connects and yields a `Page` per item (or batch) as it arrives, until the
    connection drops: it then raises `TemporaryError` (or simply ends), and the engine backs
    off, back-fills with `fetch` and calls `stream` again. `AuthError` / `RateLimited` mean
    what they mean for `fetch`. Yield `Page([], None)` once connected (and on heartbeats if
    you like): the engine then shows the source as live.
    """

    def stream(self, cursor: str | None) -> AsyncIterator[Page]: ...
