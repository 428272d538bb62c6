"""Bad-buzz detection: a spike of negative items against the workspace's own history.

Every check looks at the last `window_minutes` (15 by default) and counts the *negative* items
there: complaints or negative sentiment (the user's verdicts included), spam left out. It
compares that count with what this workspace usually sees:

- the same time of day on the previous days (up to `history_days`), when there are at least
  three such days; otherwise the windows of the last hours (a new workspace, or the demo);
- and, whichever is larger, the workspace's usual *share* of negative items applied to the
  window's volume, so that a busy lunch hour is not mistaken for a crisis.

The history never holds a buzz: the windows of earlier alerts are left out of it.

It fires when the count reaches `min_volume`, is `ratio` times the usual, stands `sensitivity`
standard deviations above it (Poisson, or the history's own spread when larger), and has a
subject: words, rare before, that a good share of the window's negative items share.
Outside quiet hours only; after an alert ends, none fires again for `cooldown_minutes`.

Once fired, an alert keeps the usual it fired against (the *pre-spike usual*, from the history
before its window): the spike's own messages never raise it, so a buzz cannot end by becoming
its own normal. It ends when the window's negatives have stayed at or under its calm level
(`calm_level`: under `ratio` times the pre-spike usual, the bar it crossed to fire, or half of
`min_volume` when that is more) for a whole window; its end is the moment they fell back there.
Its peak is the most negatives any window held since it fired. Alerts are stored, so a restart
neither forgets one nor fires it twice, and it works the same on imported history.

What drives a spike is reported too: the words that are much more frequent in the window than
before the alert (folded, which the crisis list matches; shown as the messages wrote them, see
`written_forms`), the authors and the networks. The banner shows the current window's; an
alert also keeps those of its busiest window (`at_peak`, see `peak_words`), which say what it
was about once it is over.

Core code: no UI imports. The store supplies the counts (`store/buzzdata.py`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Final

from .hours import BusinessHours

_STOPWORDS: Final = frozenset(
    """le la les l' un une des de du d' et est a au aux en dans pour par sur avec ce c' cette ces je j'
    tu il elle on nous vous ils elles me m' te t' se s' mon ma mes ton ta tes son sa ses notre nos
    votre vos leur leurs que qu' qui quoi ne n' pas plus y ou mais donc car si tres bonjour merci ca
    ai as avez ont suis etait fait tout tous bien comme aussi encore toujours deja vraiment
    the a an and or but is are was were be been to of in on at for with by from it its this that
    these those i me my we our you your he she they them their do does did have has had not no
    so very just hi hello thanks thank please im i'm it's don't can't just all what when how why
    still again now today ete avoir etre fait vous moi toi lui chez ici""".split()
)
# Words that say nothing about a buzz on their own ("deux fois" does, "fois" does not): never a
# term alone, still one in a phrase.
_FILLER: Final = frozenset(
    """fois jour jours matin soir nuit semaine heure heures minute minutes hier demain aujourd'hui
    deux trois gens monde chose truc faire faut dire voir moi aussi meme mise
    time times day days morning night week hour hours minute minutes yesterday tomorrow one two
    same people thing get got make like after before""".split()
)
_WORD_SPAN_RE: Final = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_JOINER_RE: Final = re.compile(r"\s+|-")  # what may stand between the two words of a phrase
_SENTENCE_END: Final = ".!?…:;\n"
MIN_TERM_COUNT: Final = 3
THEME_SHARE: Final = 0.5  # the spike's leading words are in at least this share of its negative items
THEME_TERMS: Final = 3
TOP_TERMS: Final = 6
TOP_AUTHORS: Final = 5
_HASHTAG_RE: Final = re.compile(r"#(\w{3,})")
HISTORY_TEXTS: Final = 1500  # how many earlier messages the words of a spike are compared with
EARLIER_ALERTS: Final = 50  # how many earlier alerts are left out of the history


@dataclass(frozen=True, slots=True)
class BuzzSettings:
    window_minutes: int = 15
    sensitivity: float = 3.0  # standard deviations above the usual
    min_volume: int = 10  # negative items in the window, at least
    ratio: float = 3.0  # times the usual, at least
    cooldown_minutes: int = 60
    history_days: int = 7
    quiet_hours: str = ""  # "23:00-07:00": no alert fires then (workspace time)

    def quiet(self, ts: float, hours: BusinessHours) -> bool:
        if not self.quiet_hours:
            return False
        start, end = _parse_quiet(self.quiet_hours)
        local = hours._local(ts)
        minute = local.hour * 60 + local.minute
        return start <= minute < end if start < end else minute >= start or minute < end


class BuzzSettingsError(ValueError):
    pass


_QUIET_RE: Final = re.compile(r"^\s*(\d{1,2})[:h]?(\d{2})?\s*[-–]\s*(\d{1,2})[:h]?(\d{2})?\s*$")


def _parse_quiet(text: str) -> tuple[int, int]:
    match = _QUIET_RE.match(text)
    if match is None:
        raise BuzzSettingsError(f"quiet_hours {text!r}: expected e.g. \"23:00-07:00\"")
    h1, m1, h2, m2 = match.groups()
    start, end = int(h1) * 60 + int(m1 or 0), int(h2) * 60 + int(m2 or 0)
    if not (0 <= start <= 1440 and 0 <= end <= 1440) or start == end:
        raise BuzzSettingsError(f"quiet_hours {text!r}: expected e.g. \"23:00-07:00\"")
    return start, end


def check_settings(settings: BuzzSettings) -> BuzzSettings:
    """Raise BuzzSettingsError when a setting makes no sense; returns the settings."""
    if not 1 <= settings.window_minutes <= 24 * 60:
        raise BuzzSettingsError("window_minutes must be 1 to 1440")
    if settings.sensitivity <= 0 or settings.ratio < 1 or settings.min_volume < 1:
        raise BuzzSettingsError("sensitivity must be above 0, ratio at least 1, min_volume at least 1")
    if settings.cooldown_minutes < 0 or not 1 <= settings.history_days <= 60:
        raise BuzzSettingsError("cooldown_minutes must be 0 or more, history_days 1 to 60")
    if settings.quiet_hours:
        _parse_quiet(settings.quiet_hours)
    return settings


@dataclass(frozen=True, slots=True)
class Item:
    """One stored message, as the detector sees it."""

    id: int
    created_at: float
    negative: bool
    network: str
    author_name: str
    author_handle: str
    reach: int | None
    text: str


@dataclass(frozen=True, slots=True)
class History:
    """Counts of earlier windows: (total, negative) per window, and when each window started."""

    windows: list[tuple[float, int, int]]  # (start, total items, negative items)
    texts: list[str] = field(default_factory=list)  # a sample of earlier messages, for the words
    people: list[str] = field(default_factory=list)  # their authors' names and handles (never a word of a buzz)


@dataclass(slots=True)
class Spike:
    """What a check found: the numbers, and what drives them."""

    window_start: float
    window_end: float
    count: int  # negative items in the window
    total: int  # all items in the window (spam left out)
    usual: float  # expected negative items in such a window
    spread: float
    fired: bool
    terms: list[tuple[str, int]] = field(default_factory=list)
    authors: list[tuple[str, str, int | None, int]] = field(default_factory=list)  # name, handle, reach, items
    networks: list[tuple[str, int]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # the window's negative items
    labels: dict[str, str] = field(default_factory=dict)  # term -> as people wrote it ("débitée")

    def headline(self, window_minutes: int) -> str:
        """"34 negative in 15 min, usual 4"."""
        return f"{self.count} negative in {window_minutes} min, usual {self.usual:.0f}" if self.usual >= 1 else (
            f"{self.count} negative in {window_minutes} min, usual under 1"
        )

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("ids")
        return json.dumps(data, ensure_ascii=False)


def usual_count(history: History, now: float, window_calm: int, settings: BuzzSettings) -> tuple[float, float]:
    """(expected negative items in the window, their spread) from the workspace's history."""
    windows = history.windows
    if not windows:
        return 0.5, 1.0
    seconds = settings.window_minutes * 60
    day = 86400.0
    # The same time of day on earlier days (an hour either side), when there are enough days.
    same_time = [w for w in windows if min((now - w[0]) % day, day - (now - w[0]) % day) <= 3600 + seconds and now - w[0] > day / 2]
    days = {int((now - w[0] + 3600 + seconds) // day) for w in same_time}
    if len(days) >= 3:
        sample = same_time
    else:
        recent = [w for w in windows if now - w[0] <= 6 * 3600]
        sample = recent if len(recent) >= 4 else windows
    counts = [w[2] for w in sample]
    mean = sum(counts) / len(counts)
    variance = sum((c - mean) ** 2 for c in counts) / len(counts)
    totals = sum(w[1] for w in windows)
    negatives = sum(w[2] for w in windows)
    share = negatives / totals if totals >= 20 else 0.3
    # A busy window carries its usual share of negative items: scale with its volume, counting
    # only its positive and neutral items (a spike of negatives must not raise its own bar).
    by_share = share / (1 - share) * window_calm if share < 1 else mean
    expected = max(mean, by_share, 0.3)
    return expected, max(math.sqrt(expected), math.sqrt(variance))


def assess(window: Sequence[Item], history: History, now: float, settings: BuzzSettings, hours: BusinessHours) -> Spike:
    """The window's numbers against the history, and whether they make a bad buzz."""
    negatives = [item for item in window if item.negative]
    count = len(negatives)
    usual, spread = usual_count(history, now, len(window) - count, settings)
    fired = (
        count >= settings.min_volume
        and count >= settings.ratio * usual
        and count >= usual + settings.sensitivity * spread
        and not settings.quiet(now, hours)
    )
    spike = Spike(now - settings.window_minutes * 60, now, count, len(window), round(usual, 2), round(spread, 2), fired)
    if fired:
        describe(spike, negatives, history, _people(window))
        # A buzz has a subject: most of the unhappy messages share words that were rare before
        # (in either language: "deux fois" or "charged twice"). Unrelated complaints that happen
        # to land together are a busy quarter hour, not a buzz.
        spike.fired = bool(spike.terms) and spike.terms[0][1] > MIN_TERM_COUNT and theme_share(spike, negatives) >= THEME_SHARE
    return spike


def theme_share(spike: Spike, negatives: Sequence[Item]) -> float:
    """The share of the negative items that carry one of the spike's leading words."""
    leading = {term for term, _ in spike.terms[:THEME_TERMS]}
    if not negatives or not leading:
        return 0.0
    return sum(1 for item in negatives if leading & _terms(item.text)) / len(negatives)


def _people(items: Sequence[Item]) -> list[str]:
    return [who for item in items for who in (item.author_name, item.author_handle) if who]


def describe(spike: Spike, negatives: Sequence[Item], history: History, people: Sequence[str] = ()) -> None:
    """The words, authors and networks behind a spike. The names of the people seen (`people`,
    and the history's) are never words of it."""
    spike.ids = [item.id for item in negatives]
    texts = [item.text for item in negatives]
    people = [*people, *_people(negatives), *history.people]
    spike.terms = spike_terms(texts, history.texts, people=people)
    spike.labels = written_forms([term for term, _ in spike.terms], texts, people=people)
    by_author: dict[tuple[str, str], list[Item]] = {}
    for item in negatives:
        by_author.setdefault((item.author_handle or item.author_name, item.network), []).append(item)
    authors = sorted(by_author.values(), key=lambda items: (-len(items), -(items[0].reach or 0)))
    spike.authors = [(items[0].author_name, items[0].author_handle, items[0].reach, len(items)) for items in authors[:TOP_AUTHORS]]
    # The loudest voices too: one post from a large account drives a buzz as much as ten.
    loud = sorted((i for i in negatives if (i.reach or 0) >= 10_000), key=lambda i: -(i.reach or 0))
    for item in loud[:2]:
        entry = (item.author_name, item.author_handle, item.reach, 1)
        if all(a[1] != item.author_handle or a[0] != item.author_name for a in spike.authors):
            spike.authors.append(entry)
    spike.networks = Counter(item.network for item in negatives).most_common()


def _terms(text: str) -> set[str]:
    """A message's telling words, word pairs and #hashtags (each once)."""
    from .triage.features import tokens  # the scorer's tokenizer, loaded only when a spike is described
    from .triage.text import fold

    words = [w for w in tokens(_HASHTAG_RE.sub(" ", text)) if w not in _STOPWORDS and len(w) > 2 and not w.isdigit()]
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    found.update("#" + fold(tag) for tag in _HASHTAG_RE.findall(text))
    return found


def _written(text: str, names: dict[str, set[tuple[str, ...]]] | None = None) -> dict[str, str]:
    """A message's telling words, the phrases it wrote (two such words side by side, nothing but
    a space or a hyphen between them) and its #hashtags: each as `_terms` folds it -> as this
    message wrote it. Unlike `_terms`, no pair is made across a removed word or punctuation
    ("deux fois ce matin" has no "fois matin"), no word is said alone when it is filler, and
    the names of people (`names`, from `name_index`) are removed words (see `_named`)."""
    from .triage.features import tokens
    from .triage.text import fold

    found = {"#" + fold(m.group(1)): m.group(0) for m in _HASHTAG_RE.finditer(text)}
    text = _HASHTAG_RE.sub(lambda m: "#" * len(m.group(0)), text)  # same length: a break, not a space
    shouting = _shouting(text)
    kept = []  # (folded word or None for a removed one, start, end)
    aligned = list(_aligned_words(text, tokens(text)))
    named = _named([word for _, _, word in aligned], names) if names else set()
    opening = 0  # where the message starts after the tag it opens on: its sentence starts there
    while opening in named:
        opening += 1
    opening = aligned[opening - 1][1] if opening else 0
    for at, (start, end, word) in enumerate(aligned):
        telling = word not in _STOPWORDS and len(word) > 2 and not word.isdigit() and at not in named
        kept.append((word if telling else None, start, end))
        if telling and word not in _FILLER:
            found.setdefault(word, _usual_case(text, start, end, shouting, opening))
    for (a, start, a_end), (b, b_start, end) in zip(kept, kept[1:]):
        if a and b and _JOINER_RE.fullmatch(text[a_end:b_start]):
            found.setdefault(f"{a} {b}", _usual_case(text, start, end, shouting, opening))
    return found


def _aligned_words(text: str, words: list[str]):
    """(start, end, folded word) for each of `words` (the tokenizer's, in order) found in `text`.
    A stretch of text the tokenizer dropped (a handle, a link) is passed over."""
    from .triage.features import tokens

    at = 0
    for span in _WORD_SPAN_RE.finditer(text):
        piece = tokens(span.group())
        if not piece or words[at : at + len(piece)] != piece:
            continue
        at += len(piece)
        if len(piece) == 1:
            yield span.start(), span.end(), piece[0]
            continue
        # An elision ("l'appli"): the word after the apostrophe is the one that counts.
        last = max(span.group().rfind("'"), span.group().rfind("’")) + 1
        yield span.start(), span.start() + last, piece[0]
        yield span.start() + last, span.end(), piece[-1]


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _usual_case(text: str, start: int, end: int, shouting: bool, opening: int = 0) -> str:
    """`text[start:end]`, one space between words, with the capitals that are not the word's own
    lowered: a whole message in capitals, a long word in capitals ("REMBOURSEZ", where "SAV"
    stays), the capital of a sentence's first word (the message's starts at `opening`, after
    the name it may open on: "Sonia Brahimi Idem")."""
    words = [w.lower() if shouting or (len(w) >= 5 and w.isupper()) else w for w in text[start:end].split()]
    written = " ".join(words)
    first = words[0].split("-")[0]
    if opening and start >= opening:  # after the name a reply opens on, a comma or dash is no text
        before = text[opening:start].strip(" ,-–—")
    else:
        before = _HANDLE_PREFIX_RE.sub("", text[:start]).rstrip()
    if (not before or before[-1] in _SENTENCE_END) and first[:1].isupper() and first[1:] == first[1:].lower():
        return written[0].lower() + written[1:]
    return written


_HANDLE_PREFIX_RE: Final = re.compile(r"^(?:\s*@[\w.\-]+)+")  # "@BriocheAndCo Débitée…": a sentence start


def name_index(people: Iterable[str]) -> dict[str, set[tuple[str, ...]]]:
    """People's names and handles ("Sonia Brahimi", "@sonia.brahimi", "@anne@piaille.fr") as
    folded words, by their first word."""
    from .triage.features import tokens

    index: dict[str, set[tuple[str, ...]]] = {}
    for who in people:
        words = tuple(tokens(who.lstrip("@").split("@")[0]))  # a handle's @ and instance left out
        if words:
            index.setdefault(words[0], set()).add(words)
    return index


def _named(words: Sequence[str], names: dict[str, set[tuple[str, ...]]]) -> set[int]:
    """The positions of a message's folded words that name a person: a name of two words or
    more anywhere ("merci Sonia Brahimi"), and the first words when they are a name or its first
    word (a reply opening on the tag of the person it answers, in full or shortened to the
    first name, as Facebook writes it). One word alone elsewhere is a word: "boulanger" stays
    one though a "Claire Boulanger" wrote in."""
    out: set[int] = set()
    for at, word in enumerate(words):
        for name in names.get(word, ()):
            if (len(name) >= 2 or at == 0) and tuple(words[at : at + len(name)]) == name:
                out.update(range(at, at + len(name)))
    if words and words[0] in names:
        out.add(0)
    return out


def written_forms(terms: Sequence[str], texts: Sequence[str], people: Iterable[str] = ()) -> dict[str, str]:
    """Each term as the spike's messages most often wrote it, accents kept: "debitee" reads
    "débitée" when some wrote the accents (those who left them out meant the same word)."""
    seen: dict[str, Counter] = {term: Counter() for term in terms}
    names = name_index(people)
    for text in texts:
        for term, written in _written(text, names).items():
            if term in seen:
                seen[term][written] += 1
    out = {}
    for term, forms in seen.items():
        accented = Counter({form: n for form, n in forms.items() if any(c.isalpha() and not c.isascii() for c in form)})
        best = (accented or forms).most_common(1)
        out[term] = best[0][0] if best else term
    return out


def shown_terms(summary: dict) -> list[str]:
    """An alert's terms as the banner and crisis mode show them (alerts stored before the
    spellings were kept show their folded words)."""
    labels = summary.get("labels") or {}
    return [labels.get(term, term) for term, _ in summary.get("terms", [])]


def spike_terms(texts: Sequence[str], before: Sequence[str], people: Iterable[str] = ()) -> list[tuple[str, int]]:
    """The words and phrases much more frequent in `texts` than in `before` (each counted once
    per message), most telling first, with how many of `texts` carry them. The terms are folded
    (`_terms`' keys): what the crisis list matches, whatever the accents. The names of `people`
    (authors' names and handles) are never terms, nor part of one (see `_named`)."""
    names = name_index(people)
    now = Counter(term for text in texts for term in _written(text, names))
    # Before: every pair `_terms` makes, a superset of the phrases (the lift errs low, not high).
    then = Counter(term for text in before for term in _terms(text))
    n_now, n_then = max(1, len(texts)), max(1, len(before))
    scored = []
    for term, c in now.items():
        if c < MIN_TERM_COUNT:
            continue
        lift = (c / n_now) / ((then[term] + 0.5) / (n_then + 1))
        if lift >= 3:
            scored.append((c * math.log(lift), term, c))
    scored.sort(reverse=True)
    out: list[tuple[str, int]] = []
    for _, term, c in scored:
        words = term.split()
        if _said_already(term, [chosen for chosen, _ in out]):
            continue
        # A pair says more than its words: it replaces them ("deux fois" over "fois").
        if len(words) > 1:
            out = [(chosen, n) for chosen, n in out if " " in chosen or chosen not in words]
        out.append((term, c))
        if len(out) == TOP_TERMS:
            break
    return out


def _said_already(term: str, chosen: list[str]) -> bool:
    """Whether a chosen term says it: a word of a chosen phrase, a phrase that continues one
    ("débitée deux" after "deux fois"), or its plural."""
    words = term.split()
    singular = singular_words(term)
    for other in chosen:
        others = other.split()
        if singular_words(other) == singular:
            return True
        if len(words) == 1 and len(others) > 1 and term in others:
            return True
        if len(words) == 2 and len(others) == 2 and (words[1] == others[0] or words[0] == others[1]):
            return True
    return False


def singular_words(term: str) -> str:
    """Each word's plural "s" dropped ("doubles prélèvements" -> "double prélèvement"): how a
    term is compared, here and by the crisis list (store/buzzdata.py)."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in term.split())


# -- checking a workspace, with the alerts kept in the store ---------------------------------------


_WORDS: Final = ("terms", "labels", "authors", "networks")  # what a window says its buzz is about


def _words_of(summary: dict, count: int) -> dict:
    return {"count": count, **{key: summary.get(key) or ([] if key != "labels" else {}) for key in _WORDS}}


def peak_words(summary: dict) -> dict:
    """An alert's summary with the words, spellings, authors and networks of its busiest window
    (`at_peak`, kept from check to check): what the buzz was about, once its last windows have
    moved on to a word or two ("appli"). Alerts stored before these were kept: their last ones."""
    at_peak = summary.get("at_peak") or {}
    return {**summary, **{key: at_peak[key] for key in _WORDS if key in at_peak}}


def summary_of(spike: Spike, settings: BuzzSettings, peak: int | None = None) -> dict:
    summary = {
        "headline": spike.headline(settings.window_minutes),
        "count": spike.count,
        "peak": max(spike.count, peak or 0),
        "total": spike.total,
        "usual": spike.usual,
        "spread": spike.spread,
        "window_minutes": settings.window_minutes,
        "terms": spike.terms,
        "matched": [term for term, _ in spike.terms],  # every word the alert has shown (see _follow)
        "labels": spike.labels,
        "authors": spike.authors,
        "networks": spike.networks,
    }
    summary["at_peak"] = _words_of(summary, spike.count)  # the fired window; `_follow` keeps the busiest
    return summary


# Crisis mode lists the buzz's first victims too, who wrote before the window that fired (a
# double charge seen at 17:22, the alert at 18:26 on the window from 18:11): from the earliest
# negative message carrying one of its leading words, each such message at most
# LOOKBACK_GAP_HOURS before the next one (a buzz builds up in a chain of early reports; a lone
# "twice" in a complaint of the morning is not its start), and never more than LOOKBACK_HOURS
# before the window (half a working day: a customer who wrote earlier has been answered, or is
# better answered one by one than with the crisis statement). From there the list takes what it
# takes in the window: open, negative, carrying one of the buzz's words.
LOOKBACK_HOURS: Final = 6
LOOKBACK_GAP_HOURS: Final = 2


def leading_terms(summary: dict) -> list[str]:
    """The words that carried an alert: its busiest window's (see `peak_words`; the first three
    alone missed "twice" when "deux fois", "#BriocheGate" and "double" led)."""
    return [term for term, _ in peak_words(summary).get("terms", [])]


def buzz_began(since: float, before: Sequence[tuple[float, set[str]]], leading: set[str]) -> float:
    """When a buzz whose window opened at `since` began: given the negative messages before it
    (`before`: when, and their terms; newest first, LOOKBACK_HOURS at most), the earliest of a
    chain of those carrying a `leading` word, each within LOOKBACK_GAP_HOURS of the next."""
    start = since
    for when, terms in before:
        if start - when > LOOKBACK_GAP_HOURS * 3600 or since - when > LOOKBACK_HOURS * 3600:
            break
        if terms & leading:
            start = when
    return start


def headline(summary: dict) -> str:
    """An alert's numbers now, and its peak when the window has fallen since: "12 negative in
    15 min, usual 4 (peak 55)" (the banner and the toast say the same)."""
    said = summary.get("headline", "")
    peak = summary.get("peak")
    if peak and peak > summary.get("count", 0):
        said += f" (peak {peak})"
    return said


def ended_headline(alert) -> str:
    """An ended alert's numbers: "ended · peak 52 negative in 15 min, usual 2" (its usual is the
    one before it)."""
    summary = alert.summary
    peak = max(alert.count, summary.get("peak") or 0)
    minutes = summary.get("window_minutes", 15)
    usual = f"usual {alert.baseline:.0f}" if alert.baseline >= 1 else "usual under 1"
    return f"ended · peak {peak} negative in {minutes} min, {usual}"


def calm_level(usual: float, settings: BuzzSettings) -> float:
    """The window's negatives at or under which a buzz has calmed down: under `ratio` times the
    usual of before it (the bar it crossed to fire: at the bar itself, it would fire and be calm
    at once), or half the minimum volume of an alert."""
    return max(math.ceil(settings.ratio * usual) - 1, settings.min_volume / 2)


def peak_and_calm(times: Sequence[float], since: float, now: float, window_seconds: float, level: float) -> tuple[int, float | None]:
    """Over the windows ending between `since` and `now`, given when the negative items arrived
    (`times`, sorted, from `since - window_seconds` on): the most any window held, and since
    when every window has held at most `level` (None when the one ending now holds more)."""
    count = sum(1 for t in times if since - window_seconds < t <= since)
    events = sorted(
        [(t, 1) for t in times if since < t <= now] + [(t + window_seconds, -1) for t in times if since < t + window_seconds <= now]
    )
    peak = count
    calm_from = since if count <= level else None
    i = 0
    while i < len(events):
        at = events[i][0]
        while i < len(events) and events[i][0] == at:  # what arrives and leaves at once, then the count
            count += events[i][1]
            i += 1
        peak = max(peak, count)
        if count > level:
            calm_from = None
        elif calm_from is None:
            calm_from = at
    return peak, calm_from


def _history(store, workspace_id: int, end: float, settings: BuzzSettings, alerts) -> History:
    """The windows before `end` (and the latest texts), without those of earlier alerts: a past
    buzz is not what this workspace usually sees."""
    seconds = settings.window_minutes * 60
    history = store.buzz_history(workspace_id, end - settings.history_days * 86400, end, seconds, texts=HISTORY_TEXTS)
    spans = [(a.window_start, a.ended_at if a.ended_at is not None else end) for a in alerts]
    if not spans:
        return history
    return replace(history, windows=[w for w in history.windows if not any(w[0] < b and w[0] + seconds > a for a, b in spans)])


def check(store, workspace_id: int, now: float, settings: BuzzSettings, hours: BusinessHours):
    """Look at the workspace now: open an alert when a spike fires (outside the cooldown),
    keep an open one up to date, end it when its volume is back near its pre-spike usual.
    Returns the active alert, or None."""
    seconds = settings.window_minutes * 60
    window = store.buzz_window(workspace_id, now - seconds, now)
    alerts = store.buzz_alerts(workspace_id, limit=EARLIER_ALERTS)
    last = alerts[0] if alerts else None
    if last is not None and last.active:
        return _follow(store, last, alerts[1:], window, now, settings)
    if last is not None and last.ended_at is not None and now - last.ended_at < settings.cooldown_minutes * 60:
        return None
    spike = assess(window, _history(store, workspace_id, now - seconds, settings, alerts), now, settings, hours)
    if not spike.fired:
        return None
    store.open_buzz(workspace_id, spike.window_start, now, spike.count, spike.usual, summary_of(spike, settings))
    return store.buzz_alerts(workspace_id, limit=1)[0]


def _follow(store, alert, earlier, window: Sequence[Item], now: float, settings: BuzzSettings):
    """An open alert, checked again: the window's numbers against the usual it fired against,
    its words (against the history before it), its peak, and whether it is over."""
    seconds = settings.window_minutes * 60
    negatives = [item for item in window if item.negative]
    usual = alert.baseline
    spike = Spike(now - seconds, now, len(negatives), len(window), usual, alert.summary.get("spread", 0.0), True)
    describe(spike, negatives, _history(store, alert.workspace_id, alert.window_start, settings, earlier), _people(window))
    times = store.buzz_negative_times(alert.workspace_id, alert.fired_at - seconds, now)
    peak, calm_from = peak_and_calm(times, alert.fired_at, now, seconds, calm_level(usual, settings))
    peak = max(peak, alert.count, alert.summary.get("peak") or 0)
    summary = summary_of(spike, settings, peak)
    if not spike.terms:  # the window has moved past the words: keep the alert's own
        summary["terms"] = alert.summary.get("terms", [])
        summary["labels"] = alert.summary.get("labels", {})
    # The banner says what the buzz is about now; the crisis list matches every word it has
    # said (entered late, on "appli" alone, it missed the "deux fois" of the buzz's start).
    # What it was about: the words of its busiest window checked (the banner showed them at the
    # peak); a quieter window, or one past the words, does not replace them.
    kept = alert.summary.get("at_peak") or _words_of(alert.summary, alert.summary.get("count", 0))
    if not spike.terms or spike.count <= kept.get("count", 0):
        summary["at_peak"] = kept
    matched = list(alert.summary.get("matched") or [term for term, _ in alert.summary.get("terms", [])])
    summary["matched"] = matched + [term for term, _ in summary["terms"] if term not in matched]
    ended_at = calm_from if calm_from is not None and now - calm_from >= seconds else None
    store.update_buzz(alert.id, now, peak, summary, ended_at=ended_at)
    return None if ended_at is not None else store.buzz_alerts(alert.workspace_id, limit=1)[0]
