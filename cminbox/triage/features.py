"""What the learned model sees of a message: names of features that are present.

Two kinds. *Words*: folded words and word pairs (French elisions split off: "l'appli" gives
"l'" and "appli"), and the first five letters of long words, so "remboursement",
"rembourser" and "remboursée" share "~rembo", and "refunded" meets "refund". *Facts* the rules
already know, which carry over to vocabulary the model never saw: the sentiment score (in
bands), each complaint cue found, the star rating, question marks and interrogative openings,
capitals, elongations, emoji moods, sarcasm markers, links, handles, money, durations, length.

Brand handles and links are replaced by a mark: "@Comcast" says nothing about the next
message to "@Orange". The kind of message and the network are deliberately left out: the
model must work on a bare line of text (`cminbox score`), and they only weigh on priority.

Hot path: runs on every stored message, so it stays a few regexes and set operations.
"""

from __future__ import annotations

import re
from typing import Final

from .wordlists import word_families
from .text import fold

# @handles, links (with or without a scheme) and #: replaced before words are read.
_URL_RE: Final = re.compile(
    r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|fr|info|io|net|org|shop|click|co|ly|me|xyz|biz|online|site)(?:/\S*)?\b"
)
_TLD_RE: Final = re.compile(r"\.(?:com|fr|info|io|net|org|shop|click|co|ly|me|xyz|biz|online|site)\b")
_SHORT_LINK_RE: Final = re.compile(r"\b(?:bit\.ly|t\.me|tinyurl|goo\.gl|cutt\.ly|linktr\.ee)\b")
_HANDLE_RE: Final = re.compile(r"@[\w.]+")
# Words: letters and digits; a French elision is its own token ("l'", "qu'").
_TOKEN_RE: Final = re.compile(r"(?:qu|jusqu|lorsqu|puisqu|[ljnmtscd])'(?=[^\W\d_])|[^\W_]+(?:'[^\W_]+)*")
_DIGITS_RE: Final = re.compile(r"\d")
_MONEY_RE: Final = re.compile(r"\d\s?(?:€|\$|£|eur|euros?|dollars?|usd|cad)\b|[€$£]\s?\d")
# Regexes that start with an alternation are tried at every position of the text, which made the
# facts below cost more than the words. Each gets a cheap test first that any match implies
# (a substring, or a regex starting with a character class, which the engine skips through
# fast); the exact regex then runs only on the few texts that pass.
# A stretch of time ("3 semaines", "2 days", "45 min", "2h d'attente"); "à 7h" is a time of day.
_DURATION_RE: Final = re.compile(
    r"\b(?:\d+|une?|deux|trois|quatre|cinq|dix|quinze|two|three|four|five|ten|several|plusieurs)\s*"
    r"(?:jours?|semaines?|mois|heures?|minutes|ans|days?|weeks?|months?|hours?|hrs|mins?|years?)\b"
    r"|\b\d+\s*h(?:eures?)?\s+(?:de|d')\s*(?:attente|retard|queue)"
)
# What the digit branches of _DURATION_RE imply: a digit right before a unit.
_DURATION_HINT_RE: Final = re.compile(
    r"\d\s*(?:jours?|semaines?|mois|heures?|minutes|ans|days?|weeks?|months?|hours?|hrs|mins?|years?)\b"
    r"|\d\s*h(?:eures?)?\s+(?:de|d')\s*(?:attente|retard|queue)"
)
_NUMBER_WORDS: Final = frozenset(
    "un une deux trois quatre cinq dix quinze two three four five ten several plusieurs".split()
)
_LONG_NUMBER_RE: Final = re.compile(r"\d\d\d\d")  # four digits or more
_CAPS_WORD_RE: Final = re.compile(r"\b[^\W\d_a-zß-ÿ]{3,}\b")
_EMOJI_RE: Final = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
_LETTER_RE: Final = re.compile(r"[^\W\d_]")
_CAPS_PAIR_RE: Final = re.compile(r"[^\W\d_a-zß-ÿ]{2}")
_ASCII_CAPS_PAIR_RE: Final = re.compile(r"[A-Z][A-Z]")  # the same, for ASCII text
_SARCASM: Final = ("🙃", "🙄")
_NEGATIVE_EMOJI: Final = frozenset("😡🤬😤😠👎😒😑💀😞😔😢😭😩😫🤢🤮💔😕🙁☹😖😣😰😱")
_POSITIVE_EMOJI: Final = frozenset("😍🥰😘❤🧡💛💚💙💜🤍💕💖👏🙌🔥💯😋🤤👌👍😊☺🥳🎉✨🙏💪🏆🥇😁😄😃")

PREFIX_LENGTH: Final = 5
_MAX_WORDS: Final = 80  # a long post's tail adds little and costs time

# Sentiment bands, cumulative: a score of -0.7 is in "s<-0.6", "s<-0.4", "s<-0.2" and "s<0".
# (No band beyond 0.6: there, the few very positive texts of the labeled set are mostly sarcasm,
# and the model would learn that "very positive" means "negative".)
_SENTIMENT_BANDS: Final = ((-0.6, "s<-0.6"), (-0.4, "s<-0.4"), (-0.2, "s<-0.2"), (-0.05, "s<0"))
_POSITIVE_BANDS: Final = ((0.6, "s>0.6"), (0.4, "s>0.4"), (0.2, "s>0.2"), (0.05, "s>0"))


# Facts with a fixed name (others are "name=value"): the model regularises them less than words,
# since they carry over to vocabulary it never saw.
FACTS: Final = frozenset(
    "nowords s<-0.6 s<-0.4 s<-0.2 s<0 s>0.6 s>0.4 s>0.2 s>0 s=0 cue ? ?$ ?? ! !! "
    "... caps elongated emoji emoji- emoji+ emoji-only sarcasm-mark @ @@ # link short-link money number "
    "duration pb pb>1 pb>2 sp sp>1".split()
)


# Facts only the spam model may use. Links, handles and hashtags are everywhere in real posts
# (a photo link, the brand's @handle): in a hand-written set they would mostly mark the spam and
# the @-mentions, and teach the other labels a habit of the set rather than of customers.
SPAM_ONLY: Final = frozenset(["link", "short-link", "@", "@@", "#"])


def is_fact(name: str) -> bool:
    return name in FACTS or ("=" in name and not name.startswith("first="))


def _scan(text: str) -> tuple[list[str], bool]:
    """(the folded words of `text`, whether it has a link)."""
    folded = fold(text)
    if "@" in folded:
        folded = _HANDLE_RE.sub(" ", folded)
    link = False
    if "http" in folded or "www." in folded or ("." in folded and _TLD_RE.search(folded) is not None):
        stripped = _URL_RE.sub(" ", folded)
        link = len(stripped) != len(folded)
        folded = stripped
    return _TOKEN_RE.findall(folded)[:_MAX_WORDS], link


def tokens(text: str) -> list[str]:
    """The folded words of `text`, links and handles removed, elisions split off."""
    return _scan(text)[0]


def word_features(words: list[str]) -> set[str]:
    """Words, word pairs and long words' first letters: what similarity between messages uses too."""
    out = set(words)
    out.update([f"{a} {b}" for a, b in zip(words, words[1:])])
    out.update(["~" + w[:PREFIX_LENGTH] for w in words if len(w) > PREFIX_LENGTH + 1])
    return out


def features(text: str, *, lang: str, sentiment: float, cues: list[str] | tuple[str, ...], rating: float | None) -> set[str]:
    """Every feature present in a message (names; the model sums their weights)."""
    words, link = _scan(text)
    out = word_features(words)
    add = out.add
    add("lang=" + lang)
    if words:
        add("first=" + words[0])
        if len(words) > 1:
            add(f"first={words[0]} {words[1]}")
    else:
        add("nowords")
    n = len(words)

    for bound, name in _SENTIMENT_BANDS:
        if sentiment <= bound:
            add(name)
    for bound, name in _POSITIVE_BANDS:
        if sentiment >= bound:
            add(name)
    if -0.05 < sentiment < 0.05:
        add("s=0")

    families, spam = word_families(words)
    if families:
        add("pb")
        if len(families) > 1:
            add("pb>1")
            if len(families) > 2:
                add("pb>2")
        out.update(["pb=" + family for family in families])
    if spam:
        add("sp")
        if len(set(spam)) > 1:
            add("sp>1")
        out.update(["sp=" + family for family in spam])
    if cues:
        add("cue")
        for cue in cues:
            add("cue=" + cue)
    if rating is not None:
        add(f"rating={int(rating)}")

    if "?" in text:
        add("?")
        if text.rstrip().endswith("?"):
            add("?$")
        if "??" in text:
            add("??")
    if "!" in text:
        add("!")
        if "!!" in text:
            add("!!")
    if "..." in text or "…" in text:
        add("...")
    lower = text.lower()
    ascii_text = text.isascii()
    caps_pair = _ASCII_CAPS_PAIR_RE if ascii_text else _CAPS_PAIR_RE
    if lower != text and caps_pair.search(text) is not None:  # most texts: no two capitals in a row
        caps = len(_CAPS_WORD_RE.findall(text))
        if caps >= 2 or (caps == 1 and n <= 3):
            add("caps")
    # Folding shortens elongations ("nuuuul" -> "nul"): a shorter fold is an elongated text (the
    # emoji presentation selectors it also drops are discounted).
    folded = fold(text)  # memoised: the words were read from it
    if len(folded) < len(text) - text.count("\ufe0f") - text.count("\ufe0e"):
        add("elongated")
    if not ascii_text:
        emoji = _EMOJI_RE.findall(text)
        if emoji:
            add("emoji")
            if any(e in _NEGATIVE_EMOJI for e in emoji):
                add("emoji-")
            if any(e in _POSITIVE_EMOJI for e in emoji):
                add("emoji+")
            if _LETTER_RE.search(_HANDLE_RE.sub("", text)) is None:
                add("emoji-only")
        if any(mark in text for mark in _SARCASM):
            add("sarcasm-mark")
    if "@" in text:
        add("@" if text.count("@") == 1 else "@@")
    if "#" in text:
        add("#")
    if link:
        add("link")
        if _SHORT_LINK_RE.search(text) is not None:
            add("short-link")
    digits = _DIGITS_RE.search(text) is not None
    if digits:
        if (
            "€" in lower or "$" in lower or "£" in lower or "eur" in lower or "dollar" in lower
            or "usd" in lower or "cad" in lower
        ) and _MONEY_RE.search(lower) is not None:  # fmt: skip
            add("money")
        if _LONG_NUMBER_RE.search(text) is not None:
            add("number")
    if (
        (digits and _DURATION_HINT_RE.search(folded) is not None) or not _NUMBER_WORDS.isdisjoint(words)
    ) and _DURATION_RE.search(folded) is not None:
        add("duration")
    return out
