"""Word families the model reads as facts: problem words, and spam or abuse words.

Broader than the complaint cues, which need context to fire ("the app is down"): here one word
is a hint ("down", "remboursé", "telegram", "idiots"), and the model decides what the hints add
up to. A noun just after "no", "sans", "pas de"… ("no problem", "sans retard") does not count, nor
a word that a known pair turns into something else ("crème brûlée", "can't wait").
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
# A problem word that, after this word, names something else: a dessert, an eagerness.
_NOT_PROBLEMS: Final = frozenset(["creme brulee", "creme brulees", "can't wait", "cant wait", "cannot wait"])


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


# Words looked up once and remembered (words recur across messages): most are in neither family,
# and a set tells at once that all the words of a message are.
_CACHE_LIMIT: Final = 50_000
_known: dict[str, tuple[str | None, str | None]] = {}  # word -> (problem family, spam family)
_in_neither: set[str] = set()


def _family(word: str, exact: dict[str, str], stems: dict[str, str]) -> str | None:
    family = exact.get(word)
    if family is None and len(word) > 4:
        for n in _STEM_LENGTHS:
            if n > len(word):
                break
            family = stems.get(word[:n])
            if family is not None:
                break
    return family


_NEITHER: Final = (None, None)


def _families_of(word: str) -> tuple[str | None, str | None]:
    """Both families of a word, remembered."""
    if len(_known) + len(_in_neither) > _CACHE_LIMIT:
        _known.clear()
        _in_neither.clear()
    found = (_family(word, *_vocabulary(PROBLEM_WORDS_FILE)), _family(word, *_vocabulary(SPAM_WORDS_FILE)))
    if found == _NEITHER:
        _in_neither.add(word)
    else:
        _known[word] = found
    return found


def word_families(words: list[str]) -> tuple[list[str], list[str]]:
    """(problem families, spam families) of the words in `words` (folded tokens), in order,
    repeats kept. A problem noun right after a negation does not count."""
    problems: list[str] = []
    spam: list[str] = []
    if _in_neither.issuperset(words):  # the common case
        return problems, spam
    before = previous = ""
    for word in words:
        if word not in _in_neither:
            problem, spammy = _known.get(word) or _families_of(word)
            if problem is not None and not (
                previous in _NO
                or (previous in _ARTICLES and before in _NOT)
                # "never disappointed", "pas déçue": a feeling denied is no problem.
                or (problem == "feeling" and (previous in _NOT or before in _NOT))
                or f"{previous} {word}" in _NOT_PROBLEMS
            ):
                problems.append(problem)
            if spammy is not None:
                spam.append(spammy)
        before, previous = previous, word
    return problems, spam
