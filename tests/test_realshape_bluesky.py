"""Bluesky answers of shapes the network really sends that the main tests' fake does not show by default."""

from __future__ import annotations

import pytest

from fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky
from sourcekit import secrets, source_for


@pytest.fixture
def bsky(server):
    return FakeBluesky(server)


def bluesky_source(server, **entry):
    entry.setdefault("terms", ("Brioche & Co",))
    entry.setdefault("handle", HANDLE)
    return source_for("bluesky", server.url, key="brand-bluesky", secret=secrets(app_password=APP_PASSWORD), **entry)


def link(text: str, shown: str, uri: str) -> dict:
    start = text.encode().index(shown.encode())
    return {"index": {"byteStart": start, "byteEnd": start + len(shown.encode())},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}]}


async def test_words_that_carry_a_link_are_kept_beside_its_address(server, bsky):
    # A link facet may cover words rather than the address: the docs' own example is "Go to this
    # site" with "this site" linking to https://example.com (docs.bsky.app, "Links, mentions, and
    # rich text"); clients and bots that post through the API write such links.
    text = "@brioche.bsky.social lisez notre avis sur vos croissants"
    mention = bsky.mention(text, bsky.profile("julie.bsky.social"))
    mention["record"]["facets"] = [link(text, "notre avis", "https://avis.example/brioche-co")]
    async with bluesky_source(server, read=("mentions",)) as source:
        [got] = (await source.fetch(None)).messages
    assert got.native_id == mention["uri"]
    assert got.text == "@brioche.bsky.social lisez notre avis (https://avis.example/brioche-co) sur vos croissants"


def test_a_link_shown_as_its_address_is_still_written_out_whole():
    from cminbox.sources.bluesky import _post_text

    # The app shows an address without its scheme, cut short with "..." (and a path's accents
    # percent-encoded, as the browser's URL parser writes them); written whole, not twice.
    cases = {
        "www.brioche.example/la-recette-d...": "https://www.brioche.example/la-recette-des-croissants",
        "brioche.example": "https://brioche.example/",
        "https://brioche.example/avis": "https://brioche.example/avis",
        "brioche.example/p%C3%A2tisse...": "https://brioche.example/pâtisserie-fine",
    }
    for shown, uri in cases.items():
        text = f"vu {shown} hier"
        assert _post_text({"text": text, "facets": [link(text, shown, uri)]}) == f"vu {uri} hier"


async def test_a_mention_behind_more_likes_than_a_sync_walks_back_still_arrives(server, bsky):
    # listNotifications lists every reason (likes, reposts, follows) unless asked for some: on a
    # busy account, the pages walked back to the last sync's mark filled with likes, and a
    # mention older than them was never reached, then passed by the mark for good.
    fan = bsky.profile("fan.bsky.social")
    bsky.mention("@brioche.bsky.social premier !", fan)
    async with bluesky_source(server, read=("mentions",)) as source:
        first = await source.fetch(None)
        late = bsky.mention("@brioche.bsky.social toujours pas reçu ma commande", bsky.profile("julie.bsky.social"))
        liked = bsky.post("photo du jour", fan)
        for _ in range(10 * 50 + 1):  # more than MAX_PAGES pages of PAGE_SIZE
            bsky.notify("like", liked)
        second = await source.fetch(first.cursor)
    assert [m.native_id for m in second.messages] == [late["uri"]]
