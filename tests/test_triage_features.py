"""The facts `features.py` gives the learned model: money, durations, long numbers."""

from __future__ import annotations

import pytest

from cminbox.triage import features as F


def facts(text: str) -> set[str]:
    return F.features(text, lang="fr", sentiment=0.0, cues=(), rating=None)


@pytest.mark.parametrize(
    "text",
    [
        "débité 30,27 € deux fois",  # the French order: the symbol after the amount, then a space
        "27,08€",  # ... or at the very end
        "17,60\u00a0€ prélevés",  # French typography's no-break space
        "20 euros pour un flan",
        "commande 12 eur",
        "charged $17.81 twice",
        "it was 17.81$ and they took it twice",
        "€30 de plus",
        "deux fois 12 dollars",
    ],
)
def test_an_amount_of_money_is_a_fact(text):
    assert "money" in facts(text)


@pytest.mark.parametrize("text", ["20 eurostar", "j'ai 3 eurasiens", "le € a baissé", "merci 😍"])
def test_no_money_without_an_amount(text):
    assert "money" not in facts(text)


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("toujours rien après 2 jours", True),
        ("three weeks later", True),
        ("2h d'attente", True),
        ("deux semaines sans réponse", True),
        ("on se voit à 7h", False),  # a time of day
        ("1" * 5000 + " jours", True),
        ("x" + "1" * 5000 + " days", False),  # no word boundary before the number
    ],
)
def test_durations(text, duration):
    assert ("duration" in facts(text)) is duration


def test_the_duration_hint_starts_only_at_the_first_digit_of_a_number():
    # From a later digit it would read the same digits to the same end: tried at every digit of
    # a long run of digits, that cost the square of its length (0.3 s for 20,000 digits).
    for regex in (F._DURATION_HINT_RE, F._ASCII_DURATION_HINT_RE):
        assert regex.match("1234 jours", 0) is not None
        assert regex.match("1234 jours", 1) is None
        assert regex.search("réf 1234 jours").start() == 4


def test_a_long_number_is_a_fact():
    assert "number" in facts("commande BC-49364")
    assert "number" not in facts("commande 493")


def _caps(text: str) -> bool:
    return "caps" in F.features(text, lang="fr", sentiment=0.0, cues=(), rating=None)


@pytest.mark.parametrize(
    "text",
    [
        "MY INTERNET HAS BEEN DOWN FOR 3 DAYS",
        "@Spirit REFUND MY TICKET",
        "@Airfrance 6 HEURES DE RETARD et pas un verre d'eau",
        "45 min de retard sur le TER ce matin ENCORE",
        "WHY DON'T I HAVE INTERNET???",
        "SCANDALEUX",
        "NUL NUL NUL",
        "vous m'avez débité DEUX FOIS pour ma commande",
    ],
)
def test_shouting_is_caps(text):
    assert _caps(text)


@pytest.mark.parametrize(
    "text",
    [
        # Handles, codes and acronyms are how brands, airports and trains are written, not shouting.
        "@SNCF 🚄",
        "@SFR 🤬🤬🤬 encore coupé",
        "Le TGV de la SNCF est arrivé à l'heure, merci",
        "@VirginAmerica So excited for my first flight LAX to MCO",
        "3e rendez-vous SAV annulé par SMS la veille",
        "#RATP ligne 13 fermée",
        "vol AF 123 de CDG vers YUL",
    ],
)
def test_handles_codes_and_acronyms_are_not_caps(text):
    assert not _caps(text)


@pytest.mark.parametrize(("text", "asked"), [
    ("Vous ouvrez dimanche ? Merci et bonne soirée", "Vous ouvrez dimanche ?"),
    ("Open on Boxing Day? Thank you so much, have a great weekend!", "Open on Boxing Day?"),
    ("Vous passez quand à Bordeaux ? 🥰", "Vous passez quand à Bordeaux ? 🥰"),  # the mood stays
    ("Sans gluten? ma femme est cœliaque, Merci!", "Sans gluten?"),
    ("Vous ouvrez dimanche ? Je passerai vers midi.", "Vous ouvrez dimanche ? Je passerai vers midi."),
    ("Merci pour tout !", "Merci pour tout !"),
])
def test_the_question_before_its_sign_off(text, asked):
    assert F.before_sign_off(text) == asked
