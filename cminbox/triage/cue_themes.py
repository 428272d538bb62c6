"""Complaint themes across languages: the cues that name the same problem in French and in
English ("débité deux fois", "charged twice"), so that a bilingual brand's monthly report counts
a double charge once, whichever language its customers wrote in.

A theme is named by the cues its complaints carried, the report's language first:
"débité deux fois / charged twice" in French, "charged twice / débité deux fois" in English,
and "charged twice" alone when no French customer wrote it. A cue of no group is its own theme.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

# (French cues, English cues) naming one problem; every label is one of cues.CUE_PATTERNS.
SAME_PROBLEM: Final[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = (
    (("toujours pas reçu",), ("not received",)),
    (("j'attends toujours",), ("still waiting",)),
    (("où est ma commande",), ("where is my order",)),
    (("colis marqué livré",), ("marked as delivered",)),
    (("remboursement",), ("refund",)),
    (("arnaque",), ("scam",)),
    (("escroquerie",), ("fraud",)),
    (("débité deux fois",), ("charged twice",)),
    (("surfacturation",), ("overcharged",)),
    (("pas de réponse", "injoignable"), ("no answer",)),
    (("relances",), ("contacted several times",)),
    (("parler à un responsable",), ("speak to a manager",)),
    (("raccroché au nez",), ("hung up",)),
    (("service client",), ("customer service",)),
    (("cassé",), ("broken",)),
    (("abîmé",), ("damaged",)),
    (("défectueux",), ("defective",)),
    (("ne fonctionne pas",), ("not working",)),
    (("en panne",), ("down",)),
    (("annuler ma commande",), ("cancel my order",)),
    (("résiliation",), ("cancel",)),
    (("retard",), ("late", "delay")),
    (("colis bloqué",), ("stuck in transit",)),
    (("colis perdu",), ("lost package",)),
    (("article manquant",), ("missing item",)),
    (("erreur de commande",), ("wrong item",)),
    (("plus jamais",), ("never again",)),
    (("plainte", "réclamation"), ("complaint",)),
    (("inadmissible", "inacceptable"), ("unacceptable",)),
    (("honteux", "scandaleux"), ("disgraceful",)),
    (("compte bloqué",), ("account locked",)),
    (("intoxication",), ("food poisoning",)),
    (("au secours",), ("please help",)),
)

_GROUP_OF: Final[dict[str, int]] = {cue: n for n, (fr, en) in enumerate(SAME_PROBLEM) for cue in fr + en}
_ENGLISH: Final[frozenset[str]] = frozenset(cue for _, en in SAME_PROBLEM for cue in en)


def themes(complaints: Iterable[Iterable[str]], lang: str, top: int) -> list[tuple[str, int]]:
    """The `top` themes of some complaints (each given by its cues), most first: each named in
    `lang` first, and counting each complaint once however many of its cues name it."""
    counts: Counter = Counter()
    seen: dict[object, dict[str, int]] = {}
    for cues in complaints:
        groups = {_GROUP_OF.get(cue, cue) for cue in cues}
        counts.update(groups)
        for cue in cues:
            said = seen.setdefault(_GROUP_OF.get(cue, cue), {})
            said[cue] = said.get(cue, 0) + 1
    named = []
    for group, count in counts.most_common(top):
        # The report's language first, then the most written.
        labels = sorted(seen[group], key=lambda cue: ((cue in _ENGLISH) == (lang == "fr"), -seen[group][cue], cue))
        named.append((" / ".join(labels), count))
    return named
