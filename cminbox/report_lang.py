"""The month's report in English or French: every text it writes, in one table, and how each
language writes numbers and dates.

A text is a `str.format` template; both languages have the same keys and the same blanks (a
test checks). Plurals follow each language: "0 messages" in English, "0 message" in French.
Dates are written from the tables below, never from the machine's locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

LANGUAGES: Final = ("en", "fr")

TEXTS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "{name}: report for {month}",
        "intro": "{count} {messages} {period} (spam left out).",
        "message": "message", "messages": "messages",
        "period": "from {first} to {last}",
        "period so far": "from {first} to {last} (this month so far)",
        "period to come": "from {first}: this month has not started yet",
        "volumes": "Volumes", "network": "network", "kind": "kind",
        "comment": "comment", "dm": "dm", "mention": "mention", "review": "review",
        "sentiment": "Sentiment", "negative": "negative", "neutral": "neutral", "positive": "positive",
        "label count": "- {label}: {count} ({share})",
        "week of": "week of", "negative share": "negative share", "week label": "week of {day}",
        "week tooltip": "{week}: {count} {label}",
        "negatives": "negative", "neutrals": "neutral", "positives": "positive",
        "complaints heading": "Complaints (target: an answer within {minutes} min{hours})",
        "in business hours": ", in business hours",
        "complaint": "complaint", "complaints": "complaints",
        "complaint count": "- {count} {complaints}, {share} of messages",
        "answered": "- answered (a reply sent, or marked done): {count} ({share})",
        "within": "    - within the target: {count} ({share} of complaints)",
        "after": "    - after the target: {count} ({share} of complaints)",
        "still open": "- still open (no reply sent, not marked done): {count} ({share}){snoozed}",
        "snoozed among": ", {count} of them {snoozed}",
        "snoozed complaint": "snoozed", "snoozed complaints": "snoozed",
        "time to answer": "- time to answer: median {median}, slowest {slowest}",
        "themes": "Top complaint themes:", "theme": "theme",
        "praise": "Praise", "message of praise": "message of praise", "messages of praise": "messages of praise",
        "praise count": "- {count} {praise}, {share} of messages",
        "thanked": "- thanked (a reply sent, or marked done): {count} ({share})",
        "starred": "Starred feedback",
        "no star": "No starred message this month: {star} in the inbox stars one for this report.",
        "Positive": "Positive", "Negative": "Negative", "Other": "Other", "said": "{author}: {quote}",
        "minutes": "{value} min", "hours": "{value} h", "days": "{value} days",
        "html complaints": "{count} {complaints} ({share} of messages); target: an answer within {minutes} min{hours}.",
        "complaints title": "Complaints", "part": "{name}: {count}",
        "answered on time": "answered on time", "answered late": "answered late", "open part": "still open",
        "snoozed part": "({count} {snoozed})",
        "html time to answer": "Time to answer: median {median}, slowest {slowest}.",
        "html praise": "{count} {praise} ({share} of messages); thanked (a reply sent, or marked done): {thanked} ({thanked_share}).",
        # CSV: column names and the words in its cells (numbers and dates stay as they are).
        "created": "created", "author": "author", "sentiment_label": "sentiment_label", "status": "status",
        "is complaint": "complaint", "is starred": "starred", "answered at": "answered",
        "response_minutes": "response_minutes", "on_time": "on_time", "cues": "cues", "is praise": "praise",
        "url": "url", "text": "text", "yes": "yes", "no": "no",
        "open": "open", "done": "done", "snoozed": "snoozed", "sentiment column": "sentiment",
    },
    "fr": {
        "title": "{name} : rapport de {month}",
        "intro": "{count} {messages} {period}, hors spam.",
        "message": "message", "messages": "messages",
        "period": "du {first} au {last}",
        "period so far": "du {first} au {last} (mois en cours)",
        "period to come": "à partir du {first} : ce mois n’a pas encore commencé",
        "volumes": "Volumes", "network": "réseau", "kind": "type",
        "comment": "commentaire", "dm": "message privé", "mention": "mention", "review": "avis",
        "sentiment": "Tonalité", "negative": "négatif", "neutral": "neutre", "positive": "positif",
        "label count": "- {label} : {count} ({share})",
        "week of": "semaine du", "negative share": "part de négatifs", "week label": "semaine du {day}",
        "week tooltip": "{week} : {count} {label}",
        "negatives": "négatifs", "neutrals": "neutres", "positives": "positifs",
        "complaints heading": "Réclamations (objectif : une réponse sous {minutes} min{hours})",
        "in business hours": ", en heures ouvrées",
        "complaint": "réclamation", "complaints": "réclamations",
        "complaint count": "- {count} {complaints}, {share} des messages",
        "answered": "- répondues (réponse envoyée ou marquées comme traitées) : {count} ({share})",
        "within": "    - dans les délais : {count} ({share} des réclamations)",
        "after": "    - hors délai : {count} ({share} des réclamations)",
        "still open": "- sans réponse (aucune réponse envoyée, non marquées comme traitées) : {count} ({share}){snoozed}",
        "snoozed among": ", dont {count} {snoozed}",
        "snoozed complaint": "mise en attente", "snoozed complaints": "mises en attente",
        "time to answer": "- délai de réponse : médiane {median}, maximum {slowest}",
        "themes": "Principaux motifs de réclamation :", "theme": "motif",
        "praise": "Compliments", "message of praise": "compliment", "messages of praise": "compliments",
        "praise count": "- {count} {praise}, {share} des messages",
        "thanked": "- remerciés (réponse envoyée ou marqués comme traités) : {count} ({share})",
        "starred": "Verbatims",
        "no star": "Aucun verbatim retenu ce mois-ci : dans la boîte de réception, {star} ajoute un message aux verbatims de ce rapport.",
        "Positive": "Positifs", "Negative": "Négatifs", "Other": "Autres", "said": "{author} : {quote}",
        "minutes": "{value} min", "hours": "{value} h", "days": "{value} jours",
        "html complaints": "{count} {complaints} ({share} des messages) ; objectif : une réponse sous {minutes} min{hours}.",
        "complaints title": "Réclamations", "part": "{name} : {count}",
        "answered on time": "répondues dans les délais", "answered late": "répondues hors délai",
        "open part": "sans réponse", "snoozed part": "(dont {count} {snoozed})",
        "html time to answer": "Délai de réponse : médiane {median}, maximum {slowest}.",
        "html praise": "{count} {praise} ({share} des messages) ; remerciés (réponse envoyée ou marqués comme traités) : {thanked} ({thanked_share}).",
        "created": "créé", "author": "auteur", "sentiment_label": "tonalité_libellé", "status": "statut",
        "is complaint": "réclamation", "is starred": "verbatim", "answered at": "répondu",
        "response_minutes": "délai_minutes", "on_time": "dans_les_délais", "cues": "motifs", "is praise": "compliment",
        "url": "lien", "text": "texte", "yes": "oui", "no": "non",
        "open": "à traiter", "done": "traité", "snoozed": "en attente", "sentiment column": "tonalité",
    },
}  # fmt: skip

_MONTHS_EN: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_EN: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_FR: Final = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                     "octobre", "novembre", "décembre")  # fmt: skip
_SHORT_MONTHS_FR: Final = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                           "nov.", "déc.")  # fmt: skip
_DAYS_FR: Final = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_THIN_SPACE: Final = "\u202f"  # French groups thousands with a narrow no-break space


@dataclass(frozen=True, slots=True)
class Language:
    code: str

    def __call__(self, key: str, **values: object) -> str:
        """The text `key` in this language, its blanks filled."""
        return TEXTS[self.code][key].format(**values)

    def word(self, key: str) -> str:
        """A word that may not be in the table (a kind, a status a newer version adds): itself then."""
        return TEXTS[self.code].get(key, key)

    @property
    def french(self) -> bool:
        return self.code == "fr"

    def plural(self, count: int, one: str, many: str) -> str:
        """The word for `count` things: French says "0 message", English "0 messages"."""
        single = count <= 1 if self.french else count == 1
        return self(one if single else many)

    def number(self, value: int) -> str:
        grouped = f"{value:,}"
        return grouped.replace(",", _THIN_SPACE) if self.french else grouped

    def decimal(self, value: float, places: int = 1) -> str:
        text = f"{value:,.{places}f}"
        return text.replace(",", _THIN_SPACE).replace(".", ",") if self.french else text

    def percent(self, part: int, whole: int) -> str:
        """"12 %" of a whole, or a dash when there is nothing to count."""
        return f"{100 * part / whole:.0f} %" if whole else "—"

    def shares(self, parts: list[int]) -> list[str]:
        """Each part's "12 %" of their sum, the parts of one whole shown side by side: they add up
        to exactly 100 % (largest remainder: each part's percent rounded down, then the points
        left over go one each to the parts that lost the most, the larger part, then the earlier,
        first among equals). Dashes when there is nothing to count."""
        return [f"{value} %" for value in whole_percents(parts)] if sum(parts) else ["—"] * len(parts)

    def duration(self, minutes: float) -> str:
        if minutes < 90:
            return self("minutes", value=self.decimal(minutes, 0))
        if minutes < 48 * 60:
            return self("hours", value=self.decimal(minutes / 60))
        return self("days", value=self.decimal(minutes / 1440))

    def month(self, label: str) -> str:
        """"2026-11" in English; "novembre 2026" in French."""
        if not self.french:
            return label
        year, number = label.split("-")
        return f"{_MONTHS_FR[int(number) - 1]} {year}"

    def date(self, day: datetime) -> str:
        """"01 Nov 2026"; "1er novembre 2026"."""
        if not self.french:
            return f"{day.day:02d} {_MONTHS_EN[day.month - 1]} {day.year}"
        return f"{_french_day(day.day)} {_MONTHS_FR[day.month - 1]} {day.year}"

    def week(self, monday: datetime) -> str:
        """A week's row in a table: "Mon 02 Nov"; "lundi 2 novembre"."""
        if not self.french:
            return f"{_DAYS_EN[monday.weekday()]} {monday.day:02d} {_MONTHS_EN[monday.month - 1]}"
        return f"{_DAYS_FR[monday.weekday()]} {_french_day(monday.day)} {_MONTHS_FR[monday.month - 1]}"

    def short_date(self, day: datetime) -> str:
        """For a chart's label or beside a quote: "02 Nov"; "2 nov."."""
        if not self.french:
            return f"{day.day:02d} {_MONTHS_EN[day.month - 1]}"
        return f"{_french_day(day.day)} {_SHORT_MONTHS_FR[day.month - 1]}"

    def day_month(self, day: datetime) -> str:
        """A day in a sentence, its month in full where the language would: "09 Nov"; "9 novembre"."""
        if not self.french:
            return self.short_date(day)
        return f"{_french_day(day.day)} {_MONTHS_FR[day.month - 1]}"

    def moment(self, when: datetime) -> str:
        """"02 Nov 14:05"; "2 nov. 14:05"."""
        return f"{self.short_date(when)} {when:%H:%M}"


def whole_percents(parts: list[int]) -> list[int]:
    """Whole percents of `parts`' sum that add up to 100 (largest remainder; see `Language.shares`)."""
    whole = sum(parts)
    if not whole:
        return [0] * len(parts)
    floors, remainders = zip(*(divmod(100 * part, whole) for part in parts))
    left = 100 - sum(floors)
    first = sorted(range(len(parts)), key=lambda i: (-remainders[i], -parts[i], i))[:left]
    return [floor + (i in first) for i, floor in enumerate(floors)]


def _french_day(day: int) -> str:
    return "1er" if day == 1 else str(day)


def language(code: str) -> Language:
    if code not in LANGUAGES:
        raise ValueError(f"language {code!r}: expected one of {', '.join(LANGUAGES)}")
    return Language(code)
