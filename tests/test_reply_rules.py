"""The platforms' reply rules: windows, private replies, lengths (X weighted), hidden comments."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cminbox.replies.limits import x_weighted_length as x_length
from cminbox.reply_rules import DM, PRIVATE, PUBLIC, History, check_reply, reply_kinds, window

NOW = 1_764_000_000.0
H = 3600.0


@dataclass
class M:
    network: str
    kind: str
    created_at: float = NOW - H


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hello", 5),
        ("café crème", 10),  # accents weigh 1
        ("e\u0301", 1),  # NFC first: é is one character
        ("https://example.com/a/very/long/path?with=query&and=more", 23),
        ("voir brioche.fr, et www.brioche.ca.", 5 + 23 + 5 + 23 + 1),
        ("日本語", 6),  # CJK weigh 2
        ("👍", 2),
        ("👨\u200d👩\u200d👧 ok", 5),  # a joined emoji sequence is one emoji
        ("🇫🇷", 2),
        ("“guillemets” – tiret…", 22),  # quotes and dashes weigh 1; the ellipsis (U+2026) is outside: 2
    ],
)
def test_x_counts_as_x_does(text, expected):
    assert x_length(text) == expected


def test_x_limit_is_280_weighted():
    assert check_reply(M("x", "mention"), PUBLIC, "a" * 280, NOW) is None
    refusal = check_reply(M("x", "mention"), PUBLIC, "日" * 141, NOW)
    assert refusal.code == "length" and "282 characters" in refusal.reason and "280" in refusal.reason
    # A long link costs 23, whatever its length.
    assert check_reply(M("x", "mention"), PUBLIC, "a" * 250 + " https://example.com/" + "x" * 100, NOW) is None


@pytest.mark.parametrize("network, limit", [("instagram", 2200), ("youtube", 10000)])
def test_length_limits_per_network(network, limit):
    assert check_reply(M(network, "comment"), PUBLIC, "a" * limit, NOW) is None
    assert check_reply(M(network, "comment"), PUBLIC, "a" * (limit + 1), NOW).code == "length"


def test_messenger_limit_is_2000():
    assert check_reply(M("facebook", "dm"), DM, "a" * 2001, NOW).code == "length"


def test_the_window_counts_from_the_customers_last_message():
    message = M("facebook", "dm", created_at=NOW - 30 * H)
    history = History(last_customer_at=NOW - 2 * H)  # they wrote again since
    assert window(message, history).deadline == NOW + 22 * H
    assert check_reply(message, DM, "Bonjour", NOW, history) is None
    closed = check_reply(message, DM, "Bonjour", NOW + 23 * H, history)
    assert closed.code == "window" and "24 hours" in closed.reason and "1 h ago" in closed.reason


def test_the_human_agent_tag_is_messenger_only():
    history = History(last_customer_at=NOW - 3 * 86400, human_agent=True)
    assert check_reply(M("facebook", "dm", NOW - 3 * 86400), DM, "ok", NOW, history) is None
    assert check_reply(M("instagram", "dm", NOW - 3 * 86400), DM, "ok", NOW, history).code == "window"


def test_no_window_on_networks_without_one():
    assert window(M("x", "dm"), History()) is None
    assert check_reply(M("x", "dm", NOW - 30 * 86400), DM, "ok", NOW) is None


def test_private_reply_once_and_within_7_days():
    comment = M("instagram", "comment", NOW - 86400)
    assert check_reply(comment, PRIVATE, "On vous écrit en privé", NOW) is None
    assert check_reply(comment, PRIVATE, "encore", NOW, History(private_reply_at=NOW - 60)).code == "private-once"
    assert check_reply(M("facebook", "comment", NOW - 8 * 86400), PRIVATE, "tard", NOW).code == "private-late"


def test_which_replies_a_message_can_get():
    assert reply_kinds(M("facebook", "comment")) == (PUBLIC, PRIVATE)
    assert reply_kinds(M("instagram", "dm")) == (DM,)
    assert reply_kinds(M("youtube", "comment")) == (PUBLIC,)
    assert check_reply(M("youtube", "comment"), PRIVATE, "x", NOW).code == "kind"


def test_instagram_refuses_replies_to_hidden_comments():
    refusal = check_reply(M("instagram", "comment"), PUBLIC, "Merci", NOW, History(hidden=True))
    assert refusal.code == "hidden" and "unhide" in refusal.reason
    assert check_reply(M("facebook", "comment"), PUBLIC, "Merci", NOW, History(hidden=True)) is None


def test_an_empty_reply_is_refused():
    assert check_reply(M("x", "mention"), PUBLIC, "   ", NOW).code == "empty"
