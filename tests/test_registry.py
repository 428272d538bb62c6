"""The registry of source types: lazy, and clear about what it cannot build."""

from __future__ import annotations

import pytest

from cminbox.sources import registry
from cminbox.sources.base import Source
from sourcekit import make_entry, secrets


def test_an_unavailable_type_says_so(monkeypatch):
    monkeypatch.setitem(registry.SOURCE_TYPES, "friendster", "cminbox.sources.friendster:FriendsterSource")
    with pytest.raises(registry.UnavailableType, match="not available"):
        registry.source_class("friendster")


def test_a_constructor_refusing_its_entry_names_the_line(monkeypatch):
    class Picky(Source):
        type = "picky"

        def __init__(self, entry, http, secret):
            super().__init__(entry, http, secret)
            raise ValueError("url is required")

    monkeypatch.setattr(registry, "source_class", lambda type_: Picky)
    with pytest.raises(ValueError, match=r"line 1 \(\[\[sources\]\] picky .*url is required"):
        registry.build(make_entry("picky"), None, secrets())


def test_the_contract_gives_entry_http_and_secret():
    class Plain(Source):
        type = "plain"
        default_interval = 42.0

    source = Plain(make_entry("plain", key="k", label="Plain"), "HTTP", secrets(token="t"))
    assert (source.key, source.label, source.http, source.secret("token"), source.interval) == ("k", "Plain", "HTTP", "t", 42.0)
