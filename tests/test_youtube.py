"""The YouTube source against a fake YouTube Data API on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from cminbox.network_actions import send_reply
from cminbox.reply_rules import PUBLIC
from cminbox.sources.base import AuthError, NotSupported, RateLimited, SourceError
from cminbox.sources.http import Http
from cminbox.sources.registry import build
from cminbox.sources.youtube import next_quota_reset, parse_time
from fake_youtube import API_KEY, CHANNEL, OAUTH, PREFIX, FakeYouTube
from fakeserver import FakeServer
from sourcekit import NOW, make_entry, secrets


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


@pytest.fixture
def youtube(server):
    yt = FakeYouTube(server)
    yt.add_thread("Ugx1", "La recette de la brioche svp !", at=NOW - 7200, author="@mezianel")
    yt.add_reply("Ugx1", "AAA1", "Oui ! pareil", at=NOW - 3600)
    yt.add_thread("Ugx2", "Vidéo géniale", at=NOW - 1800, author="@lea")
    return yt


def entry(server, *, oauth=False, **options):
    credentials = {"api_key": "env:YT_KEY"} | ({"token": "env:YT_TOKEN"} if oauth else {})
    return make_entry("youtube", server.url + PREFIX, key="brand-youtube", channel_id=CHANNEL, credentials=credentials, **options)


async def run(server, action, *, clock=lambda: NOW, oauth=False, key=API_KEY):
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server, oauth=oauth), Http(client, clock=clock), secrets(api_key=key, token=OAUTH))
        return await action(source)


def test_both_published_time_formats_are_read():
    assert parse_time("2025-11-24T16:00:00Z") == NOW
    assert parse_time("2025-11-24T16:00:00.123Z") == pytest.approx(NOW + 0.123)


async def test_first_sync_reads_threads_and_replies_with_watch_links(server, youtube):
    page = await run(server, lambda s: s.fetch(None))
    by_id = {m.native_id: m for m in page.messages}
    assert set(by_id) == {"Ugx1", "Ugx1.AAA1", "Ugx2"}
    reply = by_id["Ugx1.AAA1"]
    assert (reply.parent_id, reply.thread_id, reply.author_handle) == ("Ugx1", "Ugx1", "@amelie")
    assert reply.url == "https://www.youtube.com/watch?v=vid1&lc=Ugx1.AAA1"
    assert by_id["Ugx1"].created_at == NOW - 7200
    request = server.calls("GET", f"{PREFIX}/commentThreads")[0]
    assert request.arg("key") == API_KEY and request.arg("allThreadsRelatedToChannelId") == CHANNEL
    assert set(request.arg("part").split(",")) == {"snippet", "replies"}


async def test_without_the_original_text_the_displayed_html_reads_as_plain_text(server, youtube):
    # textOriginal is only guaranteed to the comment's author; textDisplay in the API's default
    # format is HTML.
    thread = youtube.add_thread("Ugx3", "", at=NOW - 60)
    snippet = thread["snippet"]["topLevelComment"]["snippet"]
    del snippet["textOriginal"]
    snippet["textDisplay"] = ("C&#39;est quand la réouverture ?<br>Vu à "
                              '<a href="https://www.youtube.com/watch?v=vid1&amp;t=37">0:37</a> &quot;bientôt&quot;')
    youtube.add_thread("Ugx4", "I <3 it & the rest", at=NOW - 30)
    del youtube.threads[0]["snippet"]["topLevelComment"]["snippet"]["textOriginal"]
    page = await run(server, lambda s: s.fetch(None))
    by_id = {m.native_id: m.text for m in page.messages}
    assert by_id["Ugx3"] == 'C\'est quand la réouverture ?\nVu à 0:37 "bientôt"'
    assert by_id["Ugx4"] == "I <3 it & the rest"  # plain text stays as it is


async def test_the_channels_own_comments_are_not_inbox_items(server, youtube):
    # allThreadsRelatedToChannelId lists everything under the channel's videos, the channel's own
    # replies and pinned comments included; a comment's `snippet.authorChannelId.value` names its
    # author's channel (Comments resource reference). What the brand wrote is not for it to answer.
    youtube.add_reply("Ugx1", "OWN1", "Elle arrive la semaine prochaine !", at=NOW - 3000, author="@brioche")
    youtube.add_thread("Ugx9", "Merci pour vos 10 000 abonnements 🥐", at=NOW - 900, author="@brioche")
    youtube.add_reply("Ugx9", "FAN1", "Bravo !", at=NOW - 600, author="@lea")
    assert youtube.threads[0]["snippet"]["topLevelComment"]["snippet"]["authorChannelId"] == {"value": CHANNEL}
    page = await run(server, lambda s: s.fetch(None))
    assert {m.native_id for m in page.messages} == {"Ugx1", "Ugx1.AAA1", "Ugx2", "Ugx9.FAN1"}


async def test_incremental_sync_fetches_more_replies_than_the_thread_carries(server, youtube, store):
    store.register_source("brand-youtube", "brand", "youtube", "yt")
    first = await run(server, lambda s: s.fetch(None))
    store.ingest("brand-youtube", first.messages, cursor=first.cursor, now=NOW)
    for n in range(6):  # more than the five a thread carries
        youtube.add_reply("Ugx1", f"B{n}", f"réponse {n}", at=NOW + 10 + n)
    youtube.add_thread("Ugx3", "Nouveau commentaire", at=NOW + 100)
    second = await run(server, lambda s: s.fetch(store.source_cursor("brand-youtube")), clock=lambda: NOW + 200)
    result = store.ingest("brand-youtube", second.messages, cursor=second.cursor, now=NOW + 200)
    assert sorted(store.message(i).native_id for i in result.new_ids) == ["Ugx1.B0", "Ugx1.B1", "Ugx1.B2", "Ugx1.B3",
                                                                           "Ugx1.B4", "Ugx1.B5", "Ugx3"]
    assert server.calls("GET", f"{PREFIX}/comments")[0].arg("parentId") == "Ugx1"
    third = await run(server, lambda s: s.fetch(second.cursor), clock=lambda: NOW + 300)
    assert store.ingest("brand-youtube", third.messages, cursor=third.cursor, now=NOW + 300).new_ids == []


async def test_quota_exhausted_waits_until_midnight_pacific_without_calling(server, youtube):
    youtube.quota = 0
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(entry(server), Http(client, clock=lambda: NOW), secrets(api_key=API_KEY))
        with pytest.raises(RateLimited, match="quota is used up.*midnight Pacific") as caught:
            await source.fetch(None)
        assert caught.value.retry_after == pytest.approx(next_quota_reset(NOW) - NOW)
        with pytest.raises(RateLimited):
            await source.fetch(None)
    assert len(server.calls("GET", f"{PREFIX}/commentThreads")) == 1


def test_the_quota_resets_at_midnight_pacific():
    reset = next_quota_reset(NOW)  # 2025-11-24 08:00 in Los Angeles
    from zoneinfo import ZoneInfo

    local = datetime.fromtimestamp(reset, ZoneInfo("America/Los_Angeles"))
    assert (local.hour, local.minute, local.day) == (0, 0, 25)


async def test_an_invalid_key_needs_new_credentials(server, youtube):
    with pytest.raises(AuthError, match="API key"):
        await run(server, lambda s: s.fetch(None), key="wrong")


async def test_youtube_error_messages_are_said_without_their_html(server, youtube):
    # YouTube's error messages are HTML: 'The video identified by the <code><a href="…">videoId</a></code>
    # parameter has disabled comments.' A CM reads words, not tags.
    wrong = make_entry("youtube", server.url + PREFIX, key="brand-youtube", channel_id="UCgone",
                       credentials={"api_key": "env:YT_KEY"})
    async with httpx.AsyncClient(timeout=5) as client:
        source = build(wrong, Http(client, clock=lambda: NOW), secrets(api_key=API_KEY))
        with pytest.raises(SourceError) as caught:
            await source.fetch(None)
    said = str(caught.value)
    assert "allThreadsRelatedToChannelId parameter could not be found" in said and "channelNotFound" in said
    assert "<" not in said and "href" not in said


async def test_without_oauth_replies_are_copy_and_open(server, youtube, store):
    store.register_source("brand-youtube", "brand", "youtube", "yt")
    page = await run(server, lambda s: s.fetch(None))
    store.ingest("brand-youtube", page.messages, cursor=page.cursor, now=NOW)
    with pytest.raises(NotSupported, match="copy the reply and open"):
        await run(server, lambda s: send_reply(store, s, 1, "Merci !", kind_of_reply=PUBLIC, key="k", now=NOW))
    assert server.calls("POST", f"{PREFIX}/comments") == []


async def test_with_oauth_a_reply_is_inserted_once_under_the_top_level_comment(server, youtube, store):
    store.register_source("brand-youtube", "brand", "youtube", "yt")
    page = await run(server, lambda s: s.fetch(None))
    store.ingest("brand-youtube", page.messages, cursor=page.cursor, now=NOW)
    reply_id = next(i for i in range(1, 4) if store.message(i).native_id == "Ugx1.AAA1")
    sent = await run(server, lambda s: send_reply(store, s, reply_id, "La recette arrive !", kind_of_reply=PUBLIC,
                                                   key="k", now=NOW), oauth=True)
    posts = server.calls("POST", f"{PREFIX}/comments")
    assert len(posts) == 1 and posts[0].json() == {"snippet": {"parentId": "Ugx1", "textOriginal": "La recette arrive !"}}
    assert sent.native_id.startswith("Ugx1.") and sent.url.endswith(f"lc={sent.native_id}")
