"""The engine inside the app: arrivals flow into the list without moving the cursor, health in the sidebar."""

from __future__ import annotations

import pytest

from appkit import SIZE, make_app
from cminbox.config import Config, SourceEntry, WorkspaceConfig
from cminbox.widgets.detail import TERM_STYLE, DetailPane
from cminbox.widgets.sidebar import Sidebar
from fake_feeds import FakeAlertsFeed
from fakeserver import FakeServer, Reply

BRIOCHE = WorkspaceConfig("brioche", "Brioche & Co", keywords=("Brioche & Co",), hashtags=("BriocheAndCo",))


@pytest.fixture
def store(fixed_inbox):
    return fixed_inbox


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


def config_with(*entries: SourceEntry) -> Config:
    return Config(workspaces=(BRIOCHE,), sources=entries)


def alerts(feed, key="alerts", label="Google Alerts") -> SourceEntry:
    return SourceEntry(key=key, type="rss", workspace="brioche", label=label, options={"url": feed.url}, line=3)


async def until(pilot, condition, rounds: int = 400) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never became true")


async def test_new_items_arrive_without_moving_the_cursor(store, server):
    feed = FakeAlertsFeed(server)
    feed.add("Une <b>Brioche &amp; Co</b> ouvre à Lyon", "https://www.leprogres.fr/lyon/brioche")
    before = store.folder_counts(1)["all"]
    app = make_app(store, config=config_with(alerts(feed)))
    async with app.run_test(size=SIZE) as pilot:
        ml = app.message_list
        # The cached inbox is painted first; the first sync follows behind it.
        await until(pilot, lambda: len(ml.ids) + ml.new_above == before + 1)
        sidebar = app.query_one(Sidebar)
        await until(pilot, lambda: "Google Alerts\n  ok" in sidebar.render().plain)
        await pilot.press("j", "j")
        current = ml.current_id
        feed.add("<b>Brioche &amp; Co</b> recrute", "https://emploi.example/brioche")
        await pilot.press("dollar_sign")  # sync now, instead of in 15 minutes
        await until(pilot, lambda: len(ml.ids) + ml.new_above == before + 2)
        assert ml.current_id == current  # the cursor stayed on the message being read
        assert app.query_one(Sidebar).counts["all"] == before + 2


async def test_a_refused_feed_says_needs_reauth_loudly(store, server):
    feed = FakeAlertsFeed(server)
    feed.override = Reply.text("Unauthorized", 401)
    app = make_app(store, config=config_with(alerts(feed)))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "needs re-auth" in app.query_one(Sidebar).render().plain)
        await until(pilot, lambda: any("needs re-authentication" in str(n.message) for n in app._notifications))


async def test_without_sources_no_engine_runs_and_dollar_says_why(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.engine is None
        await pilot.press("dollar_sign")  # pressed, it explains rather than doing nothing
        await pilot.pause()
        assert any("No sources to sync: add [[sources]]" in str(n.message) for n in app._notifications)


async def test_brand_terms_are_highlighted_in_the_detail_pane(store):
    from appkit import NOW
    from cminbox.models import Incoming

    text = "Merci BRIOCHE & CO pour l'accueil, vive #BriocheAndCo ! (pas Brioche & Cocotte)"
    store.ingest("demo", [Incoming(native_id="hl", network="x", kind="mention", text=text, created_at=NOW)], cursor="fixed")
    app = make_app(store, config=Config(workspaces=(BRIOCHE,)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert store.message(app.message_list.current_id).native_id == "hl"
        pane = app.query_one(DetailPane)
        highlighted = [pane.text.plain[s.start:s.end] for s in pane.text.spans if str(s.style) == TERM_STYLE]
        assert highlighted == ["BRIOCHE & CO", "#BriocheAndCo"]


async def test_a_source_notice_shows_dim_under_it_as_plain_text(store, monkeypatch):
    monkeypatch.setenv("X_TOKEN", "not-used")  # the free tier reads nothing: no call goes out
    label = "[b]X[/b] @Brioche"  # a label is data, never markup
    entry = SourceEntry(key="x", type="x", workspace="brioche", label=label, base_url="http://127.0.0.1:9",
                        read=("mentions",), credentials={"token": "env:X_TOKEN"},
                        options={"user_id": "1500", "tier": "free"}, line=3)
    app = make_app(store, config=config_with(entry))
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.query_one(Sidebar)
        await until(pilot, lambda: "mentions not read:" in sidebar.render().plain)
        rendered = sidebar.render()
        lines = rendered.plain.split("\n")
        at = next(i for i, l in enumerate(lines) if l.endswith(label))
        assert lines[at + 2:at + 4] == ["  mentions not read:", "  the X free tier …"]  # the label is not repeated
        start = rendered.plain.index("  mentions not read:")
        styles = {str(s.style) for s in rendered.spans if s.start <= start < s.end}
        assert styles == {"dim"}


async def test_an_item_a_source_cannot_read_is_counted_under_it_and_the_rest_arrive(store, server):
    from fake_feeds import FakeHackerNews

    hn = FakeHackerNews(server)
    hn.add_comment({"html": "Brioche &amp; Co, not the documented string"}, author="odd", at=1_764_000_000 - 60)
    hn.add_comment("Brioche &amp; Co: still waiting for my refund", author="alice", at=1_764_000_000 - 30)
    entry = SourceEntry(key="hn", type="hackernews", workspace="brioche", label="Hacker News",
                        base_url=server.url, terms=("Brioche & Co",), options={"backfill_days": 3650}, line=3)
    before = store.folder_counts(1)["all"]
    app = make_app(store, config=config_with(entry))
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.query_one(Sidebar)
        await until(pilot, lambda: "1 item unreadable" in sidebar.render().plain)
        plain = sidebar.render().plain
        assert "Hacker News\n  ok" in plain and "1 item unreadable\n  Hacker News hit:" in plain  # why, under the count
        assert app.query_one(Sidebar).counts["all"] == before + 1  # the good comment arrived
