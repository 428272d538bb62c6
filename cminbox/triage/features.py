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

Hot path: runs on every stored message (see the notes below the imports).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Final

from .wordlists import word_families
from .text import fold

# Hot-path notes. A regex call costs about as much as several str or bytes method calls, each
# match as much again, and a regex is tried at every position of the text unless it starts with
# a character, a class, or an alternation of words (not `\b`, `\d+`, `[A-Z]{2}` or `\d|[€$]`).
# So the words are read by str and bytes methods; the facts' regexes start with a class, or run
# only on the few texts that a cheap test, one any match implies, lets through. Each shortcut
# gives exactly what the regex alone would.

# @handles, links (with or without a scheme) and #: replaced before words are read.
_URL_RE: Final = re.compile(
    r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|fr|info|io|net|org|shop|click|co|ly|me|xyz|biz|online|site)(?:/\S*)?\b"
)
_TLD_RE: Final = re.compile(r"\.(?:com|fr|info|io|net|org|shop|click|co|ly|me|xyz|biz|online|site)\b")
_SHORT_LINK_NAMES: Final = ("bit.ly", "t.me", "tinyurl", "goo.gl", "cutt.ly", "linktr.ee")
_SHORT_LINK_RE: Final = re.compile(r"\b(?:" + "|".join(map(re.escape, _SHORT_LINK_NAMES)) + r")\b")
_HANDLE_RE: Final = re.compile(r"@[\w.]+")

# Words: letters and digits; a French elision is its own token ("l'", "qu'").
_TOKEN_RE: Final = re.compile(r"(?:qu|jusqu|lorsqu|puisqu|[ljnmtscd])'(?=[^\W\d_])|[^\W_]+(?:'[^\W_]+)*")
# What `_words` turns into spaces: the ASCII characters no token has, all but the apostrophe.
# (Characters outside ASCII are encoded as "?" first.)
_SEPARATORS_TO_SPACE: Final = bytes(
    byte if chr(byte).isalnum() or chr(byte) == "'" else ord(" ") for byte in range(128)
) + b" " * 128
_NON_ASCII_WORD_CHAR_RE: Final = re.compile(r"[^\x00-\x7f\W]")

# Maps of the text, one byte per character (or per UTF-8 byte), made by bytes.translate: most
# texts need no regex to tell their capitals, digits and emoji.
#
# The shape, from the text encoded to ASCII with "?" for each other character: "0" an ASCII
# digit; "A" an ASCII capital, a character outside ASCII (it might be a capital for
# _CAPS_PAIR_RE) or a question mark (the same byte by then); "." anything else.
_SHAPE_OF_BYTE: Final = bytes(
    ord("0") if 0x30 <= byte <= 0x39 else ord("A") if 0x41 <= byte <= 0x5A or byte == ord("?") else ord(".")
    for byte in range(256)
)
# The scripts, from the text in UTF-8: "e" for the leading byte 0xE2 (U+2000-U+2FFF: punctuation,
# symbols, some emoji; no decimal digit), "f" for 0xF0 (U+10000-U+3FFFF), "x" for the other leading
# bytes of characters from U+0640 on (other scripts, some with their own digits); "9" for the
# continuation byte 0x9F, "h" for 0xAC-0xBF, "." for anything else. So "f9." is a character of
# U+1F000-U+1FAFF, the emoji block, which has no decimal digit either.
_SCRIPT_OF_BYTE: Final = bytes(
    ord("e") if byte == 0xE2
    else ord("f") if byte == 0xF0
    else ord("x") if byte >= 0xD9
    else ord("9") if byte == 0x9F
    else ord("h") if 0xAC <= byte <= 0xBF
    else ord(".")
    for byte in range(256)
)  # fmt: skip
# `\d` is any Unicode decimal digit, looked up in the Unicode tables; `[0-9]` is a bitmap test,
# several times cheaper. The decimal digits outside ASCII (Arabic-Indic, fullwidth...) all lie
# above U+065F and outside the punctuation, symbols, variation selectors and emoji blocks: a text
# with none of these characters needs only `[0-9]`. (Folding adds no such digit.)
_OTHER_DIGITS_HINT_RE: Final = re.compile(r"[^\x00-\u065f\u2000-\u2bff\ufe00-\ufe0f\U0001f000-\U0001faff]")

_DIGITS_RE: Final = re.compile(r"\d")
_LONG_NUMBER_RE: Final = re.compile(r"\d\d\d\d")  # four digits or more
# An amount: "30,27 €" (the French order), "17.81$", "20 euros", "$17.81", "€30". Only the
# currency words need `\b` after them: a symbol followed by a space or the end has no word
# boundary there, since neither side is a word character.
_MONEY_RE: Final = re.compile(r"\d\s?(?:[€$£]|(?:eur|euros?|dollars?|usd|cad)\b)|[€$£]\s?\d")
# A stretch of time ("3 semaines", "2 days", "45 min", "2h d'attente"); "à 7h" is a time of day.
_DURATION_UNITS: Final = r"(?:jours?|semaines?|mois|heures?|minutes|ans|days?|weeks?|months?|hours?|hrs|mins?|years?)\b"
_WAITED: Final = r"\s*h(?:eures?)?\s+(?:de|d')\s*(?:attente|retard|queue)"
_NUMBER_WORD_PATTERN: Final = r"(?:une?|deux|trois|quatre|cinq|dix|quinze|two|three|four|five|ten|several|plusieurs)"
_DURATION_RE: Final = re.compile(
    r"\b(?:\d+|" + _NUMBER_WORD_PATTERN + r")\s*" + _DURATION_UNITS + r"|\b\d+" + _WAITED
)  # fmt: skip
# Its digit branches without their `\b`: tried only at digits, since it starts with a class
# (`\d\d*`, not `\d+`), and only at the first digit of a number (`(?<!\d\d)`: from a later
# digit it would read the same digits to the same end, and a long run of digits would cost its
# square); `*+`: a unit never starts with a digit, so giving digits back never helps. Where it
# matches after a non-word character, _DURATION_RE does too.
_DURATION_HINT_PATTERN: Final = r"\d(?<!\d\d)\d*+(?:\s*" + _DURATION_UNITS + "|" + _WAITED + ")"
_DURATION_HINT_RE: Final = re.compile(_DURATION_HINT_PATTERN)
_ASCII_DURATION_HINT_RE: Final = re.compile(_DURATION_HINT_PATTERN.replace(r"\d", "[0-9]"))
# Its number-word branch without its `\b`: an alternation of plain words, tried only at their
# first letters.
_NUMBER_UNIT_RE: Final = re.compile(_NUMBER_WORD_PATTERN + r"\s*" + _DURATION_UNITS)
_NUMBER_WORDS: Final = frozenset(
    "un une deux trois quatre cinq dix quinze two three four five ten several plusieurs".split()
)

# Capitals: a letter that is not lowercase Latin, twice in a row. A word in capitals has three
# such letters or more and is not a handle or a hashtag ("@SNCF", "#RATP").
_CAPS_WORD_RE: Final = re.compile(r"(?<![@#\w])[^\W\d_a-zß-ÿ]{3,}\b")
# Codes and acronyms ("TGV", "SNCF", "LAX", "SAV") are short: words this long or longer are
# what tells shouting from them.
_CAPS_LONG: Final = 5
_CAPS_PAIR_RE: Final = re.compile(r"[^\W\d_a-zß-ÿ][^\W\d_a-zß-ÿ]")
_EMOJI_RE: Final = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
_LETTER_RE: Final = re.compile(r"[^\W\d_]")
_SARCASM: Final = frozenset("🙃🙄")
_NEGATIVE_EMOJI: Final = frozenset("😡🤬😤😠👎😒😑💀😞😔😢😭😩😫🤢🤮💔😕🙁☹😖😣😰😱")
_POSITIVE_EMOJI: Final = frozenset("😍🥰😘❤🧡💛💚💙💜🤍💕💖👏🙌🔥💯😋🤤👌👍😊☺🥳🎉✨🙏💪🏆🥇😁😄😃")

PREFIX_LENGTH: Final = 5
# A sign-off after the question mark ("? Merci !", "? merci d'avance et bonne journée 🙏",
# "? Thanks, have a nice day!") still leaves a question at the end (see `score.classify` for how
# it is weighed).
QUESTION_BEFORE_SIGN_OFF: Final = "?$+merci"
_SIGN_OFF_WORDS: Final = (
    r"(?:\s|[!.,…:)\U0001F000-\U0001FAFF\u2600-\u27BF]|merci|d'avance|d’avance|par avance|beaucoup|bcp|infiniment"
    r"|et|and|thanks?|you|so much|very much|in advance|thx|ty|cordialement|cdlt"
    r"|bonne (?:fin de )?(?:journée|soirée|journee|soiree)|bon (?:week-?end|dimanche|après-midi|apres-midi)"
    r"|have a (?:nice|good|great|lovely) (?:day|evening|weekend|one))*$"
)
_SIGN_OFF_RE: Final = re.compile(r"\?" + _SIGN_OFF_WORDS, re.IGNORECASE)
# The same with one short sentence between the question and the thanks, which says why it is
# asked ("…sans gluten? ma femme est cœliaque, Merci!"): the thanks still sign a question off.
_SIGN_OFF_AFTER_A_SENTENCE_RE: Final = re.compile(
    r"\?[^?\n]{1,80}?[\s,.;:!…]\s*(?:merci|thanks?|thank you|thx)\b" + _SIGN_OFF_WORDS, re.IGNORECASE
)
_MAX_WORDS: Final = 80  # a long post's tail adds little and costs time

# Sentiment bands, cumulative: a score of -0.7 is in "s<-0.6", "s<-0.4", "s<-0.2" and "s<0".
# (No band beyond 0.6: there, the few very positive texts of the labeled set are mostly sarcasm,
# and the model would learn that "very positive" means "negative".)
_SENTIMENT_BANDS: Final = ((-0.6, "s<-0.6"), (-0.4, "s<-0.4"), (-0.2, "s<-0.2"), (-0.05, "s<0"))
_POSITIVE_BANDS: Final = ((0.6, "s>0.6"), (0.4, "s>0.4"), (0.2, "s>0.2"), (0.05, "s>0"))
# The same, bounds ascending, for `bisect`: a score is in the negative bands from the first bound
# at or above it, and in the positive bands up to the last bound at or below it.
_NEGATIVE_BOUNDS: Final = [bound for bound, _ in _SENTIMENT_BANDS]
_NEGATIVE_NAMES: Final = [name for _, name in _SENTIMENT_BANDS]
_POSITIVE_BOUNDS: Final = [bound for bound, _ in reversed(_POSITIVE_BANDS)]
_POSITIVE_NAMES: Final = [name for _, name in reversed(_POSITIVE_BANDS)]


# Facts with a fixed name (others are "name=value"): the model regularises them less than words,
# since they carry over to vocabulary it never saw.
FACTS: Final = frozenset(
    "nowords s<-0.6 s<-0.4 s<-0.2 s<0 s>0.6 s>0.4 s>0.2 s>0 s=0 cue ? ?$ ?$+merci ?? ! !! "
    "... caps elongated emoji emoji- emoji+ emoji-only sarcasm-mark @ @@ # link short-link money number "
    "duration pb pb>1 pb>2 sp sp>1".split()
)


# Facts only the spam model may use. Links, handles and hashtags are everywhere in real posts
# (a photo link, the brand's @handle): in a hand-written set they would mostly mark the spam and
# the @-mentions, and teach the other labels a habit of the set rather than of customers.
SPAM_ONLY: Final = frozenset(["link", "short-link", "@", "@@", "#"])


def is_fact(name: str) -> bool:
    return name in FACTS or ("=" in name and not name.startswith("first="))


def is_word(name: str) -> bool:
    """Whether a feature is one word of the text (not a pair, a prefix, a fact or a first word)."""
    return " " not in name and "=" not in name and name[0] != "~" and name not in FACTS


def _scan(folded: str) -> tuple[list[str], bool]:
    """(the words of folded text, whether it has a link)."""
    if "@" in folded:
        folded = _HANDLE_RE.sub(" ", folded)
    folded, link = _strip_links(folded)
    words = _words(folded)
    return (words if len(words) <= _MAX_WORDS else words[:_MAX_WORDS]), link


def _strip_links(folded: str) -> tuple[str, bool]:
    """`folded` with its links replaced by a space, and whether it had any."""
    domain = _TLD_RE.search(folded) if "." in folded else None  # ".com", ".fr"...
    if "http" not in folded and "www." not in folded:
        if domain is None:  # most texts
            return folded, False
        first = domain.start()
    else:
        first = min(at if at >= 0 else len(folded) for at in (folded.find("http"), folded.find("www.")))
        if domain is not None:
            first = min(first, domain.start())
    # _URL_RE is tried at every position: it only reads the text from the last space before the
    # first sign of a link. Every match has "http", "www." or a domain ending, and none spans a
    # space.
    start = folded.rfind(" ", 0, first) + 1
    tail = folded[start:]
    stripped = _URL_RE.sub(" ", tail)
    return folded[:start] + stripped, len(stripped) != len(tail)


def _words(folded: str) -> list[str]:
    """`_TOKEN_RE.findall(folded)`, read by str and bytes methods: no token spans a separator, so
    splitting at them leaves the words, and the regex reads only the chunks with an apostrophe
    ("l'appli", "can't"). Characters outside ASCII are separators too, once a search has made sure
    none of them is a letter or a digit (emoji, "°", "€"...)."""
    if not folded.isascii() and _NON_ASCII_WORD_CHAR_RE.search(folded) is not None:
        return _TOKEN_RE.findall(folded)  # Greek, 𝐛𝐨𝐥𝐝... (rare once folded)
    separated = folded.encode("ascii", "replace").translate(_SEPARATORS_TO_SPACE).decode("ascii")
    if "'" not in separated:
        return separated.split()
    words: list[str] = []
    done = 0  # where the words read so far end
    apostrophe = separated.find("'")
    while apostrophe >= 0:  # the chunk around it, from space to space, goes to the regex
        start = separated.rfind(" ", done, apostrophe) + 1 or done
        end = separated.find(" ", apostrophe)
        if end < 0:
            end = len(separated)
        words += separated[done:start].split()
        words += _TOKEN_RE.findall(separated, start, end)
        done = end
        apostrophe = separated.find("'", end)
    words += separated[done:].split()
    return words


def tokens(text: str) -> list[str]:
    """The folded words of `text`, links and handles removed, elisions split off."""
    return _scan(fold(text))[0]


def word_features(words: list[str]) -> set[str]:
    """Words, word pairs and long words' first letters: what similarity between messages uses too."""
    out = set(words)
    out.update(map(" ".join, zip(words, words[1:])))
    cut, longer = PREFIX_LENGTH, PREFIX_LENGTH + 1  # (locals: read for every word)
    out.update(["~" + w[:cut] for w in words if len(w) > longer])
    return out


def features(text: str, *, lang: str, sentiment: float, cues: list[str] | tuple[str, ...], rating: float | None) -> set[str]:
    """Every feature present in a message (names; the model sums their weights)."""
    return features_and_words(text, lang=lang, sentiment=sentiment, cues=cues, rating=rating)[0]


def features_and_words(
    text: str, *, lang: str, sentiment: float, cues: list[str] | tuple[str, ...], rating: float | None
) -> tuple[set[str], frozenset[str]]:
    """`features`, and the message's distinct words among them (what `Model.unknown_share` reads)."""
    folded = fold(text)  # memoised: language, sentiment and cues folded it already
    words, link = _scan(folded)
    out = word_features(words)
    distinct = frozenset(words) - FACTS  # a word spelled like a fact ("link") is the fact
    add = out.add
    add("lang=" + lang)
    if words:
        add("first=" + words[0])
        if len(words) > 1:
            add(f"first={words[0]} {words[1]}")
    else:
        add("nowords")

    out.update(sentiment_bands(sentiment))

    families, spam = word_families(words)
    if families:
        add("pb")
        if len(families) > 1:
            add("pb>1")
            if len(families) > 2:
                add("pb>2")
        for family in families:
            add("pb=" + family)
    if spam:
        add("sp")
        if len(set(spam)) > 1:
            add("sp>1")
        for family in spam:
            add("sp=" + family)
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
        elif _SIGN_OFF_RE.search(text) or _SIGN_OFF_AFTER_A_SENTENCE_RE.search(text):
            add(QUESTION_BEFORE_SIGN_OFF)
        if "??" in text:
            add("??")
    if "!" in text:
        add("!")
        if "!!" in text:
            add("!!")
    if "..." in text or "…" in text:
        add("...")
    shape = text.encode("ascii", "replace").translate(_SHAPE_OF_BYTE).decode("ascii")
    scripts = ""
    if not text.isascii():
        scripts = text.encode("utf-8", "surrogatepass").translate(_SCRIPT_OF_BYTE).decode("ascii")
    if "AA" in shape and _has_caps(text, shape, len(words)):  # most texts: no two capitals in a row
        add("caps")
    # Folding shortens elongations ("nuuuul" -> "nul"): a shorter fold is an elongated text (the
    # emoji presentation selectors it also drops are discounted).
    if len(folded) < len(text) and len(folded) < len(text) - text.count("\ufe0f") - text.count("\ufe0e"):
        add("elongated")
    if "e" in scripts or "f" in scripts:  # where emoji are (U+2600-U+27BF, U+2B00-U+2BFF, U+1F000 on)
        emoji = _EMOJI_RE.findall(text)
        if emoji:
            add("emoji")
            if not _NEGATIVE_EMOJI.isdisjoint(emoji):
                add("emoji-")
            if not _POSITIVE_EMOJI.isdisjoint(emoji):
                add("emoji+")
            if _LETTER_RE.search(_HANDLE_RE.sub("", text) if "@" in text else text) is None:
                add("emoji-only")
            if not _SARCASM.isdisjoint(emoji):  # they are emoji: found above if anywhere
                add("sarcasm-mark")
    if "@" in text:
        add("@" if text.count("@") == 1 else "@@")
    if "#" in text:
        add("#")
    if link:
        add("link")
        if any(name in text for name in _SHORT_LINK_NAMES) and _SHORT_LINK_RE.search(text) is not None:
            add("short-link")
    other_digits = (  # decimal digits other than 0-9, for `\d` (rare)
        ("x" in scripts or scripts.count("f") != scripts.count("f9."))
        and _OTHER_DIGITS_HINT_RE.search(text) is not None
    )
    _add_number_facts(out, text, folded, shape, other_digits)
    return out, distinct


def sentiment_bands(sentiment: float) -> list[str]:
    """The sentiment facts of a lexicon score: "s<-0.6", "s<-0.4"... (cumulative), or "s=0"."""
    if sentiment <= _NEGATIVE_BOUNDS[-1]:
        return _NEGATIVE_NAMES[bisect_left(_NEGATIVE_BOUNDS, sentiment) :]
    if sentiment >= _POSITIVE_BOUNDS[0]:
        return _POSITIVE_NAMES[: bisect_right(_POSITIVE_BOUNDS, sentiment)]
    if -0.05 < sentiment < 0.05:  # (not NaN)
        return ["s=0"]
    return []


POSITIVE_BAND: Final = _POSITIVE_BOUNDS[0]  # the lowest lexicon score with a positive fact
SENTIMENT_BAND_NAMES: Final = frozenset(_NEGATIVE_NAMES + _POSITIVE_NAMES + ["s=0"])


def before_sign_off(text: str) -> str:
    """A question signed off with thanks, up to its question mark ("Vous ouvrez dimanche ?" of
    "Vous ouvrez dimanche ? Merci et bonne soirée"), and the sign-off's emoji, which are the
    writer's mood ("…à Bordeaux ? 🥰"); other texts whole."""
    found = _SIGN_OFF_RE.search(text) or _SIGN_OFF_AFTER_A_SENTENCE_RE.search(text)
    if found is None:
        return text
    return " ".join([text[: found.start() + 1], *_EMOJI_RE.findall(text, found.start())])


def _has_caps(text: str, shape: str, n: int) -> bool:
    """Shouting: three words in capitals, or two with a long one or side by side ("DEUX FOIS"),
    or a long one in a short text. Two short ones apart are codes ("LAX to MCO", "le TGV de
    la SNCF")."""
    pair = _CAPS_PAIR_RE.search(text, shape.find("AA"))  # no pair starts before the first "AA"
    if pair is None or text.lower() == text:
        return False
    caps = list(_CAPS_WORD_RE.finditer(text, pair.start()))  # nor a word in capitals
    if len(caps) >= 3:
        return True
    long = any(len(word.group()) >= _CAPS_LONG for word in caps)
    if len(caps) == 2:
        return long or text[caps[0].end() : caps[1].start()].isspace()
    return long and n <= 3


def _add_number_facts(out: set[str], text: str, folded: str, shape: str, other_digits: bool) -> None:
    r"""money, number (four digits or more) and duration. `other_digits`: the text may have
    decimal digits other than 0-9, which only `\d` sees."""
    if other_digits:
        digits = _DIGITS_RE.search(text) is not None
        four_digits = _LONG_NUMBER_RE.search(text) is not None
        duration_hint_re = _DURATION_HINT_RE
    else:
        digits = "0" in shape
        four_digits = "0000" in shape
        duration_hint_re = _ASCII_DURATION_HINT_RE
    if digits:
        # What any match of _MONEY_RE contains, and folding keeps: most texts need no lowercasing.
        if (
            "€" in folded or "$" in folded or "£" in folded or "eur" in folded or "dollar" in folded
            or "usd" in folded or "cad" in folded
        ) and _MONEY_RE.search(text.lower()) is not None:  # fmt: skip
            out.add("money")
        if four_digits:
            out.add("number")
    # A digit before a unit (or a number word), and then _DURATION_RE.
    hint = duration_hint_re.search(folded) if digits else None
    if hint is not None:
        start = hint.start()
        if start == 0 or not _is_word_char(folded[start - 1]):  # its `\b`: the digit branch matches
            out.add("duration")
            return
    elif out.isdisjoint(_NUMBER_WORDS) or (  # no number word (`out` has the words, no other name is one)
        # _DURATION_RE then needs a number word before a unit, or a digit branch, which implies the
        # hint: missed above if the text has digits (without, folding may add some: "²" -> "2").
        (digits or _DURATION_HINT_RE.search(folded) is None) and _NUMBER_UNIT_RE.search(folded) is None
    ):
        return
    if _DURATION_RE.search(folded) is not None:
        out.add("duration")


def _is_word_char(char: str) -> bool:
    r"""`\w`, as the regexes read it."""
    return char.isalnum() or char == "_"
