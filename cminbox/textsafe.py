"""Untrusted text made harmless: what a network or a file hands us is data, never instructions.

`clean_text` runs once when a message is stored: it drops the characters that could drive a
terminal (ESC and every other C0/C1 control, so no escape sequence or OSC 52 survives).
`for_display` runs when drawing: it also removes the invisible characters that reorder or
hide text (bidi overrides, zero-width joiners), which would let a message disguise itself or
break column alignment. Markup is never an issue at this level: widgets build `rich.text.Text`
or `Content` objects from plain strings and never parse message text as markup.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

# Longest text we keep; beyond this a message is truncated with a visible note.
MAX_TEXT: Final = 100_000

# C0 controls except TAB and LF, DEL, and C1 controls (0x80-0x9F, which include the 8-bit CSI/OSC).
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings/overrides/isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner,
# invisible operators, BOM, interlinear annotations.
_INVISIBLE: Final = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_WHITESPACE: Final = re.compile(r"\s+")
_LINE_BREAKS: Final = re.compile(r"\s*\n\s*")
_SPACES: Final = re.compile(r"[ \t\u00a0\u2000-\u200a\u2028\u2029\u3000]+")


def clean_text(text: str | None) -> str:
    """Text as stored: newlines kept, controls gone, CRLF folded, absurd lengths cut."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + f"\n[… cut by cminbox: {len(text) - MAX_TEXT} more characters]"
    return text


def clean_line(text: str | None) -> str:
    """A one-line field (name, handle, URL): controls gone, whitespace runs folded."""
    if not text:
        return ""
    text = str(text)
    # Printable means no control and no whitespace but the plain space (C-speed check): then
    # only runs of spaces and the ends can change. Most names, handles and URLs.
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _WHITESPACE.sub(" ", _CONTROLS.sub(" ", text)).strip()


def for_display(text: str | None) -> str:
    """Stored text made safe to draw: no controls, no invisible reordering characters."""
    if not text:
        return ""
    return _INVISIBLE.sub("", _CONTROLS.sub("", str(text)))


def for_terminal(text: str | None) -> str:
    """`for_display`, without the emoji presentation selector (U+FE0F): terminals disagree on
    whether it widens "❤️" to two cells, and a one-cell disagreement breaks a column or a
    border. (Files and web pages keep it: browsers agree.)"""
    return for_display(text).replace("\ufe0f", "")


def one_line(text: str | None, limit: int | None = None) -> str:
    """A display-safe single line: newlines and tabs folded to spaces, optionally cut short.

    Also drops the emoji presentation selector (U+FE0F): terminals disagree on whether it
    widens "❤️" to two cells, and a one-cell disagreement breaks a column layout.
    """
    if not text:
        return ""
    if limit is not None:
        # Cut early so a 20,000-character message costs no more than a short one.
        text = text[: limit * 2 + 16]
    line = _SPACES.sub(" ", _LINE_BREAKS.sub(" ", for_terminal(text))).strip()
    return line if limit is None else line[:limit]


def shortened(text: str | None, limit: int) -> str:
    """`one_line(text)` in at most `limit` characters, ending in "…" where it was cut."""
    line = one_line(text, limit + 1)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """The URL if a browser may open it for the user: http(s), a host, no credentials or controls."""
    if not url:
        return None
    url = str(url).strip()
    if _CONTROLS.search(url) or _INVISIBLE.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc:
        # Credentials in the authority disguise the real host (https://bank.example@evil.example/).
        return None
    return url
