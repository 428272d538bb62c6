"""X API v2 answers in shapes the reference documents, beyond what the fake serves by default."""

from __future__ import annotations

import httpx
import pytest

from cminbox.sources.http import Http
from cminbox.sources.registry import build
from fake_x import ME, TOKEN, FakeX
from sourcekit import NOW, make_entry, secrets


@pytest.fixture
def x(server):
    fake = FakeX(server)
    fake.add_user("42", "kev_l", "Kévin L.", 3400)
    fake.add_user("77", "nadia_b", "Nadia B.", 120)
    return fake


async def fetch(server, cursor=None, **options):
    entry = make_entry("x", server.url, key="brand-x", user_id=ME, tier="basic", credentials={"token": "env:X_TOKEN"},
                       terms=("Brioche & Co",), **options)
    async with httpx.AsyncClient(timeout=5) as client:
        return await build(entry, Http(client, clock=lambda: NOW), secrets(token=TOKEN)).fetch(cursor)


async def test_a_reply_to_one_of_our_posts_is_a_comment_not_a_mention(server, x):
    # `in_reply_to_user_id` is the author of the post answered (Post object, tweet.fields). An answer
    # to the brand's own post is a comment on it, as Mastodon and Bluesky file one (and the triage
    # weighs a "comment on our post" above a passing mention); naming the brand in an answer to
    # someone else stays a mention.
    ours = x.add_tweet("Nouvelle brioche à la pistache !", at=NOW - 900, author=ME, mention=False)
    on_ours = x.add_tweet("@BriocheAndCo trop sucrée pour moi", at=NOW - 60, author="42", reply_to=ours)
    elsewhere = x.add_tweet("@nadia_b @BriocheAndCo la leur est meilleure", at=NOW - 30, author="42", reply_to="9001")
    next(t for t in x.tweets if t["id"] == elsewhere)["in_reply_to_user_id"] = "77"
    page = await fetch(server, read=("mentions",))
    kinds = {m.extra["post_id"]: m.kind for m in page.messages}
    assert kinds == {on_ours: "comment", elsewhere: "mention"}


async def test_a_dm_reads_as_a_post_does_its_links_where_they_lead(server, x):
    # A DM's text carries every link as a t.co address; asked with dm_event.fields=entities, the
    # event lists its links at its top level (`urls`, UrlEntityDm: url, expanded_url, display_url),
    # not under `entities` as a post does. The CM must see where a customer's link leads before
    # opening it. X writes &, < and > in a DM as entities too (read as a post's text is read).
    short = "https://t.co/aB3dE5fG7h"
    x.add_dm(f"Ma commande &amp; la facture : {short} &lt;3", at=NOW - 60, sender="42", conversation="1500-42",
             urls=[{"start": 32, "end": 55, "url": short, "expanded_url": "https://brioche.example/commande/4471",
                    "display_url": "brioche.example/commande/4…"}])
    page = await fetch(server, read=("dms",))
    assert [m.text for m in page.messages] == ["Ma commande & la facture : https://brioche.example/commande/4471 <3"]


async def test_a_dm_of_a_photo_alone_says_so(server, x):
    # A customer sends a photo of the damaged parcel, no words: the event's text is empty and
    # `attachments.media_keys` (dm_event.fields=attachments) says something was sent.
    x.add_dm("", at=NOW - 90, sender="42", conversation="1500-42", media_keys=["3_1790000000000000001"])
    x.add_dm("Voilà le colis", at=NOW - 60, sender="42", conversation="1500-42", media_keys=["3_1790000000000000002"])
    page = await fetch(server, read=("dms",))
    assert sorted(m.text for m in page.messages) == ["Voilà le colis\n[media]", "[media]"]
