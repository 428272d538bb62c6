"""Every fake network the end-to-end test runs `cminbox sync` against, all at once.

To add a network: write a `setup(server) -> Installed` that routes its fake API on the given
FakeServer and returns the [[sources]] entries pointing at it, then append a `FakeNetwork` to
FAKE_NETWORKS below. The end-to-end test (tests/test_e2e_sync.py) and the sync benchmark
(bench/bench_sync.py) pick it up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fake_feeds import NOW, FakeAlertsFeed, FakeHackerNews
from fakeserver import FakeServer, Reply


@dataclass
class Installed:
    toml: str  # [[sources]] entries (workspace "brioche"), pointing at the fake server
    first_sync: int  # messages the first `cminbox sync` stores
    add_new: Callable[[], int]  # puts new items on the fake server; returns how many
    break_it: Callable[[], None]  # makes the next calls fail (HTTP 500)
    env: dict[str, str] = field(default_factory=dict)  # what the entries' env: references read
    keys: tuple[str, ...] = ()  # the source keys the entries declare
    # Streaming networks only: puts one new item on the fake stream (to every connected client).
    # bench/bench_sync.py times each push to its stored row.
    push: Callable[[], None] | None = None


@dataclass(frozen=True)
class FakeNetwork:
    name: str
    setup: Callable[[FakeServer], Installed]


def _rss(server: FakeServer) -> Installed:
    feed = FakeAlertsFeed(server)
    feed.add("<b>Brioche</b> &amp; Co ouvre à Lyon", "https://www.leprogres.fr/lyon/brioche-co", "La chaîne…")
    feed.add("Toujours pas reçu ma commande <b>Brioche</b>", "https://forum.example.fr/t/1", "Service client injoignable")

    def add_new() -> int:
        feed.add("Brioche &amp; Co recrute à Montréal", "https://emplois.example.ca/brioche")
        return 1

    def break_it() -> None:
        feed.override = Reply.text("Internal Server Error", 500)

    toml = f"""
[[sources]]
id = "alerts"
type = "rss"
workspace = "brioche"
label = "Google Alerts · Brioche"
url = "{feed.url}"
"""
    return Installed(toml, 2, add_new, break_it, keys=("alerts",))


def _hackernews(server: FakeServer) -> Installed:
    hn = FakeHackerNews(server)
    hn.add_comment("Brioche &amp; Co charged me twice, still waiting for a refund", author="alice", at=NOW - 600)
    hn.add_story("Brioche & Co opens its ordering API", url="https://brioche.example/api", at=NOW - 300)

    def add_new() -> int:
        hn.add_comment("Brioche &amp; Co fixed it within the hour", author="carol", at=NOW + 60)
        return 1

    def break_it() -> None:
        hn.override = Reply.json({"message": "boom"}, 500)

    toml = f"""
[[sources]]
id = "hn"
type = "hackernews"
workspace = "brioche"
base_url = "{server.url}"
backfill_days = 3650
"""
    return Installed(toml, 2, add_new, break_it, keys=("hn",))


FAKE_NETWORKS: list[FakeNetwork] = [
    FakeNetwork("rss", _rss),
    FakeNetwork("hackernews", _hackernews),
    # issue 4b: FakeNetwork("mastodon", …), FakeNetwork("bluesky", …), FakeNetwork("reddit", …)
]


def _social() -> list[FakeNetwork]:
    import fake_social  # issue 5: Facebook, Instagram, YouTube, X (imports this module: load it late)

    return [FakeNetwork(name, getattr(fake_social, name)) for name in ("facebook", "instagram", "youtube", "x")]


FAKE_NETWORKS += _social()
