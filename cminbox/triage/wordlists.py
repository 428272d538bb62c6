"""Word families the model reads as facts: problem words, and spam or abuse words.

Broader than the complaint cues, which need context to fire ("the app is down"): here one word
is a hint ("down", "remboursé", "telegram", "idiots"), and the model decides what the hints add
up to. A noun just after "no", "sans", "pas de"… ("no problem", "sans retard") does not count.
The words are in `data/problem_words.txt` and `data/spam_words.txt`, read on first use.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Final

from .text import fold

DATA_DIR: Final = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
PROBLEM_WORDS_FILE: Final = os.path.join(DATA_DIR, "problem_words.txt")
SPAM_WORDS_FILE: Final = os.path.join(DATA_DIR, "spam_words.txt")

# "no delay", "sans retard", "pas de souci", "not a single bug": the word names what did not
# happen. ("pas remboursé" and "never arrived" are still problems: verbs are not skipped.)
_NO: Final = frozenset("no zero without aucun aucune aucuns aucunes sans".split())
_NOT: Final = frozenset("pas not never jamais plus".split())
_ARTICLES: Final = frozenset("de d' any a single much un une".split())
_STEM_LENGTHS: Final = tuple(range(4, 13))


@cache
def _vocabulary(path: str) -> tuple[dict[str, str], dict[str, str]]:
    """(exact words, stems) -> family."""
    exact: dict[str, str] = {}
    stems: dict[str, str] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            word, family = line.rstrip("\n").split("\t")[:2]
            word = fold(word.strip())
            if word.endswith("*"):
                stem = word[:-1]
                if len(stem) not in _STEM_LENGTHS:
                    raise ValueError(f"{path}: stem {word!r} must have 4 to 12 letters")
                stems[stem] = family
            else:
                exact[word] = family
    return exact, stems


def _families(words: list[str], path: str, negation: bool) -> list[str]:
    exact, stems = _vocabulary(path)
    found: list[str] = []
    before = previous = ""
    for word in words:
        family = exact.get(word)
        if family is None and len(word) > 4:
            for n in _STEM_LENGTHS:
                if n > len(word):
                    break
                family = stems.get(word[:n])
                if family is not None:
                    break
        if family is not None and not (
            negation
            and (
                previous in _NO
                or (previous in _ARTICLES and before in _NOT)
                # "never disappointed", "pas déçue": a feeling denied is no problem.
                or (family == "feeling" and (previous in _NOT or before in _NOT))
            )
        ):
            found.append(family)
        before, previous = previous, word
    return found


def problem_families(words: list[str]) -> list[str]:
    """The family of each problem word in `words` (folded tokens), in order, repeats kept."""
    return _families(words, PROBLEM_WORDS_FILE, negation=True)


def spam_families(words: list[str]) -> list[str]:
    """The family of each spam or abuse word in `words` (folded tokens)."""
    return _families(words, SPAM_WORDS_FILE, negation=False)
