"""Sentiment: a VADER-style compound score in [-1, 1] for French and English messages.

English goes to VADER (`vaderSentiment`), with a few customer-service phrases and a sarcasm
check on top. French goes to `FrenchSentimentAnalyzer`, a `SentimentIntensityAnalyzer` built on
the project's own lexicon (`data/fr_lexicon.txt`) and emoji table (`data/emoji_valence.txt`),
whose methods replace VADER's English rules with French ones: negation ("ne … pas", spoken
"c'est pas bon", "jamais", "sans", "aucun"…), elisions ("j'adore", "n'est", Québec "j'tais"),
boosters and dampeners ("très", "grave", "un peu"), contrast ("mais"), idioms ("pas mal",
"pas terrible", "de la merde") and ironic praise ("Génial, encore en retard 🙃").

Both analyzers are created on first use: importing this module reads no file.
"""

from __future__ import annotations

import os
import re
import string
from functools import cache, cached_property
from itertools import chain, compress
from operator import itemgetter
from typing import Final, Sequence

from vaderSentiment.vaderSentiment import (
    B_DECR,
    B_INCR,
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    normalize,
    scalar_inc_dec,
)

from .text import Memo, fold, squeeze

DATA_DIR: Final = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
FR_LEXICON_FILE: Final = os.path.join(DATA_DIR, "fr_lexicon.txt")
EMOJI_VALENCE_FILE: Final = os.path.join(DATA_DIR, "emoji_valence.txt")

# ----------------------------------------------------------------------------------------------
# Tokens

# Apostrophe look-alikes, straightened before tokenizing (case is kept for ALL CAPS emphasis).
_APOSTROPHES: Final = ("’", "‘", "ʼ", "´")

# One token: an elision ("l'", "qu'", Québec "j'tais"), a word, an emoji or an emoticon (first
# group), or a run of clause punctuation (second group). "#" is dropped so a hashtag's word
# counts ("#honteux"); URLs and @handles are removed first. Hyphenated words are split
# ("remboursez-moi", "t'as-tu"): the lexicon is tokenized the same way, so "ras-le-bol" is the
# phrase ("ras", "le", "bol").
_TOKEN_PATTERN: Final = r"""
    ( (?:[ljnmtcsdy]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=[^\W\d_])
    | [^\W_]+(?:'[^\W_]+)*
    | [\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u203C\u2049]
    | (?<!\w)(?:>?[:;=][-']?[()\[\]dp/\\|*@]|<3+|</3|\^[_.]?\^|-[_.]-)(?!\w)
    )
  | ([.,;:!?…()\[\]"«»]+)
"""
_SKIP_PATTERN: Final = r"https?://\S+|www\.\S+|@\w+"
# Two capitals in a row (not digits, "_" or lowercase letters): only then do tokens need their
# original spelling. The class is written twice rather than as `{2}`: a pattern that starts with
# a character class lets the regex engine skip to candidate characters instead of trying a match
# at every position.
_CAPS_WORD_PATTERN: Final = r"[^\W\d_a-zß-ÿ][^\W\d_a-zß-ÿ]"

# Clause boundary: negation and boosters do not reach across punctuation.
BOUNDARY: Final = "|"


@cache
def _token_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Compiled on first use, not at import. Folded text is lowercase; original text (kept
    only when it has ALL CAPS words) is not."""
    return (
        re.compile(_TOKEN_PATTERN, re.VERBOSE),
        re.compile(_TOKEN_PATTERN, re.VERBOSE | re.IGNORECASE),
        re.compile(_SKIP_PATTERN),
        re.compile(_CAPS_WORD_PATTERN),
    )


# No token spans whitespace, and at either end of a whitespace-separated chunk the pattern's
# lookarounds see what they would see next to whitespace (no word character). So a text's tokens
# are its chunks' tokens, in order, and each chunk need only be tokenized once: chunks recur from
# message to message ("commande", "merci,", "l'appli", "😡"), and a regex pass costs more per
# token than a memo lookup costs per chunk. At most this many chunks are kept (a few MB).
_CHUNK_MEMO_LIMIT: Final = 20_000


def _folded_chunk_keys(chunk: str) -> tuple[str, ...]:
    return tuple([token or BOUNDARY for token, _ in _token_regexes()[0].findall(chunk)])


def _raw_chunk_tokens(chunk: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    raws = tuple([token or BOUNDARY for token, _ in _token_regexes()[1].findall(chunk)])
    return raws, tuple([fold(raw) if raw != BOUNDARY else BOUNDARY for raw in raws])


_folded_chunks: Final = Memo(_folded_chunk_keys, _CHUNK_MEMO_LIMIT)  # folded chunk -> keys
_raw_chunks: Final = Memo(_raw_chunk_tokens, _CHUNK_MEMO_LIMIT)  # chunk -> (raws, keys)


def tokenize(text: str) -> tuple[list[str], list[str]]:
    """`(raws, keys)`: each token as written and its folded lookup key, `BOUNDARY` for
    punctuation. Without ALL CAPS words, raws are the keys (the same list)."""
    _, _, skip_re, caps_word_re = _token_regexes()
    has_skip = "http" in text or "www." in text or "@" in text
    if caps_word_re.search(text) is None:
        folded = fold(text)  # usually already folded (and memoised) by language detection
        if has_skip:
            folded = skip_re.sub(" ", folded)
        keys = list(chain.from_iterable(map(_folded_chunks.__getitem__, folded.split())))
        return keys, keys
    if has_skip:
        text = skip_re.sub(" ", text)
    for apostrophe in _APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "'")
    pairs = list(map(_raw_chunks.__getitem__, text.split()))
    raws = list(chain.from_iterable(map(itemgetter(0), pairs)))
    return raws, list(chain.from_iterable(map(itemgetter(1), pairs)))


# ----------------------------------------------------------------------------------------------
# French rules. Keys are folded (no accents), as the lexicon's are.

# Degree words: scalar added to the magnitude of the next sentiment word (up to 3 words on).
BOOSTERS: Final[dict[str, float]] = {
    **dict.fromkeys(
        """tres trop vraiment super hyper grave tellement archi completement totalement absolument
        extremement vachement carrement franchement sacrement particulierement si tant mega ultra
        full ben bin bien fort drolement enormement profondement incroyablement terriblement
        horriblement aussi maudit crissement vrmt vrm tro trp grv""".split()  # (and SMS spellings)
        + ["tout a fait", "de plus en plus", "encore plus", "vraiment vraiment"],
        B_INCR,
    ),
    **dict.fromkeys(
        ["assez", "un peu", "un petit peu", "quelque peu", "plutot", "a peine", "presque",
         "moyennement", "legerement", "relativement"],
        B_DECR,
    ),
}

# Degree words that come after what they strengthen ("nul grave", "bon de ouf", Québec
# "plate en maudit").
POST_BOOSTERS: Final = frozenset(
    ["grave", "de ouf", "a mort", "a fond", "au max", "de fou", "de malade", "comme jamais",
     "en maudit", "en tabarnak", "en crisse", "en calisse", "en esti", "en ostie", "raide"]
)

# Words that negate the sentiment words up to 3 words after them. "peu" is here, not with
# the dampeners: "peu fiable" means "not reliable", while "un peu" is the dampener. "pas très
# bon" is "not good" said kindly: a plain negation, not one of a boosted "bon".
NEGATORS: Final = frozenset(
    ["pas", "pa", "jamais", "rien", "aucun", "aucune", "aucuns", "aucunes", "sans", "ni", "point",
     "guere", "nullement", "peu", "pu", "pas du tout", "plus du tout", "pas encore", "pas trop",
     "pas vraiment", "pas si", "pas tres", "plus jamais", "jamais plus"]
)
# Spoken French drops "ne" and puts the negation after the verb: "j'aime pas", "ça marche
# plus", Québec "pantoute". These negate the sentiment word just before them.
POST_NEGATORS: Final = frozenset(
    ["pas", "pa", "plus", "pu", "jamais", "rien", "point", "pantoute", "pas du tout", "plus du tout",
     "pas encore", "pas trop", "pas vraiment", "guere"]
)
# Between a verb and its post-negation: "j'aime vraiment pas", "ça marche toujours pas".
_SKIPPABLE: Final = frozenset(["vraiment", "trop", "tellement", "beaucoup", "ben", "encore", "toujours", "ca"])
# "ne" needs a partner ("pas", "plus", "jamais", "que"…). With one, the partner does the work
# (or, for "ne … que", there is no negation); without ("personne n'est content"), "ne" negates.
_NE: Final = frozenset(["ne", "n'"])
_NE_PARTNERS: Final = NEGATORS | {"plus", "que", "qu'", "personne"}
# Phrases led by a partner also pair with "ne": "ce n'est pas terrible", "n'est plus jamais".
_PARTNER_PREFIXES: Final = tuple(f"{w} " for w in ("pas", "plus", "jamais", "rien", "aucun", "aucune", "que"))

# Contrast: what follows weighs more (VADER does this for "but").
CONTRASTS: Final = frozenset(["mais", "par contre", "cependant", "pourtant", "toutefois", "sauf que", "neanmoins"])
_CONTRAST_BEFORE: Final = 0.5
_CONTRAST_AFTER: Final = 1.5

# Function-word phrases merged into one token before the rules run (the lexicon's own phrases
# are merged the same way).
_FUNCTION_PHRASES: Final = [
    "un peu", "un petit peu", "quelque peu", "a peine", "tout a fait", "de plus en plus",
    "encore plus", "vraiment vraiment", "pas tres", "pas du tout", "plus du tout", "pas encore",
    "pas trop", "pas vraiment", "pas si", "de ouf", "a mort", "a fond", "au max", "de fou",
    "de malade", "comme jamais", "en maudit", "en tabarnak", "en crisse", "en calisse",
    "en esti", "en ostie", "par contre", "sauf que", "comme d'hab", "comme d'habitude",
    "une fois de plus", "encore une fois", "comme toujours",
]

# Interjections that are not praise when they open a clause: "Bon, toujours rien."
_INTERJECTIONS: Final = frozenset(["bon", "ben", "bien", "bah", "enfin", "bref"])

# Sarcasm. 🙃 and 🙄 turn praise around ("Génial, encore en retard 🙃"); so does praise opening
# a message that goes on about a repeated failure ("Bravo, encore une commande perdue").
SARCASM_MARKERS: Final = frozenset(["🙃", "🙄"])
_IRONIC_PRAISE: Final = frozenset(
    ["bravo", "genial", "super", "merci", "parfait", "top", "chapeau", "felicitations", "excellent",
     "magnifique", "trop bien", "bien joue", "genialissime", "formidable", "cool", "sympa", "nickel"]
)
_AGAIN: Final = frozenset(
    ["encore", "comme d'hab", "comme d'habitude", "une fois de plus", "encore une fois", "comme toujours"]
)
# ...also at the start of a phrase of the lexicon ("encore en retard" is one key).
_AGAIN_OPENINGS: Final = tuple(sorted(f"{again} " for again in _AGAIN))
# Praise closing a complaint ("…encore en retard, bravo", "…2h d'attente 👏") frames it as
# ironic like praise opening it; in a clause of its own, it does not count as the rest.
_CLOSING_PRAISE: Final = _IRONIC_PRAISE | {"chapeau", "👏", "👍"}
# The writer's own apology, or regret that a good thing ends: praise before either is
# politeness or praise, not irony ("Parfait, désolée pour le dérangement", "Génial ! Dommage
# que ce soit fini").
_APOLOGY_OR_REGRET: Final = frozenset(
    ["desole", "desolee", "desoles", "desolees", "dsl", "pardon", "excusez", "excuse", "dommage"]
)
# Praise that qualifies a failure is ironic: "ce magnifique retard", "cette superbe panne".
_PRAISE_ADJECTIVES: Final = frozenset(
    """magnifique superbe joli jolie beau bel belle merveilleux merveilleuse formidable fantastique
    excellent excellente genial geniale splendide sublime""".split()
)

# The words `sentiment_valence` reads around a sentiment word (up to 3 before it, 2 after):
# degree words and negations. With none of them there, it returns the valence unchanged.
_MODIFIERS: Final = frozenset(BOOSTERS) | POST_BOOSTERS | NEGATORS | POST_NEGATORS | _NE | {"non", "plus"}
# Words `_base_valences` may turn from sentiment words into degree words or interjections.
_DEGREE_OR_INTERJECTION: Final = frozenset(BOOSTERS) | POST_BOOSTERS | _INTERJECTIONS

# Suffixes tried when a word is not in the lexicon: plural and feminine forms of entries.
_SUFFIXES: Final = (("es", ""), ("s", ""), ("e", ""), ("x", ""), ("aux", "al"), ("euse", "eux"), ("ive", "if"))
_CACHE_LIMIT: Final = 100_000


def allcap_differential(words: list[str]) -> bool:
    """VADER's test (some words in capitals, not all), counting in C rather than in Python."""
    capitals = sum(map(str.isupper, words))
    return 0 < capitals < len(words)


def vader_compound(analyzer: SentimentIntensityAnalyzer, sentiments: list[float], text: str) -> float:
    """VADER's compound score (as `score_valence` computes it) from word valences."""
    total = float(sum(sentiments))
    if not total:
        return total  # what normalising and rounding 0.0 (or -0.0) give
    # "!!!" and "??" strengthen either way; without either, VADER's emphasis is 0.
    if "!" in text or "?" in text:
        emphasis = analyzer._punctuation_emphasis(text)
        total += emphasis if total > 0 else -emphasis
    return round(normalize(total), 4)


def _is_negated(keys: list[str], i: int) -> bool:
    """Whether the word at `i` is negated, before ("pas bon") or after ("j'aime pas")."""
    for distance in (1, 2, 3):
        j = i - distance
        if j < 0 or keys[j] == BOUNDARY:
            break
        key = keys[j]
        if key in NEGATORS or (key == "non" and distance == 1):
            return not _is_restriction_or_superlative(keys, j, i)
        if key in _NE and _is_bare_ne(keys, j):
            return True  # "personne n'est content"
        if key == "plus" and not _NE.isdisjoint(keys[max(0, j - 3) : j]):
            return True  # "je ne suis plus content"; bare "plus" compares ("plus beau")
    j = i + 1
    if j < len(keys) and keys[j] in _SKIPPABLE:
        j += 1
    if j < len(keys) and keys[j] in POST_NEGATORS:
        # ..."plus que" compares: "bon plus que jamais".
        return keys[j] != "plus" or j + 1 >= len(keys) or keys[j + 1] not in ("que", "qu'")
    return False


# Negations that do not negate the word after them:
# - "rien que des problèmes" is "only problems";
# - a comparative after "rien de" or after a negated "pouvoir" is a superlative: "rien de mieux",
#   "rien de plus beau", "on ne peut pas faire mieux", "ça pourrait pas être pire", "on ne peut
#   pas être plus déçu";
# - "jamais" with a degree word before the word is "never (been) so": "jamais été aussi content".
_COMPARATIVES: Final = frozenset(["mieux", "meilleur", "meilleure", "meilleurs", "meilleures", "pire", "pires"])
_POUVOIR: Final = frozenset(
    ["peut", "peux", "pouvait", "pouvais", "pourrait", "pourrais", "pourra"]
)
_NEVER_SO: Final = frozenset(["aussi", "si", "autant", "tellement", "plus"])


def _is_restriction_or_superlative(keys: list[str], j: int, i: int) -> bool:
    """Whether the negation word at `j` leaves the sentiment word at `i` as it is (see above)."""
    negation = keys[j]
    if negation == "rien" and j + 1 < i and keys[j + 1] in ("que", "qu'"):
        return True
    comparative = keys[i] in _COMPARATIVES or (i - 1 > j and keys[i - 1] == "plus")  # "plus déçu"
    if comparative and (
        (negation == "rien" and keys[j + 1] == "de") or not _POUVOIR.isdisjoint(keys[max(0, j - 2) : i])
    ):
        return True
    return negation == "jamais" and not _NEVER_SO.isdisjoint(keys[j + 1 : i])


def _praises_a_failure(keys: list[str], valences: list[float]) -> bool:
    """A praise adjective just before a negative word ("petit" may sit between): "ce magnifique
    retard", "une belle petite panne"."""
    for k, key in enumerate(keys[:-1]):
        if key in _PRAISE_ADJECTIVES and valences[k] > 0:
            after = k + 2 if keys[k + 1] in ("petit", "petite") and k + 2 < len(keys) else k + 1
            if valences[after] < 0:
                return True
    return False


def _repeats(keys: list[str]) -> bool:
    """Whether the words say a thing happens again ("encore", "comme d'hab")."""
    return not _AGAIN.isdisjoint(keys) or any(key.startswith(_AGAIN_OPENINGS) for key in keys)


def _before_closing_praise(keys: list[str], scored: list[int]) -> list[int]:
    """The sentiment words `scored` (indices into `keys`) without a closing clause of nothing
    but praise: "…en retard, bravo" keeps "retard"; "…sans retard, merci" keeps "retard" too."""
    end = len(scored)
    while end and keys[scored[end - 1]] in _CLOSING_PRAISE:
        end -= 1
    if end in (0, len(scored)):
        return scored
    last_word, closing = scored[end - 1], scored[end]
    if BOUNDARY in keys[last_word:closing] or keys[closing] in ("👏", "👍"):
        return scored[:end]
    return scored  # "retard bravo" in one breath: not a clause of its own


def _is_bare_ne(keys: list[str], j: int) -> bool:
    """Whether the "ne" at `j` has no partner ("pas", "jamais", "que"...) later in its clause."""
    for later in keys[j + 1 :]:
        if later == BOUNDARY:
            return True
        if later in _NE_PARTNERS or later.startswith(_PARTNER_PREFIXES):
            return False
    return True


class FrenchText:
    """What VADER's `SentiText` is to English: a message's tokens, ready for the rules."""

    __slots__ = ("raws", "keys", "valences", "is_cap_diff")

    def __init__(self, raws: list[str], keys: list[str], valences: list[float], is_cap_diff: bool):
        self.raws = raws  # as written (ALL CAPS kept), or the keys when no word is in capitals
        self.keys = keys  # folded, phrases merged, punctuation as BOUNDARY
        self.valences = valences  # lexicon valence of each token (0 for degree words)
        self.is_cap_diff = is_cap_diff


class FrenchSentimentAnalyzer(SentimentIntensityAnalyzer):
    """VADER's scoring with French rules, the project's French lexicon and its emoji table.

    Every VADER method that relies on its English constants (negation words, boosters,
    "but", "least", idioms) is overridden; the sums, the punctuation emphasis and the
    normalisation are VADER's own.
    """

    def __init__(self, lexicon_file: str = FR_LEXICON_FILE, emoji_lexicon: str = EMOJI_VALENCE_FILE):
        self.phrases: dict[tuple[str, ...], str] = {}
        self._valence_cache = Memo(self._lookup_valence, _CACHE_LIMIT)  # folded token -> valence
        # VADER reads both files and calls make_lex_dict / make_emoji_dict (overridden below).
        super().__init__(lexicon_file=lexicon_file, emoji_lexicon=emoji_lexicon)
        for phrase in _FUNCTION_PHRASES:
            self.phrases.setdefault(tuple(tokenize(phrase)[1]), phrase)
        # The lengths of the phrases that start with each pair of words, longest first: most
        # word pairs start none.
        lengths: dict[tuple[str, str], set[int]] = {}
        for words in self.phrases:
            lengths.setdefault(words[:2], set()).add(len(words))
        self._phrase_lengths = {pair: tuple(sorted(sizes, reverse=True)) for pair, sizes in lengths.items()}
        self._phrase_firsts = frozenset(first for first, _ in lengths)
        self._max_phrase = max(len(words) for words in self.phrases)

    # --- data ---------------------------------------------------------------------------------

    def make_lex_dict(self) -> dict[str, float]:
        """word<TAB>valence lines; '#' comments. Phrases are keyed by their folded words."""
        lexicon: dict[str, float] = {}
        for line in self.lexicon_full_filepath.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            entry, valence = line.split("\t")[:2]
            keys = [k for k in tokenize(entry)[1] if k != BOUNDARY]
            if not keys:
                continue
            key = " ".join(keys)
            lexicon.setdefault(key, float(valence))
            if len(keys) > 1:
                self.phrases.setdefault(tuple(keys), key)
        return lexicon

    def make_emoji_dict(self) -> dict[str, float]:
        """emoji<TAB>valence lines (not VADER's emoji<TAB>English description)."""
        emojis: dict[str, float] = {}
        for line in self.emoji_full_filepath.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            symbol, valence = line.split("\t")[:2]
            emojis[fold(symbol)] = float(valence)
        return emojis

    def valence(self, key: str) -> float:
        """The lexicon valence of a folded token, trying elongation and inflection fallbacks."""
        return self._valence_cache[key]

    def _lookup_valence(self, key: str) -> float:
        if key == BOUNDARY:
            return 0.0
        value = self.lexicon.get(key)
        if value is None:
            value = self.emojis.get(key)
        if value is None and key.isalpha():
            squeezed = squeeze(key)  # "mdrr", "tropp", "nuul"
            value = self.lexicon.get(squeezed) if squeezed != key else None
            if value is None:
                for suffix, replacement in _SUFFIXES:
                    if key.endswith(suffix) and len(key) > len(suffix) + 2:
                        value = self.lexicon.get(key[: -len(suffix)] + replacement)
                        if value is not None:
                            break
        return value or 0.0

    # --- scoring ------------------------------------------------------------------------------

    def polarity_scores(self, text: str) -> dict[str, float]:
        return self.score_valence(self.word_sentiments(text), text)

    def compound(self, text: str) -> float:
        """`polarity_scores(text)["compound"]`, without the pos/neu/neg ratios."""
        return vader_compound(self, self.word_sentiments(text), text)

    def word_sentiments(self, text: str) -> list[float]:
        """The valence of each token after the French rules, as VADER sums them."""
        raws, keys = tokenize(text)
        has_caps = raws is not keys  # without ALL CAPS words, raws are the (lowercase) keys
        raws, keys = self._merge_phrases(raws, keys)
        valences = self._base_valences(keys)
        scored = list(compress(range(len(valences)), valences))  # the sentiment words
        if not scored:
            return [0.0] * (len(keys) - keys.count(BOUNDARY))
        is_cap_diff = has_caps and allcap_differential(list(filter(BOUNDARY.__ne__, raws)))
        sentitext = FrenchText(raws, keys, valences, is_cap_diff)
        # One valence per word (punctuation is not a word to VADER): 0.0 but for sentiment
        # words, whose valence is unchanged when no degree word or negation is around (and no
        # capitals to weigh).
        sentiments = [0.0] * (len(keys) - keys.count(BOUNDARY))
        boundaries = counted_to = 0  # punctuation tokens before `i`, counted once (long texts)
        for i in scored:
            valence = valences[i]
            if is_cap_diff or not _MODIFIERS.isdisjoint(keys[max(0, i - 3) : i + 3]):
                valence = self._word_valence(valence, sentitext, i)
            boundaries += keys[counted_to:i].count(BOUNDARY)
            counted_to = i
            sentiments[i - boundaries] = valence
        if self._is_sarcastic(keys, valences):
            sentiments = [s * N_SCALAR if s > 0 else s for s in sentiments]
        if not CONTRASTS.isdisjoint(keys):
            sentiments = self._but_check(list(filter(BOUNDARY.__ne__, keys)), sentiments)
        return sentiments

    def sentiment_valence(self, valence, sentitext, item, i, sentiments):  # noqa: ARG002
        """VADER's step for one sentiment word, French-style: caps, degree words before and
        after it, negation. Appends the valence to `sentiments` and returns the list."""
        sentiments.append(self._word_valence(valence, sentitext, i))
        return sentiments

    def _word_valence(self, valence: float, sentitext: FrenchText, i: int) -> float:
        """`sentiment_valence`'s result for the sentiment word at `i`."""
        raws, keys, valences = sentitext.raws, sentitext.keys, sentitext.valences
        is_cap_diff = sentitext.is_cap_diff
        raw = raws[i]
        if is_cap_diff and raw.isupper() and len(raw) > 1:
            valence += C_INCR if valence > 0 else -C_INCR
        for distance, damping in ((1, 1.0), (2, 0.95), (3, 0.9)):
            j = i - distance
            if j < 0 or keys[j] == BOUNDARY:
                break
            scalar = BOOSTERS.get(keys[j])
            if scalar is not None and not valences[j]:
                if is_cap_diff and raws[j].isupper():
                    scalar += C_INCR if scalar > 0 else -C_INCR
                valence += damping * (scalar if valence > 0 else -scalar)
        if i + 1 < len(keys) and keys[i + 1] in POST_BOOSTERS and not valences[i + 1]:
            valence += B_INCR if valence > 0 else -B_INCR
        return self._negation_check(valence, keys, 0, i)

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):  # noqa: ARG004 (VADER's signature)
        """French negation of the word at `i`, over its whole window at once (`start_i`, VADER's
        step through the window, is unused)."""
        return valence * N_SCALAR if _is_negated(words_and_emoticons, i) else valence

    @staticmethod
    def _but_check(words_and_emoticons, sentiments):
        """Contrast: sentiment before "mais" counts half, after it half again as much."""
        for index, key in enumerate(words_and_emoticons):
            if key in CONTRASTS:
                return [
                    s * _CONTRAST_BEFORE if n < index else s * _CONTRAST_AFTER if n > index else s
                    for n, s in enumerate(sentiments)
                ]
        return sentiments

    @staticmethod
    def _special_idioms_check(valence, words_and_emoticons, i):  # noqa: ARG004
        """French idioms are lexicon phrases, merged into one token before scoring."""
        return valence

    @staticmethod
    def _least_check(valence, words_and_emoticons, i):  # noqa: ARG004
        """English "least" has no French counterpart here ("le moins" is left alone)."""
        return valence

    # --- helpers ------------------------------------------------------------------------------

    def _merge_phrases(self, raws: list[str], keys: list[str]) -> tuple[list[str], list[str]]:
        """Longest phrases first; one booster may sit after a phrase's first word
        ("ça vaut vraiment le coup"): it is kept, just before the merged phrase."""
        lengths = self._phrase_lengths
        last = len(keys) - 1
        # Where a phrase may start: at its first two words, or its first word, a booster and
        # its second word. Only a phrase's first word can start one (`compress` finds them in C).
        candidates = [
            i
            for i in compress(range(last), map(self._phrase_firsts.__contains__, keys))
            if (keys[i], keys[i + 1]) in lengths
            or (i + 1 < last and keys[i + 1] in BOOSTERS and (keys[i], keys[i + 2]) in lengths)
        ]
        if not candidates:
            return raws, keys
        out_raws: list[str] = []
        out_keys: list[str] = []
        done = 0  # tokens before this index are already in the output
        for i in candidates:
            if i < done:
                continue
            found = self._phrase_at(keys, i)
            if found is not None:
                phrase, length = found
                out_raws += raws[done:i]
                out_keys += keys[done:i]
                out_raws.append(" ".join(raws[i : i + length]))
                out_keys.append(phrase)
                done = i + length
            elif i + 2 < len(keys) and keys[i + 1] in BOOSTERS:
                rest = [keys[i], *keys[i + 2 : i + 1 + self._max_phrase]]
                found = self._phrase_at(rest, 0)
                if found is not None:
                    phrase, length = found
                    out_raws += raws[done:i]
                    out_keys += keys[done:i]
                    out_raws += [raws[i + 1], " ".join([raws[i], *raws[i + 2 : i + 1 + length]])]
                    out_keys += [keys[i + 1], phrase]
                    done = i + length + 1
        out_raws += raws[done:]
        out_keys += keys[done:]
        return out_raws, out_keys

    def _phrase_at(self, keys: list[str], i: int) -> tuple[str, int] | None:
        """The longest phrase starting at `i`, and its length in tokens."""
        if i + 1 >= len(keys):
            return None
        for length in self._phrase_lengths.get((keys[i], keys[i + 1]), ()):
            if i + length <= len(keys):
                phrase = self.phrases.get(tuple(keys[i : i + length]))
                if phrase is not None:
                    return phrase, length
        return None

    def _base_valences(self, keys: list[str]) -> list[float]:
        valences = list(map(self._valence_cache.__getitem__, keys))
        if _DEGREE_OR_INTERJECTION.isdisjoint(keys):
            return valences
        last = len(keys) - 1
        for i in list(compress(range(len(valences)), valences)):
            key = keys[i]
            # A degree word that is also a sentiment word ("super", "bien", "grave", Québec
            # "maudit") is a degree word when a sentiment word follows: "super content".
            if key in BOOSTERS and i < last and valences[i + 1]:
                valences[i] = 0.0
            # ...or precedes ("nul grave", "bon de ouf").
            elif key in POST_BOOSTERS and i > 0 and valences[i - 1]:
                valences[i] = 0.0
            # "Bon, toujours rien.": an opening interjection, not praise.
            elif (
                key in _INTERJECTIONS
                and (i == 0 or keys[i - 1] == BOUNDARY)
                and i < last
                and keys[i + 1] == BOUNDARY
            ):
                valences[i] = 0.0
        return valences

    @staticmethod
    def _is_sarcastic(keys: list[str], valences: list[float]) -> bool:
        if not SARCASM_MARKERS.isdisjoint(keys):
            return any(value > 0 for value in valences)
        if not _PRAISE_ADJECTIVES.isdisjoint(keys) and _praises_a_failure(keys, valences):
            return True
        if len(keys) > 2 and keys[1] == BOUNDARY and keys[0] in _IRONIC_PRAISE and _APOLOGY_OR_REGRET.isdisjoint(keys):
            # Praise alone, then nothing but complaint: "Génial, plus de réseau depuis hier".
            later = _before_closing_praise(keys, [n for n in range(2, len(keys)) if valences[n]])
            if later and all((valences[n] < 0) != _is_negated(keys, n) for n in later):
                return True
        if _IRONIC_PRAISE.isdisjoint(keys) or not _repeats(keys):
            return False  # no praise word, or nothing repeated: the test below cannot pass
        first = next((n for n, value in enumerate(valences) if value), None)
        if first is None or valences[first] < 0 or keys[first] not in _IRONIC_PRAISE:
            return False
        # Praise opening a clause ("Bravo, …"), then a repeated failure.
        if first > 0 and keys[first - 1] != BOUNDARY:
            return False
        return _repeats(keys[first + 1 :]) and any(value < 0 for value in valences[first + 1 :])


# ----------------------------------------------------------------------------------------------
# English: VADER, plus customer-service phrases VADER misses, sentence-bounded negation, the
# project's emoji valences and the same sarcasm check.

# Words valued differently in a brand's inbox: "support" is a team, not a feeling.
EN_EXTRA_WORDS: Final[dict[str, float]] = {
    "late": -1.0, "crashing": -1.8, "crashes": -1.8, "crashed": -1.8, "ripoff": -2.6,
    "nightmare": -2.6, "rocks": 1.6, "shabby": -1.6, "unresponsive": -1.8, "unhelpful": -2.0,
    "overpriced": -1.8, "ignoring": -1.5, "ignored": -1.5, "tasteless": -1.8, "thx": 1.5,
    "10/10": 2.5, "5/5": 2.5, "0/10": -2.5, "1/10": -2.3, "1/5": -2.3, "meh": -1.0,
    "support": 0.0, "slow": -1.0, "unusable": -2.2, "laggy": -1.5, "buggy": -1.8,
    # Social-media slang VADER's lexicon predates
    "trash": -2.0, "trashy": -1.8, "garbage": -2.0, "rubbish": -1.8, "cringe": -1.5,
    "cringey": -1.5, "cringy": -1.5, "yikes": -1.2, "fml": -2.0, "goated": 2.5, "bussin": 2.5,
}
# Phrases, joined into one token ("thanks_for_nothing") before VADER sees them.
EN_PHRASES: Final[dict[str, float]] = {
    "thanks for nothing": -2.5, "thank you for nothing": -2.5, "thanks a lot for nothing": -2.8,
    "money back": -1.5, "want my money": -1.5, "can't wait": 1.8, "cannot wait": 1.8,
    "keep it up": 1.8, "you rock": 2.5, "guys rock": 2.5, "what a joke": -2.2, "is a joke": -2.0,
    "fed up": -2.0, "done with": -1.5, "sick of": -2.3, "not working": -1.8,
    "stopped working": -1.8, "doesn't work": -1.8, "does not work": -1.8, "don't work": -1.8,
    "didn't work": -1.8, "won't work": -1.8, "still waiting": -1.5, "no answer": -1.2,
    "no response": -1.2, "no reply": -1.2, "on hold": -1.0, "never again": -2.0,
    "never ordering": -2.0, "never buying": -2.0, "never shopping": -2.0,
    "never coming back": -2.0, "waste of money": -2.5, "waste of time": -2.5,
    "what a mess": -2.0, "5 stars": 2.5, "five stars": 2.5, "1 star": -2.5, "one star": -2.5,
    "zero stars": -2.8, "couldn't be happier": 3.0, "could not be happier": 3.0,
    "trying to reach": -1.0, "lost a customer": -2.5, "lost a loyal customer": -2.5,
    "lost me as a customer": -2.5, "gift card": 0.0, "gift cards": 0.0, "gift voucher": 0.0,
    "made my day": 2.5, "well done": 2.0, "highly recommend": 2.5, "100% recommend": 2.5,
    # "nothing but X" is "only X": X keeps its valence instead of being negated.
    "nothing but": 0.0,
    # A comparative after "couldn't be" or "never been" is a superlative, not a negation.
    **{
        f"{could} {be} {word}": valence
        for could in ("couldn't", "could not", "couldnt")
        for be in ("be", "have been")
        for word, valence in (("better", 2.8), ("happier", 3.0), ("worse", -2.8))
    },
    **{f"{could} get any worse": -2.8 for could in ("couldn't", "could not", "couldnt", "can't", "cannot", "cant")},
    "never been better": 2.5, "never felt better": 2.5, "never been happier": 3.0,
    # Worse than promised, without a negative word.
    "could have been better": -1.5, "could've been better": -1.5, "could be better": -1.2,
    "should have been better": -1.5, "not as described": -2.0, "not as advertised": -2.0,
    "not what i expected": -1.5, "not what i ordered": -1.8, "as described": 1.5, "as advertised": 1.5,
    # "couldn't be more disappointed" is "very disappointed": the adjective keeps its valence.
    **{f"{could} be more": 0.0 for could in ("couldn't", "could not", "couldnt")},
    # Praise so strong it is said with "can't … enough".
    **{
        f"{cant} {phrase}": 3.0
        for cant in ("can't", "cannot", "cant")
        for phrase in (
            "say enough good things", "thank you enough", "recommend enough",
            "recommend you enough", "recommend them enough", "recommend it enough",
            "recommend this enough", "recommend this place enough",
        )
    },
}
# "super" before a word is an intensifier ("super disappointing"), which VADER only knows as
# "very"; alone ("Super!") it stays VADER's positive word.
_EN_SUPER: Final = r"\bsuper(?=[ \t]+[a-z])"
# VADER negation looks 3 words back, even across a full stop ("for nothing. Pathetic."):
# sentences are scored apart and their word valences summed. A sentence ends with a word that
# ends with one of these (the whitespace after it is where the sentence breaks).
_EN_SENTENCE_ENDS: Final = ".!?…"
_EMOJI: Final = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u203C\u2049]"
# Praise opening a message that goes on about a repeat: "Oh great, another delay."
_EN_IRONY: Final = (
    r"^\W*(?:oh\s+)?(?:great|wonderful|perfect|nice|thanks|thank\s+you|lovely|brilliant|fantastic"
    r"|awesome|super|cool|bravo|well\s+done)\s*[,.!…]+.*\b(?:again|another|as\s+usual|as\s+always"
    r"|once\s+more)\b"
)
# VADER damps a booster 1, 2 and 3 words before a sentiment word by these.
_EN_DAMPING: Final = (1.0, 0.95, 0.9)
# Praise that qualifies a failure: "thanks for the wonderful 3 hour delay". Read in the lowercase
# text, and only when one of the failures is there at all (a few substring searches in C, far
# cheaper than a regex search): most English messages go through this check.
_EN_FAILURES: Final = ("delay", "wait", "outage", "cancel", "queue", "breakdown", "downtime", "lag", "hold")
_EN_PRAISED_FAILURE: Final = (
    r"(?:wonderful|lovely|fantastic|great|amazing|brilliant|awesome|nice|beautiful|fabulous"
    r"|terrific|excellent|superb|marvell?ous|stellar)\s+(?:(?:\d+|an?|one|two|three|four|five|six"
    r"|several)[\s-]*(?:hours?|hrs?|minutes?|mins?|days?|weeks?)(?:[\s-]+long)?\s+)?(?:delays?"
    r"|wait(?:ing)?|outages?|cancell?ations?|queues?|breakdowns?|downtime|lag|hold)\b"
    # ...as the thing praised, not a word that qualifies another ("great wait staff", "nice
    # hold music", "delay-free"): the end, punctuation or an emoji, or a word that starts
    # what comes after it.
    r"(?=\s*(?:$|[^\w\s-])|\s+(?:again|today|tonight|yesterday|this|that|on|at|in|of|for|from|to"
    r"|with|and|but|so|as|lol|smh|guys|everyone|folks)\b)"
)
# An apology, or regret that a good thing ends, after opening praise: not irony.
_EN_APOLOGY_OR_REGRET: Final = ("sorry", "apolog", "too bad", "shame it", "shame that", "pity")
# Praise alone opening a message (sarcastic when the rest only complains). `_EN_IRONY` starts
# the same way.
_EN_PRAISE_OPENING: Final = _EN_IRONY[: _EN_IRONY.index("[,.!…]+") + len("[,.!…]+")]
# A sarcastic text that VADER finds neutral still leans negative by this much.
SARCASM_FLOOR: Final = 0.3


_NEGATE_SET: Final = frozenset(NEGATE)
_ASCII_PUNCTUATION: Final = string.punctuation
# Every word of VADER's multi-word idioms ("the shit", "kiss of death") and degree phrases
# ("kind of"): its idiom check can only change a valence when a word next to it is one of these.
_IDIOM_WORDS: Final = frozenset(
    word for phrase in [*SPECIAL_CASES, *BOOSTER_DICT] if " " in phrase for word in phrase.split(" ")
)


def _negated(word: str) -> bool:
    """VADER's `negated` for one lowercased word."""
    return word in _NEGATE_SET or "n't" in word


# The words VADER's per-word rules look for around a sentiment word, itself included: "no",
# boosters, negations ("n't" words too), "so"/"this", idiom words, "least", "kind" (of).
_EN_RULE_WORDS: Final = _NEGATE_SET | frozenset(BOOSTER_DICT) | _IDIOM_WORDS | {"no", "so", "this", "least", "kind"}


def _vader_word(chunk: str) -> tuple[str, str, bool, bool]:
    """VADER's word for a whitespace-separated chunk (punctuation stripped unless that leaves 2
    characters or fewer, ":)"), lowercased, whether a sentence ends after it, and whether it is
    plain: none of VADER's per-word rules looks for it."""
    stripped = chunk.strip(_ASCII_PUNCTUATION)
    word = stripped if len(stripped) > 2 else chunk
    lowered = word.lower()
    plain = lowered not in _EN_RULE_WORDS and "n't" not in lowered
    return word, lowered, chunk[-1] in _EN_SENTENCE_ENDS, plain


class _Sentence(SentiText):
    """VADER's `SentiText` for one sentence's words (same caps test), also kept lowercased."""

    def __init__(self, words: Sequence[str], lowered: Sequence[str], plain: Sequence[bool]) -> None:
        # (not super().__init__: the words are already split, see `_vader_word`)
        self.words_and_emoticons = words
        self.lowered = lowered
        self.plain = plain  # per word: no rule looks for it (see `_vader_word`)

    @cached_property
    def is_cap_diff(self) -> bool:  # only needed when a word that matters is in capitals
        return allcap_differential(self.words_and_emoticons)


def _phrase_trie_regex(phrases) -> str:
    """Lowercase phrases as one regex factored by their leading characters, so the regex engine
    rejects most positions at once; spaces match any run of whitespace."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + emit(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append("")  # a phrase ends here; longer ones were tried first
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


def _phrase_token(phrase: str) -> str:
    return "_".join(phrase.lower().replace("'", "").split())


class EnglishSentimentAnalyzer(SentimentIntensityAnalyzer):
    """VADER with the project's customer-service phrases, emoji valences and sarcasm check."""

    def __init__(self, emoji_valence_file: str = EMOJI_VALENCE_FILE) -> None:
        super().__init__()
        self._super_re = re.compile(_EN_SUPER, re.IGNORECASE)
        self._emoji_re = re.compile(_EMOJI)
        self._irony_re = re.compile(_EN_IRONY, re.IGNORECASE | re.DOTALL)
        self._praised_failure_re = re.compile(_EN_PRAISED_FAILURE)
        self._praise_opening_re = re.compile(_EN_PRAISE_OPENING, re.IGNORECASE)
        self._word_re = re.compile(r"[a-z']+")
        self._vader_words = Memo(_vader_word, _CHUNK_MEMO_LIMIT)  # chunk -> `_vader_word(chunk)`
        self.lexicon.update(EN_EXTRA_WORDS)
        self.lexicon.update({_phrase_token(p): v for p, v in EN_PHRASES.items()})
        # Our emoji valences replace VADER's descriptions ("thumbs up" scores 0 in VADER), so
        # an emoji weighs the same in French and English.
        with open(emoji_valence_file, encoding="utf-8") as lines:
            for line in lines:
                if line.strip() and not line.startswith("#"):
                    symbol, valence = line.rstrip("\n").split("\t")[:2]
                    if self._emoji_re.fullmatch(symbol):
                        token = f"emoji_{ord(symbol):x}"
                        self.emojis[symbol] = token
                        self.lexicon[token] = float(valence)
        # A phrase between word boundaries, read in the lowercase text with a space in front:
        # every phrase starts with a word character, so the boundary before it is a non-word
        # character before it. A pattern starting with a character class (rather than "\b")
        # lets the regex engine skip from one non-word character to the next instead of trying
        # a match at every position.
        self._phrase_re = re.compile(r"\W(" + _phrase_trie_regex(EN_PHRASES) + r")\b")

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's `polarity_scores`, sentence by sentence, after the project's rewrites."""
        sentiments, rewritten, lowered = self.word_sentiments(text)
        scores = self.score_valence(sentiments, rewritten)
        scores["compound"] = self._sarcasm_check(text, lowered, scores["compound"], sentiments)
        return scores

    def compound(self, text: str) -> float:
        """`polarity_scores(text)["compound"]`, without the pos/neu/neg ratios."""
        sentiments, rewritten, lowered = self.word_sentiments(text)
        return self._sarcasm_check(text, lowered, vader_compound(self, sentiments, rewritten), sentiments)

    def word_sentiments(self, text: str) -> tuple[list[float], str, str]:
        """Each word's valence by VADER's rules, the rewritten text they were read from, and
        the text in lowercase."""
        if not text.isascii():  # the apostrophe look-alikes are not ASCII
            for apostrophe in _APOSTROPHES:
                if apostrophe in text:
                    text = text.replace(apostrophe, "'")
        lowered = text.lower()
        if len(lowered) == len(text):
            text = self._join_phrases(text, lowered)
        if "super" in lowered:
            text = self._super_re.sub(lambda m: "VERY" if m.group().isupper() else "very", text)
        if not text.isascii():
            text = self._emoji_re.sub(self._describe_emoji, text)
        chunks = text.split()
        if not chunks:
            return [], text, lowered
        # Chunks recur from message to message: each one's word is worked out once.
        words, lowered_words, sentence_ends, plain = zip(*map(self._vader_words.__getitem__, chunks))
        ends = list(compress(range(1, len(chunks)), sentence_ends))  # where a sentence starts
        if not ends:  # one sentence
            return self._sentence_sentiments(_Sentence(words, lowered_words, plain)), text, lowered
        sentiments: list[float] = []
        start = 0
        for end in [*ends, len(chunks)]:
            sentence = _Sentence(words[start:end], lowered_words[start:end], plain[start:end])
            sentiments += self._sentence_sentiments(sentence)
            start = end
        return sentiments, text, lowered

    def _sentence_sentiments(self, sentitext: _Sentence) -> list[float]:
        """VADER's valence for each word of one sentence, "but" included."""
        words, lowered = sentitext.words_and_emoticons, sentitext.lowered
        lexicon = self.lexicon
        part: list[float] = [0] * len(words)  # VADER scores a word outside its lexicon 0
        plain = sentitext.plain
        for i in list(compress(range(len(lowered)), map(lexicon.__contains__, lowered))):
            lowercase = lowered[i]
            # No rule applies to a plain word among plain words, not in capitals: its valence
            # is the lexicon's. (VADER adds 0.0 for each word before it, which only matters for
            # a valence of 0.)
            if all(plain[max(0, i - 3) : i + 1]) and lexicon[lowercase] and not words[i].isupper():
                part[i] = lexicon[lowercase]
                continue
            if lowercase in BOOSTER_DICT or (lowercase == "kind" and i < len(words) - 1 and lowered[i + 1] == "of"):
                continue  # degree words carry no valence of their own (as in VADER)
            part[i] = self._word_valence(sentitext, i)
        return self._but_check(words, part) if "but" in lowered else part

    def _sarcasm_check(self, text: str, lowered: str, compound: float, sentiments: list[float]) -> float:
        """A sarcastic text is negative, however positive its words (`sentiments`: its words'
        valences)."""
        if compound < 0 or not self._is_sarcastic(text, lowered, sentiments):
            return compound
        return -max(compound, SARCASM_FLOOR)

    # VADER 3.3.2's per-word rules, unchanged in effect but computed on words lowercased once
    # (VADER lowercases the whole sentence again for every word it scores, which made English
    # scoring the slowest step of triage), and each check only when a word it looks for is there.

    def sentiment_valence(self, valence, sentitext, item, i, sentiments):  # noqa: ARG002
        """VADER's step for one word of a `_Sentence`: appends its valence to `sentiments`."""
        if sentitext.lowered[i] in self.lexicon:
            valence = self._word_valence(sentitext, i)
        sentiments.append(valence)
        return sentiments

    def _word_valence(self, sentitext: _Sentence, i: int) -> float:
        """VADER's valence for the lexicon word at `i`: "no", caps, the three words before it
        (boosters, negation, idioms) and "least"."""
        lexicon = self.lexicon
        lowered = sentitext.lowered
        lowercase = lowered[i]
        valence = lexicon[lowercase]
        last = len(lowered) - 1
        # "no" before another sentiment word negates it instead of counting itself.
        if lowercase == "no" and i != last and lowered[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lowered[i - 1] == "no")
            or (i > 1 and lowered[i - 2] == "no")
            or (i > 2 and lowered[i - 3] == "no" and lowered[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[lowercase] * N_SCALAR
        is_cap_diff = sentitext.is_cap_diff
        words = sentitext.words_and_emoticons
        if is_cap_diff and words[i].isupper():
            valence += C_INCR if valence > 0 else -C_INCR
        for start_i in range(min(i, 3)):
            before = lowered[i - (start_i + 1)]
            if before in lexicon:
                continue
            # A booster's scalar, damped with distance; 0.0 for any other word (still added,
            # as VADER does: it turns -0.0 into 0.0).
            scalar = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff) if before in BOOSTER_DICT else 0.0
            valence += scalar * _EN_DAMPING[start_i]
            # `_negation_check` acts on a negation at `before` ("never so", "without doubt"
            # included), or on "so"/"this" just before the word when looking 3 words back.
            if _negated(before) or (start_i == 2 and lowered[i - 1] in ("so", "this")):
                valence = self._negation_check(valence, lowered, start_i, i)
            if start_i == 2 and not _IDIOM_WORDS.isdisjoint(lowered[i - 2 : i + 1]):
                valence = self._special_idioms_check(valence, lowered, i)
        if i > 0 and lowered[i - 1] == "least":
            valence = self._least_check(valence, lowered, i)
        return valence

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):
        """VADER's, on already lowercased words."""
        words = words_and_emoticons
        if start_i == 0:
            if _negated(words[i - 1]):
                valence *= N_SCALAR
        elif start_i == 1:
            if words[i - 2] == "never" and words[i - 1] in ("so", "this"):
                valence *= 1.25
            elif words[i - 2] == "without" and words[i - 1] == "doubt":
                pass
            elif _negated(words[i - 2]):
                valence *= N_SCALAR
        elif start_i == 2:
            if (words[i - 3] == "never" and words[i - 2] in ("so", "this")) or words[i - 1] in ("so", "this"):
                valence *= 1.25
            elif words[i - 3] == "without" and "doubt" in (words[i - 2], words[i - 1]):
                pass
            elif _negated(words[i - 3]):
                valence *= N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence, words_and_emoticons, i):
        """VADER's, on already lowercased words."""
        words = words_and_emoticons
        one, two, three, zero = words[i - 1], words[i - 2], words[i - 3], words[i]
        for sequence in (f"{one} {zero}", f"{two} {one} {zero}", f"{two} {one}", f"{three} {two} {one}", f"{three} {two}"):
            if sequence in SPECIAL_CASES:
                valence = SPECIAL_CASES[sequence]
                break
        if len(words) - 1 > i:
            sequence = f"{zero} {words[i + 1]}"
            if sequence in SPECIAL_CASES:
                valence = SPECIAL_CASES[sequence]
        if len(words) - 1 > i + 1:
            sequence = f"{zero} {words[i + 1]} {words[i + 2]}"
            if sequence in SPECIAL_CASES:
                valence = SPECIAL_CASES[sequence]
        for n_gram in (f"{three} {two} {one}", f"{three} {two}", f"{two} {one}"):
            if n_gram in BOOSTER_DICT:
                valence += BOOSTER_DICT[n_gram]
        return valence

    def _join_phrases(self, text: str, lowered: str) -> str:
        """`text` with each phrase replaced by its joined token ("thanks_for_nothing")."""
        pieces, done = [], 0
        for match in self._phrase_re.finditer(" " + lowered):
            start, end = match.start(1) - 1, match.end(1) - 1  # in `lowered` (and `text`)
            pieces += [text[done:start], _phrase_token(match.group(1))]
            done = end
        return "".join(pieces) + text[done:] if pieces else text

    def _describe_emoji(self, match: re.Match[str]) -> str:
        description = self.emojis.get(match.group())
        return f" {description} " if description else " "

    def _is_sarcastic(self, text: str, lowered: str, sentiments: list[float]) -> bool:
        if not text.isascii() and any(marker in text for marker in SARCASM_MARKERS):
            return True
        if any(map(lowered.__contains__, _EN_FAILURES)) and self._praised_failure_re.search(lowered):
            return True
        if self._praise_opening_re.match(text) is None:
            return False  # (what follows needs it: the irony pattern starts the same way)
        if any(map(lowered.__contains__, _EN_APOLOGY_OR_REGRET)):
            return False  # "Thanks, sorry to bother you", "Great! Too bad it's over"
        # The praise is the first sentiment word and every later one is negative (by VADER's
        # rules: "no delay" is not): "Great, my flight got cancelled".
        praise, *rest = [value for value in sentiments if value] or [0.0]
        if praise > 0 and rest and all(value < 0 for value in rest):
            return True
        if self._irony_re.match(text) is None:
            return False
        lexicon = self.lexicon
        return any(lexicon.get(word, 0) < 0 for word in self._word_re.findall(lowered))


# ----------------------------------------------------------------------------------------------


@cache
def french_analyzer() -> FrenchSentimentAnalyzer:
    """The shared French analyzer, created (and its files read) on first use."""
    return FrenchSentimentAnalyzer()


@cache
def english_analyzer() -> EnglishSentimentAnalyzer:
    """The shared English analyzer, created on first use."""
    return EnglishSentimentAnalyzer()


def sentiment_score(text: str, lang: str) -> float:
    """VADER-style compound score in [-1, 1]: French rules for "fr", English VADER otherwise."""
    if not text or text.isspace():
        return 0.0
    analyzer = french_analyzer() if lang == "fr" else english_analyzer()
    return analyzer.compound(text)
