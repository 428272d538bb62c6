"""The scripted demo day: deterministic, varied, plausible, with one clear bad buzz."""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter

import pytest

from cminbox.demo import script
from cminbox.demo.script import (
    BRAND,
    BUZZ_END,
    BUZZ_START,
    BUZZ_THEME,
    DemoEvent,
    build_day,
    is_buzz_text,
)
from cminbox.models import KINDS, NETWORKS, Incoming

ANCHOR = 1_767_600_000.0  # the replayer adds a real time like this one
REVIEW_NETWORKS = {"google", "trustpilot"}
NO_DM_NETWORKS = {"reddit", "google", "trustpilot", "youtube"}
# Words of the buzz theme, checked independently of the module's own list.
THEME_WORDS = (
    "deux fois", "2 fois", "twice", "double prelevement", "doubles prelevements",
    "double debit", "double charge", "double-charg", "briochegate", "debite", "preleve",
    "charged", "charge deux",
)


def _fold(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def on_theme(text: str) -> bool:
    t = _fold(text)
    return any(w in t for w in THEME_WORDS)


@pytest.fixture(scope="module")
def day() -> list[DemoEvent]:
    return build_day(1)


@pytest.fixture(scope="module")
def days() -> dict[int, list[DemoEvent]]:
    return {seed: build_day(seed) for seed in (2, 3, 7, 42)}


def msgs(events):
    return [e.message for e in events]


# -- API and determinism -------------------------------------------------------------------


def test_api_constants():
    assert BRAND == "Brioche & Co"
    assert 90 <= BUZZ_START <= 180
    assert "double" in BUZZ_THEME and "twice" in BUZZ_THEME
    assert BUZZ_END > BUZZ_START
    event = DemoEvent(at=1.0, message=Incoming("a", "x", "dm", "t", 1.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.at = 2.0  # type: ignore[misc]


def test_same_seed_same_day(day):
    again = build_day(1)
    assert [dataclasses.astuple(e.message) for e in again] == [dataclasses.astuple(e.message) for e in day]
    assert [e.at for e in again] == [e.at for e in day]


def test_default_seed_is_one(day):
    assert [e.message.native_id for e in build_day()] == [e.message.native_id for e in day]


def test_different_seeds_differ(day, days):
    texts = [e.message.text for e in day]
    for events in days.values():
        assert [e.message.text for e in events] != texts
        # ... with the same structure.
        assert 80 <= sum(e.at < 0 for e in events) <= 120


def test_no_global_random_state(day):
    import random

    random.seed(12345)
    before = random.random()
    random.seed(12345)
    build_day(5)
    assert random.random() == before


def test_sorted_and_offsets_match(day):
    ats = [e.at for e in day]
    assert ats == sorted(ats)
    for e in day:
        assert e.message.created_at == e.at


# -- Every message can be stored ---------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_message_passes_check(seed):
    for e in build_day(seed):
        msg = dataclasses.replace(e.message, created_at=ANCHOR + e.at, extra=dict(e.message.extra))
        msg.check()


def test_native_ids_unique_and_shaped(day):
    ids = [m.native_id for m in msgs(day)]
    assert len(ids) == len(set(ids))
    for m in msgs(day):
        prefix, letter, num = m.native_id.split("_")
        assert letter == m.kind[0] and num.isdigit()


def test_every_message_has_author_url_lang(day):
    for m in msgs(day):
        assert m.network in NETWORKS
        assert m.kind in KINDS
        assert m.text.strip()
        assert m.author_name and m.author_handle
        assert isinstance(m.author_reach, int) and m.author_reach >= 0
        assert m.url and m.url.startswith("https://")
        assert m.lang in ("fr", "en")


def test_no_template_leftovers(day, days):
    for events in [day, *days.values()]:
        for m in msgs(events):
            assert "{" not in m.text and "}" not in m.text, m.text
            assert m.text[0] not in "~^", m.text
            assert "  " not in m.text, m.text


def test_urls_look_like_the_network(day):
    hosts = {
        "facebook": ("facebook.com",), "instagram": ("instagram.com",), "x": ("x.com",),
        "bluesky": ("bsky.app",), "youtube": ("youtube.com",), "reddit": ("reddit.com",),
        "google": ("google.com",), "trustpilot": ("trustpilot.com",),
    }
    for m in msgs(day):
        if m.network in hosts:
            assert any(h in m.url for h in hosts[m.network]), (m.network, m.url)


# -- Volumes, networks, kinds, languages ---------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 7, 42, 1000])
def test_backlog_size(seed):
    events = build_day(seed, hours=1.0)
    backlog = [e for e in events if e.at < 0]
    assert 80 <= len(backlog) <= 120
    assert min(e.at for e in backlog) >= -14.5 * 3600
    # Spread over the evening and night, not bunched.
    hours = {int(-e.at // 3600) for e in backlog}
    assert len(hours) >= 9


def test_live_rate(day):
    live = [e.at for e in day if e.at >= 0]
    mean_gap = 10 * 3600 / len(live)
    assert 10 <= mean_gap <= 30
    # Lunch (12:00-14:00, i.e. hours 4-6) is busier than mid-morning (hours 1-3).
    lunch = sum(4 * 3600 <= t < 6 * 3600 for t in live)
    morning = sum(1 * 3600 <= t < 3 * 3600 for t in live)
    assert lunch > morning * 1.2
    assert max(live) < 10 * 3600


def test_hours_parameter():
    short = build_day(1, hours=0.5)
    assert max(e.at for e in short) < 1800
    long = build_day(1, hours=12.0)
    assert max(e.at for e in long) > 11 * 3600
    none = build_day(1, hours=0.0)
    assert all(e.at < 0 for e in none)


def test_networks_and_shares(day):
    counts = Counter(m.network for m in msgs(day))
    assert len(counts) >= 8
    assert set(counts) <= set(NETWORKS)
    top = [n for n, _ in counts.most_common(2)]
    assert set(top) == {"facebook", "instagram"}
    assert counts["x"] > counts["mastodon"]
    assert counts["google"] > counts["trustpilot"]


def test_kinds_respect_networks(day):
    kinds = Counter(m.kind for m in msgs(day))
    assert set(kinds) == set(KINDS)
    for m in msgs(day):
        if m.kind == "review":
            assert m.network in REVIEW_NETWORKS
            assert m.rating in (1.0, 2.0, 3.0, 4.0, 5.0)
            assert m.title
        else:
            assert m.network not in REVIEW_NETWORKS
            assert m.rating is None
        if m.kind == "dm":
            assert m.network not in NO_DM_NETWORKS
        if m.network == "youtube":
            assert m.kind == "comment"


def test_comments_sit_in_threads(day):
    comments = [m for m in msgs(day) if m.kind == "comment"]
    by_id = {m.native_id: m for m in msgs(day)}
    per_post = Counter(m.thread_id for m in comments)
    assert all(m.thread_id and m.title for m in comments)
    assert len(per_post) >= 8 and per_post.most_common(1)[0][1] >= 20
    replies = [m for m in comments if m.parent_id]
    assert len(replies) >= 50
    for m in replies:
        parent = by_id[m.parent_id]
        assert parent.thread_id == m.thread_id
        assert parent.created_at <= m.created_at


def test_dms_sit_in_one_conversation_per_person_and_network(day):
    # The messaging window of a Messenger or Instagram DM counts from the conversation's last message.
    dms = [m for m in msgs(day) if m.kind == "dm"]
    assert dms and all(m.thread_id for m in dms)
    people = Counter((m.network, m.author_handle) for m in dms)
    threads = Counter((m.network, m.author_handle, m.thread_id) for m in dms)
    assert len(threads) == len(people)


def test_language_shares(day, days):
    for events in [day, *days.values()]:
        langs = Counter(m.lang for m in msgs(events))
        fr = langs["fr"] / sum(langs.values())
        assert 0.55 <= fr <= 0.75, fr


def test_quebec_french_is_there(day):
    text = " ".join(m.text.lower() for m in msgs(day))
    found = [w for w in ("chu ", "pantoute", "plate", "icitte", "char", "tsé", "pis ") if w in text or _fold(w) in _fold(text)]
    assert len(found) >= 5, found


def test_reach_is_mostly_small_with_a_few_big(day):
    reach = [m.author_reach for m in msgs(day)]
    small = sum(r < 500 for r in reach) / len(reach)
    assert small >= 0.7
    assert any(20_000 <= r <= 200_000 for r in reach)
    assert max(reach) <= 200_000


def test_many_distinct_authors(day):
    names = {m.author_name for m in msgs(day)}
    handles = {(m.network, m.author_handle) for m in msgs(day)}
    assert len(names) >= 800
    assert len(handles) >= 1000
    firsts = {m.author_name.split()[0] for m in msgs(day) if m.network == "facebook"}
    assert len(firsts) >= 150


def test_some_authors_escalate(day):
    """Repeat authors: a comment, then a DM, then a public mention, by the same handle."""
    by_author: dict[tuple[str, str], list[Incoming]] = {}
    for m in msgs(day):
        by_author.setdefault((m.network, m.author_handle), []).append(m)
    escalations = 0
    for items in by_author.values():
        kinds = [m.kind for m in items]
        if "comment" in kinds and "dm" in kinds and "mention" in kinds:
            c, d, n = kinds.index("comment"), kinds.index("dm"), len(kinds) - 1 - kinds[::-1].index("mention")
            if c < d < n:
                escalations += 1
    assert escalations >= 3


def test_texts_vary(day, days):
    for events in [day, *days.values()]:
        texts = [m.text for m in msgs(events) if m.extra.get("demo_tone") != "spam"]
        ratio = len(set(texts)) / len(texts)
        assert ratio >= 0.85, ratio


def test_realistic_ingredients(day):
    texts = [m.text for m in msgs(day)]
    folded = _fold(" ".join(texts))
    for word in ("croissant", "pain au chocolat", "chocolatine", "brioche", "galette", "flan", "baguette", "box"):
        assert word in folded, word
    assert any("#BC-" in t or "BC-" in t for t in texts)
    assert any("n° " in t or "n°" in t for t in texts)
    assert any(w in folded for w in ("merci pour rien", "thanks for nothing"))
    assert any(t.isupper() or sum(c.isupper() for c in t) > 0.6 * sum(c.isalpha() for c in t) for t in texts)
    assert any("uuu" in t or "ooo" in t or "iii" in t for t in texts)
    assert any(c in t for t in texts for c in ("😍", "🥐", "😡"))
    assert any("sans gluten" in t or "gluten-free" in t for t in texts)
    assert any("http" in t or ".xyz" in t or ".shop" in t for t in texts if "iphone" in t.lower() or "crypto" in t.lower() or "followers" in t.lower() or "btc" in t.lower())


def test_spam_repeats_but_not_much(day):
    spam = [m for m in msgs(day) if m.extra.get("demo_tone") == "spam"]
    assert 0.02 <= len(spam) / len(day) <= 0.08
    assert len({m.text for m in spam}) < len(spam)  # bots repeat themselves


# -- The bad buzz --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 7, 42, 1000])
def test_buzz_wave(seed):
    events = build_day(seed)
    wave = [e for e in events if BUZZ_START <= e.at < BUZZ_START + 900 and on_theme(e.message.text)]
    assert len(wave) >= 35
    first_ten = [e for e in events if BUZZ_START <= e.at < BUZZ_START + 600 and on_theme(e.message.text)]
    assert 35 <= len(first_ten) <= 52
    negative = [e for e in first_ten if e.message.extra["demo_tone"] == "neg"]
    assert 35 <= len(negative) <= 50
    # Mostly public mentions and comments, in both languages, on several networks.
    kinds = Counter(e.message.kind for e in first_ten)
    assert kinds["mention"] + kinds["comment"] >= 0.65 * len(first_ten)
    assert {e.message.lang for e in first_ten} == {"fr", "en"}
    assert len({e.message.network for e in first_ten}) >= 4
    # Background traffic goes on meanwhile.
    others = [e for e in events if BUZZ_START <= e.at < BUZZ_START + 600 and not on_theme(e.message.text)]
    assert len(others) >= 15


@pytest.mark.parametrize("seed", [1, 2, 3, 7, 42, 1000])
def test_no_buzz_theme_cluster_outside_the_buzz(seed):
    events = build_day(seed)
    times = [e.at for e in events if on_theme(e.message.text)]
    for i, t in enumerate(times):
        if BUZZ_START - 900 < t < BUZZ_END:
            continue
        j = bisect.bisect_right(times, t + 900)
        inside = [x for x in times[i:j] if not (BUZZ_START <= x < BUZZ_END)]
        assert len(inside) <= 8


def test_buzz_tails_off(day):
    def count(a, b):
        return sum(a <= e.at < b and on_theme(e.message.text) for e in day)

    assert count(BUZZ_START, BUZZ_START + 600) > count(BUZZ_START + 600, BUZZ_START + 1200) > 0
    assert count(BUZZ_START + 600, BUZZ_END) >= 8
    assert count(BUZZ_END, 10 * 3600) <= 10


def test_buzz_voices(day):
    wave = [e.message for e in day if BUZZ_START <= e.at < BUZZ_END and on_theme(e.message.text)]
    folded = [_fold(m.text) for m in wave]
    assert any("briochegate" in t for t in folded)
    assert any("rembours" in t or "refund" in t for t in folded)
    assert any("arnaque" in t or "scam" in t for t in folded)
    assert any(m.author_reach >= 20_000 for m in wave)  # journalists, influencers
    assert any(m.extra["demo_tone"] == "neu" for m in wave)  # defenders, advice


def test_buzz_keywords_are_exclusive(day, days):
    """Only buzz messages talk about the double charge; the module's detector agrees."""
    for events in [day, *days.values()]:
        for m in msgs(events):
            buzz = m.extra["demo_topic"] == "buzz"
            assert on_theme(m.text) == buzz, m.text
            assert is_buzz_text(m.text) == buzz, m.text


@pytest.mark.parametrize("seed", [1, 2, 3, 7, 42])
def test_calm_day_has_no_other_negative_cluster(seed):
    events = [e for e in build_day(seed) if e.message.extra["demo_topic"] != "buzz"]
    by_topic: dict[str, list[float]] = {}
    all_neg: list[float] = []
    for e in events:
        if e.message.extra["demo_tone"] == "neg":
            by_topic.setdefault(e.message.extra["demo_topic"], []).append(e.at)
            all_neg.append(e.at)
    for topic, times in by_topic.items():
        for i, t in enumerate(times):
            assert bisect.bisect_right(times, t + 900) - i < 10, topic
    live = [t for t in all_neg if t >= 0]
    per_hour = len(live) / 10
    assert 3 <= per_hour <= 20


def test_module_is_core_code():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(script.__file__).read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert "textual" not in roots and "rich" not in roots
    assert roots <= {"__future__", "math", "random", "re", "unicodedata", "dataclasses", "cminbox"}


def test_french_possessives_agree_with_the_product():
    # "Ma fille qui dévore son tarte au citron": the demo is what a newcomer reads first.
    from cminbox.demo.script import _PRODUCTS, _VOWELS

    feminine = [name for name, gender, *_ in _PRODUCTS if gender == "f" and name[0].lower() not in _VOWELS]
    texts = [e.message.text for seed in range(1, 7) for e in build_day(seed, hours=24)]
    wrong = [t for t in texts for name in feminine if f"son {name}" in t or f"mon {name}" in t]
    assert wrong == []
