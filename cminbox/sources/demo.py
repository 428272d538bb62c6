"""The demo source: replays the scripted Brioche & Co day into the demo database, in (compressed) real time.

Its cursor (seed, next event, the day's clock) is stored with the messages it covers, so
quitting and reopening the demo picks the day up where it was, without duplicates.

`DemoSource` accepts replies locally, as a network would: the outbox records each as sent and
the thread shows it. Like a network that honours idempotency keys, it answers a repeated key
with the reply it already created.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

from ..demo.script import BRAND, build_day
from ..models import Incoming
from .base import NotSupported, ReplyTarget, Sent, Source

SOURCE_KEY = "demo"
WORKSPACE_SLUG = "brioche"
DEMO_TARGET_MINUTES = 60
DAY_HOURS = 12.0
# How the demo brand addresses people in French: the picker then offers its "vous" replies
# only, as it does for a real brand with `tone` in the config.
DEMO_TONE = "vous"


def with_demo_brand(config):
    """`config` with the demo brand's settings, unless it has its own [workspaces.brioche]."""
    from ..config import WorkspaceConfig

    if config.workspace(WORKSPACE_SLUG) is not None:
        return config
    brand = WorkspaceConfig(WORKSPACE_SLUG, BRAND, DEMO_TARGET_MINUTES, tone=DEMO_TONE)
    return replace(config, workspaces=(*config.workspaces, brand))


class DemoFeed:
    """Feeds the demo day into a store; `tick()` stores whatever has become due.

    The day runs on its own clock, `now()`, `speed` times faster than the real one: messages are
    stamped with it and the app reads it (ages, response countdowns, snoozes), so at `--speed
    30` an hour of the day passes in two minutes and looks like an hour. At speed 1 it is the
    real clock.
    """

    def __init__(self, store, *, seed: int = 1, speed: float = 1.0, clock=time.time):
        if speed <= 0:
            raise ValueError("--speed must be more than 0")
        self.store = store
        self.seed = seed
        self.speed = speed
        self.clock = clock
        self.events = build_day(seed, hours=DAY_HOURS)
        self.next_index = 0
        self.anchor = 0.0  # real time the day (re)started: 0 until `start()`
        self._base = 0.0  # the day's clock at `anchor`
        self._position = 0.0  # the day's time (an event's `at`) at `anchor`
        self._stopped_at = self._saved_clock()  # where an earlier run's clock stopped (0: none)

    @staticmethod
    def reset_needed(store, seed: int) -> bool:
        """True when the demo database holds a day from another seed."""
        cursor = store.source_cursor(SOURCE_KEY)
        return bool(cursor) and json.loads(cursor).get("seed") != seed

    def _saved_clock(self) -> float:
        saved = self.store.source_cursor(SOURCE_KEY)
        return float(json.loads(saved).get("clock", 0.0)) if saved else 0.0

    def now(self) -> float:
        """The demo day's clock. Until the day starts, what it will start at: the real clock, or
        where an earlier, faster run left it (the app's first checks run before the day resumes,
        and on the real clock they would look at the past: a bad buzz at 28 negative messages
        was announced as "1 negative in 15 min")."""
        real = self.clock()
        if not self.anchor:
            return max(real, self._stopped_at)
        return self._base + (real - self.anchor) * self.speed

    def start(self) -> int:
        """Register the demo workspace and source, then store the backlog; returns how many arrived."""
        self.store.ensure_workspace(WORKSPACE_SLUG, BRAND, DEMO_TARGET_MINUTES)
        self.store.register_source(SOURCE_KEY, WORKSPACE_SLUG, "demo", "demo")
        real = self.clock()
        saved = self.store.source_cursor(SOURCE_KEY)
        state = json.loads(saved) if saved else {}
        self.next_index = int(state.get("next", 0))
        if self.next_index < len(self.events):
            # Resume the day where it stopped: the next event is due now, not hours ago.
            self._position = self.events[self.next_index].at if state else 0.0
        else:
            self._position = self.events[-1].at if self.events else 0.0
        # Never behind what a faster run already stamped (its clock ran ahead of the real one).
        self._base = max(real, self._saved_clock())
        self.anchor = real
        return self.tick()

    def _cursor(self) -> str:
        return json.dumps({"seed": self.seed, "next": self.next_index, "clock": self.now()})

    def due(self, real: float) -> list[Incoming]:
        """The events whose time has come, stamped with the day's clock."""
        elapsed = (real - self.anchor) * self.speed
        day_time = self._position + elapsed
        now = self._base + elapsed
        messages = []
        while self.next_index < len(self.events) and self.events[self.next_index].at <= day_time:
            event = self.events[self.next_index]
            created = self._base + (event.at - self._position)  # last night's backlog: hours before
            messages.append(replace(event.message, created_at=min(created, now)))
            self.next_index += 1
        return messages

    def tick(self) -> int:
        """Store what is due; returns how many new messages were stored."""
        messages = self.due(self.clock())
        if not messages:
            return 0
        result = self.store.ingest(SOURCE_KEY, messages, cursor=self._cursor(), now=self.now())
        return len(result.new_ids)

    @property
    def finished(self) -> bool:
        return self.next_index >= len(self.events)


def _no_secret(name: str) -> str:
    raise KeyError(f"the demo has no credential {name!r}")


class DemoSource(Source):
    """The demo's replies: accepted on the spot, never posted anywhere."""

    type = "demo"
    network = "demo"
    can_reply = True
    can_reply_privately = True  # to try the private replies of Facebook and Instagram comments

    def __init__(self, key: str = SOURCE_KEY, label: str = "demo") -> None:
        from ..config import SourceEntry

        # No network and no credentials: the entry only names it.
        entry = SourceEntry(key=key, type="demo", workspace=WORKSPACE_SLUG, label=label)
        super().__init__(entry, http=None, secret=_no_secret)
        self.posted: dict[str, Sent] = {}

    async def reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        if key in self.posted:
            return self.posted[key]
        sent = Sent(native_id=f"demo-reply-{len(self.posted) + 1}", url=target.url)
        self.posted[key] = sent
        return sent

    async def private_reply(self, target: ReplyTarget, text: str, key: str) -> Sent:
        return await self.reply(target, text, key)

    # Hiding, where the real networks allow it (Facebook, Instagram, replies on X), so that `H`
    # can be tried: accepted on the spot, like replies.
    can_hide = True

    async def hide(self, target: ReplyTarget, hidden: bool) -> None:
        if not _hides_on(target.network):
            raise NotSupported(f"{target.network} has no way to hide someone's post through its API")


def _hides_on(network: str) -> bool:
    """Whether the network's real source can hide a comment (Facebook, Instagram, X)."""
    from .registry import UnavailableType, source_class

    try:
        return bool(getattr(source_class(network), "can_hide", False))
    except UnavailableType:  # no source of that name: a review site, TikTok…
        return False
