"""Placeholders: `{first_name}` in a saved reply becomes "Julie" in the reply to Julie.

Filling is one pass over the template: a value is inserted as it is and never read again, so
an author named "{brand}" or "[b]x[/b]" stays that literal text. Values are also cleaned to one
line without braces, so what a stranger chose as a name can never look like a placeholder, add
lines, or carry control characters. `{{` and `}}` write literal braces.

A placeholder with no value is left as `{name}` and reported in `Filled.missing`: the app asks
for it, and refuses to send a text that still holds one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ..models import NETWORK_NAMES
from ..textsafe import clean_line

# Every placeholder cminbox fills by itself, with what it becomes (shown by `cminbox replies`).
BUILTIN: Final[dict[str, str]] = {
    "author": "the author's name as the network shows it (or their handle)",
    "first_name": "the author's first name when their name has one, else their handle",
    "handle": "the author's handle, e.g. @julie_m",
    "brand": "the workspace's brand name",
    "agent": "your signature or initials (`agent` in the config)",
    "network": "the network's name, e.g. Instagram",
    "order_id": "the order number found in the message (BC-48213, #48213, n° 48213…)",
}

# The same placeholders under the French names a French-speaking CM types first.
FRENCH_NAMES: Final[dict[str, str]] = {
    "prenom": "first_name",
    "nom": "author",
    "pseudo": "handle",
    "marque": "brand",
    "signature": "agent",
    "reseau": "network",
    "commande": "order_id",
}

PLACEHOLDER: Final = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_TOKEN: Final = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]*)\}")

# Order numbers as customers write them: "commande BC-48213", "order #48213", "n° 48213", "BC48213".
_ORDER_PATTERNS: Final = (
    re.compile(r"(?<![\w-])#?([A-Z]{1,4}-?\d{4,12})(?![\w-])"),
    re.compile(
        r"\b(?:commande|command|cmd|order|ordre|facture|invoice)\s*(?:n[°ºo]\.?|no\.?|num(?:[ée]ro)?\.?|number|#)?\s*:?\s*#?"
        r"([A-Za-z]{0,4}-?\d{4,12})\b",
        re.IGNORECASE,
    ),
    re.compile(r"(?:n[°º]|#)\s?(\d{4,12})\b"),
)


# First words that make a name an organisation's, not a person's.
_NOT_A_PERSON: Final = frozenset(
    "le la les l un une des du the a an chez maison team équipe equipe boulangerie café cafe restaurant "
    "association asso mairie ville official officiel".split()
)
# Words that make a name an organisation's wherever they stand ("Brioche Fan Club", "Gourmet
# Media Group", "Dubois & Fils SARL"): greeted by the whole name, never as "Brioche".
_ORGANISATION_WORDS: Final = frozenset(
    "club fans inc ltd llc sarl sas gmbh corp company co group groupe news media médias magazine "
    "shop store boutique studio agency agence investments capital consulting foundation fondation "
    "bakery pâtisserie patisserie boulangerie restaurant café cafe radio tv journal fils frères freres".split()
)
# Letters, with inner hyphens or apostrophes (Marie-Claire, D'Arcy); never a lone initial.
_FIRST_NAME: Final = re.compile(r"(?:[^\W\d_]['’])?[^\W\d_]{2,}(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Filled:
    text: str
    missing: tuple[str, ...]  # placeholders left as `{name}`, in order of appearance


def placeholder_names(template: str) -> list[str]:
    """The placeholders a template uses, each once, in order (escaped `{{…}}` excluded)."""
    seen: list[str] = []
    for match in _TOKEN.finditer(template):
        name = match.group(1)
        if name and name not in seen:
            seen.append(name)
    return seen


def clean_value(value: object) -> str:
    """A value as it may enter a reply: one line, no controls, no braces."""
    return clean_line(str(value)).replace("{", "").replace("}", "").strip()


def fill(template: str, values: Mapping[str, object]) -> Filled:
    """The template with every placeholder that has a value replaced, in a single pass."""
    clean = {name: clean_value(v) for name, v in values.items() if v is not None}
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        value = clean.get(name)
        if value:
            return value
        if name not in missing:
            missing.append(name)
        return token

    return Filled(_TOKEN.sub(replace, template), tuple(missing))


def unfilled(text: str) -> list[str]:
    """Placeholders still in a text about to leave (never sent raw)."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def find_order_id(text: str) -> str | None:
    """The first order number in a message, without its `#` or `n°`; None when there is none."""
    for pattern in _ORDER_PATTERNS:
        match = pattern.search(text or "")
        if match:
            return match.group(1)
    return None


def first_name(author_name: str, handle: str) -> str:
    """What to call someone: "Julie" for "Julie Martin", "Estelle" for "estelle" (@estelle_96), the
    handle for "mezianel" (@mezianel) or no name, the whole name for an organisation ("Le Petit
    Gourmet").

    A first word counts as a first name when it is made of letters (hyphens and apostrophes
    allowed, as in Marie-Claire or O'Neil), starts with a capital and is not an initial.
    """
    name = clean_line(author_name)
    words = name.split()
    if words and re.split("['’]", words[0].lower())[0] in _NOT_A_PERSON:
        return name  # "Le Petit Gourmet Lyonnais", "The Daily Crumb": greet the whole name
    if len(words) > 1 and any(word.lower().strip(".,&()") in _ORGANISATION_WORDS for word in words[1:]):
        return name
    # "DUPONT Marie" (surname first, in capitals, as some review sites show it): the first name is second.
    if len(words) > 1 and words[0].isupper() and _FIRST_NAME.fullmatch(words[0]):
        words = words[1:]
    if words and _FIRST_NAME.fullmatch(words[0]) and words[0][0].isupper():
        return words[0]
    # A lone name in lower case that is not the handle ("estelle" for @estelle_96) is how the
    # person wrote their own name: "Estelle". The same as the handle ("mezianel"), it is a pseudonym.
    if len(words) == 1 and _FIRST_NAME.fullmatch(words[0]) and words[0].islower() and not _same_as(words[0], handle):
        return "-".join(part[:1].upper() + part[1:] for part in words[0].split("-"))
    return clean_line(handle) or name


def _same_as(name: str, handle: str) -> bool:
    return name.lower() == clean_line(handle).lstrip("@").lower()


def message_values(
    *,
    author_name: str,
    author_handle: str,
    network: str,
    text: str,
    brand: str = "",
    agent: str = "",
    extra: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """Every value cminbox knows for a reply to one message (empty values left out)."""
    values = {
        "author": clean_line(author_name) or clean_line(author_handle),
        "first_name": first_name(author_name, author_handle),
        "handle": clean_line(author_handle),
        "brand": brand,
        "agent": agent,
        "network": NETWORK_NAMES.get(network, network.capitalize() if network else ""),
        "order_id": find_order_id(text) or "",
    }
    for name, value in (extra or {}).items():
        values.setdefault(name, str(value))
    for french, name in FRENCH_NAMES.items():
        values.setdefault(french, values.get(name, ""))
    return {k: clean_value(v) for k, v in values.items() if v and clean_value(v)}


_TYPED_OR_BRACE: Final = re.compile(r"\{([a-z][a-z0-9_]*)\}|[{}]")


def unfill(text: str, values: Mapping[str, str]) -> str:
    """A written reply made reusable: the values it contains turned back into placeholders.

    Longest values first ("Julie Martin" before "Julie"), whole words only, so saving "Bonjour
    Julie, votre commande BC-48213…" as a saved reply gives "Bonjour {first_name}, votre
    commande {order_id}…". A placeholder the user typed ("{prenom}", "{brand}") stays one;
    other braces are escaped first.
    """
    text = _TYPED_OR_BRACE.sub(lambda m: m.group(0) if m.group(1) else m.group(0) * 2, text)
    pairs = sorted(((v, k) for k, v in values.items() if v and len(v) >= 2), key=lambda p: -len(p[0]))
    if not pairs:
        return text
    by_value = {}
    for value, name in pairs:
        by_value.setdefault(value, name)
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in by_value), flags=re.UNICODE
    )
    return pattern.sub(lambda m: "{" + by_value[m.group(0)] + "}", text)
