"""Every fake network the end-to-end test runs `cminbox sync` against, all at once.

To add a network: write a `setup(server) -> Installed` that routes its fake API on the given
FakeServer and returns the [[sources]] entries pointing at it, then append a `FakeNetwork` to
FAKE_NETWORKS below. The end-to-end test (tests/test_e2e_sync.py) and the sync benchmark
(bench/bench_sync.py) pick it up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky
from fake_feeds import NOW, FakeAlertsFeed, FakeHackerNews
from fake_mastodon import TOKEN as MASTODON_TOKEN
from fake_mastodon import FakeMastodon
from fake_reddit import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME, FakeReddit
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


def _mastodon(server: FakeServer) -> Installed:
    mastodon = FakeMastodon(server)
    julie = mastodon.account("julie", display_name="Julie M.", followers=2400)
    marc = mastodon.account("marc", domain="mastodon.social", followers=87)
    mastodon.mention("<p>@briocheandco toujours pas reçu ma commande&nbsp;!</p>", julie)
    mastodon.direct("<p>@briocheandco bonjour, un souci avec ma carte</p>", marc)
    mastodon.filtered("<p>Hello, je vous écris en privé</p>", mastodon.account("stranger", followers=3))
    mastodon.found("Brioche & Co", mastodon.status("<p>Chez Brioche &amp; Co c'est top</p>", marc, mentions=[]))
    pushed = iter(range(1, 10**9))

    def add_new() -> int:
        mastodon.mention("<p>@briocheandco merci, reçue ce matin</p>", julie)
        return 1

    def push() -> None:
        # A new mention: in the REST notifications and, at once, on the user stream.
        mastodon.mention(f"<p>@briocheandco commande n°{next(pushed)} toujours pas arrivée</p>", julie, push=True)

    def break_it() -> None:
        # A French-speaking server's 500 (the text is localised: the client must not read it).
        mastodon.override = Reply.json({"error": "Nous sommes désolés, mais quelque chose s’est mal passé."}, 500)

    toml = f"""
[[sources]]
id = "masto"
type = "mastodon"
workspace = "brioche"
label = "@briocheandco@piaille.example"
base_url = "{server.url}"
token = "env:CMINBOX_TEST_MASTODON_TOKEN"
"""
    return Installed(toml, 4, add_new, break_it, env={"CMINBOX_TEST_MASTODON_TOKEN": MASTODON_TOKEN},
                     keys=("masto",), push=push)


def _bluesky(server: FakeServer) -> Installed:
    bsky = FakeBluesky(server)
    julie = bsky.profile("julie.bsky.social", display_name="Julie M.", followers=2400)
    kev = bsky.profile("kev.bsky.social")
    bsky.mention("@brioche.bsky.social toujours pas reçu ma commande", julie)
    bsky.post("Brioche & Co, meilleure brioche de Lyon", kev)  # found by the brand search only
    bsky.dm("Bonjour, une question sur ma commande", kev)

    def add_new() -> int:
        bsky.mention("@brioche.bsky.social merci, bien reçue !", julie)
        return 1

    def break_it() -> None:
        bsky.override = Reply.json({"error": "InternalServerError", "message": "Internal Server Error"}, 500)

    toml = f"""
[[sources]]
id = "bsky"
type = "bluesky"
workspace = "brioche"
label = "@brioche.bsky.social"
base_url = "{server.url}"
handle = "{HANDLE}"
app_password = "env:CMINBOX_TEST_BSKY_APP_PASSWORD"
"""
    return Installed(toml, 3, add_new, break_it, env={"CMINBOX_TEST_BSKY_APP_PASSWORD": APP_PASSWORD}, keys=("bsky",))


def _reddit(server: FakeServer) -> Installed:
    reddit = FakeReddit(server)
    reddit.comment("Toujours pas reçu ma commande, vous pouvez regarder ?", "julie_m")
    reddit.message("Bonjour, un souci avec ma carte de fidélité", "kev_l")
    reddit.post("Brioche & Co ouvre à Montréal", "poutine_fan", selftext="Quelqu'un a testé ?", subreddit="montreal")

    def add_new() -> int:
        reddit.comment("u/BriocheAndCo vous livrez à Québec ?", "lea_q", kind="username_mention")
        return 1

    def break_it() -> None:
        reddit.override = Reply.json({"message": "Internal Server Error", "error": 500}, 500)

    toml = f"""
[[sources]]
id = "reddit"
type = "reddit"
workspace = "brioche"
label = "u/{USERNAME}"
base_url = "{server.url}"
auth_url = "{server.url}"
username = "{USERNAME}"
client_id = "{CLIENT_ID}"
client_secret = "env:CMINBOX_TEST_REDDIT_SECRET"
password = "env:CMINBOX_TEST_REDDIT_PASSWORD"
"""
    env = {"CMINBOX_TEST_REDDIT_SECRET": CLIENT_SECRET, "CMINBOX_TEST_REDDIT_PASSWORD": PASSWORD}
    return Installed(toml, 3, add_new, break_it, env=env, keys=("reddit",))


FAKE_NETWORKS: list[FakeNetwork] = [
    FakeNetwork("rss", _rss),
    FakeNetwork("hackernews", _hackernews),
    FakeNetwork("mastodon", _mastodon),
    FakeNetwork("bluesky", _bluesky),
    FakeNetwork("reddit", _reddit),
]


def _social() -> list[FakeNetwork]:
    import fake_social  # issue 5: Facebook, Instagram, YouTube, X (imports this module: load it late)

    return [FakeNetwork(name, getattr(fake_social, name)) for name in ("facebook", "instagram", "youtube", "x")]


FAKE_NETWORKS += _social()
