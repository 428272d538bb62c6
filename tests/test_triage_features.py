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
