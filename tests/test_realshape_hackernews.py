"""Hacker News hits in shapes the real Algolia answers have, beyond what the fake makes by default."""

from __future__ import annotations


from fake_feeds import NOW, FakeHackerNews
from sourcekit import source_for


async def test_a_link_hn_shortened_reads_as_its_whole_address(server):
    # HN shows a link longer than 60 characters as its first 60 and "...", and that is what
    # `comment_text` carries between <a> and </a> (the whole address is only in href), as in
    # the item texts quoted by public HN clients: ".../blob/master/src/index.t...".
    hn = FakeHackerNews(server)
    long_link = "https://github.com/brioche-co/ordering-app/issues/4812#issuecomment-2207741"
    def escaped(text: str) -> str:  # HN writes "/" as "&#x2F;"
        return text.replace("/", "&#x2F;")

    hn.add_comment(f'Brioche &amp; Co still double-charges: <a href="{escaped(long_link)}" '
                   f'rel="nofollow">{escaped(long_link[:60])}...</a><p>Short one: <a href="https:&#x2F;&#x2F;brioche.example&#x2F;" '
                   f'rel="nofollow">https:&#x2F;&#x2F;brioche.example&#x2F;</a>', at=NOW - 60)
    async with source_for("hackernews", server.url, terms=("Brioche & Co",)) as source:
        page = await source.fetch(None)
    [message] = page.messages
    assert message.text == f"Brioche & Co still double-charges: {long_link}\n\nShort one: https://brioche.example/"
