"""The sync engine (core: no UI imports): fetches every configured source and stores what it brings.

- One shared `httpx.AsyncClient` (through `Http`) for every source.
- Each source runs its own loop: poll, store, sleep its interval. The next poll is scheduled when
  the last one ends, so polls of one source never overlap; a per-source lock also serialises the
  pages a stream delivers with those a poll brings.
- Messages and the cursor after them are stored in one transaction (`Store.ingest`), in a
  worker thread so scoring never blocks the caller's event loop.
- Failures back off exponentially with jitter; `RateLimited` waits exactly what the network
  asked; `AuthError` marks the source "reauth" (needs re-authentication) and keeps it loud.
- Health goes to the database (`Store.set_source_state`): ok, syncing, live, backoff, reauth,
  error, off. The sidebar, `cminbox sources` and `cminbox sync` read it from there. A source's
  `notices` (reads its API tier leaves out) go to `Store.set_source_notices`, for the sidebar.
- An item a source cannot read is set aside (`sources.items.one_item`) and stored with its page
  in the `unreadable` table, instead of failing the page: one odd item never blocks a source.
- A read that fails while the source's others work (`Page.problems`, see `sources.reads`) is
  stored as the source's error at its usual pace, after what the others brought.
- Streaming sources (`base.StreamingSource`) are back-filled by `fetch`, then streamed; a drop
  backs off, back-fills the gap and reconnects. They are still polled at their interval.

`Engine.sync_once()` is `cminbox sync`: every source fetched once, a result per source.
`Engine.run()` is the app's background loop.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

import httpx

from . import credentials
from .config import Config, SourceEntry
from .sources.base import AuthError, Page, RateLimited, Source, SourceError, StreamingSource, TemporaryError
from .models import Unreadable
from .sources.http import Http, new_client
from .sources.items import collecting
from .sources.registry import SOURCE_TYPES, UnavailableType, build
from .store import Store, StoreError
from .textsafe import clean_line

# Back-off after failures: BASE_DELAY doubled per consecutive failure, at most MAX_DELAY, each
# delay scaled by a random factor in [1 - JITTER, 1] so sources that failed together spread out.
BASE_DELAY = 15.0
MAX_DELAY = 30 * 60.0
# A dropped stream reconnects sooner: the first retry within a couple of seconds.
STREAM_BASE_DELAY = 2.0
JITTER = 0.5
# A source whose credentials were refused is retried this often (a keyring entry may be fixed).
REAUTH_RETRY = 15 * 60.0
# Pages per poll: a source with a huge backlog yields the loop and continues at once.
MAX_PAGES = 20
# `cminbox sync` waits out a rate limit this short instead of failing.
SHORT_WAIT = 15.0
_ERROR_CHARS = 300

STATES = ("ok", "syncing", "live", "backoff", "reauth", "error", "off")


@dataclass(slots=True)
class SyncResult:
    """What one source did in one `sync_once`: counts, or the error that stopped it."""

    key: str
    label: str
    type: str
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # reads that failed while others worked (`Page.problems`)
    state: str = "ok"
    error: str | None = None
    retry_after: float | None = None  # set when the network asked us to wait (rate limit)

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(slots=True)
class Runtime:
    """A source's live state in the engine."""

    entry: SourceEntry
    source: Source | None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    failures: int = 0
    polls: int = 0
    live: bool = False  # a stream is connected
    problems: list[str] = field(default_factory=list)  # reads that failed at the last poll (`Page.problems`)


def backoff_delay(failures: int, rng: Callable[[], float] = random.random, base: float = BASE_DELAY) -> float:
    """Seconds before retry number `failures` (1, 2, 3…): exponential, capped, jittered."""
    raw = min(MAX_DELAY, base * 2 ** max(0, failures - 1))
    return raw * (1 - JITTER * rng())


async def _wait(event: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, or less if someone sets the event ("sync now")."""
    try:
        await asyncio.wait_for(event.wait(), timeout=max(0.0, seconds))
    except TimeoutError:
        pass
    event.clear()


class Engine:
    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        client: httpx.AsyncClient | None = None,
        resolve: Callable[[str], str] = credentials.resolve,
        clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
        wait: Callable[[asyncio.Event, float], Awaitable[None]] = _wait,
        on_change: Callable[[int], None] | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.client = client
        self._owns_client = client is None
        self.resolve = resolve
        self.clock = clock
        self.rng = rng
        self.wait = wait
        self.on_change = on_change or (lambda new: None)
        self.http: Http | None = None
        self.runtimes: dict[str, Runtime] = {}
        self._secrets: dict[tuple[str, str], str] = {}

    # -- setting up -------------------------------------------------------------------------

    async def __aenter__(self) -> "Engine":
        if self.client is None:
            self.client = new_client()
        self.http = Http(self.client, clock=self.clock)
        await asyncio.to_thread(self._register)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._owns_client and self.client is not None:
            await self.client.aclose()
            self.client = None

    def _register(self) -> None:
        """Workspaces and sources into the database; sources that left the config are marked off."""
        for workspace in self.config.workspaces:
            self.store.ensure_workspace(workspace.slug, **workspace.stored())
        configured = set()
        states = {health.key: health.state for health in self.store.sources()}
        for entry in self.config.sources:
            if not entry.enabled:
                continue
            configured.add(entry.key)
            self.store.register_source(entry.key, entry.workspace, entry.type, entry.label)
            try:
                source = build(entry, self.http, self._secret_for(entry))
            except (ValueError, UnavailableType) as error:
                self.store.set_source_state(entry.key, "error", error=str(error), now=self.clock())
                source = None
            else:
                # Back in the config, or stopped mid-sync: idle. A failure stays said (needs re-auth,
                # backing off, error) until the next try says otherwise; `cminbox sources` run
                # after the app had quit showed failing sources as "never synced".
                if states.get(entry.key) in (None, "off", "syncing"):
                    self.store.set_source_state(entry.key, "idle")
            # What the source says about itself (reads its API tier leaves out): shown under it.
            self.store.set_source_notices(entry.key, getattr(source, "notices", ()))
            self.runtimes[entry.key] = Runtime(entry, source)
        for health in self.store.sources():
            if health.type in SOURCE_TYPES and health.key not in configured and health.state != "off":
                self.store.set_source_state(health.key, "off")

    def _secret_for(self, entry: SourceEntry) -> Callable[[str], str]:
        def secret(name: str) -> str:
            cached = self._secrets.get((entry.key, name))
            if cached is not None:
                return cached
            reference = entry.credentials.get(name)
            if reference is None:
                raise credentials.CredentialError(
                    f'{entry.label}: no {name} in its [[sources]] entry: add {name} = "env:NAME" or "keyring:service/account"'
                )
            value = self.resolve(reference)
            self._secrets[(entry.key, name)] = value
            return value

        return secret

    def _warm_secrets(self, runtime: Runtime) -> None:
        """Look the entry's credentials up in a thread: a keyring may take a while to answer, and
        the source asks for them on the event loop. A failure is left for the source to meet."""
        secret = self._secret_for(runtime.entry)
        for name in runtime.entry.credentials:
            try:
                secret(name)
            except credentials.CredentialError:
                pass

    def _scrub(self, text: str) -> str:
        """Error text as stored and shown: one line, short, and never a secret we hold."""
        return self._hide_secrets(clean_line(text))[:_ERROR_CHARS]

    def _hide_secrets(self, text: str) -> str:
        for value in self._secrets.values():
            if len(value) >= 4:
                text = text.replace(value, "•••")
        return text

    @property
    def sources(self) -> list[Runtime]:
        return list(self.runtimes.values())

    # -- one poll ---------------------------------------------------------------------------

    async def _store_page(self, runtime: Runtime, page: Page, unreadable: Sequence[Unreadable] = ()) -> SyncResult:
        """Store a page, with the items the source set aside while reading it (`items.one_item`)."""
        key = runtime.entry.key
        kept = [replace(u, reason=self._scrub(u.reason), raw=self._hide_secrets(u.raw)) for u in unreadable]
        result = await asyncio.to_thread(
            self.store.ingest, key, page.messages, cursor=page.cursor, keep_cursor=page.cursor is None,
            state="live" if runtime.live else "ok", now=self.clock(), unreadable=kept,
        )
        if result.new_ids:
            self.on_change(len(result.new_ids))
        return SyncResult(key, runtime.entry.label, runtime.entry.type, len(result.new_ids), result.updated,
                          result.duplicates, result.rejected)

    async def poll(self, runtime: Runtime) -> tuple[SyncResult, bool]:
        """Fetch pages until the source has no more (or MAX_PAGES); returns the counts and
        whether more pages are waiting. Errors propagate to the caller, which decides the wait."""
        entry, source = runtime.entry, runtime.source
        total = SyncResult(entry.key, entry.label, entry.type)
        async with runtime.lock:
            await asyncio.to_thread(self._warm_secrets, runtime)
            cursor = await asyncio.to_thread(self.store.source_cursor, entry.key)
            await asyncio.to_thread(self.store.set_source_state, entry.key, "syncing")
            self.on_change(0)
            for _ in range(MAX_PAGES):
                with collecting() as unreadable:
                    page = await source.fetch(cursor)
                stored = await self._store_page(runtime, page, unreadable)
                total.new += stored.new
                total.updated += stored.updated
                total.duplicates += stored.duplicates
                total.rejected += stored.rejected
                total.problems += [problem for problem in page.problems if problem not in total.problems]
                if page.cursor is not None:
                    cursor = page.cursor
                if not page.more:
                    return total, False
        return total, True

    def _failure(self, runtime: Runtime, error: BaseException, base: float = BASE_DELAY) -> tuple[str, float, str]:
        """(state, seconds to wait, message) for a failed poll or a dropped stream."""
        if isinstance(error, AuthError):
            # A refused credential may have been rotated: look it up again next time.
            for name in runtime.entry.credentials:
                self._secrets.pop((runtime.entry.key, name), None)
            return "reauth", REAUTH_RETRY, str(error)
        runtime.failures += 1
        if isinstance(error, RateLimited):
            return "backoff", error.retry_after + 1 + self.rng(), str(error)
        delay = backoff_delay(runtime.failures, self.rng, base)
        if isinstance(error, TemporaryError):
            return "backoff", delay, str(error)
        if isinstance(error, SourceError):
            return "error", delay, str(error)
        if isinstance(error, StoreError):
            return "error", delay, f"{runtime.entry.label}: not stored: {error}"
        # A bug in a source must not stop the others: report it and keep going.
        return "error", delay, f"{runtime.entry.label}: unexpected {type(error).__name__}: {error}"

    async def _record(self, key: str, state: str, *, error: str | None = None, next_try: float | None = None) -> None:
        try:
            await asyncio.to_thread(self.store.set_source_state, key, state, error=error, next_try=next_try,
                                    now=self.clock())
        except StoreError:
            pass  # the database itself is failing: the next poll reports it
        self.on_change(0)

    async def _poll_and_record(self, runtime: Runtime) -> tuple[SyncResult, float]:
        """One poll with its health recorded; returns the result and the seconds until the next."""
        entry = runtime.entry
        try:
            result, more = await self.poll(runtime)
        except Exception as error:  # every failure becomes a state, never a crash
            state, delay, message = self._failure(runtime, error)
            message = self._scrub(message)
            await self._record(entry.key, state, error=message, next_try=self.clock() + delay)
            retry_after = error.retry_after if isinstance(error, RateLimited) else None
            return SyncResult(entry.key, entry.label, entry.type, state=state, error=message, retry_after=retry_after), delay
        runtime.failures = 0
        runtime.polls += 1
        delay = 0.0 if more else runtime.source.interval
        runtime.problems = result.problems
        if result.problems:
            # Part of the source failed (its DMs, say): what the rest brought is stored, and the
            # source shows as failing, with what and why, until a poll reads everything again.
            # No back-off: the reads that work keep their pace.
            result.state, result.error = "error", self._scrub("; ".join(result.problems))
            await self._record(entry.key, "error", error=result.error, next_try=self.clock() + delay)
            return result, delay
        await self._record(entry.key, "live" if runtime.live else "ok", next_try=self.clock() + delay)
        return result, delay

    # -- cminbox sync -----------------------------------------------------------------------

    async def sync_once(self, only: set[str] | None = None) -> list[SyncResult]:
        """Every enabled source (or those in `only`) fetched once, concurrently; a result per
        source, in config order."""

        async def one(runtime: Runtime) -> SyncResult:
            entry = runtime.entry
            if runtime.source is None:
                health = {h.key: h for h in self.store.sources()}.get(entry.key)
                return SyncResult(entry.key, entry.label, entry.type, state="error",
                                  error=health.last_error if health else "cannot be built")
            total = SyncResult(entry.key, entry.label, entry.type)
            waited = False
            while True:
                result, delay = await self._poll_and_record(runtime)
                for name in ("new", "updated", "duplicates"):
                    setattr(total, name, getattr(total, name) + getattr(result, name))
                total.rejected += result.rejected
                if result.problems:  # part of the source failed; what the rest brought is stored
                    total.state, total.error = result.state, result.error
                    total.problems += [problem for problem in result.problems if problem not in total.problems]
                elif result.failed:
                    if result.retry_after is not None and result.retry_after <= SHORT_WAIT and not waited:
                        waited = True
                        await asyncio.sleep(delay)
                        continue
                    total.state, total.error, total.retry_after = result.state, result.error, result.retry_after
                    return total
                if delay > 0:
                    return total

        chosen = [r for r in self.runtimes.values() if only is None or r.entry.key in only]
        return list(await asyncio.gather(*(one(r) for r in chosen)))

    # -- the app's background loop ----------------------------------------------------------

    async def run(self) -> None:
        """Poll (and stream) every source until cancelled."""
        tasks = []
        for runtime in self.runtimes.values():
            if runtime.source is None:
                continue
            tasks.append(asyncio.create_task(self._poll_loop(runtime), name=f"poll {runtime.entry.key}"))
            if isinstance(runtime.source, StreamingSource):
                tasks.append(asyncio.create_task(self._stream_loop(runtime), name=f"stream {runtime.entry.key}"))
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()

    def sync_now(self, key: str | None = None) -> None:
        """Wake one source's loop (or all) to poll now instead of at the end of its interval."""
        for runtime in self.runtimes.values():
            if key is None or runtime.entry.key == key:
                runtime.wake.set()

    async def _poll_loop(self, runtime: Runtime) -> None:
        streaming = isinstance(runtime.source, StreamingSource)
        if streaming:
            # The stream loop back-fills first; the poll loop starts one interval later.
            await self.wait(runtime.wake, runtime.source.interval)
        while True:
            _, delay = await self._poll_and_record(runtime)
            await self.wait(runtime.wake, delay)

    async def _stream_loop(self, runtime: Runtime) -> None:
        """Back-fill by REST, then stream; on a drop, back off, back-fill the gap, reconnect."""
        entry = runtime.entry
        while True:
            result, delay = await self._poll_and_record(runtime)
            if result.failed and not result.problems:  # a read that failed alone does not keep the stream off
                await self.wait(runtime.wake, delay)
                continue
            if delay == 0:
                continue  # more back-fill pages are waiting
            try:
                cursor = await asyncio.to_thread(self.store.source_cursor, entry.key)
                with collecting() as unreadable:
                    async for page in runtime.source.stream(cursor):
                        async with runtime.lock:
                            if not runtime.live:
                                runtime.live = True
                                if not runtime.problems:  # else the source still shows what failed
                                    await self._record(entry.key, "live")
                            if page.messages or unreadable:
                                await self._store_page(runtime, page, unreadable[:])
                                unreadable.clear()
                    runtime.failures = 0
                error: BaseException = TemporaryError(f"{entry.label}: the stream closed")
            except Exception as caught:
                error = caught
            runtime.live = False
            state, delay, message = self._failure(runtime, error, STREAM_BASE_DELAY)
            message = self._scrub(message)
            await self._record(entry.key, state, error=message, next_try=self.clock() + delay)
            await self.wait(runtime.wake, delay)
