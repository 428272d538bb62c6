"""Brand mentions are not all customer service: posts that share news, take a side or are glad
about something else must read as they would to anyone, and words that merely look like a
customer's problem must not count as one."""

import pytest

from cminbox.triage import score as scoring
from cminbox.triage.cues import complaint_cues
from cminbox.triage.features import tokens
from cminbox.triage.model import model
from cminbox.triage.score import analyse, score_message
from cminbox.triage.sentiment import sentiment_score
from cminbox.triage.wordlists import word_families


@pytest.mark.parametrize(
    "text",
    [
        "Des panneaux solaires sur le toit du magasin",  # panne*
        "Stainless steel water bottle, love it",  # stain*
        "These crackers are the best with cheese",  # crack*
        "Renewable energy for every store by 2030",  # renew*
        "The investigation is ongoing",  # invest* (spam)
        "Profitez du soleil ce week-end !",  # profit* (spam)
        "La résilience du vivant face au climat",  # resili*
        "Un périmètre de sécurité autour du marché",  # perime*
        "La crème brûlée du dimanche",  # brûl*
        "I can't wait until Saturday!",  # wait
    ],
)
def test_words_that_only_look_like_a_problem_are_no_problem(text):
    problems, spam = word_families(tokens(text))
    assert problems == [] and spam == []
    assert complaint_cues(text) == []


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("le site est en panne depuis ce matin", "outage"),
        ("the screen arrived cracked", "defect"),
        ("my subscription auto-renewal charged me twice", "money"),
        ("invest in crypto now and double your money", "money"),
        ("yaourt périmé depuis une semaine", "food"),
        ("still waiting for my refund", "waiting"),
    ],
)
def test_the_problem_words_themselves_still_count(text, family):
    problems, spam = word_families(tokens(text))
    assert family in problems + spam


def test_the_consumer_association_is_named_as_the_french_say_it():
    assert complaint_cues("Je vais saisir l'UFC pour ce litige") == ["plainte", "litige"]
    assert complaint_cues("UFC-Que Choisir en parle") == ["plainte"]
    assert complaint_cues("UFC 155 tonight, what a card") == []
    assert complaint_cues("Je veux résilier mon abonnement") == ["résiliation"]


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Le manchot empereur, victime du réchauffement climatique", -1),
        ("60% des espèces d'oiseaux sont menacées", -1),
        ("C'est une honte", -1),
        ("La crise s'aggrave, polémique au gouvernement", -1),
        ("mdr je suis mort de rire", 1),
        ("Feu vert pour le projet, un vrai progrès", 1),
        ("Une initiative novatrice et solidaire", 1),
    ],
)
def test_the_french_lexicon_knows_the_words_of_the_news(text, sign):
    assert sentiment_score(text, "fr") * sign > 0.2


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I love competing in the pageant, can't wait until tomorrow!", "positive"),
        ("Kanye West at the Hollywood Bowl in September. That would be amazing tbh.", "positive"),
        ("Le manchot empereur victime du réchauffement climatique", "negative"),
        # Sarcasm and joyful tears stay what the model read them as.
        ("Wow @Delta, only 6 hours on hold. New record 🏆", "negative"),
        ("Génial, encore en retard 🙃", "negative"),
    ],
)
def test_plain_sentiment_outside_customer_service(text, label):
    assert score_message(text, kind="mention").sentiment_label == label


def test_the_lexicon_leans_the_sentiment_only_on_its_own_side(monkeypatch):
    text = "Kanye West at the Hollywood Bowl in September. That would be amazing tbh."
    leaning = score_message(text, kind="mention").sentiment
    monkeypatch.setattr(scoring, "LEXICON_WEIGHT", 0.0)
    alone = score_message(text, kind="mention").sentiment
    assert leaning > alone  # a positive lexicon score only adds to the positive side


def test_the_lean_is_as_strong_as_the_words_are_new_to_the_model():
    learned = model()
    assert learned.unknown_share(analyse("thanks for the follow").words) == 0.0
    assert learned.unknown_share(analyse("zorglub quintefeuille").words) == 1.0
    assert learned.unknown_share(analyse("thanks zorglub").words) == 0.5
    assert learned.unknown_share(analyse("😡😡 https://t.co/x").words) == 1.0  # no words at all


@pytest.mark.parametrize(
    "text, label",
    [
        # The inbox's own words: the model's verdict stands, however polite or cross the words.
        ("thanks for the follow @Canva", "neutral"),
        ("Ah d'accord, merci pour la précision", "neutral"),
        (
            "Bonjour, j'ai payé la livraison express et c'est arrivé en standard. "
            "Pouvez-vous me rembourser la différence ?",
            "neutral",
        ),
        # Words the model never learned: the lexicon leads.
        ("Le manchot empereur victime du réchauffement climatique", "negative"),
        ("😡😡", "negative"),
    ],
)
def test_the_model_leads_on_words_it_learned_the_lexicon_on_the_others(text, label):
    assert score_message(text, kind="comment").sentiment_label == label
