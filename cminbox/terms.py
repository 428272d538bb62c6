"""Where a workspace's brand terms occur in a message, for highlighting (core: no UI imports).

Matching ignores case and accents ("brioche & co" finds "BRIOCHE & Cö"), and a term that
starts or ends with a letter or digit must not be part of a longer word ("Co" is not found in
"Cocorico"). Spans are character offsets into the original text, so they can style it as is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def _fold_char(char: str) -> str:
    """One character, lowercased and without its accent: always exactly one character."""
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower[0] if lower else char


def fold(text: str) -> str:
    """`text` with each character folded: same length, so offsets carry over."""
    return "".join(_fold_char(c) for c in text) if not text.isascii() else text.lower()


def find_terms(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans where any of `terms` occurs in `text`."""
    if not text:
        return []
    haystack = fold(text)
    spans: list[tuple[int, int]] = []
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        needle = fold(term)
        start = haystack.find(needle)
        while start != -1:
            end = start + len(needle)
            before_ok = not (needle[0].isalnum() and start > 0 and haystack[start - 1].isalnum())
            after_ok = not (needle[-1].isalnum() and end < len(haystack) and haystack[end].isalnum())
            if before_ok and after_ok and all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = haystack.find(needle, start + 1)
    return sorted(spans)
