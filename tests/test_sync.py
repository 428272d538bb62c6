"""The sync engine: scheduling, back-off, health, isolation between sources, streaming."""

from __future__ import annotations

import asyncio

import pytest

from cminbox.sources import registry
from cminbox.sources.base import AuthError, Page, RateLimited, Source, SourceError, TemporaryError
from cminbox.sync import BASE_DELAY, REAUTH_RETRY, backoff_delay
from conftest import make_message
from fake_feeds import FakeAlertsFeed, FakeHackerNews
from fakeserver import FakeServer, Reply
from sourcekit import NOW, engine_for, health, make_entry

# entry key -> what each successive fetch does: a Page to return, or an exception to raise.
SCRIPTS: dict[str, list] = {}
STREAMS: dict[str, asyncio.Queue] = {}


class ScriptedSource(Source):
    type = "scripted"
    network = "x"
    default_interval = 60.0

    def __init__(self, entry, http, secret):
        super().__init__(entry, http, secret)
        self.calls = 0
        self.running = 0
        self.most_at_once = 0

    async def fetch(self, cursor):
        self.calls += 1
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(0.01)
            script = SCRIPTS[self.key]
            outcome = script.pop(0) if len(script) > 1 else script[0]
            if callable(outcome):
                outcome = outcome(self)
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome
        finally:
            self.running -= 1


class StreamingScriptedSource(ScriptedSource):
    type = "streaming"

    async def stream(self, cursor):
        queue = STREAMS[self.key]
        yield Page([], None)  # connected
        while True:
            item = await queue.get()
            if isinstance(item, BaseException):
                raise item
            yield item


@pytest.fixture(autouse=True)
def scripted_types(monkeypatch):
    monkeypatch.setitem(registry.SOURCE_TYPES, "scripted", "test_sync:ScriptedSource")
    monkeypatch.setitem(registry.SOURCE_TYPES, "streaming", "test_sync:StreamingScriptedSource")
    SCRIPTS.clear()
    STREAMS.clear()


class Stop(Exception):
    pass


class Waits:
    """Stands in for the engine's sleeps: records each delay, stops the engine after `limit`."""

    def __init__(self, limit: int) -> None:
        self.delays: list[float] = []
        self.limit = limit

    async def __call__(self, event, seconds):
        self.delays.append(round(seconds, 2))
        if len(self.delays) >= self.limit:
            raise Stop
        await asyncio.sleep(0)


def scripted(key, *outcomes, type_="scripted", **kwargs):
    SCRIPTS[key] = list(outcomes)
    return make_entry(type_, key=key, label=key, **kwargs)


def page(*messages, cursor="c", more=False):
    return Page(list(messages), cursor, more)


def test_backoff_doubles_with_jitter_and_is_capped():
    assert backoff_delay(1, lambda: 0.0) == BASE_DELAY
    assert backoff_delay(2, lambda: 0.0) == 2 * BASE_DELAY
    assert backoff_delay(3, lambda: 1.0) == 4 * BASE_DELAY * 0.5
    assert backoff_delay(50, lambda: 0.0) == 30 * 60


async def test_failures_back_off_exponentially_then_recover(store):
    entry = scripted("s", TemporaryError("down"), TemporaryError("down"), TemporaryError("down"), page(make_message()))
    waits = Waits(limit=5)
    async with engine_for(store, entry, wait=waits) as engine:
        with pytest.raises(Stop):
            await engine.run()
    jitter = 0.75  # rng 0.5 with JITTER 0.5
    assert waits.delays == [BASE_DELAY * jitter, 2 * BASE_DELAY * jitter, 4 * BASE_DELAY * jitter, 60.0, 60.0]
    assert health(store, "s").state == "ok" and store.folder_counts(1)["all"] == 1


async def test_a_rate_limit_waits_what_the_network_asked(store):
    entry = scripted("s", RateLimited("s: rate limited, retrying in 300 s", 300), page())
    waits = Waits(limit=1)
    async with engine_for(store, entry, wait=waits) as engine:
        with pytest.raises(Stop):
            await engine.run()
    assert waits.delays == [301.5]
    recorded = health(store, "s")
    assert recorded.state == "backoff" and recorded.next_try == pytest.approx(NOW + 301.5)


async def test_refused_credentials_mark_the_source_needs_reauth(store):
    entry = scripted("s", AuthError("s: the network refused our credentials (HTTP 401): re-authenticate"))
    waits = Waits(limit=1)
    async with engine_for(store, entry, wait=waits) as engine:
        with pytest.raises(Stop):
            await engine.run()
    assert waits.delays == [REAUTH_RETRY]
    assert health(store, "s").state == "reauth" and "re-authenticate" in health(store, "s").last_error
    # The app quits and starts again: until its next try, the source still says it needs re-auth
    # (`cminbox sources` run between the two showed "never synced").
    async with engine_for(store, entry, wait=waits):
        assert health(store, "s").state == "reauth"


async def test_a_missing_credential_is_a_reauth_that_says_what_to_set(store):
    class NeedsToken(ScriptedSource):
        async def fetch(self, cursor):
            self.secret("token")
            return page()

    registry.SOURCE_TYPES["needs-token"] = "test_sync:NeedsToken"
    globals()["NeedsToken"] = NeedsToken
    entry = make_entry("needs-token", key="t", credentials={"token": "env:BRAND_TOKEN"})
    async with engine_for(store, entry) as engine:
        (result,) = await engine.sync_once()
    assert result.state == "reauth" and "BRAND_TOKEN is not set" in result.error


async def test_secrets_never_reach_the_stored_error(store):
    class Leaky(ScriptedSource):
        async def fetch(self, cursor):
            raise SourceError(f"server said: bad token {self.secret('token')}")

    registry.SOURCE_TYPES["leaky"] = "test_sync:Leaky"
    globals()["Leaky"] = Leaky
    entry = make_entry("leaky", key="l", credentials={"token": "env:T"})
    async with engine_for(store, entry, env={"T": "tok_123456789"}) as engine:
        (result,) = await engine.sync_once()
    assert "tok_123456789" not in result.error and "•••" in result.error
    assert "tok_123456789" not in health(store, "l").last_error


async def test_one_failing_source_leaves_the_others_alone(store):
    with FakeServer() as server:
        feed = FakeAlertsFeed(server)
        feed.add("Brioche &amp; Co", "https://a.example/1")
        feed.override = Reply.text("Bad gateway", 502)
        hn = FakeHackerNews(server)
        hn.add_comment("Brioche &amp; Co is great")
        entries = [
            make_entry("rss", key="alerts", url=feed.url),
            make_entry("hackernews", server.url, key="hn"),
            scripted("bug", ZeroDivisionError("division by zero")),
            make_entry("rss", key="broken"),  # no url: refused when built
        ]
        async with engine_for(store, *entries) as engine:
            results = {r.key: r for r in await engine.sync_once()}
    assert results["hn"].new == 1 and not results["hn"].failed
    assert results["alerts"].state == "backoff" and "HTTP 502" in results["alerts"].error
    assert results["bug"].state == "error" and "unexpected ZeroDivisionError" in results["bug"].error
    assert results["broken"].failed and "url" in results["broken"].error
    assert health(store, "broken").state == "error"


async def test_polls_of_one_source_never_overlap(store):
    entry = scripted("s", page())
    waits = Waits(limit=20)
    async with engine_for(store, entry, wait=waits) as engine:
        task = asyncio.create_task(engine.run())
        for _ in range(10):
            engine.sync_now()
            await asyncio.sleep(0.002)
        with pytest.raises(Stop):
            await task
        source = engine.runtimes["s"].source
    assert source.calls >= 2 and source.most_at_once == 1


async def test_a_source_with_more_pages_is_polled_again_at_once(store):
    entry = scripted("s", page(make_message(), cursor="1", more=True), page(make_message(), cursor="2"))
    async with engine_for(store, entry) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 2 and store.source_cursor("s") == "2"


async def test_a_page_without_cursor_keeps_the_stored_one(store):
    entry = scripted("s", page(make_message(), cursor="kept"), page(make_message(), cursor=None))
    async with engine_for(store, entry) as engine:
        await engine.sync_once()
        await engine.sync_once()
    assert store.source_cursor("s") == "kept"


async def test_sources_no_longer_configured_are_marked_off(store):
    store.register_source("gone", "brand", "rss", "old feed")
    async with engine_for(store, scripted("s", page())):
        pass
    assert health(store, "gone").state == "off"
    assert health(store, "test").state != "off"  # not a network type: left alone


async def test_a_stream_delivers_items_and_a_drop_is_back_filled(store):
    entry = scripted("live", page(make_message(native_id="backfill-1")), type_="streaming")
    STREAMS["live"] = queue = asyncio.Queue()
    delays = []

    async def wait(event, seconds):
        delays.append(seconds)
        if seconds > 5:  # the poll loop's interval: longer than this test
            await event.wait()
        await asyncio.sleep(0)

    async def until(condition):
        while not condition():
            await asyncio.sleep(0.005)

    async with engine_for(store, entry, wait=wait) as engine:
        task = asyncio.create_task(engine.run())
        await until(lambda: health(store, "live").state == "live")
        assert store.folder_counts(1)["all"] == 1  # back-filled before streaming
        await queue.put(Page([make_message(native_id="streamed-1")], None))
        await until(lambda: store.folder_counts(1)["all"] == 2)
        assert health(store, "live").state == "live"
        calls_before = engine.runtimes["live"].source.calls
        SCRIPTS["live"] = [page(make_message(native_id="missed-during-drop"), cursor="after-gap")]
        await queue.put(TemporaryError("live: the stream closed"))
        await until(lambda: store.folder_counts(1)["all"] == 3)
        assert engine.runtimes["live"].source.calls == calls_before + 1  # the gap was back-filled
        await until(lambda: health(store, "live").state == "live")  # and the stream reconnected
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    # The poll loop waits its interval; the dropped stream reconnected after a short pause.
    assert delays[0] == 60.0 and 0 < delays[1] <= 2.0
    assert store.source_cursor("live") == "after-gap"  # streamed pages never moved the cursor


async def test_a_disabled_source_is_not_fetched(store):
    from dataclasses import replace

    store.register_source("paused", "brand", "scripted", "paused")
    entry = replace(scripted("paused", page(make_message())), enabled=False)
    async with engine_for(store, entry) as engine:
        assert await engine.sync_once() == []
    assert health(store, "paused").state == "off"


async def test_what_a_source_says_about_itself_is_recorded_with_its_health(store):
    free = make_entry("x", "http://127.0.0.1:9", key="xfree", label="X · @BriocheAndCo", user_id="1500", tier="free",
                      read=("mentions", "dms"), credentials={"token": "env:X_TOKEN"})
    basic = make_entry("x", "http://127.0.0.1:9", key="xbasic", user_id="1500", tier="basic", read=("mentions",))
    async with engine_for(store, free, basic, scripted("s", page())):
        pass
    notices = health(store, "xfree").notices
    assert len(notices) == 2
    assert notices[0].startswith("X · @BriocheAndCo: mentions not read: the X free tier")
    assert notices[1].startswith("X · @BriocheAndCo: dms not read: the X free tier")
    assert health(store, "xbasic").notices == () and health(store, "s").notices == ()


async def test_the_engine_writes_each_brand_with_its_business_hours(tmp_path):
    # Registering the config's brands at each start wrote them without their hours and time
    # zone: three seconds after the app opened, every deadline ran on the clock, in UTC.
    from cminbox.config import Config, WorkspaceConfig
    from cminbox.store import Store
    from cminbox.sync import Engine

    store = Store(tmp_path / "hours.db")
    velo = WorkspaceConfig("velo", "Vélo Vert", 120, business_hours="Tue-Sat 10:00-19:00", timezone="America/Montreal")
    store.ensure_workspace("velo", **velo.stored())
    async with Engine(store, Config(workspaces=(velo,)), clock=lambda: NOW):
        pass
    [workspace] = store.workspaces()
    assert (workspace.business_hours, workspace.timezone, workspace.target_minutes) == ("Tue-Sat 10:00-19:00", "America/Montreal", 120)
    store.ensure_workspace("velo", "Vélo Vert", 120)  # hours left out: kept
    assert store.workspaces()[0].business_hours == "Tue-Sat 10:00-19:00"
    store.ensure_workspace("velo", "Vélo Vert", 120, business_hours="", timezone="")  # cleared on purpose
    assert (store.workspaces()[0].business_hours, store.workspaces()[0].timezone) == ("", "")
    store.close()


def test_cminbox_sources_shows_a_source_left_out_of_the_config_as_off(tmp_path, capsys):
    # Stored by a run with another config file (or removed from this one): nothing runs it, so
    # its last error is no failure of this inbox.
    from cminbox import headless
    from cminbox.config import Config, WorkspaceConfig
    from cminbox.store import Store

    path = tmp_path / "inbox.db"
    with Store(path) as store:
        store.ensure_workspace("velo", "Vélo Vert")
        store.register_source("velo-rss-forum", "velo", "rss", "Forum")
        store.set_source_state("velo-rss-forum", "error", error="cannot reach forum.example", now=NOW)
    code = headless.sources(Config(workspaces=(WorkspaceConfig("velo", "Vélo Vert"),)), path, now=NOW)
    out = capsys.readouterr().out
    assert code == 0 and "○ Forum (velo-rss-forum, rss): off (not in the config)" in out and "✗" not in out


def test_cminbox_sync_says_when_a_failing_source_is_worth_trying_again(tmp_path, server, capsys):
    # A one-off sync does not wait: after a 429 it says when the network allows the next call,
    # after another failure when the app's back-off would try (the next run tries at once).
    from cminbox import headless
    from cminbox.config import Config, WorkspaceConfig

    server.route("GET", "/limited.xml", lambda request: Reply.text("slow down", 429, {"Retry-After": "900"}))
    server.route("GET", "/down.xml", lambda request: Reply.text("oops", 500))
    config = Config(
        workspaces=(WorkspaceConfig("brand", "Brioche & Co"),),
        sources=(make_entry("rss", key="limited", url=server.url + "/limited.xml"),
                 make_entry("rss", key="down", url=server.url + "/down.xml")),
    )
    code = headless.sync(config, tmp_path / "inbox.db")
    err = capsys.readouterr().err
    assert code == 1
    said = {block.split(":")[0]: block for block in err.split("✗ ")[1:]}  # each source's lines
    limited, down = said["rss test (limited)"], said["rss test (down)"]
    assert "(limited): backing off" in limited and "  the network asks to wait: sync it again after " in limited
    assert "(down): backing off" in down and "  the app's next try is at " in down
    assert "`cminbox sync` tries again whenever it is run" in down
