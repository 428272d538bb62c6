"""How long a reply may be on each network, counted the way that network counts.

- X counts with twitter-text's v3 rules: NFC text, most Latin, Greek, Cyrillic, Hebrew, Arabic
  and common punctuation weigh 1, everything else (CJK, emoji, the narrow no-break space)
  weighs 2, an emoji sequence weighs 2 as a whole, and a link always weighs 23.
  (twitter/twitter-text `config/v3.json`.)
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
from typing import Final

URL_WEIGHT: Final = 23
_URL: Final = re.compile(r"https?://[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]’'…]", re.IGNORECASE)
_MASTODON_MENTION: Final = re.compile(r"(?<![\w@])(@[A-Za-z0-9_]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

# twitter-text v3: code point ranges weighing 1 (scale 100: weight 100); all else weighs 2.
_X_LIGHT: Final = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


@dataclass(frozen=True, slots=True)
class Limit:
    chars: int
    counting: str  # "weighted" (X), "mastodon", "graphemes", "bytes" or "characters"


# (network, kind) first, then (network, None).
_LIMITS: Final[dict[tuple[str, str | None], Limit]] = {
    ("x", None): Limit(280, "weighted"),
    ("x", "dm"): Limit(10_000, "weighted"),
    ("bluesky", None): Limit(300, "graphemes"),
    ("bluesky", "dm"): Limit(1_000, "graphemes"),
    ("mastodon", None): Limit(500, "mastodon"),
    ("instagram", None): Limit(2_200, "characters"),
    ("instagram", "dm"): Limit(1_000, "characters"),
    ("facebook", None): Limit(2_000, "characters"),
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
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _URL.finditer(text):
        total += _x_weight(text[position : match.start()]) + URL_WEIGHT
        position = match.end()
    return total + _x_weight(text[position:])


def _x_weight(text: str) -> int:
    total = 0
    for cluster in graphemes(text):
        if len(cluster) > 1 and _is_emoji_cluster(cluster):
            total += 2  # a whole emoji sequence weighs as one emoji
            continue
        for char in cluster:
            code = ord(char)
            total += 1 if any(lo <= code <= hi for lo, hi in _X_LIGHT) else 2
    return total


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


def _is_emoji_cluster(cluster: str) -> bool:
    return any(ord(c) >= 0x2190 for c in cluster if not _joins_previous(c))


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
