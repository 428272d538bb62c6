"""Which saved replies suit a message before anything is typed: the picker lists them first.

A praise gets the thanks, a question the FAQ answer, spam the guidelines reminder, and a
complaint the replies its cues point to (a refund, a late or lost order, a broken product, an
outage), then the apology and the move to private messages. Read from the tags the library
uses (see replies/README.md); a team's own replies with those tags take part too.
"""

from __future__ import annotations

import re
from typing import Final

# A complaint cue (as cminbox/triage/cues.py names it) -> the tags of the replies that answer it.
_CUE_TAGS: Final = {
    "refund": ("refund",), "remboursement": ("refund",), "charged twice": ("refund",),
    "débité deux fois": ("refund",), "overcharged": ("refund",), "surfacturation": ("refund",),
    "toujours pas reçu": ("delivery",), "jamais reçu": ("delivery",), "not received": ("delivery",),
    "still waiting": ("delivery",), "j'attends toujours": ("delivery",), "where is my order": ("delivery",),
    "où est ma commande": ("delivery",), "retard": ("delivery", "delay"), "late": ("delivery", "delay"),
    "delay": ("delivery", "delay"), "colis bloqué": ("delivery",), "colis perdu": ("delivery",),
    "lost package": ("delivery",), "stuck in transit": ("delivery",), "no tracking": ("delivery",),
    "colis marqué livré": ("delivery",), "marked as delivered": ("delivery",),
    "cassé": ("product",), "broken": ("product",), "abîmé": ("product",), "damaged": ("product",),
    "défectueux": ("product",), "defective": ("product",), "missing item": ("product",),
    "article manquant": ("product",), "wrong item": ("product",), "périmé": ("product",),
    "down": ("outage",), "en panne": ("outage",), "bug": ("outage",), "crash": ("outage",),
    "not working": ("outage",), "ne fonctionne pas": ("outage",), "connexion impossible": ("outage",),
    "paiement impossible": ("outage",),
}  # fmt: skip


# Cues said of a service as of a thing: "le site est en panne" is an outage, "mon vélo est tombé
# en panne" a broken product, which the outage replies (tagged crisis too) would answer wrongly.
_SERVICE_OR_THING: Final = frozenset(["en panne", "not working", "ne fonctionne pas"])
_SERVICE_RE: Final = re.compile(
    r"\b(?:app|appli|application|site|website|serveur|server|reseau|network|internet|wifi|wi-fi|connexion"
    r"|login|paiement|payment|checkout|plateforme|platform|compte|account|systeme|system|service|courant"
    r"|electricite|eau|fibre|4g|5g|signal)s?\b"
)


def suggested_tags(*, complaint: bool, praise: bool, question: bool, spam: bool, cues: str, text: str = "") -> tuple[str, ...]:
    """The tags whose replies suit a message, most telling first (`cues`: as stored, "|"-joined;
    `text` tells an outage from a broken thing)."""
    if spam:
        return ("netiquette",)
    tags: list[str] = []
    if complaint:
        for cue in filter(None, cues.split("|")):
            found = _CUE_TAGS.get(cue, ())
            if cue in _SERVICE_OR_THING and not _names_a_service(text):
                found = ("product", "outage")
            tags += [tag for tag in found if tag not in tags]
        tags += ["apology", "dm"]
    if question and not complaint:
        tags += ["faq", "question"]
    if praise and not complaint:
        tags += ["thanks", "praise"]
    return tuple(tags)


def _names_a_service(text: str) -> bool:
    from ..triage.text import fold

    return _SERVICE_RE.search(fold(text)) is not None
