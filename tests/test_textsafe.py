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


# -- HTML from the networks, as plain text ----------------------------------------------------

from cminbox.sources.htmltext import html_to_text  # noqa: E402


def test_mastodon_html_reads_as_text():
    html = (
        '<p><span class="h-card"><a href="https://mastodon.social/@trwnh" class="u-url mention">@<span>trwnh</span></a></span> sup!</p>'
        '<p>ligne 1<br>ligne 2<br />ligne 3</p>'
        '<p><a href="https://ruby.social/tags/jazz" class="mention hashtag">#<span>jazz</span></a> '
        '<a href="https://cstudios.bandcamp.com/track/x"><span class="invisible">https://</span>'
        '<span class="ellipsis">cstudios.bandcamp.com/tr</span><span class="invisible">ack/x</span></a></p>'
    )
    assert html_to_text(html) == "@trwnh sup!\n\nligne 1\nligne 2\nligne 3\n\n#jazz https://cstudios.bandcamp.com/track/x"


def test_html_markup_never_survives_as_markup():
    html = "<p>&lt;b&gt;pas gras&lt;/b&gt;<script>alert(1)</script><style>p{}</style> caf&eacute; &#27;[31m</p><ul><li>un</li><li>deux</li></ul>fin"
    assert html_to_text(html) == "<b>pas gras</b> café [31m\n\n- un\n- deux\n\nfin"


def test_quote_compatibility_paragraph_is_hidden_and_broken_html_is_read():
    assert html_to_text('<p class="quote-inline">RE: <a href="x">x</a></p><p>mon avis') == "mon avis"
    assert html_to_text("") == "" and html_to_text(None) == ""
