"""Reddit answers of shapes the API really sends that the main tests' fake does not show by default."""

from __future__ import annotations

from fake_reddit import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME, FakeReddit
from sourcekit import secrets, source_for


def reddit_source(server, **entry):
    entry.setdefault("terms", ("Brioche & Co", "#BriocheAndCo"))
    return source_for(
        "reddit", server.url, key="brand-reddit", username=USERNAME, client_id=CLIENT_ID, auth_url=server.url,
        secret=secrets(client_secret=CLIENT_SECRET, password=PASSWORD), **entry,
    )


async def test_a_link_in_a_legacy_escaped_answer_reads_whole_even_with_a_plain_title(server):
    # Without raw_json=1, Reddit replaces &, < and > in every string of the answer
    # (reddit.com/dev/api, "response body encoding"), a link post's `url` included; a title with
    # none of those characters does not tell that the answer is escaped.
    reddit = FakeReddit(server)
    reddit.escapes_always = True
    link = reddit.post("BriocheAndCo ouvre a Quebec", "news_bot", url="https://journal.example/?a=1&b=2")
    async with reddit_source(server, read=("search",)) as source:
        [got] = (await source.fetch(None)).messages
    assert (got.native_id, got.text) == (link["name"], "https://journal.example/?a=1&b=2")
