"""How long a reply may be on each network, counted the way that network counts.

- X counts with twitter-text's v3 rules: NFC text, most Latin, Greek, Cyrillic, Hebrew, Arabic
  and common punctuation weigh 1, everything else (CJK, emoji, the narrow no-break space)
  weighs 2, an emoji sequence weighs 2 as a whole, and a link (with or without its scheme)
  always weighs 23. (twitter/twitter-text `config/v3.json`.)
- Facebook: 8,000 for a comment, 2,000 for a Messenger message (a DM or a private reply);
  Instagram: 2,200 for a comment, 1,000 for a DM or a private reply.
- Mastodon counts grapheme clusters, with each link as 23 and `@user@domain` as `@user`
  (Mastodon's `StatusLengthValidator`); 500 unless the instance says otherwise.
- Bluesky counts grapheme clusters: 300 for a post, 1,000 for a chat message (lexicons
  `app.bsky.feed.post`, `chat.bsky.convo.defs#messageInput`).
- Google Business Profile caps a review reply at 4,096 bytes of UTF-8.
- Everything else counts characters.

Grapheme clusters are approximated without a Unicode segmentation library: combining marks,
variation selectors, emoji modifiers, tags and zero-width-joined sequences join the character
before them, and regional-indicator flags pair up. That covers accents, emoji with skin tones,
families and flags, which is what replies contain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Final

URL_WEIGHT: Final = 23
_URL: Final = re.compile(r"https?://[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]’'…]", re.IGNORECASE)
_MASTODON_MENTION: Final = re.compile(r"(?<![\w@])(@[A-Za-z0-9_]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

# twitter-text configuration v3 (github.com/twitter/twitter-text, config/v3.json): weights in
# hundredths; code points in these ranges weigh 100, all others 200; an emoji (a whole
# sequence) weighs 200; every URL counts as 23 characters (t.co); text is NFC-normalised first.
_X_SCALE: Final = 100
_X_LIGHT: Final = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
# URLs as X finds them: with a scheme, or a bare domain under a common top-level domain
# (twitter-text knows every TLD; this list covers what French and English CMs write).
_TLDS: Final = (
    "com|net|org|fr|ca|qc|be|ch|lu|io|co|app|dev|info|biz|eu|uk|us|de|es|it|shop|store|online|"
    "site|tech|ly|me|tv|gg|ai"
)
_X_URL: Final = (
    r"(?<![\w@.])(?:https?://[^\s<>\"]+|(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:"
    + _TLDS
    + r")\b(?:/[^\s<>\"]*)?)"
)
# Characters that end a URL in prose rather than belong to it.
_URL_TRAILING: Final = ".,:;!?)]}'\""
# An emoji sequence: a pictograph (or keycap base, or a pair of regional indicators), optional
# variation selector and skin tone, then more pictographs joined by ZWJ.
_PICTO: Final = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u3030\u303d\u3297\u3299"
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa"
)
_X_EMOJI: Final = (
    "(?:[\U0001f1e6-\U0001f1ff]{2}"
    "|[0-9#*]\ufe0f?\u20e3"
    f"|[{_PICTO}][\ufe0e\ufe0f]?[\U0001f3fb-\U0001f3ff]?(?:\u200d[{_PICTO}][\ufe0e\ufe0f]?[\U0001f3fb-\U0001f3ff]?)*)"
    "[\U000e0020-\U000e007f]*"
)


@cache
def _x_patterns() -> tuple[re.Pattern, re.Pattern]:
    """X's URL and emoji patterns, compiled on first use: the biggest patterns of the app,
    and only a reply to X needs them (the inbox starts without compiling them)."""
    return re.compile(_X_URL, re.IGNORECASE), re.compile(_X_EMOJI)


@dataclass(frozen=True, slots=True)
class Limit:
    chars: int
    counting: str  # "weighted" (X), "mastodon", "graphemes", "bytes" or "characters"


# (network, kind) first, then (network, None). The kind is the message's ("dm": a reply in the
# conversation) or "private" (a private reply: a DM quoting a public comment).
_LIMITS: Final[dict[tuple[str, str | None], Limit]] = {
    ("x", None): Limit(280, "weighted"),
    ("x", "dm"): Limit(10_000, "weighted"),
    ("bluesky", None): Limit(300, "graphemes"),
    ("bluesky", "dm"): Limit(1_000, "graphemes"),
    ("mastodon", None): Limit(500, "mastodon"),
    ("instagram", None): Limit(2_200, "characters"),
    ("instagram", "dm"): Limit(1_000, "characters"),  # Instagram messaging: 1,000 per text message
    ("instagram", "private"): Limit(1_000, "characters"),
    ("facebook", None): Limit(8_000, "characters"),  # a comment
    ("facebook", "dm"): Limit(2_000, "characters"),  # Messenger: 2,000 per text message
    ("facebook", "private"): Limit(2_000, "characters"),
    ("youtube", None): Limit(10_000, "characters"),
    ("reddit", None): Limit(10_000, "characters"),
    ("linkedin", None): Limit(1_250, "characters"),
    ("google", None): Limit(4_096, "bytes"),
}

# Networks whose limit `cminbox replies check` holds a reply to (every one with a known limit).
LIMITED_NETWORKS: Final = tuple(sorted({network for network, _ in _LIMITS}))


def limit_for(network: str, kind: str | None = None, override: int | None = None) -> Limit | None:
    """The limit for a reply on this network (None: no limit we know of).

    `override` is what the account itself announces (a Mastodon instance's `max_characters`).
    """
    limit = _LIMITS.get((network, kind)) or _LIMITS.get((network, None))
    if override:
        return Limit(int(override), limit.counting if limit else "characters")
    return limit


def strictest(network: str) -> Limit | None:
    """The smallest limit a network sets on any reply (a saved reply may be used anywhere on it)."""
    limits = [limit for (net, _), limit in _LIMITS.items() if net == network]
    return min(limits, key=lambda limit: limit.chars) if limits else None


def count(text: str, limit: Limit | None) -> int:
    """The length of `text` as the network behind `limit` counts it."""
    if limit is None or limit.counting == "characters":
        return len(text)
    if limit.counting == "bytes":
        return len(text.encode("utf-8"))
    if limit.counting == "weighted":
        return x_weighted_length(text)
    if limit.counting == "mastodon":
        return mastodon_length(text)
    return grapheme_count(text)


def measure(text: str, network: str, kind: str | None = None, override: int | None = None) -> tuple[int, Limit | None]:
    """(length as the network counts it, its limit or None)."""
    limit = limit_for(network, kind, override)
    return count(text, limit), limit


def x_weighted_length(text: str) -> int:
    """Length as X counts it: links 23, CJK and emoji 2, Latin, accents, punctuation 1."""
    text = unicodedata.normalize("NFC", text)
    spans: list[tuple[int, int, int]] = []  # (start, end, weight in hundredths)
    x_url, x_emoji = _x_patterns()
    for match in x_url.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _URL_TRAILING:
            end -= 1
        spans.append((start, end, URL_WEIGHT * _X_SCALE))
    for match in x_emoji.finditer(text):
        if not any(s <= match.start() < e for s, e, _ in spans):
            spans.append((match.start(), match.end(), 2 * _X_SCALE))
    total = 0
    position = 0
    for start, end, weight in sorted(spans):
        if start < position:
            continue
        total += _x_weight(text[position:start]) + weight
        position = end
    total += _x_weight(text[position:])
    return -(-total // _X_SCALE)


def _x_weight(text: str) -> int:
    """In hundredths: 100 per code point in twitter-text's light ranges, 200 for the others."""
    return sum(_X_SCALE if any(lo <= ord(c) <= hi for lo, hi in _X_LIGHT) else 2 * _X_SCALE for c in text)


def mastodon_length(text: str) -> int:
    text = _URL.sub("x" * URL_WEIGHT, text)
    text = _MASTODON_MENTION.sub(r"\1", text)
    return grapheme_count(text)


def grapheme_count(text: str) -> int:
    return sum(1 for _ in graphemes(text))


def _joins_previous(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tags (subdivision flags)
        or code == 0x200D  # zero-width joiner
    )


def _is_regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str):
    """Approximate extended grapheme clusters (see the module's docstring)."""
    cluster = ""
    after_zwj = False
    for char in text:
        if not cluster:
            cluster = char
        elif char == "\n" and cluster == "\r":
            cluster += char
        elif after_zwj or _joins_previous(char):
            cluster += char
        elif _is_regional(char) and len(cluster) == 1 and _is_regional(cluster):
            cluster += char
        else:
            yield cluster
            cluster = char
        after_zwj = char == "\u200d"
    if cluster:
        yield cluster
