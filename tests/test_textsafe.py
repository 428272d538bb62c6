"""Untrusted text stays data: no control characters, no invisible reordering, only web links open."""

from __future__ import annotations

import pytest

from cminbox.textsafe import MAX_TEXT, clean_line, clean_text, for_display, one_line, safe_url

HOSTILE = [
    "\x1b[2J\x1b[H wiped",
    "\x1b]52;c;ZXZpbA==\x07 clipboard",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m eight-bit CSI",
    "\x07 bell \x08 backspace \r carriage",
    "\u202egnp.exe",
    "a\u200db\u200bc\u2066d\u2069",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_control_or_invisible_character_survives_display(text):
    shown = for_display(clean_text(text))
    assert not any(ord(c) < 32 and c not in "\n\t" for c in shown)
    assert not any(0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202e\u200d\u200b\u2066\u2069")


def test_clean_text_keeps_newlines_and_folds_crlf():
    assert clean_text("a\r\nb\rc\n") == "a\nb\nc\n"


def test_huge_text_is_cut_with_a_visible_note():
    out = clean_text("x" * (MAX_TEXT + 50))
    assert out.startswith("x" * 100) and "50 more characters" in out


def test_one_line_folds_and_cuts_cheaply():
    assert one_line("a\n\n b\tc", None) == "a b c"
    assert one_line("y" * 20_000, 10) == "y" * 10
    assert one_line(None) == ""


def test_clean_line_for_names():
    assert clean_line("  Julie\x1b[31m\nM. ") == "Julie [31m M."


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://www.facebook.com/x/posts/1?comment_id=2", True),
        ("http://example.com", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,hi", False),
        ("ftp://example.com", False),
        ("https://bank.example@evil.example/", False),
        ("https://exa mple.com", False),
        ("https://example.com/\x1b[2J", False),
        ("https:///nohost", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_links_may_open(url, ok):
    assert (safe_url(url) is not None) == ok



def test_shortened_marks_where_it_cut():
    from cminbox.textsafe import shortened

    title = "Crise, bad buzz : message d’attente (on a vu vos messages)"
    assert shortened(title, 40) == "Crise, bad buzz : message d’attente (on…" and len(shortened(title, 40)) == 40
    assert shortened("Retard de livraison", 40) == "Retard de livraison"
    assert shortened("exactly ten", 11) == "exactly ten"
