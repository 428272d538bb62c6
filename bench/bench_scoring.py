"""Throughput of the scoring run on every stored message: language, sentiment, cues, the
learned labels (complaint, question, praise, spam) and the priority.

Generates a few thousand typical inbox messages (French, Québec, English, mixed; 50–200
characters) from templates, scores them with `score_messages` (in batches, as storing does),
and prints messages per second on one core; and the same one message at a time
(`score_message`, as `cminbox score` does). The target is at least 5,000 messages/second.

    python bench/bench_scoring.py [--count N] [--seed S] [--rounds R]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cminbox.triage.cues import complaint_cues  # noqa: E402
from cminbox.triage.features import features  # noqa: E402
from cminbox.triage.lang import detect_language  # noqa: E402
from cminbox.triage.score import ToScore, analyse, classify, score_message, score_messages  # noqa: E402
from cminbox.triage.sentiment import sentiment_score  # noqa: E402
from cminbox.textsafe import MAX_TEXT  # noqa: E402

TARGET_PER_SECOND = 5_000
MIN_CHARS, MAX_CHARS = 50, 200

OPENINGS = {
    "fr": ["Bonjour,", "Salut", "Bonsoir", "@brioche_co", "Coucou l'équipe,", "Allô,", ""],
    "en": ["Hi,", "Hello", "Hey @brioche_co", "Dear team,", "Good morning,", ""],
}
BODIES = {
    "fr": [
        "toujours pas reçu ma commande passée il y a {n} jours, c'est inadmissible",
        "merci beaucoup pour la livraison rapide, tout était parfait 😍",
        "j'attends toujours mon remboursement depuis {n} semaines, personne ne répond",
        "le produit est arrivé cassé et le SAV est injoignable 😡",
        "super accueil hier soir, les pâtisseries étaient délicieuses !",
        "c'est pas terrible la nouvelle recette, trop sucré à mon goût",
        "vous ouvrez à quelle heure dimanche ? je voudrais commander un gâteau",
        "génial, encore en retard 🙃 comme d'hab",
        "j'ai été débité deux fois pour la même commande, remboursez-moi svp",
        "chu pas content pantoute, ma commande est toujours pas arrivée",
        "c'est malade votre nouvelle poutine, bravo la gang!",
        "franchement pas ouf le service ce midi, on a attendu {n} minutes",
        "l'appli plante à chaque fois que je veux payer, impossible de commander",
    ],
    "en": [
        "still waiting for my order from {n} days ago, any update?",
        "thanks so much for the quick reply, the team was amazing!",
        "I want a refund, the box arrived damaged and nobody answers my emails",
        "worst customer service ever, never ordering again 😡",
        "loved the new croissants, see you next week 🥐",
        "where is my order?? it's been {n} weeks",
        "the app has been down since this morning, can't log in",
        "great, late again 🙄",
        "not bad at all, the coffee was really good",
        "you charged me twice for one pizza, please fix this",
        "do you deliver to Montreal? asking for a friend",
        "honestly the best brunch in town, highly recommend",
    ],
}
CLOSINGS = {
    "fr": ["Merci.", "Cordialement", "!!!", "😤", "❤️", "#déçu", "https://t.co/abc123", ""],
    "en": ["Thanks.", "Regards", "!!!", "😤", "❤️", "#fail", "https://t.co/abc123", ""],
}


ORDER_REFS = {"fr": "(commande n°{ref})", "en": "(order #{ref})"}


def make_messages(count: int, seed: int) -> list[str]:
    """`count` distinct messages: real inboxes rarely repeat, and repeats would flatter caches."""
    rng = random.Random(seed)
    messages: list[str] = []
    seen: set[str] = set()
    while len(messages) < count:
        lang = rng.choice(("fr", "en"))
        parts = [rng.choice(OPENINGS[lang]), rng.choice(BODIES[lang]).format(n=rng.randint(2, 30))]
        if rng.random() < 0.4:  # a second sentence, sometimes in the other language
            other = lang if rng.random() < 0.8 else ("en" if lang == "fr" else "fr")
            parts.append(rng.choice(BODIES[other]).format(n=rng.randint(2, 30)).capitalize() + ".")
        if rng.random() < 0.5:
            parts.append(ORDER_REFS[lang].format(ref=rng.randint(10_000, 99_999)))
        parts.append(rng.choice(CLOSINGS[lang]))
        text = " ".join(p for p in parts if p)
        if MIN_CHARS <= len(text) <= MAX_CHARS and text not in seen:
            seen.add(text)
            messages.append(text)
    return messages


def score(text: str):
    return score_message(text, kind="mention", reach=1200)


# Texts as long as the store keeps (MAX_TEXT characters), in shapes that expose a regex that
# backtracks or a loop that reads the text again for each word: a run of digits once took 0.3 s
# at 20,000 characters, and French emoji 96 s at 100,000. The cost should be linear: about half
# the time at half the length.
LONG_TEXT_UNITS = {
    "digits": "1",
    "emoji": "😡",
    "elisions": "l'",
    "hyphenated letters": "a-",
    "links": "x.com/",
    "punctuated words": "nul! ",
    "a complaint, repeated": "toujours pas reçu ma commande, remboursez-moi ! ",
    "question marks": "? ",
}


def _long_text_seconds(unit: str, length: int, lang: str) -> float:
    text = unit * (length // len(unit))
    started = time.process_time()
    score_message(text, kind="dm", lang=lang)
    return time.process_time() - started


def long_texts() -> str:
    """The slowest of LONG_TEXT_UNITS at full and half length, in words."""
    timings = [
        (_long_text_seconds(unit, MAX_TEXT, lang), _long_text_seconds(unit, MAX_TEXT // 2, lang), name, lang)
        for name, unit in LONG_TEXT_UNITS.items()
        for lang in ("fr", "en")
    ]
    full, half, name, lang = max(timings)
    return (f"longest texts ({MAX_TEXT:,} characters): slowest {name} ({lang}) {full * 1000:.0f} ms, "
            f"{half * 1000:.0f} ms at half the length")


def _best_time(run, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5_000, help="messages to score")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the messages")
    args = parser.parse_args()

    messages = make_messages(args.count, args.seed)
    started = time.perf_counter()
    score("Bonjour, merci !")  # first use: lexicons read, regexes compiled
    score("Hello, thanks!")
    warmup = time.perf_counter() - started

    # CPU time of this process (one core), best of a few rounds as `timeit` does: the fastest
    # round is the one least disturbed by whatever else the machine runs; the median is printed
    # too.
    batch = [ToScore(text, "mention", 1200) for text in messages]
    rounds = []
    for _ in range(args.rounds):
        started = time.process_time()
        score_messages(batch)
        rounds.append(time.process_time() - started)
    best, median = min(rounds), statistics.median(rounds)
    one_at_a_time = _best_time(lambda: [score(text) for text in messages], args.rounds)

    rate = len(messages) / best
    mean_chars = sum(map(len, messages)) / len(messages)
    print(f"first use (load + compile): {warmup * 1000:.0f} ms")
    print(f"{len(messages)} messages, {mean_chars:.0f} chars on average, {args.rounds} rounds")
    # Each step alone pays its own text folding, which the full pipeline does once.
    langs = [detect_language(text) for text in messages]
    analyses = [analyse(text) for text in messages]
    parts = {
        "language": lambda: [detect_language(text) for text in messages],
        "sentiment": lambda: [sentiment_score(text, lang) for text, lang in zip(messages, langs)],
        "cues": lambda: [complaint_cues(text) for text in messages],
        "features": lambda: [features(text, lang=a.lang, sentiment=a.lexicon_sentiment, cues=a.cues, rating=None)
                             for text, a in zip(messages, analyses)],
        "model": lambda: [classify(a, text) for text, a in zip(messages, analyses)],
    }
    print("each step alone, µs/message:", ", ".join(
        f"{name} {_best_time(run, args.rounds) / len(messages) * 1e6:.0f}" for name, run in parts.items()
    ))
    print(f"one message at a time (best round): {len(messages) / one_at_a_time:,.0f} messages/second")
    print(f"median round: {len(messages) / median:,.0f} messages/second")
    verdict = "ok" if rate >= TARGET_PER_SECOND else "BELOW TARGET"
    print(f"best round: {rate:,.0f} messages/second (target {TARGET_PER_SECOND:,}): {verdict}")
    print(long_texts())


if __name__ == "__main__":
    main()
