"""Scoring a batch (what storing does) gives each message exactly the score it gets alone."""

from __future__ import annotations

import pytest

from cminbox.triage import score as scoring
from cminbox.triage.learn import Correction, Learner
from cminbox.triage.score import ToScore, score_message, score_messages

TEXTS = [
    "Toujours pas reçu ma commande 48213, ça fait 3 semaines !!! Remboursez-moi",
    "Merci pour la livraison super rapide, j'adore 😍",
    "Still waiting on my refund, this is a scam",
    "Great, my flight got cancelled AGAIN 🙃",
    "C'est pas terrible... l'appli plante tout le temps",
    "Is the shop open on Sunday?",
    "WIN A FREE IPHONE http://bit.ly/xx @brioche",
    "",
    "ok",
    "R&amp;D team is great &lt;3",
    "Chu pas content pantoute, le char est encore brisé",
    "Bonjour, avez-vous des croissants sans gluten ?",
]
KINDS = ["dm", "comment", "mention", "review"]


def _messages() -> list[ToScore]:
    return [
        ToScore(
            text,
            KINDS[i % 4],
            reach=[None, 0, 15, 1200][i % 4],
            lang=[None, "fr", "en", "und"][i % 4],
            rating=(i % 5) + 1 if i % 4 == 3 else None,
            repeat=i % 3,
            author=f"x:author{i % 2}",
        )
        for i, text in enumerate(TEXTS)
    ]


def _alone(message: ToScore, learner: Learner | None = None):
    return score_message(
        message.text, kind=message.kind, reach=message.reach, lang=message.lang, rating=message.rating,
        repeat=message.repeat, learner=learner, author=message.author,
    )  # fmt: skip


@pytest.mark.parametrize("stage_batch", [1, 5, 500])
def test_a_batch_scores_each_message_as_it_would_be_scored_alone(monkeypatch, stage_batch):
    # Small stage batches put messages on both sides of a boundary.
    monkeypatch.setattr(scoring, "STAGE_BATCH", stage_batch)
    messages = _messages()
    batch = score_messages(messages)
    assert batch == [_alone(m) for m in messages]
    assert [s.lang for s in batch][:3] == ["fr", "fr", "en"]
    assert batch[0].complaint and not batch[1].complaint
    assert "3rd message from this person today" in batch[2].reason  # its `repeat` is read


def test_a_batch_applies_the_workspaces_corrections_per_author():
    # Two verdicts on an author, on texts unlike any of the batch: only the author links them.
    learner = Learner([
        Correction("Le parking derrière la boutique est fermé", "x:author1", True, -0.8),
        Correction("Vos horaires du dimanche ont changé", "x:author1", True, -0.8),
    ])  # fmt: skip
    messages = _messages()
    batch = score_messages(messages, learner=learner)
    assert batch == [_alone(m, learner) for m in messages]
    anonymous = score_messages([m._replace(author=None) for m in messages], learner=learner)
    assert batch != anonymous  # each message's author was read


def test_an_empty_batch_scores_nothing():
    assert score_messages([]) == []
    assert score_messages(iter(_messages()[:2])) == [_alone(m) for m in _messages()[:2]]
