"""Text helpers shared by the scorers: HTML entities undone, folding for lookups and a word tokenizer.

Folding makes "Déçue", "DECUE" and "déçuuue" meet the same lexicon entry, and "l’appli" (curly
apostrophe, as phones type it) meet "l'appli". It runs on every message several times, so the
common cases (ASCII, or Latin letters and emoji) avoid Unicode normalisation altogether.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache, lru_cache
from typing import Any, Callable, Final

# Apostrophe look-alikes that phones and word processors type, ligatures NFKD keeps whole, the
# no-break spaces of French typography ("commande ?"), and the emoji presentation selectors
# (❤️ and ❤ are one emoji).
_EXTRA_FOLDS: Final = {
    "’": "'", "‘": "'", "ʼ": "'", "´": "'", "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae",
    "ß": "ss", "ø": "o", "Ø": "o", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\ufe0e": "", "\ufe0f": "",
}
# Characters the fold table covers: Latin-1 and Latin Extended letters, plus the extras above.
_TABLE_CHARS: Final = "[\u00a0\u00b4\u00c0-\u024f\u02bc\u2009\u2018\u2019\u202f\ufe0e\ufe0f]"
# Anything outside ASCII, Latin, punctuation, symbols and emoji (combining accents, 𝐛𝐨𝐥𝐝 or
# ｗｉｄｅ letters...) goes through NFKD first. Rare in practice.
_NEEDS_NFKD: Final = "[^\x00-\u024f\u02bc\u2000-\u2bff\ufe00-\ufe0f\U0001f000-\U0001faff]"
_MARKS: Final = "[\u0300-\u036f]"

# A letter written three or more times in a row is an elongation ("nuuuul", "soooo"). Matched
# after accents are stripped, so ASCII letters suffice (and are several times faster to scan).
_ELONGATION_RE: Final = re.compile(r"([a-z])\1\1+")
# Letters that never double in French or English spelling shrink to one ("nuuuul" -> "nul",
# "géniaaal" -> "genial"); the others may double ("goooood" -> "good", "tellllement" ->
# "tellement"), so they shrink to two and lookups try `squeeze` when that is not a word.
_NEVER_DOUBLED: Final = frozenset("aiuyhjkqvwx")

_DOUBLE_RE: Final = re.compile(r"([^\W\d_])\1")

# Words: letters and digits, with inner apostrophes ("aujourd'hui"); hyphens split words.
WORD_RE: Final = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@cache
def _unicode_folding() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Built on the first non-ASCII text, not at import: each accented Latin letter to its base
    letters, and the regexes that find the characters to fold."""
    table = dict(_EXTRA_FOLDS)
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char and char not in table:
            table[char] = base
    return table, re.compile(_TABLE_CHARS), re.compile(_NEEDS_NFKD), re.compile(_MARKS)


def _shorten(match: re.Match[str]) -> str:
    letter = match.group(1)
    return letter if letter in _NEVER_DOUBLED else letter * 2


# Memoised: language, sentiment and cues each fold the same message in turn, and the same
# short words recur across messages.
@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase, strip accents, straighten apostrophes and shorten elongations.

    Emoji and punctuation are kept. Fancy Unicode letters (𝐛𝐨𝐥𝐝, ｗｉｄｅ) become plain ones.
    """
    if text.isascii():
        return _fold_piece(text)
    # Word by word, each word folded once: the same words recur from message to message
    # ("déçue", "commande"), and a memo lookup costs far less than the accent table's
    # substitutions. Nothing folding does reaches across a space, so the result is the same as
    # folding the whole text, except that a word goes through NFKD only when it needs it (not
    # whenever another word of the text does, which also turned that text's "…" into "...").
    pieces = text.split(" ")
    if max(map(len, pieces)) <= _MEMO_PIECE:  # the usual text: every word remembered
        return " ".join(map(_folded_pieces.__getitem__, pieces))
    return " ".join([_folded_pieces[p] if len(p) <= _MEMO_PIECE else _fold_piece(p) for p in pieces])


def _fold_piece(text: str) -> str:
    """`fold` for one word (or an ASCII text), not memoised."""
    if not text.isascii():
        table, table_chars, needs_nfkd, marks = _unicode_folding()
        if needs_nfkd.search(text) is not None:
            text = marks.sub("", unicodedata.normalize("NFKD", text))
        text = table_chars.sub(lambda m: table.get(m.group(), m.group()), text)
    text = text.lower()
    if _ELONGATION_RE.search(text) is None:  # the common case: no substitution to build
        return text
    return _ELONGATION_RE.sub(_shorten, text)


class Memo(dict):
    """A bounded memo: a missing key's value is computed by `compute` and kept, and the memo
    starts over when full (what recurs soon comes back). `map(memo.__getitem__, keys)` reads a
    whole list of keys in C, calling Python only for keys not seen yet."""

    def __init__(self, compute: Callable[[Any], Any], limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value


# Words as written -> folded. Only words up to this length are kept, so the memo stays a few MB
# whatever comes in (a 20,000-character "word" of spam is folded, not remembered).
_MEMO_PIECE: Final = 40
_folded_pieces: Final = Memo(_fold_piece, 50_000)


def squeeze(word: str) -> str:
    """`word` with every doubled letter made single: the last try for an elongated word."""
    if _DOUBLE_RE.search(word) is None:
        return word
    return _DOUBLE_RE.sub(lambda m: m.group(1), word)


def words(folded: str) -> list[str]:
    """The words of already folded text, in order."""
    return WORD_RE.findall(folded)


# The entities that escaped social text carries (X's API and the data sets taken from it write
# "&lt;3" and "R&amp;D"): named ones of markup, and numeric ones. Only whole entities: html.unescape
# alone would also turn "&not" in "this&nothing" into "¬".
_ENTITY: Final = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def plain_entities(text: str) -> str:
    """`text` with its HTML entities undone, as its author typed it ("I <3 it", "R&D")."""
    if not text or "&" not in text:
        return text
    return _ENTITY.sub(lambda match: html.unescape(match.group()), text)
