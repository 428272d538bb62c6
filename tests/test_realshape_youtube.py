"""The YouTube source against answers shaped as the real YouTube Data API gives them, where they
differ from the tidy ones of `fake_youtube`."""

from __future__ import annotations

import httpx
import pytest

from cminbox.sources.base import RateLimited
from cminbox.sources.http import Http
from cminbox.sources.items import collecting
from cminbox.sources.registry import build
from fake_youtube import API_KEY, CHANNEL, PREFIX, FakeYouTube, error
from sourcekit import NOW, make_entry, secrets


@pytest.fixture
def youtube(server):
    yt = FakeYouTube(server)
    yt.add_thread("Ugx1", "La recette de la brioche svp !", at=NOW - 7200, author="@mezianel")
    for n in range(7):  # more than the five a thread carries: the rest is asked with comments.list
        yt.add_reply("Ugx1", f"R{n}", f"Oui ! {n}", at=NOW - 3600 + n)
    yt.add_thread("Ugx2", "Vidéo géniale", at=NOW - 1800, author="@lea", video="vid2")
    return yt


async def fetch(server, cursor=None):
    entry = make_entry("youtube", server.url + PREFIX, key="brand-youtube", channel_id=CHANNEL,
                       credentials={"api_key": "env:YT_KEY"})
    async with httpx.AsyncClient(timeout=5) as client:
        return await build(entry, Http(client, clock=lambda: NOW), secrets(api_key=API_KEY)).fetch(cursor)


# comments.list (reference, Errors): 404 commentNotFound when the comment of `parentId` cannot be
# found (deleted between the two calls), 403 forbidden when its comments cannot be retrieved.
REFUSALS = {
    "gone": error(404, "commentNotFound", "The comment identified by the <code>parentId</code> parameter could not be found.",
                  domain="youtube.comment"),
    "forbidden": error(403, "forbidden", "The requested comments cannot be retrieved due to insufficient permissions.",
                       domain="youtube.comment"),
}


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
async def test_one_thread_whose_replies_are_refused_does_not_stop_the_others(server, youtube, refusal):
    youtube.refused_replies["Ugx1"] = REFUSALS[refusal]
    with collecting() as set_aside:
        page = await fetch(server)
    ids = {m.native_id for m in page.messages}
    assert {"Ugx1", "Ugx2"} <= ids
    assert {f"Ugx1.R{n}" for n in range(2, 7)} <= ids  # the five replies the thread carries
    assert [u.item for u in set_aside] == ["Ugx1"] and "replies" in set_aside[0].reason
    again = await fetch(server, page.cursor)  # the next poll goes on from there
    assert {m.native_id for m in again.messages} <= {"Ugx2"}  # the newest, at the mark, as always


async def test_the_quota_running_out_on_a_thread_still_stops_the_fetch(server, youtube):
    youtube.refused_replies["Ugx1"] = error(403, "quotaExceeded", "You have exceeded your quota.", domain="youtube.quota")
    with collecting(), pytest.raises(RateLimited):
        await fetch(server)
