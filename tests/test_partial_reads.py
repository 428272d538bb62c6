"""A fetch of several reads (mentions, search, DMs): one that fails no longer stops the others."""

from __future__ import annotations

import httpx
import pytest

from cminbox.sources.base import AuthError, NotSupported, RateLimited, SourceError
from cminbox.sources.http import Http
from cminbox.sources.reads import Reads
from cminbox.sources.registry import build
from fake_x import ME, TOKEN, FakeX
from fakeserver import Reply
from sourcekit import NOW, engine_for, health, make_entry, secrets


def test_a_failed_read_is_named_on_the_page_beside_what_the_others_brought():
    reads = Reads("X · @Brioche")
    with reads.part("mentions"):
        found = ["m1"]
    with reads.part("DMs"):
        raise NotSupported("X · @Brioche: X says this app cannot do that with its access (dm.read)")
    page = reads.page(found, "cursor")
    assert page.messages == ["m1"] and page.cursor == "cursor"
    assert page.problems == ("X · @Brioche: DMs: X says this app cannot do that with its access (dm.read)",)


def test_when_every_read_fails_the_first_failure_is_raised_as_before():
    reads = Reads("r")
    with reads.part("inbox"):
        raise RateLimited("r: rate limited", 300)
    with reads.part("search"):
        raise SourceError("r: search refused")
    with pytest.raises(RateLimited):  # so the engine waits what the network asked
        reads.page([], "c")


def test_a_refused_token_stops_the_fetch_at_once():
    reads = Reads("r")
    with pytest.raises(AuthError):
        with reads.part("mentions"):
            raise AuthError("r: refused")


@pytest.fixture
def x(server):
    fake = FakeX(server)
    fake.add_user("42", "kev_l", "Kévin L.", 3400)
    fake.add_tweet("@BriocheAndCo toujours pas remboursé", at=NOW - 600, author="42")
    fake.add_dm("Bonjour, une question sur ma commande", at=NOW - 200, sender="42", conversation="1500-42")
    return fake


def x_entry(server):
    return make_entry("x", server.url, key="brand-x", user_id=ME, tier="basic", credentials={"token": "env:X_TOKEN"},
                      read=("mentions", "dms"))


_NO_DM_ACCESS = Reply.json({"title": "Forbidden", "status": 403, "detail": "You are not permitted to perform this action.",
                            "type": "about:blank"}, 403)


async def test_x_mentions_arrive_while_its_dms_are_refused_and_the_dms_follow_once_allowed(server, x):
    # A token without DM access (or a plan without it): the 403 on /2/dm_events failed the whole
    # fetch, at every poll, and the mentions read just before it never arrived.
    x.dms = lambda request: _NO_DM_ACCESS
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(x_entry(server), Http(client, clock=lambda: NOW), secrets(token=TOKEN))
        first = await source.fetch(None)
        assert [m.text for m in first.messages] == ["@BriocheAndCo toujours pas remboursé"]
        assert len(first.problems) == 1 and first.problems[0].startswith(f"{source.label}: DMs: ")
        assert "HTTP 403" in first.problems[0] or "not permitted" in first.problems[0]
        del x.dms  # the access is granted: the fake's own DM listing again
        second = await source.fetch(first.cursor)
    assert [m.text for m in second.messages] == ["Bonjour, une question sur ma commande"]  # from where DMs stood
    assert second.problems == ()


async def test_the_engine_stores_what_worked_and_shows_the_source_failing_with_the_read_that_did_not(server, x, store):
    x.dms = lambda request: _NO_DM_ACCESS
    async with engine_for(store, x_entry(server), env={"X_TOKEN": TOKEN}) as engine:
        (result,) = await engine.sync_once()
    assert result.new == 1 and result.state == "error" and result.failed
    recorded = health(store, "brand-x")
    assert recorded.state == "error" and ": DMs: " in recorded.last_error
    assert recorded.last_success == NOW  # the mentions were read
    assert recorded.next_try > NOW + 30  # the usual pace, not a back-off's first retry
    assert store.folder_counts(1)["all"] == 1


def test_cminbox_sync_prints_what_came_and_the_read_that_failed(tmp_path, server, x, capsys, monkeypatch):
    from cminbox import headless
    from cminbox.config import Config, WorkspaceConfig

    monkeypatch.setenv("X_TOKEN", TOKEN)
    x.dms = lambda request: _NO_DM_ACCESS
    config = Config(workspaces=(WorkspaceConfig("brand", "Brioche & Co"),), sources=(x_entry(server),))
    code = headless.sync(config, tmp_path / "inbox.db")
    out, err = capsys.readouterr()
    assert code == 1
    assert "✓ " in out and "1 new" in out
    assert "✗ " in err and ": DMs: " in err


async def test_a_mastodon_search_that_fails_keeps_its_mark_and_the_mentions_still_arrive(server):
    import json as jsonlib

    from fake_mastodon import TOKEN as MASTODON_TOKEN
    from fake_mastodon import FakeMastodon
    from sourcekit import source_for

    mastodon = FakeMastodon(server)
    fan = mastodon.account("fan")
    mastodon.found("Brioche & Co", mastodon.status("Brioche & Co, enfin à Lyon", fan))
    async with source_for("mastodon", server.url, key="m", secret=secrets(token=MASTODON_TOKEN),
                          terms=("Brioche & Co",), read=("mentions", "search")) as source:
        first = await source.fetch(None)
        mark = jsonlib.loads(first.cursor)["search"]["Brioche & Co"]
        mastodon.mention("@brioche toujours pas reçu ma commande", fan)
        mastodon.fail("/api/v2/search", Reply.text("Internal Server Error", 500))
        second = await source.fetch(first.cursor)
    assert [m.text for m in second.messages] == ["@brioche toujours pas reçu ma commande"]
    assert len(second.problems) == 1 and ": search 'Brioche & Co': " in second.problems[0]
    assert jsonlib.loads(second.cursor)["search"]["Brioche & Co"] == mark  # tried again from there next time
