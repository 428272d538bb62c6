"""Building an app over a small, fixed inbox for pilot and snapshot tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import events
from textual.worker import WorkerCancelled

from cminbox.app import InboxApp
from cminbox.config import Config
from cminbox.demo.script import BUZZ_START, build_day
from cminbox.models import Incoming
from cminbox.store import Store

NOW = 1_764_000_000.0
SIZE = (160, 45)


def demo_messages(count: int = 60, seed: int = 3) -> list[Incoming]:
    """The first `count` messages of a demo day, dated so the newest is 2 minutes old at NOW."""
    events = build_day(seed, hours=2)[:count]
    last = events[-1].at
    return [replace(e.message, created_at=NOW - 120 - (last - e.at)) for e in events]


def complaints() -> list[Incoming]:
    """A few unmistakable complaints, so the triage column is never empty in tests."""
    rows = [
        ("c1", "facebook", "comment", "Julie Martin", "Toujours pas reçu ma commande BC-48213, je veux un remboursement", 50, 300),
        ("c2", "instagram", "dm", "Marc Dupont", "Débité deux fois !!! c'est une arnaque, remboursez-moi", 2400, 1500),
        ("c3", "x", "mention", "@kev_l", "still waiting for my refund @BriocheAndCo, worst service ever", 120, 4000),
        ("c4", "google", "review", "Sarah B.", "Commande arrivée froide et incomplète, service client injoignable", 10, 900),
    ]
    return [
        Incoming(native_id=nid, network=net, kind=kind, text=text, created_at=NOW - age, author_name=name,
                 author_handle=name.lower().replace(" ", "_"), author_reach=reach, url=f"https://example.com/{nid}")
        for nid, net, kind, name, text, reach, age in rows
    ]


def fixed_store(path: Path, messages: list[Incoming] | None = None) -> Store:
    store = Store(path)
    store.ensure_workspace("brioche", "Brioche & Co", 60)
    store.register_source("demo", "brioche", "demo", "demo")
    store.ingest("demo", demo_messages() + complaints() if messages is None else messages, cursor="fixed", now=NOW)
    return store


def buzzing_store(path: Path) -> Store:
    """The demo day up to ten minutes into its bad buzz, dated so that this moment is NOW."""
    offset = BUZZ_START + 10 * 60
    events = [e for e in build_day(1, hours=1) if e.at <= offset]
    return fixed_store(path, [replace(e.message, created_at=NOW - offset + e.at) for e in events])


def make_app(store: Store, **kwargs) -> InboxApp:
    kwargs.setdefault("config", Config())
    kwargs.setdefault("clock", lambda: NOW)
    return InboxApp(store, live=False, **kwargs)


async def settle(pilot) -> None:
    """Wait until the app's workers are done (a newer detail load cancels an older one: wait again)."""
    await pilot.pause()
    for _ in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()


def burst(app: InboxApp, keys: str) -> None:
    """Keys arriving together, as from a paste, a fast typist or one SSH packet: each is queued
    before the app has acted on the one before (`pilot.press` waits between keys)."""
    for char in keys:
        app.post_message(events.Key(_KEY_NAMES.get(char, char), char))


_KEY_NAMES = {"/": "slash", " ": "space", "\r": "enter", "+": "plus", "-": "minus", "=": "equals_sign", "*": "asterisk"}
