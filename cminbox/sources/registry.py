"""The source types cminbox knows, and how the engine builds one from a config entry.

Adding a network = one module under `cminbox/sources/` + its tests (+ one line below if the type
is new). The contract a source type keeps:

    class MastodonSource(Source):               # from .base
        type = "mastodon"                       # the `type` users write in [[sources]]
        network = "mastodon"                    # a key of models.NETWORKS
        can_reply = True
        default_interval = 120.0                # seconds between polls unless the entry says

        def __init__(self, entry: SourceEntry, http: Http, secret: Secret) -> None:
            super().__init__(entry, http, secret)   # sets key, label, entry, http, secret
            # Read and check entry.options / entry.read here; a bad value raises
            # ValueError("reason in words"), shown with the entry's config line.

        async def fetch(self, cursor: str | None) -> Page: ...
        async def verify(self) -> str: ...           # cheap authenticated call, for `doctor`
        async def reply(self, target, text, key) -> Sent: ...   # if can_reply

        # Optional, for real-time sources (see base.StreamingSource):
        async def stream(self, cursor: str | None) -> AsyncIterator[Page]: ...

- `entry` is a `config.SourceEntry`: key, label, workspace, base_url (None: the network's
  public default), interval, read (what to read; empty = the type's default), terms (brand
  terms to search), credentials (name -> reference, never a value), options (everything else).
- `http` is the app's one shared `Http` (sources/http.py): use `http.request` / `http.get_json`
  with `label=self.label`; it maps failures to the errors in base.py and honours rate limits.
- `secret(name)` returns the value of the credential `name` ("token", "password",
  "client_secret"…) from the entry, resolved from the environment or the system keyring at
  call time; it raises `AuthError` (a `CredentialError`) saying what to set. Call it when you
  need the value; never store it in a cursor, a message or an error text.
- The engine (sync.py) owns scheduling, back-off, health and storing: a source only turns API
  pages into `Incoming` messages and a cursor string (opaque to everyone else; JSON is fine).
  `Page.cursor=None` keeps the stored cursor. Give each message `uri` (its global identity,
  e.g. the ActivityPub URI or AT URI) so a message two sources bring is stored once.
- `fetch` and `stream` run on the app's event loop: await the network, and move heavy CPU work
  (parsing thousands of items) to `asyncio.to_thread`, so the screen never freezes. Scoring
  and storing are the engine's job and already run in a thread.

Modules are imported on first use, so `cminbox --help` and the inbox's first paint pay nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import SourceEntry
    from .base import Source
    from .http import Http

# A source's view of its credentials: name in the entry -> secret value (raises AuthError).
Secret = Callable[[str], str]

# type -> "module:Class". A type whose module is missing is reported as unavailable, not a crash.
SOURCE_TYPES: dict[str, str] = {
    "rss": "cminbox.sources.rss:RssSource",
    "hackernews": "cminbox.sources.hackernews:HackerNewsSource",
    "mastodon": "cminbox.sources.mastodon:MastodonSource",
    "bluesky": "cminbox.sources.bluesky:BlueskySource",
    "reddit": "cminbox.sources.reddit:RedditSource",
    "facebook": "cminbox.sources.facebook:FacebookSource",
    "instagram": "cminbox.sources.instagram:InstagramSource",
    "youtube": "cminbox.sources.youtube:YouTubeSource",
    "x": "cminbox.sources.x:XSource",
}


class UnavailableType(Exception):
    """The type is listed but its module cannot be loaded (not in this version, or broken)."""


def source_class(type_: str) -> type[Source]:
    target = SOURCE_TYPES.get(type_)
    if target is None:
        raise UnavailableType(f"unknown source type {type_!r}")
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            raise UnavailableType(f"source type {type_!r} is not available in this version of cminbox") from None
        raise
    return getattr(module, class_name)


def build(entry: SourceEntry, http: Http, secret: Secret) -> Source:
    """The source for one config entry; `ValueError` with the entry's line if its options are wrong."""
    cls = source_class(entry.type)
    try:
        return cls(entry, http, secret)
    except ValueError as error:
        raise ValueError(f"{entry.where}: {error}") from None
