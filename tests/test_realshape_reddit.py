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


async def test_a_post_reddit_removed_with_a_reason_is_read_by_its_title(server):
    # Reddit's placeholders for what it removed itself also come as sentences: "[ Removed by reddit
    # in response to a copyright notice. ]", "[ Removed by reddit on account of violating the
    # [content policy](/help/contentpolicy). ]" (rendered as a link in selftext_html).
    reddit = FakeReddit(server)
    policy = reddit.post("Brioche & Co : le scandale", "spammer",
                         selftext="[ Removed by reddit on account of violating the [content policy](/help/contentpolicy). ]")
    policy["selftext_html"] = ('<!-- SC_OFF --><div class="md"><p>[ Removed by reddit on account of violating the '
                               '<a href="/help/contentpolicy">content policy</a>. ]</p>\n</div><!-- SC_ON -->')
    copyright_ = reddit.post("Brioche & Co, la recette volée", "pirate",
                             selftext="[ Removed by reddit in response to a copyright notice. ]")
    async with reddit_source(server, read=("search",)) as source:
        got = {m.native_id: m for m in (await source.fetch(None)).messages}
    for post in (policy, copyright_):
        assert got[post["name"]].text == post["title"]
