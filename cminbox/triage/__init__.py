"""Triage: score each incoming message once, when it is stored.

`text` folds text for matching, `lang` guesses French or English, `sentiment` gives a
VADER-style compound score (French rules and lexicon of our own, English VADER), `cues` finds
complaint cues in both languages, and `score` combines them into a priority. Core code: it
imports neither textual nor rich.
"""
