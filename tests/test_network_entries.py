"""A network source's config entry is checked when the source is built: a clear reason, with its line."""

from __future__ import annotations

import pytest

from cminbox.sources.registry import build
from sourcekit import make_entry, secrets


@pytest.mark.parametrize(
    "type_, base_url, options, words",
    [
        ("mastodon", None, {}, "needs base_url"),
        ("mastodon", "ftp://piaille.fr", {}, "http"),
        ("mastodon", "https://piaille.fr", {"read": ("mentions", "timeline")}, "unknown 'timeline'"),
        ("bluesky", None, {}, "needs handle"),
        ("bluesky", None, {"handle": "brioche.bsky.social", "read": ("likes",)}, "unknown 'likes'"),
        ("reddit", None, {"client_id": "abc"}, "needs username"),
        ("reddit", None, {"username": "BriocheAndCo"}, "needs client_id"),
    ],
)
def test_a_wrong_entry_says_what_to_fix(type_, base_url, options, words):
    with pytest.raises(ValueError, match=rf"line 1 .*{words}"):
        build(make_entry(type_, base_url, **options), None, secrets())


@pytest.mark.parametrize(
    "type_, base_url, options",
    [
        ("mastodon", "https://piaille.fr", {}),
        ("bluesky", None, {"handle": "@brioche.bsky.social"}),
        ("reddit", None, {"username": "u/BriocheAndCo", "client_id": "abc"}),
    ],
)
def test_a_good_entry_builds_without_touching_the_network_or_its_secrets(type_, base_url, options):
    source = build(make_entry(type_, base_url, **options), None, secrets())  # no secret given: none read yet
    assert source.can_reply and source.network == type_
