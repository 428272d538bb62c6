"""The scripted day behind `cminbox --demo`: Brioche & Co, a bakery chain, and its bad buzz.

Brioche & Co has shops in France and Montréal, an online shop with delivery, an app with
loyalty points, a subscription (la Box du dimanche) and seasonal products. Last night the
brand shipped a new version of its app; about two minutes into the demo, customers notice
they were charged twice and the bad buzz starts.

`build_day(seed)` returns the whole day as `DemoEvent`s sorted by `at` (seconds from the
demo's start; negative for last night's backlog). Each message's `created_at` holds the
same relative offset: the replayer adds the real anchor time. Same seed, same day; no
global random state, no clock.

Core code: standard library and `cminbox.models` only.

Each message's `extra` carries the script's own ground truth, for tests and evaluation:
`demo_topic` (e.g. "buzz", "late_delivery", "praise", "spam") and `demo_tone`
("neg", "pos", "neu", "spam").
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass, field

from cminbox.models import Incoming

__all__ = [
    "BRAND",
    "BUZZ_END",
    "BUZZ_KEYWORDS",
    "BUZZ_START",
    "BUZZ_THEME",
    "COMPETITORS",
    "DAY_START_HOUR",
    "DemoEvent",
    "build_day",
    "is_buzz_text",
]

BRAND: str = "Brioche & Co"
BUZZ_START: float = 120.0
# The main wave lasts about ten minutes, then tails off for about twenty.
BUZZ_END: float = BUZZ_START + 30 * 60
BUZZ_THEME: str = "double prélèvement / charged twice"
# Accent-free, lower-case fragments: every buzz message contains at least one, no other
# message of the script does (see `is_buzz_text`).
BUZZ_KEYWORDS: tuple[str, ...] = (
    "deux fois",
    "2 fois",
    "twice",
    "double prelevement",
    "doubles prelevements",
    "double debit",
    "double charge",
    "double-charg",
    "briochegate",
    "debite",
    "preleve",
    "charged",
    "chargé deux",
)
# Wall-clock hour the demo's `at == 0` stands for: the CM opens the inbox at 8:00.
DAY_START_HOUR: float = 8.0
# Fictional competitors the script's customers compare the brand with.
COMPETITORS: tuple[str, ...] = ("Fournil Doré", "Maison Levain", "Pétrin & Fils", "La Mie du Plateau")


@dataclass(frozen=True, slots=True)
class DemoEvent:
    """One scripted arrival: `at` seconds from the demo's start (negative: backlog)."""

    at: float
    message: Incoming


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def is_buzz_text(text: str) -> bool:
    """Whether `text` talks about the buzz theme (double charge after the app update)."""
    folded = _fold(text)
    return any(_fold(k) in folded for k in BUZZ_KEYWORDS)


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------

_FIRST = {
    "fr": (
        "Julie Camille Léa Manon Chloé Sarah Emma Pauline Marion Claire Sophie Nathalie "
        "Isabelle Sandrine Céline Aurélie Élodie Laure Mathilde Océane Justine Margaux "
        "Clémence Anaïs Lucie Charlotte Juliette Alice Zoé Brigitte Martine Sylvie Valérie "
        "Agathe Capucine Noémie Hélène Estelle Coralie Morgane Audrey Laetitia Gwenaëlle",
        "Thomas Nicolas Julien Maxime Antoine Alexandre Kevin Romain Guillaume Pierre Hugo "
        "Lucas Théo Louis Baptiste Quentin Florian Mathieu Sébastien Jérôme Olivier "
        "Christophe Philippe Benoît Arnaud Clément Damien Jean-Marc Yannick Gaëtan Loïc "
        "Bastien Dylan Cédric Fabrice Thierry Ludovic Erwan Adrien Valentin",
    ),
    "qc": (
        "Marie-Ève Marie-Claude Geneviève Josée Mélanie Catherine Émilie Audrey Valérie "
        "Stéphanie Annie Karine Maude Roxanne Jessica Kim Frédérique Véronique Isabelle "
        "Amélie Chantal Julie Marie-Pier Andréanne Myriam",
        "Jean-François Marc-André Jean-Philippe Mathieu Simon Étienne Gabriel Félix Samuel "
        "Olivier Francis Éric Stéphane Sylvain Patrick Martin Yannick Jonathan Maxime "
        "Louis-Philippe Jérémie Guillaume Pier-Luc Alexis Vincent",
    ),
    "en": (
        "Emily Sarah Jessica Olivia Hannah Chloe Megan Rachel Lauren Amy Kate Sophie Grace "
        "Ashley Natalie Priya Mei Aisha Hailey Madison Abby Erin Claire Jenna",
        "James Michael David Chris Matt Ryan Josh Daniel Tom Ben Jack Liam Noah Ethan Tyler "
        "Kyle Sam Alex Jordan Connor Owen Aidan Raj Kenji Wei Nate Evan Marcus",
    ),
    "mag": (
        "Yasmine Nadia Samira Leïla Amina Sofia Inès Myriam Salma Rania Kenza Nour Sonia "
        "Lina Imane Dounia",
        "Mehdi Karim Yassine Sofiane Rachid Bilal Nabil Samir Walid Hakim Ilyes Amine "
        "Youssef Farid Mourad Reda Nassim Anis",
    ),
    "afr": (
        "Aminata Fatoumata Awa Mariama Aïssatou Khadija Grâce Prisca Ornella Fanta Rokia "
        "Nafi Mireille Stécy",
        "Moussa Mamadou Ibrahima Ousmane Cheikh Abdoulaye Seydou Yao Koffi Serge Christian "
        "Junior Landry Jean-Baptiste Wilson Frantz Ricardo",
    ),
}
_LAST = {
    "fr": (
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon "
        "Laurent Lefebvre Michel Garcia Fournier Girard Bonnet Dupont Lambert Fontaine "
        "Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier "
        "Chevalier François Legrand Gauthier Perrin Robin Clément Morin Henry Roussel "
        "Mathieu Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun "
        "Blanchard Giraud Joly Rivière Brunet Gaillard Barbier Arnaud Martinez Roche Renard "
        "Schmitt Leroux Colin Vidal Caron Picard Le Gall Le Goff Kerbrat Tanguy Ferrand "
        "Bertin Delmas Carpentier Pons"
    ),
    "qc": (
        "Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet "
        "Pelletier Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron "
        "Beaulieu Cloutier Dubé Poirier Lapointe Leclerc Poulin Thibault St-Pierre Nadeau "
        "Martel Gilbert Hébert Desjardins Lachance Bisson Turcotte Larouche Boivin"
    ),
    "en": (
        "Smith Johnson Brown Taylor Wilson Davies Evans Thompson Walker Wright Robinson "
        "Clarke Hughes Green Hall Wood Harris Lewis Jackson White Campbell Stewart Murphy "
        "O'Brien Kelly MacDonald Anderson Cohen Singh Patel Chen Nguyen Kim Lee Wong Rossi "
        "Greenberg Fraser Morrison Sullivan"
    ),
    "mag": (
        "Benali Haddad Bensaïd Belkacem Amrani Boukhalfa Cherif Mansouri Saïdi Bouzid "
        "Benyahia Aït Ahmed El Amrani Ziani Hamdi Toumi Brahimi Kaci Lahlou Meziane "
        "Bouaziz Chaouch Rahmani"
    ),
    "afr": (
        "Diallo Traoré Diop Ndiaye Camara Koné Coulibaly Sow Ba Fofana Kouassi Konaté "
        "Mbaye Sylla Cissé Touré Mensah Kamara Nguessan Bamba Sangaré Keïta Diakité "
        "Jean-Baptiste Pierre-Louis Joseph Saint-Fleur Désir"
    ),
}


def _split_names(text: str) -> tuple[str, ...]:
    # Compound last names ("Le Gall", "Aït Ahmed", "El Amrani") are kept whole.
    out: list[str] = []
    words = text.split()
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("Le", "El", "Aït", "Saint") and i + 1 < len(words):
            out.append(f"{w} {words[i + 1]}")
            i += 2
            continue
        out.append(w)
        i += 1
    return tuple(out)


_FIRST_F = {k: tuple(v[0].split()) for k, v in _FIRST.items()}
_FIRST_M = {k: tuple(v[1].split()) for k, v in _FIRST.items()}
_LAST_T = {k: _split_names(v) for k, v in _LAST.items()}

_ASCII = str.maketrans(
    "àâäáãçéèêëíìîïñóòôöõúùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ",
    "aaaaaceeeeiiiinooooouuuuyAAACEEEEIIOOUUUY",
)


def _noaccent(text: str) -> str:
    return text.translate(_ASCII).replace("œ", "oe").replace("Œ", "OE")


_NOT_SLUG = re.compile(r"[^a-z0-9]")


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("", _noaccent(text).lower())


@dataclass(slots=True)
class _Person:
    first: str
    last: str
    fem: bool
    voice: str  # how they write: "fr", "qc" or "en"
    region: str  # where they buy: "fr", "sud" (chocolatine land), "mtl", "intl"
    reach: int
    base: str  # handle stem shared by their accounts
    noaccent: bool = False
    sms: bool = False
    lower: bool = False
    formal: bool = False
    emoji: float = 0.2
    typo: float = 0.05
    shouty: float = 0.05
    bangs: bool = False
    role: str = "person"  # "influencer", "journalist", "bot"
    label: str = ""  # influencers' and journalists' display name
    accounts: dict = field(default_factory=dict)


_EMOJI_POS = "😍 🥐 ❤️ 🙏 👌 🔥 😋 ✨ 💛 🤤 👏 🥰 😊 💯 ☕".split()
_EMOJI_NEG = "😡 🙄 😤 👎 🤬 😒 😠 🙃 💀 😑".split()
_EMOJI_NEU = "🙂 🙏 😅 🤔 👀 ☺️".split()
_HANDLE_TAGS = ("off", "foodie", "eats", "run", "pics", "bakes")
_REGION_TAGS = {
    "fr": ("75", "69", "lyon", "paris", "bzh", "59", "44", "13", "gourmande"),
    "sud": ("33", "31", "bdx", "tlse", "sudouest"),
    "mtl": ("mtl", "qc", "514", "plateau"),
    "intl": ("uk", "nyc", "travels", "london"),
}


class _People:
    """Makes and remembers the day's authors; a few come back during the day."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()
        self.by_voice: dict[str, list[_Person]] = {"fr": [], "qc": [], "en": []}
        self.vips: list[_Person] = []
        self._make_vips()

    # -- reach ---------------------------------------------------------------------------
    def reach(self, big: bool = False) -> int:
        rng = self.rng
        if big or rng.random() < 0.012:
            return int(math.exp(rng.uniform(math.log(20_000), math.log(200_000))))
        return min(15_000, int(rng.lognormvariate(4.6, 1.25)))

    # -- handles -------------------------------------------------------------------------
    def _unique(self, stem: str) -> str:
        stem = stem.strip("._") or "user"
        cand = stem
        while cand in self.taken:
            cand = f"{stem}{self.rng.randint(2, 999)}"
        self.taken.add(cand)
        return cand

    def _stem(self, first: str, last: str, region: str = "fr") -> str:
        rng = self.rng
        f, l = _slug(first), _slug(last)
        n = rng.random()
        if n < 0.16:
            s = f + l
        elif n < 0.30:
            s = f"{f}.{l}"
        elif n < 0.42:
            s = f"{f}_{l}"
        elif n < 0.54:
            s = f"{f}{l[:1]}{rng.randint(1, 99)}"
        elif n < 0.64:
            s = f"{f}{rng.choice(('', '_'))}{rng.randint(78, 99) if rng.random() < 0.5 else rng.randint(0, 12):02d}"
        elif n < 0.74:
            s = f"{l}{f[:1]}"
        elif n < 0.84:
            s = f"{f}_{rng.choice(_HANDLE_TAGS + _REGION_TAGS.get(region, ()))}"
        elif n < 0.92:
            s = f"{f[:2]}{f[:2]}_{l[:3]}"
        else:
            s = f"{rng.choice(('the', 'its', 'la', 'le', 'mlle', 'mr'))}{f}"
        return self._unique(s[:15])

    # -- people --------------------------------------------------------------------------
    def new(self, voice: str, region: str | None = None, big: bool = False) -> _Person:
        rng = self.rng
        if region is None:
            if voice == "qc":
                region = "mtl"
            elif voice == "en":
                region = rng.choices(("mtl", "intl", "fr"), (0.55, 0.3, 0.15))[0]
            else:
                region = "sud" if rng.random() < 0.18 else "fr"
        if voice == "qc" or (voice == "fr" and region == "mtl"):
            origin = rng.choices(("qc", "afr", "mag", "fr"), (0.78, 0.08, 0.07, 0.07))[0]
        elif voice == "en":
            origin = rng.choices(("en", "qc", "mag", "afr"), (0.85, 0.06, 0.05, 0.04))[0]
        else:
            origin = rng.choices(("fr", "mag", "afr", "qc"), (0.72, 0.15, 0.11, 0.02))[0]
        fem = rng.random() < 0.56
        first = rng.choice((_FIRST_F if fem else _FIRST_M)[origin])
        last = rng.choice(_LAST_T[origin if origin != "qc" or voice != "en" else "qc"])
        p = _Person(
            first=first,
            last=last,
            fem=fem,
            voice=voice,
            region=region,
            reach=self.reach(big),
            base=self._stem(first, last, region),
            noaccent=voice != "en" and rng.random() < 0.28,
            sms=rng.random() < 0.2,
            lower=rng.random() < 0.3,
            formal=rng.random() < 0.14,
            emoji=rng.choice((0.0, 0.0, 0.15, 0.3, 0.5, 0.8)),
            typo=rng.choice((0.0, 0.05, 0.1, 0.2, 0.35)),
            shouty=rng.choice((0.0, 0.0, 0.03, 0.08, 0.25)),
            bangs=rng.random() < 0.25,
        )
        self.by_voice[voice].append(p)
        return p

    def pick(self, voice: str, regular: float = 0.12) -> _Person:
        """Someone writing in `voice`: usually new, sometimes a regular of the day."""
        pool = self.by_voice[voice]
        if pool and self.rng.random() < regular:
            return self.rng.choice(pool)
        return self.new(voice)

    def _make_vips(self) -> None:
        rng = self.rng
        vips = [
            # (label, handle stem, first, last, fem, voice, region, role)
            ("Lola mange Paris", "lolamangeparis", "Lola", "Perrin", True, "fr", "fr", "influencer"),
            ("Thomas | Paris en croissants", "parisencroissants", "Thomas", "Giraud", False, "fr", "fr", "influencer"),
            ("MTL Food Addict", "mtlfoodaddict", "Geneviève", "Lavoie", True, "qc", "mtl", "influencer"),
            ("The Croissant Critic", "croissantcritic", "Oliver", "Hughes", False, "en", "intl", "influencer"),
            ("Montreal Eats", "montreal.eats", "Priya", "Singh", True, "en", "mtl", "influencer"),
            ("Le Petit Gourmet Lyonnais", "petitgourmetlyon", "Romain", "Delmas", False, "fr", "fr", "influencer"),
            ("Julie Lemaire · Conso Mag", "julielemaire_cm", "Julie", "Lemaire", True, "fr", "fr", "journalist"),
            ("Marc-Antoine Roy (MTL Matin)", "marcantoineroy", "Marc-Antoine", "Roy", False, "qc", "mtl", "journalist"),
            ("Sarah Cohen, consumer reporter", "sarahcohen_news", "Sarah", "Cohen", True, "en", "mtl", "journalist"),
            ("Karim Haddad — InfoConso", "karimhaddad_ic", "Karim", "Haddad", False, "fr", "fr", "journalist"),
        ]
        for label, stem, first, last, fem, voice, region, role in vips:
            p = _Person(
                first=first,
                last=last,
                fem=fem,
                voice=voice,
                region=region,
                reach=self.reach(big=True),
                base=self._unique(stem),
                emoji=0.4 if role == "influencer" else 0.05,
                typo=0.0,
                shouty=0.0,
                role=role,
                label=label,
            )
            self.vips.append(p)

    def vip(self, role: str, voice: str | None = None) -> _Person:
        pool = [p for p in self.vips if p.role == role and (voice is None or p.voice == voice)]
        return self.rng.choice(pool or [p for p in self.vips if p.role == role])

    def bot(self, spam_index: int) -> _Person:
        """A spam account whose name fits what it posts."""
        rng = self.rng
        label = rng.choice(_SPAM_NAMES[_SPAM_KIND[spam_index]])
        stem = _slug(label)[:10] + rng.choice(("", "_", ".")) + str(rng.randint(100, 99999))
        p = _Person(
            first=label.split()[0],
            last="",
            fem=True,
            voice="en",
            region="intl",
            reach=rng.randint(0, 40) if rng.random() < 0.8 else rng.randint(1000, 9000),
            base=self._unique(stem),
            role="bot",
            label=label,
        )
        return p


def _account(people: _People, p: _Person, network: str) -> tuple[str, str]:
    """The person's (display name, handle) on `network`, stable for the day."""
    got = p.accounts.get(network)
    if got:
        return got
    rng = people.rng
    first, last, base = p.first, p.last, p.base
    initial = f"{last[:1]}." if last else ""
    if p.role in ("influencer", "journalist", "bot") and p.label:
        name = p.label
    elif network == "facebook":
        name = f"{first} {last}" if rng.random() < 0.9 else f"{first} {initial}"
    elif network == "instagram":
        name = rng.choice((f"{first} {last}", f"{first} {rng.choice(_EMOJI_POS)}", first.lower(), f"{first} {initial}"))
    elif network == "x":
        name = rng.choice((f"{first} {initial}", f"{first} {rng.choice(_EMOJI_POS)}", f"{first} {last}", base))
    elif network in ("bluesky", "mastodon"):
        name = rng.choice((f"{first} {last}", first, f"{first} {rng.choice(_EMOJI_POS)}"))
    elif network == "youtube":
        name = rng.choice((f"{first} {last}", base))
    elif network == "reddit":
        name = base
    elif network == "trustpilot":
        name = rng.choice((f"{first} {initial}", first, f"{last.upper()} {first}", f"{first} {last}"))
    else:  # google
        name = rng.choice((f"{first} {last}", f"{first} {initial}", f"{first} {last}"))
    if network == "facebook":
        handle = f"{_slug(first)}.{_slug(last)}.{rng.randint(1, 99)}" if last else base
    elif network == "reddit":
        handle = f"u/{base}"
    elif network == "mastodon":
        inst = rng.choice(("mastodon.social", "piaille.fr", "framapiaf.org", "mamot.fr", "mstdn.ca", "mas.to", "mastodon.online"))
        handle = f"@{base.replace('.', '_')}@{inst}"
    elif network == "bluesky":
        handle = f"@{base.replace('_', '-').replace('.', '-')}.bsky.social"
    elif network in ("google", "trustpilot"):
        handle = _slug(name) or base
    else:
        handle = f"@{base}"
    p.accounts[network] = (name, handle)
    return name, handle


# ---------------------------------------------------------------------------------------
# The brand: shops, products, posts
# ---------------------------------------------------------------------------------------

# city, area, "de" form, "à" form, region
_SHOPS = (
    ("Paris", "Oberkampf", "d'Oberkampf", "rue Oberkampf", "fr"),
    ("Paris", "Batignolles", "des Batignolles", "aux Batignolles", "fr"),
    ("Paris", "Commerce", "de la rue du Commerce", "rue du Commerce", "fr"),
    ("Lyon", "Croix-Rousse", "de la Croix-Rousse", "à la Croix-Rousse", "fr"),
    ("Lyon", "Part-Dieu", "de la Part-Dieu", "à la Part-Dieu", "fr"),
    ("Nantes", "Bouffay", "du Bouffay", "au Bouffay", "fr"),
    ("Lille", "Vieux-Lille", "du Vieux-Lille", "dans le Vieux-Lille", "fr"),
    ("Marseille", "Cours Julien", "du Cours Julien", "au Cours Julien", "fr"),
    ("Rennes", "Sainte-Anne", "de Sainte-Anne", "à Sainte-Anne", "fr"),
    ("Strasbourg", "Krutenau", "de la Krutenau", "à la Krutenau", "fr"),
    ("Bordeaux", "Chartrons", "des Chartrons", "aux Chartrons", "sud"),
    ("Toulouse", "Carmes", "des Carmes", "aux Carmes", "sud"),
    ("Montréal", "Plateau", "du Plateau", "sur le Plateau", "mtl"),
    ("Montréal", "Mile End", "du Mile End", "dans le Mile End", "mtl"),
    ("Montréal", "Vieux-Montréal", "du Vieux-Montréal", "dans le Vieux-Montréal", "mtl"),
    ("Montréal", "Verdun", "de Verdun", "à Verdun", "mtl"),
)
_SHOPS_BY_REGION = {
    "fr": [s for s in _SHOPS if s[4] == "fr"],
    "sud": [s for s in _SHOPS if s[4] == "sud"],
    "mtl": [s for s in _SHOPS if s[4] == "mtl"],
    "intl": [s for s in _SHOPS if s[0] in ("Paris", "Montréal")],
}
_PLACE_IDS = {
    s[1]: "ChIJ" + "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"[(i * 7 + j * 13 + 5) % 64] for j in range(23))
    for i, s in enumerate(_SHOPS)
}
_NO_SHOP_CITIES = ("Grenoble", "Dijon", "Montpellier", "Nice", "Annecy", "Brest", "Tours", "Metz", "Québec", "Sherbrooke", "Gatineau", "Genève", "Bruxelles")
_SUBURBS = {
    "fr": ("Boulogne", "Montreuil", "Villeurbanne", "Vénissieux", "Rezé", "Saint-Herblain", "Levallois", "Pantin", "Croix", "Cesson-Sévigné"),
    "sud": ("Pessac", "Mérignac", "Blagnac", "Colomiers", "Talence"),
    "mtl": ("Laval", "Longueuil", "Brossard", "l'Île-des-Sœurs", "Saint-Lambert", "Outremont"),
}
_SUBURBS["intl"] = _SUBURBS["fr"]
_COMPS = {"fr": COMPETITORS[:3], "sud": COMPETITORS[:3], "mtl": COMPETITORS[3:] + ("Maison Levain",), "intl": COMPETITORS}

# key: (French name, gender, English name, weight)
_PRODUCTS = (
    ("croissant", "m", "croissant", 5.0),
    ("pain au chocolat", "m", "pain au chocolat", 5.0),
    ("brioche", "f", "brioche", 4.0),
    ("brioche tressée", "f", "braided brioche", 1.0),
    ("galette des rois", "f", "galette des rois", 3.0),
    ("flan", "m", "flan", 3.0),
    ("baguette tradi", "f", "baguette", 3.0),
    ("chausson aux pommes", "m", "apple turnover", 1.5),
    ("pain aux raisins", "m", "pain aux raisins", 1.0),
    ("kouign-amann", "m", "kouign-amann", 1.0),
    ("éclair au café", "m", "coffee éclair", 1.0),
    ("tarte au citron", "f", "lemon tart", 1.0),
    ("cookie noisette", "m", "hazelnut cookie", 1.0),
)
_PRODUCT_W = tuple(p[3] for p in _PRODUCTS)
_VOWELS = "aeiouyéèêàâîôûh"


def _le(name: str, g: str) -> str:
    if name[0].lower() in _VOWELS and not name.startswith("Box"):
        return "l'" + name
    return ("le " if g == "m" else "la ") + name


def _un(name: str, g: str) -> str:
    return ("un " if g == "m" else "une ") + name


def _mon(name: str, g: str) -> str:
    return ("mon " if g == "m" or name[0].lower() in _VOWELS else "ma ") + name


def _son(name: str, g: str) -> str:
    return "s" + _mon(name, g)[1:]  # son / sa, as mon / ma


def _a_en(name: str) -> str:
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


@dataclass(frozen=True, slots=True)
class _Post:
    id: str
    network: str
    at: float  # when the brand published it
    caption: str
    topic: str
    url: str
    weight: float = 1.0


# id stem, network, published (hours from start), topic, weight, caption
_POSTS = (
    ("fb", "facebook", -30.0, "galette", 1.0,
     "👑 Elle est de retour ! La galette des rois frangipane pur beurre est dans toutes nos boutiques, "
     "avec une fève collector à trouver. Team frangipane ou team briochée ?"),
    ("fb", "facebook", -13.5, "app", 1.0,
     "📱 Nouvelle version de l'appli Brioche & Co : commande en 2 clics, paiement express et vos points "
     "fidélité toujours à portée de main. Mettez à jour !"),
    ("fb", "facebook", 1.5, "box", 1.2,
     "Ce dimanche dans la Box : brioche tressée, 4 croissants, confiture de lait maison et jus d'orange "
     "pressé 🧺 Commandez avant samedi midi !"),
    ("fb", "facebook", 4.5, "jobs", 1.0,
     "🧑‍🍳 On recrute ! Boulangers, pâtissiers et vendeurs à Paris, Lyon, Bordeaux et Montréal. "
     "Envoyez-nous vos candidatures 💌"),
    ("fb", "facebook", 7.0, "debate", 1.6,
     "Le débat qui divise la France (et le Québec) : pain au chocolat ou chocolatine ? 🍫🥐 "
     "Dites-nous tout en commentaire !"),
    ("ig", "instagram", -20.0, "flan", 1.0,
     "Le flan vanille de Bourbon, croûte bien caramélisée, cœur tremblotant 🍮 Dispo dans toutes nos boutiques."),
    ("ig", "instagram", -1.0, "montreal", 1.0,
     "Bon matin Montréal ☀️ Les chocolatines sortent du four sur le Plateau et dans le Mile End. "
     "Good morning Montreal! 🥐"),
    ("ig", "instagram", 2.5, "ugc", 1.1,
     "Votre brioche du matin vue par @lea.ptitdej 📸 Partagez vos photos avec #BriocheAndCo pour "
     "apparaître ici !"),
    ("ig", "instagram", 6.0, "galette", 1.2,
     "Coulisses : 1 200 galettes façonnées à la main ce matin au fournil de Lyon 👑"),
    ("ig", "instagram", 8.5, "box", 1.0,
     "La Box du dimanche version hiver ❄️ chocolat chaud maison, kouign-amann et brioche au sucre. "
     "Qui la veut ?"),
    ("x", "x", -13.4, "app", 1.0,
     "La nouvelle version de notre appli est disponible 📲 Paiement express, points fidélité, commande "
     "en 2 clics. Dites-nous ce que vous en pensez !"),
    ("x", "x", 3.0, "galette", 1.0,
     "Vous l'avez trouvée ? 👑 Montrez-nous vos fèves collector avec #BriocheAndCo"),
    ("x", "x", 5.5, "hours", 1.0,
     "Rappel : nos boutiques de Paris ouvrent dès 7h, même le dimanche ☕ Montréal : dès 6h30 !"),
    ("bsky", "bluesky", -22.0, "galette", 1.0,
     "La galette des rois est de retour 👑 Frangipane pur beurre, fève collector. On vous attend !"),
    ("bsky", "bluesky", -13.0, "app", 1.0,
     "Notre appli fait peau neuve 📱 Paiement express et points fidélité : dites-nous ce que vous en pensez."),
    ("mast", "mastodon", -26.0, "fournil", 1.0,
     "Visite du fournil de Lyon samedi à 10h : on vous montre tout, du levain au tourage. "
     "Inscription gratuite 🥖"),
    ("mast", "mastodon", -13.0, "app", 0.8,
     "Nouvelle version de l'appli Brioche & Co disponible. Retours bienvenus !"),
    ("yt", "youtube", -120.0, "fournil", 1.0,
     "Dans les coulisses du fournil : comment on façonne 10 000 croissants par jour"),
    ("yt", "youtube", -50.0, "recipe", 1.0,
     "Recette : la brioche tressée de Brioche & Co à la maison"),
)

_BRAND_TAG = {
    "facebook": "Brioche & Co",
    "instagram": "@briocheandco",
    "x": "@BriocheAndCo",
    "bluesky": "@briocheandco.bsky.social",
    "mastodon": "@briocheandco@piaille.fr",
    "youtube": "@BriocheAndCo",
    "reddit": "Brioche & Co",
    "google": "Brioche & Co",
    "trustpilot": "Brioche & Co",
}
_PREFIX = {
    "facebook": "fb", "instagram": "ig", "x": "x", "mastodon": "mast", "bluesky": "bsky",
    "youtube": "yt", "reddit": "rdt", "google": "gmb", "trustpilot": "tp",
}
_KIND_LETTER = {"comment": "c", "dm": "d", "mention": "m", "review": "r"}

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B36 = "abcdefghijklmnopqrstuvwxyz0123456789"
_B32 = "abcdefghijklmnopqrstuvwxyz234567"


def _rid(rng: random.Random, alphabet: str, n: int) -> str:
    """`n` random characters of `alphabet` (a power-of-two size, or close enough)."""
    size = len(alphabet)
    x = rng.getrandbits(6 * n)
    out = []
    for _ in range(n):
        out.append(alphabet[(x & 63) % size])
        x >>= 6
    return "".join(out)


def _make_posts(rng: random.Random) -> list[_Post]:
    posts = []
    for i, (stem, net, hours, topic, weight, caption) in enumerate(_POSTS, 1):
        pid = f"{stem}_p_{i:04d}"
        if net == "facebook":
            url = f"https://www.facebook.com/briocheandco/posts/pfbid0{_rid(rng, _B64[:62], 30)}"
        elif net == "instagram":
            url = f"https://www.instagram.com/p/{_rid(rng, _B64, 11)}/"
        elif net == "x":
            url = f"https://x.com/BriocheAndCo/status/{rng.randint(1_870_000_000_000_000_000, 1_880_000_000_000_000_000)}"
        elif net == "bluesky":
            url = f"https://bsky.app/profile/briocheandco.bsky.social/post/3l{_rid(rng, _B32, 11)}"
        elif net == "mastodon":
            url = f"https://piaille.fr/@briocheandco/{rng.randint(113_000_000_000_000_000, 113_900_000_000_000_000)}"
        else:
            url = f"https://www.youtube.com/watch?v={_rid(rng, _B64, 11)}"
        posts.append(_Post(pid, net, hours * 3600.0, caption, topic, url, weight))
    return posts


# ---------------------------------------------------------------------------------------
# Words: fragments the texts are built from
# ---------------------------------------------------------------------------------------
# Templates use str.format fields filled per message by `_Writer.fills`.

_PRAISE = {
    "fr": (
        "{Le_p} de ce matin était incroyable",
        "{meilleur} {p} de {city}, je dis ça je dis rien",
        "je viens de goûter {le_p} et franchement",
        "merci à l'équipe {shop_de}, toujours souriante même à 7h du mat",
        "{le_p} encore tiède en sortant du boulot, le bonheur",
        "commande livrée en avance et tout était nickel",
        "la Box du dimanche c'est devenu notre rituel du week-end",
        "vos croissants ont sauvé ma réunion de 9h",
        "enfin une boulangerie qui fait {un_p} digne de ce nom",
        "j'habite plus à {city} mais je fais le détour exprès pour {le_p}",
        "mon fils réclame {le_p} tous les mercredis",
        "service au top {shop_a}, rien à redire",
        "{le_p} est une tuerie, ni plus ni moins",
        "la vendeuse {shop_de} a été adorable avec ma fille",
        "{le_p} était {parfait}, croustillant dehors, moelleux dedans",
        "je suis pas du matin mais pour {votre_p} je me lève",
        "livreur super sympa et tout était encore chaud",
        "on a fait goûter {le_p} à ma belle-mère, elle qui critique tout... elle a rien dit 😂",
        "depuis que vous avez ouvert {shop_a} je fais plus mes courses ailleurs",
        "la galette de ce week-end, on en parle encore à la maison",
        "on a pris la Box pour l'anniversaire de mon copain, il a adoré",
        "premier achat dans la boutique {shop_de}, je suis conquise",
        "le flan vanille, c'est une drogue, il faudrait le déclarer",
        "j'ai testé l'appli pour commander, récupéré en 5 min, top",
        "je passe devant tous les jours et je craque à chaque fois",
        "le meilleur rapport qualité-prix du quartier",
        "la brioche tressée du dimanche c'est la tradition chez nous maintenant",
    ),
    "qc": (
        "{le_p} {shop_a}, c'est malade",
        "meilleure chocolatine en ville, pis je m'y connais",
        "la fille au comptoir {shop_de} est tellement fine",
        "chu passé à matin pis {le_p} était encore {chaud}, wow",
        "c'est rendu mon spot du samedi matin",
        "tsé quand t'as juste besoin d'un bon croissant pis d'un café? c'est icitte",
        "mes enfants capotent sur {le_p}",
        "j'ai fait le détour en char juste pour ça pis ça valait la peine",
        "la Box du dimanche, c'est le meilleur cadeau que je me fais",
        "service rapide pis le monde est gentil, que demander de plus",
        "{le_p} est {ecoeurant} (dans le bon sens lol)",
        "j'ai amené ma mère {shop_a}, elle est tombée en amour",
        "le café est bon pis les viennoiseries sont top, rien à redire",
    ),
    "en": (
        "best {P} I've had outside of Paris",
        "the {P} this morning was unreal",
        "staff at the {area} shop are so lovely",
        "delivery came early and everything was perfect",
        "the Sunday Box is the highlight of my week honestly",
        "just had {a_P} still warm from the oven, life is good",
        "you guys saved my Monday",
        "my kids are obsessed with your {P}",
        "flaky, buttery, perfect. no notes",
        "came for one croissant, left with a full bag. every single time",
        "the galette des rois was gone in 10 minutes at our office",
        "ordered through the app, picked it up 5 min later, super smooth",
        "took my parents to the {area} location, they're still talking about the {P}",
        "I walk past the {area} shop every day and I can't resist",
        "finally a proper {P} in {city}",
        "the flan. THE FLAN. that's the tweet",
        "honestly worth every penny",
    ),
}
_PRAISE_OPEN = {
    "fr": ("", "", "", "Franchement", "Sérieux", "Bon", "Petit message pour dire que", "Juste pour dire :", "Alors là", "Honnêtement", "Coucou !", "Bonjour,", "Vraiment,"),
    "qc": ("", "", "", "Ayoye", "Sérieux", "Wow", "Bon ben", "Coudonc", "Honnêtement", "Allo!"),
    "en": ("", "", "", "Honestly", "Ok", "Not gonna lie,", "Just saying,", "PSA:", "Omg", "Hi!", "Wow"),
}
_PRAISE_CLOSE = {
    "fr": ("", "", "", "continuez comme ça", "vous êtes les meilleurs", "merci !!", "je reviendrai", "bravo aux boulangers", "10/10", "rien à dire", "c'est devenu mon QG", "merci la team", "à samedi !", "je valide", "on en redemande", "mon porte-monnaie vous déteste"),
    "qc": ("", "", "", "lâchez pas!", "merci gang", "vous êtes vraiment hot", "on se revoit samedi", "10/10 pas de farce", "merci beaucoup!", "bravo à l'équipe"),
    "en": ("", "", "", "thank you!!", "keep it up", "10/10", "obsessed", "see you Saturday", "you've got a customer for life", "chef's kiss", "merci!!", "10/10 would recommend"),
}

_UGC = {
    "fr": (
        "~regardez ma brioche du matin ☀️",
        "petit dej du dimanche avec la Box 🥐📸",
        "la fève est pour moi cette année 👑",
        "^mon goûter de 16h, pas de jugement",
        "{le_p} a survécu 3 minutes, voici la preuve",
        "{un_p} + un café en terrasse {shop_a} = bonheur",
        "ma fille qui dévore {son_p}, je la mets en fond d'écran",
        "j'ai essayé de refaire votre brioche à la maison... bon. c'est pas ça 😂",
        "le plateau du petit-déj de ce matin, merci {brand}",
        "^la galette de ce midi au bureau 👑 qui a eu la fève ? moi.",
        "unboxing de la Box du dimanche 📦",
        "~pause de 10h bien méritée",
        "photo pas retouchée, {le_p} est vraiment aussi {beau}",
    ),
    "qc": (
        "~mon déjeuner du samedi 🥐☕",
        "regardez-moi cette chocolatine-là 😍",
        "le cadeau de ma blonde à matin : une Box du dimanche ❤️",
        "pas pire pantoute comme déjeuner",
        "brunch de fête avec la galette, pis c'est moi le roi 👑",
    ),
    "en": (
        "look at this {P} 😍",
        "Sunday Box unboxing 📦🥐",
        "~my morning brioche looked too good not to share",
        "found the bean in my galette!! 👑 queen for the day",
        "breakfast of champions",
        "^office treat today, everyone's happy",
        "this {P} deserves its own photoshoot",
        "tried to bake your braided brioche at home... we don't talk about it 😂",
    ),
}
_UGC_TAGS = {
    "fr": ("#briocheandco", "#petitdej", "#boulangerie", "#croissant", "#foodporn", "#painauchocolat", "#galettedesrois", "#dimanchematin", "#viennoiserie", "#gourmandise"),
    "qc": ("#briocheandco", "#mtlfood", "#montreal", "#dejeuner", "#chocolatine", "#mtl"),
    "en": ("#briocheandco", "#mtlfood", "#breakfast", "#croissant", "#foodie", "#bakery", "#pastry", "#brunch"),
}

# Short reactions under the brand's posts, by post topic ("any" for every post).
_REACT = {
    ("any", "fr"): (
        "miam", "trop bon", "ça donne faim", "j'arrive !", "ok je craque", "pas bien de poster ça à cette heure-là 😩",
        "il en reste encore ?", "c'est quand que vous ouvrez à {elsewhere} ???", "vous venez quand à {elsewhere} ?",
        "j'en veux", "mais pourquoi je regarde ça au régime", "faut que j'y retourne", "trop beau",
        "vous êtes dangereux", "adjugé vendu", "celui {shop_de} est le meilleur", "le rêve",
    ),
    ("any", "qc"): ("ben voyons donc que ça l'air bon", "j'en veux une", "faut que j'aille faire un tour", "c'est quand que vous ouvrez à {elsewhere}?", "ayoye", "mon doux que ça l'air bon"),
    ("any", "en"): ("yum", "need this", "omw", "when are you opening in {elsewhere}??", "looks amazing", "stop it 😩", "want", "this is dangerous", "adding this to my list"),
    ("galette", "fr"): (
        "team frangipane forever", "on a eu la fève hier soir 👑", "elle est à combien la galette 6 parts ?",
        "la fève collector cette année est trop mignonne", "vous faites la galette briochée aussi ?",
        "couronne des rois >>> galette, désolée", "3 galettes en une semaine, je me sens pas coupable",
        "toujours pas trouvé la fève en 2 galettes 😭", "la frangipane est parfaite, pas trop sucrée",
    ),
    ("galette", "qc"): ("la galette des rois c'est rendu une tradition chez nous", "j'ai eu la fève pis j'étais même pas le plus jeune lol"),
    ("galette", "en"): ("best galette in town", "got the bean 👑", "how much is the 6-person galette?", "is there a vegan galette?"),
    ("app", "fr"): (
        "enfin le paiement express 👏", "l'appli est beaucoup plus fluide merci", "ça marche sur Android ?",
        "elle est où la carte fidélité maintenant ?", "pourquoi faut recréer un compte ??", "le mode sombre svp",
        "la nouvelle interface est jolie", "on peut toujours commander la Box via l'appli ?",
    ),
    ("app", "qc"): ("l'app est ben plus belle", "ça marche-tu sur iPhone?"),
    ("app", "en"): ("finally express checkout 👏", "love the new design", "does it work on older iPhones?", "dark mode please"),
    ("box", "fr"): (
        "comment on s'abonne ?", "on peut choisir le jour de livraison ?", "vous livrez à {suburb} ?",
        "la Box est à combien ?", "trop hâte de recevoir la mienne", "on peut mettre la Box en pause pendant les vacances ?",
        "meilleur abonnement que j'ai jamais pris", "@{friend} on se la prend pour dimanche ?",
    ),
    ("box", "qc"): ("vous livrez-tu à {suburb}?", "ça coûte combien la Box?", "ma blonde va capoter"),
    ("box", "en"): ("how do I subscribe?", "do you deliver to {suburb}?", "can I gift a Box?", "best subscription ever"),
    ("jobs", "fr"): (
        "vous recrutez à {city} ?", "je peux envoyer ma candidature où ?", "il faut de l'expérience pour être vendeur ?",
        "stage de boulanger possible ?", "@{friend} c'est pour toi ça", "c'est en CDI ?", "vous prenez des apprentis ?",
    ),
    ("jobs", "qc"): ("vous engagez-tu à Montréal?", "c'est-tu à temps partiel?", "@{friend} c'est pour toi ça"),
    ("jobs", "en"): ("are you hiring in Montreal?", "is it part-time?", "do I need experience?", "@{friend} look!"),
    ("debate", "fr"): (
        "CHOCOLATINE évidemment", "pain au chocolat, le débat est clos", "ici c'est chocolatine, point",
        "on dit couque au chocolat en Belgique 😏", "je dis pain au chocolat et je l'assume",
        "on s'en fiche du nom tant qu'il est bon", "chocolatine, et je suis de Toulouse donc j'ai raison",
        "pain au chocolat, comme tout le monde", "chaque année ce débat 😂",
    ),
    ("debate", "qc"): ("au Québec c'est chocolatine pis c'est toute", "chocolatine, pas de débat", "icitte on dit chocolatine, désolé la France"),
    ("debate", "en"): ("it's a chocolate croissant and I'll die on this hill", "pain au chocolat obviously", "chocolatine sounds cuter tbh"),
    ("flan", "fr"): ("le flan est incroyable", "le flan {shop_de} >>>", "vous faites un flan sans gluten ?", "meilleur flan de France", "il est à combien la part ?"),
    ("flan", "qc"): ("jamais goûté un flan de même", "faut que j'essaye ça"),
    ("flan", "en"): ("that flan looks perfect", "best flan in the city", "is it gluten-free?"),
    ("montreal", "fr"): ("enfin une vraie boulangerie française sur le Plateau", "vous ouvrez à Québec bientôt ?", "les chocolatines du Mile End sont les meilleures"),
    ("montreal", "qc"): ("icitte c'est chocolatine", "bon matin à vous autres!", "j'arrive, chu dans mon char", "le spot du Mile End est malade"),
    ("montreal", "en"): ("best bakery in Mile End", "good morning! on my way", "do you have oat milk?"),
    ("ugc", "fr"): ("elle est magnifique cette brioche", "bravo @lea.ptitdej", "la photo donne trop envie", "j'ai la même ce matin !"),
    ("ugc", "qc"): ("belle photo!", "ça l'air tellement bon"),
    ("ugc", "en"): ("gorgeous shot", "that crumb though", "same breakfast this morning!"),
    ("hours", "fr"): ("et le dimanche à Lyon ?", "vous fermez à quelle heure le soir ?", "trop bien pour les lève-tôt"),
    ("hours", "qc"): ("6h30, parfait avant la job", "pis le dimanche?"),
    ("hours", "en"): ("6:30 is perfect before work", "what about Sundays in Mile End?"),
    ("fournil", "fr"): ("quelle technique de tourage 😮", "combien de temps repose la pâte ?", "le boulanger a l'air passionné, ça fait plaisir", "on peut venir avec des enfants ?", "musique de fond un peu forte", "ça fait plaisir de voir du vrai beurre"),
    ("fournil", "qc"): ("vraiment intéressant de voir ça", "ça donne le goût d'essayer"),
    ("fournil", "en"): ("so satisfying to watch", "what temperature do you bake at?", "the lamination is insane"),
    ("recipe", "fr"): ("j'ai fait la recette, c'est pas pareil 😅", "on peut remplacer le beurre par de la margarine ?", "combien de temps de levée ?", "réussie du premier coup merci !", "elle est où la liste des ingrédients ?"),
    ("recipe", "qc"): ("j'ai essayé pis c'est vraiment bon", "ça marche-tu avec de la farine tout usage?"),
    ("recipe", "en"): ("made this today, turned out great", "can I use all-purpose flour?", "what's the proofing time?", "subscribed!"),
}

_QUESTIONS = {
    "fr": (
        "vous êtes ouverts le dimanche {shop_a} ?",
        "jusqu'à quelle heure vous êtes ouverts ce soir {shop_a} ?",
        "est-ce que vos croissants contiennent des traces de fruits à coque ? mon fils est allergique",
        "vous avez des produits sans gluten ? ma femme est cœliaque",
        "il y a des œufs dans la baguette tradi ?",
        "vous faites des options vegan ?",
        "je souhaiterais postuler comme vendeuse {shop_a}, à qui dois-je envoyer mon CV ?",
        "comment on fait pour ouvrir une franchise Brioche & Co ? je suis à {elsewhere}",
        "vous livrez jusqu'à {suburb} ?",
        "mes points fidélité s'affichent pas sur l'appli, c'est normal ?",
        "comment on met la Box du dimanche en pause pour les vacances ?",
        "on peut réserver une galette des rois pour samedi ?",
        "vous acceptez les tickets resto ?",
        "vous faites des devis pour un petit-déj d'entreprise ? on serait une quarantaine",
        "on peut venir avec un chien en terrasse {shop_a} ?",
        "les cartes cadeaux marchent aussi sur le site ?",
        "c'est quoi la différence entre la tradi et la baguette classique ?",
        "le click & collect marche pour demain 7h ?",
        "vous faites des gâteaux d'anniversaire sur commande ?",
        "il y a du lactose dans la brioche ?",
        "la boutique {shop_de} est accessible en fauteuil ?",
        "est-ce que vous cherchez des apprentis boulangers à {city} ?",
        "la galette contient de l'alcool ? (rhum dans la frangipane ?)",
        "vous reprenez les invendus avec Too Good To Go ?",
        "on peut payer avec Apple Pay en boutique ?",
    ),
    "qc": (
        "vous êtes ouverts à quelle heure le dimanche {shop_a}?",
        "est-ce que vous engagez? j'cherche une job d'étudiant pour l'été",
        "y'a-tu des noix dans vos croissants? ma fille est allergique",
        "vous livrez-tu à {suburb}?",
        "c'est-tu possible de commander une galette pour samedi?",
        "avez-vous du sans gluten? ma blonde peut pas en manger",
        "on peut-tu payer avec la carte cadeau dans l'app?",
        "y'a-tu du stationnement proche du shop {shop_de}? en char c'est l'enfer",
        "c'est-tu vrai que vous allez ouvrir à Québec?",
        "vous faites-tu des plateaux pour les bureaux?",
    ),
    "en": (
        "what time do you open on Sundays at the {area} location?",
        "do your croissants contain nuts? my son has a severe allergy",
        "any gluten-free options?",
        "are you hiring? I'd love to apply for a barista position",
        "how do I pause my Sunday Box while I'm away?",
        "do you deliver to {suburb}?",
        "is there a franchise program? asking for a friend (me lol)",
        "can I pre-order a galette des rois for Saturday?",
        "do you have vegan options?",
        "where do I find my loyalty points in the new app?",
        "do you cater office breakfasts? around 30 people",
        "is the {area} shop wheelchair accessible?",
        "is the brioche dairy-free by any chance?",
        "can I use a gift card online?",
        "what's in the Sunday Box this week?",
        "do you take Apple Pay?",
    ),
}
_Q_OPEN = {
    "fr": ("", "", "Bonjour", "Bonjour,", "Hello", "Salut", "Coucou", "Bonsoir", "Petite question :", "Question bête mais", "Bonjour à l'équipe,"),
    "qc": ("", "", "Allo", "Bonjour!", "Salut", "Petite question:", "Allo allo"),
    "en": ("", "", "Hi", "Hello!", "Hey", "Quick question:", "Hi there,"),
}
_Q_CLOSE = {
    "fr": ("", "", "Merci !", "merci d'avance", "Merci beaucoup", "Cordialement", "bonne journée", "🙏", "svp", "merci 😊"),
    "qc": ("", "", "Merci!", "merci d'avance", "bonne journée!", "merci beaucoup"),
    "en": ("", "", "Thanks!", "thx", "Thank you 🙏", "Cheers", "thanks in advance"),
}

# Ordinary complaints: theme -> voice -> templates.
_COMPLAINTS = {
    "late_delivery": {
        "fr": (
            "ma commande {order} devait arriver à {time}, toujours rien",
            "livraison prévue ce matin, toujours pas reçue, et personne ne répond au téléphone",
            "génial, encore en retard 🙃 commande {order}",
            "2e fois ce mois-ci que la livraison arrive avec une heure de retard",
            "toujours pas reçu ma commande {order}, le suivi dit « en préparation » depuis {delay}",
            "le livreur est passé à côté de chez moi sans s'arrêter, commande {order} jamais reçue",
        ),
        "qc": (
            "ma commande {order} est pas arrivée pis ça fait {delay} que j'attends",
            "encore en retard la livraison, c'est plate en maudit",
        ),
        "en": (
            "order {order} was supposed to arrive at {time_en}, still nothing",
            "great, late again 🙃 order {order}",
            "still waiting on my delivery, tracking hasn't moved in {delay_en}",
        ),
    },
    "missing_item": {
        "fr": (
            "il manquait {un_p} dans ma commande {order}",
            "payé 6 croissants, reçu 4. cherchez l'erreur",
            "ouvert la Box du dimanche : pas de brioche dedans. merci pour rien",
            "commande {order} incomplète, pas de {p} dans le sac",
        ),
        "qc": ("y manquait {un_p} dans mon sac, pis j'm'en suis rendu compte rendu chez nous",),
        "en": ("missing {a_P} in my order {order}", "paid for 6 croissants, got 4", "my Sunday Box came without the brioche. thanks for nothing"),
    },
    "cold_stale": {
        "fr": (
            "{le_p} était {froid} et tout {sec}",
            "croissants froids à 8h du matin dans une boulangerie, on aura tout vu",
            "{le_p} était {rassis}, c'était clairement pas {celui} du jour",
            "{le_p} était {brule} en dessous",
        ),
        "qc": ("la chocolatine était frette pis sèche", "{le_p} était {dur} comme de la roche"),
        "en": ("the {P} was cold and stale", "{P} was burnt on the bottom", "definitely yesterday's {P}"),
    },
    "rude_staff": {
        "fr": (
            "la vendeuse {shop_de} m'a littéralement soupiré au nez",
            "accueil glacial {shop_a} ce matin, même pas un bonjour",
            "on m'a parlé comme à un chien {shop_a}",
            "le responsable {shop_de} m'a engueulé parce que je payais en pièces",
        ),
        "qc": ("le gars au comptoir {shop_de} était bête comme ses pieds", "service vraiment pas sympathique {shop_a} à matin"),
        "en": ("staff at {area} were so rude this morning", "the guy at the {area} counter rolled his eyes at me the whole time"),
    },
    "app_bug": {
        "fr": (
            "l'appli plante dès que je veux payer",
            "mes points fidélité ont disparu depuis la mise à jour",
            "impossible de me connecter à l'appli depuis hier soir",
            "le code promo marche pas dans l'appli",
            "l'appli me dit « boutique fermée » alors qu'elle est ouverte",
        ),
        "qc": ("l'app marche pas pantoute depuis la mise à jour", "j'ai pas eu mes points pantoute"),
        "en": ("app keeps crashing at checkout", "my points disappeared after the update", "can't log into the app since last night"),
    },
    "box_issue": {
        "fr": (
            "j'ai annulé ma Box du dimanche la semaine dernière et on me l'a quand même facturée",
            "la Box est arrivée écrasée, la brioche en miettes",
            "toujours pas reçu ma Box du dimanche, commande {order}",
        ),
        "qc": ("ma Box est arrivée toute écrasée, c'est plate",),
        "en": ("cancelled my Sunday Box and still got billed", "Sunday Box arrived squished", "my Box never showed up, order {order}"),
    },
    "store_closed": {
        "fr": (
            "vitrine vide à 17h {shop_a}, plus rien à vendre",
            "fermé alors que Google dit ouvert, merci pour le déplacement",
            "30 minutes de queue pour un pain au chocolat {shop_a}",
        ),
        "qc": ("je me suis déplacé en char pour rien, c'était fermé", "y'avait pu rien à 10h {shop_a}"),
        "en": ("closed 30 min early, thanks for nothing", "the {area} shop was out of everything by 4pm"),
    },
    "wrong_order": {
        "fr": ("j'ai commandé une galette frangipane, reçu une galette briochée", "commande {order} : pas du tout ce que j'avais commandé"),
        "qc": ("j'ai reçu la mauvaise commande pis personne répond",),
        "en": ("got someone else's order, {order}", "ordered a frangipane galette, got a brioche one"),
    },
}
_COMPLAINT_W = {"late_delivery": 3, "missing_item": 2, "cold_stale": 2, "rude_staff": 1.5, "app_bug": 2, "box_issue": 1.2, "store_closed": 1.2, "wrong_order": 0.8}
_C_EXTRA = {
    "fr": ("", "", "Je fais comment ?", "c'est pas sérieux", "je suis déçue", "franchement ça devient n'importe quoi", "Remboursement svp", "C'est la 3e fois.", "j'attends une réponse", "vous répondez jamais au téléphone", "nuuuul", "merci pour rien", "je paie pas {price} le croissant pour ça", "très déçu", "pas top", "vraiment dommage"),
    "qc": ("", "", "c'est plate", "tsé, c'est pas compliqué", "pas content pantoute", "je m'attendais à mieux", "franchement"),
    "en": ("", "", "what do I do now?", "not ok", "really disappointed", "refund please", "third time this month", "thanks for nothing", "so annoying", "ugh"),
}

_MEH = {
    "fr": (
        "c'était mieux avant, les croissants ont rapetissé non ?",
        "{price} le pain au chocolat... ça pique",
        "la brioche est bonne mais trop sucrée à mon goût",
        "dommage qu'il n'y ait plus de tables {shop_a}",
        "la musique est beaucoup trop forte en boutique",
        "le nouveau packaging en plastique, vraiment ?",
        "plus de flan à 16h, comme d'hab",
        "bon mais un peu cher pour ce que c'est",
        "la nouvelle recette {de_p} me convainc pas",
        "l'attente le samedi matin est interminable",
    ),
    "qc": ("c'est bon mais c'est pas donné", "les prix ont monté pas mal", "y'avait pu de chocolatines à 10h, c'est plate", "correct, sans plus"),
    "en": ("prices went up again?", "good but not worth {price} for a croissant tbh", "the new recipe is too sweet", "wish you had more seating", "the line on Saturdays is ridiculous"),
}

_COMPETITOR = {
    "fr": (
        ("neg", "honnêtement les croissants de chez {comp} sont meilleurs et moins chers"),
        ("neg", "je préfère encore {comp}, désolé"),
        ("neg", "{comp} vient d'ouvrir en face, va falloir vous réveiller"),
        ("pos", "rien à voir avec {comp}, vous êtes 10 crans au-dessus"),
        ("neu", "chez {comp} la livraison arrive à 7h, pourquoi pas vous ?"),
        ("pos", "j'ai testé {comp} ce week-end, je reviens vers vous en rampant"),
        ("neu", "{comp} ou vous pour la galette ? je vais faire un comparatif à la maison"),
    ),
    "qc": (
        ("neg", "la chocolatine chez {comp} est meilleure pis moins chère"),
        ("pos", "j'ai essayé {comp}, pas pantoute au même niveau que vous"),
        ("neu", "{comp} ou vous pour le brunch de dimanche? chu pas capable de choisir"),
    ),
    "en": (
        ("neg", "{comp} does it better tbh"),
        ("pos", "way better than {comp}, not even close"),
        ("neg", "{comp} is cheaper and honestly just as good"),
        ("neu", "{comp} vs {brand_name} croissant taste test this weekend, stay tuned"),
    ),
}

_CHITCHAT = {
    "fr": (
        "~petit dej chez {brand} avant le boulot ☕🥐",
        "réunion d'équipe sponsorisée par {brand} (c'est moi qui ai payé)",
        "rien de tel qu'un flan {brand} un lundi",
        "j'ai dit que je faisais un régime. j'ai dit ça hier. {brand}",
        "~le livreur {brand} est passé, la journée peut commencer",
        "~qui vient à la boutique {brand} {shop_de} ce midi ?",
        "les gens qui disent pain au chocolat chez {brand} 🤝 les Toulousains qui soupirent",
        "mon collègue a ramené des croissants {brand}, je lui pardonne tout",
        "prochain objectif : goûter toute la carte {brand}. j'en suis à 6",
        "la file devant {brand} {shop_a} ce matin, on se croirait à Disney",
        "~{brand} m'a encore fait craquer sur le chemin du taf",
        "télétravail + Box du dimanche {brand} un jeudi parce que je le vaux bien",
        "ma mère m'appelle pour me dire qu'elle a testé {brand}, elle est fan",
        "je viens de découvrir que {brand} fait des kouign-amann. ma vie a changé",
    ),
    "qc": (
        "~déjeuner chez {brand} avant la job ☕",
        "~tsé que la journée va bien aller quand ta chocolatine est encore chaude {brand}",
        "~pause café au {brand} du Mile End, le soleil est sorti",
        "mon chum m'a ramené une Box {brand}, il a des points",
    ),
    "en": (
        "~breakfast meeting brought to you by {brand} 🥐",
        "currently: Sunday Box from {brand} + coffee + nowhere to be",
        "coworker brought {brand} croissants, promoted to best coworker",
        "me: I'll just grab a coffee. also me at {brand}: 4 pastries",
        "that {brand} flan hits different on a Monday",
        "~morning run ending at {brand} {area} is the only reason I run",
    ),
}
_MIXED = (
    ("fr", "Honnêtement le meilleur croissant en ville, no contest"),
    ("en", "ok the chocolatine at Mile End is life, merci {brand}"),
    ("en", "best brioche ever, merci beaucoup!!"),
    ("fr", "chu allé au shop du Plateau, best latte ever pis les viennoiseries sont top"),
    ("en", "Sunday Box = le meilleur moment de la semaine, seriously"),
    ("fr", "la galette was amazing, toute la famille a capoté"),
    ("en", "Quick question : vous ouvrez à quelle heure on Sunday?"),
)

_TROLLS = {
    "fr": (
        "boulangerie industrielle qui se prend pour un artisan lol",
        "vos croissants c'est du carton",
        "bande de voleurs",
        "qui achète encore chez eux sérieux",
        "nul nul nul nuuuul",
        "bande de clowns 🤡",
        "vous êtes des guignols",
        "surgelés et hors de prix, bravo le marketing",
    ),
    "qc": ("c'est de la marde, vos croissants", "ostie que c'est cher pour rien"),
    "en": ("overpriced garbage", "imagine paying {price} for a croissant lmao", "who even eats here", "frozen dough with good PR", "ratio"),
}

_SPAM = (
    "🚀 Turned $200 into $8,400 in 3 days with BTC signals. DM me or check http://btc-signals-pro.top 💰",
    "I made $5k this week trading crypto with Mrs. Linda Carter 🙏 contact her on WhatsApp +1 412 555 0199",
    "🎁 FÉLICITATIONS ! Vous avez été sélectionné(e) pour gagner un iPhone 16 Pro. Réclamez votre cadeau ici 👉 http://gagnez-iphone16.xyz/claim",
    "Brioche & Co fête ses 10 ans : 500 € de bons d'achat offerts aux 100 premiers ! Participez 👉 bit.ly/brioche-10ans-cadeau",
    "Buy real followers 💯 1k = $4.99, fast delivery ➡️ followboost-pro.shop",
    "Boost ton compte : +10 000 abonnés pour 9,99 € 🔥 insta-boost.click",
    "Hey! We love your feed 😍 We'd love to feature you. DM @globalfood.promo to collaborate 💌",
    "Votre page ne respecte pas nos règles et sera désactivée sous 24h. Vérifiez votre compte ici : meta-support-centre.help/verify",
    "Want more engagement? We grow real Instagram pages organically 📈 check our bio",
    "Je gagne 300€/jour depuis chez moi grâce au trading, demande-moi comment 💸 wa.me/33757000123",
    "💎 Free NFT airdrop for the first 500 wallets ➡️ claim-drop.xyz",
    "Ray-Ban -80% aujourd'hui seulement 😎 rb-outlet-fr.shop",
)
_SPAM_KIND = ("crypto", "crypto", "giveaway", "giveaway", "followers", "followers", "followers", "phishing", "followers", "crypto", "crypto", "deals")
_SPAM_NAMES = {
    "crypto": ("Crypto Queen 💎", "Emma Trades", "Sofia Investments", "Marc Trading FX", "Linda Carter", "NFT Drops"),
    "giveaway": ("Giveaway Officiel", "Brioche & Co Cadeaux", "Concours France 🎁"),
    "followers": ("FollowBoost", "Insta Growth Pro", "Jessica 💋", "Global Food Promo"),
    "phishing": ("Meta Support Team", "Page Security Center"),
    "deals": ("Promo Deals 24/7", "Outlet Lunettes"),
}
_SPAM_LANG = ("en", "en", "fr", "fr", "en", "fr", "en", "fr", "en", "fr", "en", "fr")

# What people ask each other about the brand on Reddit.
_REDDIT_Q = {
    "fr": (
        "Quelqu'un a testé la Box du dimanche ? Ça vaut le prix ?",
        "Leur galette vaut le coup ou c'est surtout du marketing ?",
        "Ils recrutent souvent ? Je cherche un job étudiant {shop_a}",
        "C'est moi ou les prix ont pris 20 centimes depuis la rentrée ?",
        "L'appli vaut le coup pour les points fidélité ou pas ?",
        "Perso je trouve ça bon mais surcoté. Vous en pensez quoi ?",
        "Le flan est vraiment aussi bon qu'on le dit ?",
    ),
    "qc": (
        "C'est-tu vraiment meilleur que les boulangeries du coin?",
        "Quelqu'un sait si la Box vaut la peine?",
        "La succursale {shop_de}, ça vaut-tu le détour?",
    ),
    "en": (
        "Is the Sunday Box worth it?",
        "Is their galette actually good or just hype?",
        "Anyone know if they're hiring at the {area} location?",
        "Are the prices up or is it just me?",
        "Honest opinions? Friends swear by it, I found it fine but pricey",
    ),
}

_REDDIT_CONTEXT = {
    "fr": (
        "Je vois passer leurs pubs partout.", "Une boutique vient d'ouvrir près de chez moi.",
        "Des collègues n'arrêtent pas d'en parler.", "Je suis tenté mais c'est pas donné.",
        "Petite question pour les habitués.", "Habitué de la boulangerie d'en bas, je compare.", "Nouveau dans le quartier.",
    ),
    "qc": ("Y'en a un qui vient d'ouvrir proche de chez nous.", "Mes collègues arrêtent pas d'en parler.", "Chu nouveau dans le coin."),
    "en": (
        "Seeing their ads everywhere.", "One just opened near my place.", "Coworkers keep bringing their stuff in.",
        "Tempted but it's not cheap.", "Visiting next week.", "Long-time lurker, first post.",
    ),
}

# Replies under someone else's comment, by what they answer.
_REPLY = {
    ("question", "fr"): ("ouvert jusqu'à 19h30 en semaine je crois", "je me pose la même question", "+1", "oui il y a du sans gluten le mardi je crois", "regarde sur le site, tout est indiqué", "j'ai demandé en boutique, ils ont dit oui", "pareil je veux savoir"),
    ("question", "qc"): ("bonne question, moi aussi je veux savoir", "ils m'ont dit oui au comptoir la semaine passée"),
    ("question", "en"): ("following", "same question", "I think they open at 7 on weekends", "it's on their website"),
    ("complaint", "fr"): ("pareil pour moi la semaine dernière", "ah bon ? moi jamais eu de souci", "écrivez-leur en privé, ils répondent vite", "ça arrive, ils vont gérer", "courage 😕", "c'est pour ça que je vais en boutique"),
    ("complaint", "qc"): ("même affaire pour moi", "écris-leur en privé, ils répondent d'habitude"),
    ("complaint", "en"): ("same thing happened to me last week", "DM them, they usually sort it out", "never had an issue personally", "ugh that sucks"),
    ("praise", "fr"): ("trop d'accord !", "carrément", "la même !", "100 %", "pareil, on y va tous les samedis", "exactement ce que je dis à tout le monde"),
    ("praise", "qc"): ("tellement d'accord", "ben oui!", "c'est vrai en plus"),
    ("praise", "en"): ("agreed!", "so true", "same!!", "100%"),
    ("debate", "fr"): ("CHOCOLATINE", "non mais pain au chocolat voyons", "tu viens d'où pour dire ça ? 😂", "le débat est clos : pain au chocolat", "chocolatine forever", "on va pas se battre pour ça... si ?"),
    ("debate", "qc"): ("au Québec on dit chocolatine, c'est réglé", "voyons donc, chocolatine"),
    ("debate", "en"): ("chocolate croissant, sorry not sorry", "this debate again lol"),
    ("troll", "fr"): ("t'as rien d'autre à faire ?", "personne t'oblige à y aller", "ok boomer", "on t'a pas sonné"),
    ("troll", "qc"): ("t'as pas d'autre chose à faire?",),
    ("troll", "en"): ("then don't go lol", "nobody asked", "touch grass"),
    ("other", "fr"): (
        "😂", "trop vrai", "grave", "mdr", "j'avoue", "haha oui", "ah carrément", "pareil !", "on y va quand ?",
        "tu m'étonnes", "c'est clair", "ptdr", "je confirme", "la même", "on est d'accord", "t'as raison",
        "je savais que tu dirais ça 😂", "viens on y va demain matin", "trop hâte", "j'y étais ce matin !",
        "moi aussi je craque à chaque fois", "ça me donne faim", "on se fait ça samedi ?", "arrête 😭",
    ),
    ("other", "qc"): ("lol", "c'est ben vrai", "haha", "tellement", "ben oui", "on y va-tu samedi?", "t'as ben raison", "ça me donne faim", "pas pire pantoute"),
    ("other", "en"): (
        "lol", "haha same", "so true", "😂", "right??", "literally me", "lmao", "same here", "this!!",
        "we should go this weekend", "I was there this morning!", "you're so right", "ok now I'm hungry",
        "noted 📝", "facts", "saturday?", "don't tempt me",
    ),
}

_REVIEW = {
    (5, "fr"): ("Meilleure boulangerie du quartier. {Le_p} est une merveille et l'équipe est adorable.", "Accueil au top, viennoiseries excellentes, on y retourne chaque week-end.", "Rien à redire : tout est bon, frais, et le service est rapide même quand il y a du monde.", "Le flan est le meilleur que j'ai mangé à {city}. Personnel souriant.", "Super galette des rois, frangipane généreuse. Merci !", "Box du dimanche parfaite, livrée à l'heure, tout était encore tiède."),
    (5, "qc"): ("La meilleure chocolatine à Montréal, pas de farce. Le personnel est super fin.", "Excellent! Le café est bon pis les viennoiseries sont incroyables.", "Mon spot préféré {shop_a}, toujours frais pis service rapide."),
    (5, "en"): ("Best croissants in the city, hands down. Friendly staff and great coffee.", "Lovely little bakery, the {P} was perfect. Will be back!", "Sunday Box delivered on time and everything was delicious."),
    (4, "fr"): ("Très bons produits, un peu cher mais ça les vaut. L'attente le samedi est longue.", "{Le_p} {excellent}, service un peu lent ce matin mais sympa.", "Bonne boulangerie, dommage qu'il y ait si peu de places assises."),
    (4, "qc"): ("Vraiment bon, juste un peu cher. Le service était correct.", "Très bonne chocolatine, un peu d'attente le dimanche."),
    (4, "en"): ("Great pastries, a bit pricey. Line was long on Saturday.", "Really good {P}, service was a little slow."),
    (3, "fr"): ("Correct sans plus. {Le_p} était {bon} mais le service expéditif.", "Produits corrects mais les prix ont bien augmenté.", "Bien mais pas exceptionnel, et plus grand-chose en vitrine l'après-midi."),
    (3, "qc"): ("Correct, sans plus. C'est cher pour ce que c'est.",),
    (3, "en"): ("It's fine. Good {P}, but overpriced.", "Decent, but they were out of most things by noon."),
    (2, "fr"): ("Déçue. {Le_p} était {sec} et la vendeuse peu aimable.", "Livraison en retard d'une heure, viennoiseries froides.", "Avant c'était super, la qualité a baissé."),
    (2, "qc"): ("Déçu. La chocolatine était sèche pis le service ordinaire.",),
    (2, "en"): ("Disappointing. The {P} was stale and the staff didn't care.", "Delivery was an hour late and everything was cold."),
    (1, "fr"): ("Commande {order} jamais livrée, service client injoignable. À fuir.", "Personnel désagréable, on m'a parlé comme à un chien. Plus jamais.", "Box du dimanche facturée alors que j'avais annulé. Aucune réponse à mes mails.", "Viennoiseries de la veille vendues comme fraîches. Honteux."),
    (1, "qc"): ("Service vraiment poche pis commande jamais arrivée. Jamais plus.", "Le gars m'a envoyé promener. Pas fort pantoute."),
    (1, "en"): ("Order {order} never arrived and nobody answers. Avoid.", "Rudest staff I've ever met. Never again.", "Got billed for a Sunday Box I had cancelled. No reply to emails."),
}
_TP_TITLES = {
    5: ("Excellent !", "Top du top", "Box du dimanche au top", "Parfait", "Great bakery", "Love it", "Super service"),
    4: ("Très bien", "Bon mais cher", "Good overall", "Presque parfait"),
    3: ("Moyen", "Correct sans plus", "It's ok"),
    2: ("Déçu", "Peut mieux faire", "Disappointing"),
    1: ("À fuir", "Service client inexistant", "Livraison jamais reçue", "Avoid", "Arnaque"),
}
_RATING_W = {"google": (0.11, 0.07, 0.1, 0.24, 0.48), "trustpilot": (0.24, 0.08, 0.1, 0.18, 0.4)}

# Repeat authors who escalate: comment, then a DM, then a public mention.
_STORIES = {
    "fr": {
        "box_missing": ("ma Box du dimanche n'est jamais arrivée", "j'étais chez moi toute la matinée, aucun appel du livreur", "une nouvelle livraison ou un remboursement", "box"),
        "points": ("mes 480 points fidélité ont disparu de l'appli", "j'allais les utiliser pour la galette de samedi", "que vous me les recréditiez", "app"),
        "allergen": ("il y avait des éclats de noisette dans le flan « sans fruits à coque » acheté {shop_a}", "mon fils a fait une réaction, heureusement rien de grave", "des explications", "flan"),
        "missing": ("il manquait la moitié de ma commande {order}", "payé 32 €, reçu 3 viennoiseries sur 8", "un remboursement de la différence", "any"),
    },
    "qc": {
        "box_missing": ("ma Box du dimanche est jamais arrivée", "j'étais chez nous toute la matinée pis personne a sonné", "une nouvelle livraison ou un remboursement", "box"),
        "missing": ("y manquait la moitié de ma commande {order}", "j'ai payé 28 $ pis j'ai eu 3 viennoiseries sur 8", "un remboursement", "any"),
    },
    "en": {
        "box_missing": ("my Sunday Box never arrived", "I was home all morning and the driver never called", "a redelivery or a refund", "box"),
        "points": ("my 480 loyalty points vanished from the app", "I was saving them for Saturday's galette", "to have them restored", "app"),
        "missing": ("half of my order {order} was missing", "paid $28, got 3 pastries out of 8", "a refund for the difference", "any"),
    },
}

# ---------------------------------------------------------------------------------------
# The bad buzz
# ---------------------------------------------------------------------------------------

_BZ_WHAT = {
    "fr": (
        "{debite} deux fois pour ma commande {order}",
        "deux prélèvements de {amount} pour UNE seule commande",
        "double prélèvement sur mon compte depuis la mise à jour de l'appli",
        "l'appli m'a prélevé {amount} deux fois ce matin",
        "payé mon petit-déj 2 fois via l'appli",
        "{amount} débités deux fois sur ma carte",
        "commande passée une fois, {debite} deux fois",
        "{debite} 2 fois pour 4 croissants",
    ),
    "qc": (
        "{debite} deux fois pour ma chocolatine pis mon café",
        "l'app m'a chargé deux fois ma commande {order}",
        "double prélèvement sur ma carte à matin",
        "{amount} prélevés deux fois, pour un déjeuner",
    ),
    "en": (
        "charged twice for order {order}",
        "two charges of {amount} for ONE order",
        "double charged since your app update",
        "the app took {amount} twice this morning",
        "paid for my breakfast twice through the app",
        "charged twice for a coffee and a croissant",
    ),
}
_BZ = {
    ("angry", "fr"): (
        "{brand} vous m'avez {debite} DEUX FOIS pour ma commande {order} !!! Remboursez-moi",
        "{brand} {what}. C'est une blague ?? J'exige un remboursement immédiat",
        "{What} et évidemment personne ne répond. ARNAQUE.",
        "Sérieusement {brand} ? {what}. Je suis {etudiant}, {amount} c'est pas rien",
        "{What}. Vous allez rembourser ou il faut passer par la banque ?",
        "C'est quoi ce bordel {brand} ?? {what} !!",
        "{brand} {what} et votre service client est injoignable. Honteux.",
        "REMBOURSEZ. {what}. #BriocheGate",
        "{What}, j'attends mon argent {brand}",
    ),
    ("angry", "qc"): (
        "{brand} chu {debite} deux fois pour ma chocolatine pis mon café, c'est quoi l'affaire ?",
        "L'app {brand} m'a chargé deux fois, c'est vraiment plate. Remboursez-moi ça",
        "Ayoye {brand}, {what}. Pas content pantoute",
        "{What}, pis personne répond. Franchement {brand}...",
    ),
    ("angry", "en"): (
        "{brand} you charged me TWICE for order {order}. Refund me now.",
        "{What}. What is going on {brand}??",
        "{amount} taken twice from my account after your app update. Unacceptable.",
        "Seriously {brand}? {what} and no reply. SCAM",
        "{brand} {what}. I want my money back today.",
        "Not cool {brand}. {What}, and your support line just rings.",
    ),
    ("sarcastic", "fr"): (
        "Merci {brand} pour la nouvelle appli, maintenant les croissants sont facturés en double 🙃 #BriocheGate",
        "Nouvelle fonctionnalité de l'appli {brand} : le paiement express... deux fois. Innovation 👏",
        "Génial, {debite} deux fois pour 3 croissants. Merci pour rien {brand}",
        "Le seul truc qui marche dans la mise à jour {brand}, c'est le double prélèvement 🙃",
        "Moi qui croyais que l'inflation ralentissait. {brand} me débite deux fois 💀",
        "« Commande en 2 clics » qu'ils disaient. Paiement en 2 fois aussi, apparemment {brand} 🙃",
        "{brand} le croissant à {price}, mais facturé deux fois, c'est le concept ? 😂 #BriocheGate",
    ),
    ("sarcastic", "qc"): (
        "Tsé quand tu paies ton déjeuner deux fois... merci {brand} 🙃",
        "Belle mise à jour {brand}, astheure on paye en double. Bravo 👏",
    ),
    ("sarcastic", "en"): (
        "love the new {brand} app feature where you pay for everything twice 🙃 #BriocheGate",
        "thanks for nothing {brand}, charged twice and ghosted",
        "'Express checkout' they said. Express double charge more like 💀 {brand}",
        "{brand} really said buy one croissant, pay for two 🙃",
        "nothing says good morning like being charged twice for a pastry. thanks {brand}",
    ),
    ("polite", "fr"): (
        "Bonjour {brand}, je vois deux prélèvements de {amount} sur mon compte pour une seule commande ({order}). Est-ce normal ? Merci",
        "Bonjour, est-ce que d'autres ont été débités deux fois ce matin via l'appli ? Que faut-il faire pour être remboursé ?",
        "{brand} bonjour, j'ai l'impression d'avoir été {debite} deux fois, pouvez-vous vérifier svp ? Commande {order}",
        "Bonjour, double prélèvement de {amount} ce matin. Faut-il faire une demande de remboursement quelque part ?",
        "Bonjour {brand}, la commande {order} apparaît deux fois sur mon relevé. Vous êtes au courant ? Merci d'avance",
    ),
    ("polite", "qc"): (
        "Bonjour {brand}, je pense que j'ai été {debite} deux fois à matin. Vous pouvez vérifier? Merci",
        "Allo, y'a-tu d'autres monde qui se sont fait charger deux fois par l'app {brand}?",
    ),
    ("polite", "en"): (
        "Hi {brand}, I see two charges of {amount} for a single order this morning ({order}). Could you look into it? Thanks",
        "Anyone else charged twice by the {brand} app today? How do we get a refund?",
        "Hello {brand}, I think I was charged twice for order {order}. Is this a known issue?",
    ),
    ("metoo", "fr"): (
        "Pareil !! {debite} deux fois ce matin",
        "Moi aussi, double prélèvement de {amount}",
        "Ah je suis pas {seul} alors 😳 {debite} 2 fois aussi",
        "+1, deux fois {amount} chez moi aussi",
        "Idem, {debite} deux fois. On fait comment ?",
        "Même chose ici, commande {order} payée deux fois",
    ),
    ("metoo", "qc"): ("Même affaire icitte, chargé deux fois", "Moi too, {debite} deux fois à matin"),
    ("metoo", "en"): ("same here, got charged twice", "+1 charged twice, {amount} both times", "me too!! double charged", "Same. Charged twice for order {order}"),
    ("advice", "fr"): (
        "Allez voir votre banque, un double prélèvement ça se conteste facilement",
        "Si c'est « en attente » c'est peut-être juste une pré-autorisation, ça disparaît en 48h. Sinon faites opposition #BriocheGate",
        "Conseil : capture d'écran du relevé + mail au service client. Débitée deux fois moi aussi, remboursée par la banque en 2 jours",
    ),
    ("advice", "qc"): ("Appelez votre banque, ils peuvent annuler la transaction chargée deux fois",),
    ("advice", "en"): ("if it's still pending it's probably just a pre-auth, it'll drop off. if not, dispute it with your bank. charged twice happens", "screenshot your statement and dispute the double charge with your bank, worked for me"),
    ("journalist", "fr"): (
        "Plusieurs lecteurs nous signalent avoir été débités deux fois par l'appli {brand} depuis sa mise à jour. Vous êtes concerné·e ? Contactez-nous en DM. #BriocheGate",
        "{brand} : des dizaines de clients dénoncent un double prélèvement après la mise à jour de l'appli. Nous avons contacté la marque. #BriocheGate",
    ),
    ("journalist", "qc"): ("Des clients montréalais de {brand} disent avoir été chargés deux fois via l'app. Vous êtes touchés? Écrivez-moi.",),
    ("press", "fr"): (
        "Bonjour, journaliste à {outlet}, je travaille sur les doubles prélèvements signalés ce matin après la mise à jour de votre appli. Pourriez-vous me mettre en relation avec votre service presse ? Merci",
        "Bonjour, {outlet} ici. Plusieurs clients nous disent avoir été débités deux fois. Avez-vous un commentaire ou un communiqué ? Nous publions dans l'heure.",
    ),
    ("press", "qc"): ("Bonjour, {outlet} ici. Des clients nous disent avoir été chargés deux fois par votre app. Est-ce qu'on peut parler à quelqu'un de vos communications aujourd'hui?",),
    ("press", "en"): ("Hi, {outlet} here. We're hearing from customers charged twice by your app since last night's update. Could someone from your press team get back to me today?",),
    ("journalist", "en"): ("Readers tell us the {brand} app has been charging customers twice since last night's update. Affected? DMs open. #BriocheGate",),
    ("influencer", "fr"): (
        "Bon les amis, apparemment l'appli {brand} débite deux fois depuis la mise à jour... vérifiez vos comptes 👀 #BriocheGate",
        "J'adore {brand} mais là double prélèvement + zéro réponse, ça passe pas. On attend vos explications.",
    ),
    ("influencer", "qc"): ("Gang, vérifiez vos comptes si vous avez commandé sur l'app {brand} à matin, du monde se fait charger deux fois 👀",),
    ("influencer", "en"): ("PSA: if you used the {brand} app this morning, check your bank account. Lots of people charged twice 👀 #BriocheGate",),
    ("defender", "fr"): (
        "Vous êtes sérieux avec votre #BriocheGate ? C'est un bug, ils vont rembourser. Ça arrive à toutes les applis",
        "Perso {debite} deux fois aussi mais ils ont toujours été réglos avec moi, je leur laisse 24h avant de crier à l'arnaque",
        "Calmez-vous, un double débit c'est pas un crime, laissez-leur le temps de corriger 🙄",
        "Le #BriocheGate lol. Y a des gens qui ont vraiment que ça à faire à 8h du matin",
    ),
    ("defender", "qc"): ("Voyons, c'est un bug. Chu chargé deux fois moi aussi pis ça va se régler. Respirez 😅",),
    ("defender", "en"): (
        "People acting like {brand} stole their kidneys lol. It's a bug. I got charged twice too, they'll refund it",
        "give them an hour before calling it a scam, bugs happen. #BriocheGate is a bit much",
    ),
    ("leaving", "fr"): (
        "Appli désinstallée. {Debite} deux fois, aucune réponse. Bye {brand} 👋",
        "Je retourne chez {comp}, au moins eux me débitent qu'une fois",
        "Fin de l'abonnement à la Box. Double prélèvement + silence radio = non. {brand}",
    ),
    ("leaving", "qc"): ("J'efface l'app. Chargé deux fois pis pas de réponse. Bye {brand}",),
    ("leaving", "en"): ("Deleted the app. Charged twice, no answer. Bye {brand}", "Going back to {comp}. At least they only charge me once"),
    ("followup", "fr"): (
        "{brand} toujours aucune communication sur le double prélèvement ?? Ça fait {mins} min",
        "Toujours pas de réponse de {brand}. On a été débités deux fois et vous postez des galettes 🙃",
        "{brand} un petit mot sur le #BriocheGate peut-être ? On attend",
    ),
    ("followup", "qc"): ("Toujours rien de {brand} sur le double prélèvement. Ça fait {mins} minutes là",),
    ("followup", "en"): ("{brand} still no statement on the double charges? It's been {mins} min", "{brand} any update on the double charge issue? #BriocheGate"),
    ("late", "fr"): (
        "Toujours pas remboursée du double prélèvement de ce matin {brand}",
        "{brand} vous avez réglé le souci de débit en double ? Je vois toujours deux fois {amount} sur mon compte",
        "Débité deux fois ce matin, et toujours rien. Je fais comment {brand} ?",
    ),
    ("late", "qc"): ("Toujours pas remboursé pour la commande chargée deux fois à matin {brand}",),
    ("late", "en"): ("{brand} still haven't been refunded for this morning's double charge", "any news on the refunds? I was charged twice this morning {brand}"),
}
_BZ_TONES = ("angry", "sarcastic", "polite", "metoo", "advice", "journalist", "influencer", "defender", "leaving", "followup")
_BZ_TONE_W = (0.28, 0.16, 0.14, 0.12, 0.04, 0.03, 0.04, 0.08, 0.06, 0.05)
_BZ_TP = ("Double prélèvement !", "Débitée deux fois", "Charged twice", "Appli catastrophique", "#BriocheGate")
_BZ_REVIEW = {
    "fr": ("{What} après la mise à jour de l'appli, et service client injoignable. Arnaque.", "{What}. On attend toujours le remboursement. Plus jamais d'appli chez eux."),
    "qc": ("L'app m'a chargé deux fois pis personne répond. Vraiment décevant.",),
    "en": ("{What} after the app update and nobody answers. Avoid the app.",),
}
_BZ_REDDIT = {
    "fr": ("Brioche & Co : double prélèvement via l'appli ce matin ?", "Des gens débités deux fois par l'appli Brioche & Co ?"),
    "qc": ("L'app Brioche & Co charge deux fois?",),
    "en": ("Brioche & Co app charged me twice this morning", "PSA: Brioche & Co app double charging"),
}

# ---------------------------------------------------------------------------------------
# Style: how people actually type
# ---------------------------------------------------------------------------------------

_SMS_FR = (
    (re.compile(r"\bc'est\b"), "c"),
    (re.compile(r"\bquand même\b"), "qd même"),
    (re.compile(r"\bvraiment\b"), "vrmt"),
    (re.compile(r"\bbeaucoup\b"), "bcp"),
    (re.compile(r"\bs'il vous plaît\b"), "svp"),
    (re.compile(r"\bpourquoi\b"), "pk"),
    (re.compile(r"\bje sais pas\b"), "jsp"),
    (re.compile(r"\btoujours\b"), "tjrs"),
    (re.compile(r"\bparce que\b"), "pcq"),
    (re.compile(r"\bje suis\b"), "jsuis"),
    (re.compile(r"\bmaintenant\b"), "mtn"),
    (re.compile(r"\bquelqu'un\b"), "qqn"),
)
_SMS_EN = (
    (re.compile(r"\byou\b"), "u"),
    (re.compile(r"\byour\b"), "ur"),
    (re.compile(r"\bplease\b"), "pls"),
    (re.compile(r"\bthanks\b"), "thx"),
    (re.compile(r"\bgoing to\b"), "gonna"),
    (re.compile(r"\bbecause\b"), "bc"),
    (re.compile(r"\bto be honest\b"), "tbh"),
    (re.compile(r"\bare\b"), "r"),
)
_ELONG = {
    "nul": ("nuuul", "nuuuuul"), "trop": ("trooop", "troooop"), "bon": ("booon",), "merci": ("merciii", "merciiiii"),
    "enfin": ("enfiiin",), "jamais": ("jamaiiis",), "so": ("sooo", "soooo"), "good": ("goood", "gooood"),
    "love": ("looove",), "please": ("pleeease",), "wow": ("wooow",), "grave": ("graaave",), "miam": ("miaaam", "miammm"),
    "yum": ("yummm",), "ayoye": ("ayoyeee",),
}


def _typo(rng: random.Random, text: str) -> str:
    """One slip of the thumb in a plain word (never in a handle, hashtag, link or name)."""
    words = text.split(" ")
    spots = [
        i for i, w in enumerate(words)
        if len(w) >= 5 and w.isalpha() and w.islower()
    ]
    if not spots:
        return text
    k = rng.choice(spots)
    w = words[k]
    i = rng.randint(1, len(w) - 2)
    op = rng.random()
    if op < 0.45:
        w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    elif op < 0.75:
        w2 = w[:i] + w[i + 1:]
    else:
        w2 = w[:i] + w[i] + w[i:]
    words[k] = w2
    return " ".join(words)


_SPACES = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"\s+([,.])")
_LEAD_PUNCT = re.compile(r"^[,.:;]\s*")
_BANGS = re.compile(r"!+")
_QMARKS = re.compile(r"\?+")


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    if " ," in text or " ." in text:
        text = _SPACE_PUNCT.sub(r"\1", text)
    if text[:1] in ",.:;":
        text = _LEAD_PUNCT.sub("", text)
    text = text.replace(" ,", ",").replace("( ", "(").replace(" )", ")").replace("()", "")
    return text.strip()


def _shout(text: str) -> str:
    """ALL CAPS, except handles, hashtags and links (they would no longer work)."""
    return " ".join(w if w[:1] in "@#" or "http" in w or "." in w[1:-1] else w.upper() for w in text.split(" "))


def _unaddress(text: str, brand: str) -> str:
    """Drop the brand's name where it only addresses the brand (in a comment or a DM)."""
    text = re.sub(r"^" + re.escape(brand) + r"[\s,:]*", "", text)
    text = re.sub(r"\s*" + re.escape(brand) + r"(?=\s*(?:[?!.,:]|$|[^\w\s#@]))", "", text)
    return _cap(text.strip())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# ---------------------------------------------------------------------------------------
# The day
# ---------------------------------------------------------------------------------------

_NET_SHARE = {
    "facebook": 0.32, "instagram": 0.30, "x": 0.13, "google": 0.038, "bluesky": 0.06,
    "trustpilot": 0.017, "youtube": 0.04, "mastodon": 0.03, "reddit": 0.03,
}
_NET_KINDS = {
    "facebook": (("comment", 0.72), ("dm", 0.2), ("mention", 0.08)),
    "instagram": (("comment", 0.6), ("dm", 0.2), ("mention", 0.2)),
    "x": (("mention", 0.65), ("comment", 0.25), ("dm", 0.1)),
    "bluesky": (("mention", 0.6), ("comment", 0.3), ("dm", 0.1)),
    "mastodon": (("mention", 0.6), ("comment", 0.3), ("dm", 0.1)),
    "youtube": (("comment", 1.0),),
    "reddit": (("mention", 1.0),),
    "google": (("review", 1.0),),
    "trustpilot": (("review", 1.0),),
}
_CATS = {
    "comment": (("react", 0.31), ("praise", 0.18), ("question", 0.17), ("ugc", 0.04), ("complaint", 0.02), ("meh", 0.008), ("competitor", 0.02), ("spam", 0.06), ("troll", 0.008), ("mixed", 0.02)),
    "dm": (("question", 0.56), ("complaint", 0.06), ("praise", 0.12), ("spam", 0.1), ("ugc", 0.06), ("meh", 0.01), ("mixed", 0.02)),
    "mention": (("chitchat", 0.33), ("praise", 0.2), ("ugc", 0.12), ("complaint", 0.025), ("meh", 0.01), ("competitor", 0.04), ("question", 0.06), ("spam", 0.05), ("troll", 0.012), ("mixed", 0.02)),
}
# Relative arrival rate by wall-clock hour: quiet at night, busier at lunch.
_HOUR_RATE = (
    0.22, 0.14, 0.09, 0.07, 0.07, 0.12, 0.35, 0.7,  # 0h-7h
    1.0, 1.0, 0.95, 1.15, 1.6, 1.45, 1.0, 0.9,  # 8h-15h
    1.0, 1.15, 1.15, 1.1, 1.0, 0.85, 0.6, 0.4,  # 16h-23h
)
_MEAN_GAP = 19.0  # seconds between live arrivals at rate 1.0


_PRODUCT_KEYS = frozenset((
    "p", "le_p", "Le_p", "un_p", "mon_p", "son_p", "votre_p", "de_p", "P", "a_P",
    "froid", "sec", "rassis", "brule", "parfait", "meilleur", "chaud", "ecoeurant", "beau", "dur",
    "excellent", "bon", "celui",
))


class _Fills(dict):
    """The values a template may ask for, computed on first use (most are never needed)."""

    _DELAY = {45: ("45 min", "45 min"), 60: ("une heure", "an hour"), 90: ("1h30", "90 min"), 120: ("2h", "2 hours"), 180: ("3h", "3 hours")}

    def __init__(self, writer: "_Writer", person: _Person, voice: str, network: str, at: float) -> None:
        super().__init__(brand=_BRAND_TAG[network], brand_name=BRAND)
        self.w, self.person, self.voice, self.network, self.at = writer, person, voice, network, at

    def _shop(self) -> None:
        rng = self.w.rng
        shop = rng.choice(_SHOPS_BY_REGION.get(self.person.region, _SHOPS_BY_REGION["fr"]))
        city, area, de, a, sregion = shop
        mtl = sregion == "mtl"
        self.update(shop=shop, city=city, area=area, shop_de=de, shop_a=a, _region=sregion, _mtl=mtl)

    def _money(self, x: float) -> str:
        mtl = self["_mtl"]
        if self.voice == "en":
            return f"${x:.2f}" if mtl else f"€{x:.2f}"
        s = f"{x:.2f}".replace(".", ",")
        return f"{s} $" if mtl else f"{s} €"

    def _product(self) -> None:
        rng = self.w.rng
        sregion = self["_region"]
        name, g, en, _ = rng.choices(_PRODUCTS, _PRODUCT_W)[0]
        if name == "pain au chocolat" and (self.voice == "qc" or sregion in ("sud", "mtl")):
            name, g = "chocolatine", "f"
            if sregion == "mtl" and rng.random() < 0.5:
                en = "chocolatine"
        le = _le(name, g)
        m = g == "m"
        self.update(
            p=name, le_p=le, Le_p=_cap(le), un_p=_un(name, g), mon_p=_mon(name, g), son_p=_son(name, g),
            votre_p="votre " + name,
            P=en, a_P=_a_en(en),
            froid="froid" if m else "froide", sec="sec" if m else "sèche", rassis="rassis" if m else "rassise",
            brule="brûlé" if m else "brûlée", parfait="parfait" if m else "parfaite",
            meilleur="meilleur" if m else "meilleure",
            chaud="chaud" if m else "chaude", ecoeurant="écoeurant" if m else "écoeurante",
            beau="beau" if m else "belle", dur="dur" if m else "dure", excellent="excellent" if m else "excellente",
            bon="bon" if m else "bonne", celui="celui" if m else "celle",
            de_p=("de l'" + name) if le.startswith("l'") else ("du " + name) if m else ("de la " + name),
        )

    def __missing__(self, key: str):
        rng = self.w.rng
        if key in ("shop", "city", "area", "shop_de", "shop_a", "_region", "_mtl"):
            self._shop()
        elif key in _PRODUCT_KEYS:
            self._product()
        elif key == "price":
            self[key] = self._money(rng.choice((3.75, 4.25, 4.5, 4.95)) if self["_mtl"] else rng.choice((2.1, 2.3, 2.4, 2.6, 2.9)))
        elif key == "amount":
            self[key] = self._money(rng.randint(900, 4800) / 100)
        elif key == "order":
            self[key] = self.w.order(self.voice, self.at)
        elif key in ("time", "time_en"):
            hh, mm = rng.choice((7, 8, 8, 9, 10, 11)), rng.choice(("", "30", ""))
            self.update(time=f"{hh}h{mm}", time_en=f"{hh}{':' + mm if mm else ''}am")
        elif key in ("delay", "delay_en"):
            fr, en = self._DELAY[rng.choice((45, 60, 90, 120, 180))]
            self.update(delay=fr, delay_en=en)
        elif key == "elsewhere":
            self[key] = rng.choice(_NO_SHOP_CITIES)
        elif key == "suburb":
            self[key] = rng.choice(_SUBURBS.get(self["_region"], _SUBURBS["fr"]))
        elif key == "comp":
            self[key] = rng.choice(_COMPS.get(self["_region"], COMPETITORS))
        elif key == "friend":
            self[key] = self.w.friend(self.network)
        elif key in ("debite", "Debite", "seul", "etudiant"):
            fem = self.person.fem
            self.update(
                debite="débitée" if fem else "débité", Debite="Débitée" if fem else "Débité",
                seul="la seule" if fem else "le seul", etudiant="étudiante" if fem else "étudiant",
            )
        elif key == "outlet":
            label = self.person.label
            self[key] = label.split("·")[-1].split("—")[-1].split("(")[-1].strip(" )") if label else "la rédaction"
        elif key == "mins":
            self[key] = rng.choice((10, 15, 20, 25, 30))
        else:
            raise KeyError(key)
        return dict.__getitem__(self, key)


@dataclass(slots=True)
class _Slot:
    at: float
    seq: int
    spec: dict


@dataclass(slots=True)
class _Said:
    """What the day remembers of a comment, to reply to it."""

    native_id: str
    person: _Person
    voice: str
    cat: str
    at: float
    name: str
    handle: str


class _Writer:
    """Plans the day's arrivals (`schedule`), then writes each message in time order."""

    def __init__(self, seed: int, hours: float, buzz: bool = True) -> None:
        self.rng = random.Random(seed)
        self.hours = hours
        self.with_buzz = buzz
        self.end = hours * 3600.0
        self.people = _People(self.rng)
        self.posts = _make_posts(self.rng)
        self.threads: dict[str, list[_Said]] = {p.id: [] for p in self.posts}
        self.reddit_threads: list[tuple[str, str, str, float, str]] = []  # (native_id, title, url, at, subreddit)
        self.count = 0
        self.events: list[DemoEvent] = []
        self.spammers: list[tuple[_Person, int]] = []  # bots and the message they repeat
        self._order_base = self.rng.randint(47_100, 48_400)

    # -- small helpers -------------------------------------------------------------------
    def wchoice(self, pairs):
        rng = self.rng
        total = 0.0
        for _, w in pairs:
            total += w
        x = rng.random() * total
        for item, w in pairs:
            x -= w
            if x <= 0:
                return item
        return pairs[-1][0]

    def voice(self, en: float = 0.35, qc: float = 0.13) -> str:
        x = self.rng.random()
        return "en" if x < en else ("qc" if x < en + qc else "fr")

    def order(self, voice: str, at: float) -> str:
        rng = self.rng
        n = self._order_base + int((at + 14 * 3600) / 40) + rng.randint(-60, 5)
        if voice == "en":
            return rng.choice((f"#BC-{n}", f"BC-{n}", f"#{n}", f"BC{n}"))
        return rng.choice((f"#BC-{n}", f"#BC-{n}", f"BC-{n}", f"n° {n}", f"n°{n}", f"BC{n}", f"#{n}"))

    def fills(self, person: _Person, voice: str, network: str, at: float) -> "_Fills":
        return _Fills(self, person, voice, network, at)

    def friend(self, network: str) -> str:
        rng = self.rng
        if network == "facebook":
            first = rng.choice(_FIRST_F["fr"] + _FIRST_M["fr"] + _FIRST_F["qc"])
            return f"{first} {rng.choice(_LAST_T['fr'] + _LAST_T['qc'])}"
        f = _slug(rng.choice(_FIRST_F["fr"] + _FIRST_M["fr"] + _FIRST_F["en"] + _FIRST_M["qc"]))
        return f"{f}{rng.choice(('', '_', '.'))}{rng.choice(('', str(rng.randint(1, 99)), rng.choice(_HANDLE_TAGS)))}"

    def fmt(self, template: str, fills: dict) -> str:
        try:
            return template.format_map(fills)
        except (KeyError, IndexError):  # pragma: no cover - a template bug
            return template

    # -- style ---------------------------------------------------------------------------
    def style(self, text: str, person: _Person, voice: str, tone: str, *, mood_emoji: bool = True) -> str:
        rng = self.rng
        if person.sms and rng.random() < 0.7:
            for pat, rep in _SMS_EN if voice == "en" else _SMS_FR:
                if rng.random() < 0.6:
                    text = pat.sub(rep, text)
        if person.noaccent and voice != "en":
            text = _noaccent(text)
        if person.typo and rng.random() < person.typo:
            text = _typo(rng, text)
        if tone in ("neg", "pos") and rng.random() < 0.12:
            words = text.split(" ")
            spots = [i for i, w in enumerate(words) if w.lower().strip("!.,?") in _ELONG]
            if spots:
                i = rng.choice(spots)
                core = words[i].lower().strip("!.,?")
                words[i] = words[i].lower().replace(core, rng.choice(_ELONG[core]), 1)
                text = " ".join(words)
        if person.bangs:
            if "!" in text:
                text = _BANGS.sub(lambda m: "!" * rng.randint(2, 4), text)
            if "?" in text:
                text = _QMARKS.sub(lambda m: "?" * rng.randint(1, 3), text)
        if voice != "en" and rng.random() < 0.3:
            text = text.replace(" ?", "?").replace(" !", "!")
        if mood_emoji and person.emoji and rng.random() < person.emoji:
            pool = _EMOJI_NEG if tone == "neg" else _EMOJI_POS if tone == "pos" else _EMOJI_NEU
            e = rng.choice(pool)
            text = text + " " + e * rng.choice((1, 1, 1, 2, 3))
        if tone == "neg" and person.shouty and rng.random() < person.shouty:
            text = _shout(text)
        elif person.lower and rng.random() < 0.8 and not text.startswith(("Brioche", "BC", "Box")):
            text = text[:1].lower() + text[1:]
            if rng.random() < 0.5:
                text = text.rstrip(".")
        return text

    # -- assembling a message ------------------------------------------------------------
    def emit(
        self,
        at: float,
        network: str,
        kind: str,
        text: str,
        person: _Person,
        voice: str,
        topic: str,
        tone: str,
        *,
        post: _Post | None = None,
        parent: str | None = None,
        thread: str | None = None,
        title: str | None = None,
        rating: float | None = None,
        url: str | None = None,
    ) -> Incoming:
        rng = self.rng
        self.count += 1
        nid = f"{_PREFIX[network]}_{_KIND_LETTER[kind]}_{self.count:06d}"
        name, handle = _account(self.people, person, network)
        reach = person.reach
        if network in ("google", "trustpilot") and person.role == "person":
            reach = min(reach, rng.randint(0, 120))
        bare = handle.lstrip("@").split("@")[0]
        if url is None:
            if network == "facebook":
                if kind == "comment" and post:
                    url = f"{post.url}?comment_id={rng.randint(10**15, 10**16 - 1)}"
                elif kind == "dm":
                    url = f"https://business.facebook.com/latest/inbox/all?selected_item_id={rng.randint(10**14, 10**15 - 1)}"
                else:
                    url = f"https://www.facebook.com/{bare}/posts/pfbid0{_rid(rng, _B64[:62], 30)}"
            elif network == "instagram":
                if kind == "comment" and post:
                    url = f"{post.url}c/{rng.randint(17_800_000_000_000_000, 17_999_999_999_999_999)}/"
                elif kind == "dm":
                    url = f"https://www.instagram.com/direct/t/{rng.randint(10**16, 10**17 - 1)}/"
                else:
                    url = f"https://www.instagram.com/p/{_rid(rng, _B64, 11)}/"
            elif network == "x":
                if kind == "dm":
                    url = f"https://x.com/messages/1489022310344589312-{rng.randint(10**17, 10**18 - 1)}"
                else:
                    url = f"https://x.com/{bare}/status/{rng.randint(1_880_000_000_000_000_000, 1_889_999_999_999_999_999)}"
            elif network == "bluesky":
                if kind == "dm":
                    url = f"https://bsky.app/messages/3l{_rid(rng, _B32, 11)}"
                else:
                    url = f"https://bsky.app/profile/{bare}/post/3l{_rid(rng, _B32, 11)}"
            elif network == "mastodon":
                inst = handle.rsplit("@", 1)[-1]
                url = f"https://{inst}/@{bare}/{rng.randint(113_900_000_000_000_000, 113_999_999_999_999_999)}"
            elif network == "youtube":
                url = f"{post.url if post else 'https://www.youtube.com/watch?v=' + _rid(rng, _B64, 11)}&lc=Ugx{_rid(rng, _B64, 19)}4AaABAg"
            elif network == "google":
                url = f"https://search.google.com/local/reviews?placeid={title and _PLACE_IDS.get(title.split(' — ')[-1]) or _PLACE_IDS['Oberkampf']}"
            elif network == "trustpilot":
                url = f"https://{'ca' if voice != 'fr' else 'fr'}.trustpilot.com/reviews/{_rid(rng, '0123456789abcdef', 24)}"
        if kind == "comment" and post:
            thread = post.id
            title = post.caption
        elif kind == "dm" and thread is None:
            # One conversation per person and network, as the networks keep DMs: the messaging
            # window (Messenger, Instagram) counts from its last message.
            thread = f"dm-{network}-{bare}"
        msg = Incoming(
            native_id=nid,
            network=network,
            kind=kind,
            text=text,
            created_at=at,
            author_name=name,
            author_handle=handle,
            author_reach=int(reach),
            url=url,
            parent_id=parent,
            thread_id=thread,
            lang="en" if voice == "en" else "fr",
            title=title,
            rating=rating,
            extra={"demo_topic": topic, "demo_tone": tone},
        )
        self.events.append(DemoEvent(at, msg))
        if kind == "comment" and post is not None and tone != "spam":
            if topic in ("question", "debate", "troll", "praise", "buzz"):
                cat = topic
            else:
                cat = "complaint" if tone == "neg" else "other"
            self.threads[post.id].append(_Said(nid, person, voice, cat, at, name, handle))
        return msg

    # -- the timeline --------------------------------------------------------------------
    def schedule(self) -> list[_Slot]:
        rng = self.rng
        slots: list[_Slot] = []
        seq = 0

        def add(at: float, **spec) -> None:
            nonlocal seq
            seq += 1
            slots.append(_Slot(at, seq, spec))

        def add_burst(at: float) -> None:
            # A comment thread catching fire: a handful of replies within a few minutes.
            shared = {"network": rng.choice(("facebook", "facebook", "instagram", "instagram", "youtube", "x")), "post": None}
            for _ in range(rng.randint(3, 6)):
                at += rng.uniform(20, 110)
                add(at, burst=shared)

        # Last night's backlog: 80-120 items between 18:00 and 8:00.
        weights = [_HOUR_RATE[int((DAY_START_HOUR - 14 + h) % 24)] for h in range(14)]
        for _ in range(rng.randint(80, 104)):  # + precursors, a reply chain, a story: 84-117
            h = rng.choices(range(14), weights)[0]
            add(-14 * 3600 + (h + rng.random()) * 3600, live=True)
        # A few early birds noticed the double charge before the CM arrived.
        for _ in range(rng.randint(2, 3) if self.with_buzz else 0):
            add(-rng.uniform(8 * 60, 100 * 60), buzz="precursor")
        # A slow reply chain from last night.
        add_burst(-rng.uniform(9, 12) * 3600)

        # Live arrivals.
        t = 0.0
        while True:
            rate = _HOUR_RATE[int((DAY_START_HOUR + t / 3600) % 24)]
            t += max(1.5, rng.expovariate(rate / _MEAN_GAP))
            if t >= self.end:
                break
            add(t, live=True)
        # Threads catching fire a little: short reply chains.
        n_bursts = max(0, int(self.hours * rng.uniform(1.2, 1.8)))
        for _ in range(n_bursts):
            add_burst(rng.uniform(0, self.end))

        # The bad buzz: main wave, tail, and stragglers later in the day.
        # The first ten minutes: 37-44 angry, sarcastic or worried voices, and 3-6 calm ones.
        if not self.with_buzz:
            return self._stories(slots, add)
        for _ in range(rng.randint(37, 44)):
            add(BUZZ_START + 600 * rng.random() ** 0.85, buzz="main")
        for _ in range(rng.randint(3, 6)):
            add(BUZZ_START + 60 + 540 * rng.random(), buzz="calm")
        for _ in range(rng.randint(12, 18)):
            x = 600 + rng.expovariate(1 / 380)
            while x > BUZZ_END - BUZZ_START - 30:
                x = 600 + rng.expovariate(1 / 380)
            add(BUZZ_START + x, buzz="tail")
        last = BUZZ_END + rng.uniform(300, 1200)
        for _ in range(rng.randint(5, 8)):
            if last >= self.end:
                break
            add(last, buzz="late")
            last += rng.uniform(1800, 6000)
        return self._stories(slots, add)

    def _stories(self, slots: list[_Slot], add) -> list[_Slot]:
        rng = self.rng
        # Repeat authors who escalate.
        n_stories = max(1, round(self.hours * rng.uniform(0.35, 0.5)))
        starts = [-rng.uniform(4, 9) * 3600] + [rng.uniform(900, max(1000, self.end - 3 * 3600)) for _ in range(n_stories)]
        for i, start in enumerate(starts):
            voice = self.voice(en=0.3, qc=0.15)
            theme = rng.choice(sorted(_STORIES[voice]))
            person = self.people.new(voice)
            if i == 0 or rng.random() < 0.25:
                person.reach = rng.randint(900, 6000)
            network = rng.choice(("instagram", "instagram", "facebook", "x"))
            t1 = start + rng.uniform(15, 60) * 60
            t2 = t1 + rng.uniform(40, 120) * 60
            if i == 0:  # last night's comment, this morning's DM, a public mention once the day starts
                t1 = -rng.uniform(20, 70) * 60
                t2 = rng.uniform(600, 1500) + BUZZ_END
            story = {"voice": voice, "theme": theme, "person": person, "network": network, "order": None}
            for step, at in enumerate((start, t1, t2)):
                add(at, story=story, step=step)

        slots = [s for s in slots if s.at < self.end]
        slots.sort(key=lambda s: (s.at, s.seq))
        return slots

    def run(self) -> list[DemoEvent]:
        for slot in self.schedule():
            spec = slot.spec
            if "buzz" in spec:
                self.buzz(slot.at, spec["buzz"])
            elif "story" in spec:
                self.story(slot.at, spec["story"], spec["step"])
            elif "burst" in spec:
                self.burst(slot.at, spec["burst"])
            else:
                self.ordinary(slot.at)
        self.events.sort(key=lambda e: e.at)
        return self.events

    # -- ordinary traffic ----------------------------------------------------------------
    def live_posts(self, network: str, at: float) -> list[_Post]:
        return [p for p in self.posts if p.network == network and p.at <= at - 60]

    def pick_post(self, network: str, at: float) -> _Post | None:
        posts = self.live_posts(network, at)
        if not posts:
            return None
        weights = [p.weight * (0.08 + math.exp(-(at - p.at) / (8 * 3600))) for p in posts]
        return self.rng.choices(posts, weights)[0]

    def ordinary(self, at: float) -> None:
        rng = self.rng
        network = self.wchoice(tuple(_NET_SHARE.items()))
        kind = self.wchoice(_NET_KINDS[network])
        if kind == "review":
            return self.review(at, network)
        if network == "reddit":
            return self.reddit(at)
        post = None
        if kind == "comment":
            post = self.pick_post(network, at)
            if post is None:
                if network == "youtube":
                    return self.review(at, "google")
                kind = "mention"
        cat = self.wchoice(_CATS[kind])
        if post is not None and rng.random() < 0.22 and self.reply(at, post):
            return None
        voice = self.voice()
        if post is not None and post.topic == "montreal" and voice == "fr":
            voice = "qc"
        person = self.people.pick(voice)
        self.message(at, network, kind, cat, person, voice, post)
        return None

    def message(self, at: float, network: str, kind: str, cat: str, person: _Person, voice: str, post: _Post | None) -> None:
        rng = self.rng
        if cat == "spam":
            return self.spam(at, network, kind, post)
        f = self.fills(person, voice, network, at)
        topic, tone = cat, "neu"
        v = voice
        if cat == "praise":
            core = self.fmt(rng.choice(_PRAISE[v]), f)
            parts = [rng.choice(_PRAISE_OPEN[v]), core, self.fmt(rng.choice(_PRAISE_CLOSE[v]), f)]
            text, tone = self.join(parts, v), "pos"
        elif cat == "ugc":
            text = self.fmt(self.timely(_UGC[v], at), f)
            if rng.random() < 0.6:
                tags = rng.sample(_UGC_TAGS[v], rng.randint(1, 4))
                text += " " + " ".join(tags)
            text, tone = text, "pos"
            if kind == "dm":
                text = rng.choice(("Je vous envoie ma photo : ", "Pour votre story si vous voulez ! ", "") if v != "en" else ("Sharing my pic with you: ", "For your story if you want! ", "")) + text
        elif cat == "react":
            topic_key = post.topic if post is not None and rng.random() < 0.6 else "any"
            pool = _REACT.get((topic_key, v)) or _REACT[("any", v)]
            text = self.fmt(rng.choice(pool), f)
            if rng.random() < 0.35 and "?" not in text:
                other = self.fmt(rng.choice(_REACT[("any", v)]), f)
                if other != text and "?" not in other:
                    a, b = (text, other) if rng.random() < 0.5 else (other, text)
                    sep = ", " if a[-1:].isalpha() else " "
                    text = f"{a}{rng.choice((sep, sep, '! ', ' '))}{b}"
            if rng.random() < 0.18 and "@" not in text and "?" not in text:
                text = f"@{f['friend']} {text}" if network != "facebook" else f"{f['friend']} {text}"
            if network == "facebook" and "friend" in f:  # Facebook tags people by name, without "@"
                text = text.replace("@" + f["friend"], f["friend"])
            if post is not None and post.topic == "debate":
                topic = "debate"
            tone = "pos"
            if post is not None and post.topic == "app" and any(w in text for w in ("recréer", "où la carte")):
                tone = "neu"
        elif cat == "question":
            q = self.fmt(rng.choice(_QUESTIONS[v]), f)
            opener = rng.choice(_Q_OPEN[v])
            if opener == "Bonsoir" and 5 <= (DAY_START_HOUR + at / 3600) % 24 < 17:
                opener = "Bonjour"
            if person.formal and v != "en":
                opener = "Bonjour,"
            closer = rng.choice(_Q_CLOSE[v]) if not person.formal else ("Cordialement" if v == "fr" else rng.choice(_Q_CLOSE[v]))
            text = self.join([opener, q, closer], v)
        elif cat == "complaint":
            theme = self.wchoice(tuple(_COMPLAINT_W.items()))
            pool = _COMPLAINTS[theme].get(v) or _COMPLAINTS[theme]["fr"]
            core = self.fmt(rng.choice(pool), f)
            extra = self.fmt(rng.choice(_C_EXTRA[v]), f)
            opener = "" if not person.formal else ("Bonjour," if v != "en" else "Hello,")
            text = self.join([opener, core, extra], v, end=".")
            topic, tone = theme, "neg"
        elif cat == "meh":
            core = self.fmt(rng.choice(_MEH[v]), f)
            text = self.join([core, rng.choice(("", "", "", "dommage", "juste un avis", "c'est dommage") if v != "en" else ("", "", "just saying", "shame"))], v)
            topic, tone = "meh", "neg"
        elif cat == "competitor":
            tone, tmpl = rng.choice(_COMPETITOR[v])
            text = self.fmt(tmpl, f)
            topic = "competitor"
        elif cat == "chitchat":
            text = self.fmt(self.timely(_CHITCHAT[v], at), f)
            tone = "pos"
        elif cat == "troll":
            text = self.fmt(rng.choice(_TROLLS[v]), f)
            topic, tone = "troll", "neg"
        elif cat == "mixed":
            lang, tmpl = rng.choice(_MIXED)
            text = self.fmt(tmpl, f)
            voice = v = "en" if lang == "en" else "qc"
            person = self.people.pick(v)
            tone, topic = "pos", "praise"
            if tmpl.startswith("Quick"):
                tone, topic = "neu", "question"
        else:  # pragma: no cover
            text = "?"
        if kind == "mention" and f["brand"] not in text:
            text = self.mention_brand(text, f["brand"])
        text = self.style(_cap(_tidy(text)), person, v, tone)
        self.emit(at, network, kind, text, person, v, topic, tone, post=post if kind == "comment" else None)
        return None

    def timely(self, pool: tuple[str, ...], at: float) -> str:
        """A template that fits the time of day: "~" marks morning ones, "^" afternoon ones."""
        hour = (DAY_START_HOUR + at / 3600) % 24
        for _ in range(6):
            t = self.rng.choice(pool)
            if t[0] == "~":
                if 5 <= hour < 12:
                    return t[1:]
            elif t[0] == "^":
                if 12 <= hour < 19:
                    return t[1:]
            else:
                return t
        return next((t for t in pool if t[0] not in "~^"), t[1:])

    def join(self, parts: list[str], voice: str, end: str = "") -> str:
        rng = self.rng
        parts = [p for p in parts if p]
        out = ""
        for i, p in enumerate(parts):
            if not out:
                out = p
                continue
            if out[-1] in ",:" or out.endswith((" mais", " que")):
                out += " " + p
            elif out[-1] in ".!?)" or out[-1] not in "abcdefghijklmnopqrstuvwxyzàâéèêëîïôûùç0123456789" or len(p) < 3:
                out += " " + (_cap(p) if out[-1] in ".!?" else p)
            else:
                sep = rng.choice((". ", ", ", ", ", "! ", "... ")) if voice != "en" else rng.choice((". ", ", ", ", ", "! ", " - "))
                out += sep + (_cap(p) if sep.strip() in (".", "!") else p)
        if end and out and out[-1] not in ".!?)" and rng.random() < 0.5:
            out += end
        return out

    def mention_brand(self, text: str, brand: str) -> str:
        x = self.rng.random()
        if x < 0.45:
            return f"{brand} {text}"
        if x < 0.8:
            return f"{text} {brand}"
        return f"{text} cc {brand}"

    def reply(self, at: float, post: _Post, bias: bool = False) -> bool:
        """A comment answering a recent comment under `post`; False if there is none."""
        rng = self.rng
        recent = [s for s in self.threads[post.id][-10:] if at - s.at < 5 * 3600 and s.cat != "buzz"]
        if not recent:
            return False
        parent = rng.choice(recent[-4:] if bias else recent)
        voice = parent.voice if rng.random() < 0.85 else self.voice()
        person = self.people.pick(voice, regular=0.2)
        if person is parent.person:
            person = self.people.new(voice)
        cat = parent.cat if post.topic != "debate" or parent.cat == "troll" else "debate"
        pool = _REPLY.get((cat, voice)) or _REPLY[("other", voice)]
        f = self.fills(person, voice, post.network, at)
        text = rng.choice(pool)
        if rng.random() < 0.4 and cat in ("praise", "other", "debate", "troll"):
            more = rng.choice(_REPLY[("other", voice)])
            if more != text:
                text = f"{text} {more}"
        if rng.random() < 0.25 and cat in ("praise", "other"):
            text = f"{text} {self.fmt(rng.choice(_REACT[('any', voice)]), f)}"
        tone = {"complaint": "neu", "troll": "neg", "praise": "pos", "debate": "pos"}.get(cat, "neu")
        text = self.style(_cap(_tidy(text)), person, voice, tone if tone != "neg" else "neu")
        if post.network == "facebook":
            prefix = parent.name if rng.random() < 0.7 else ""
        else:
            prefix = parent.handle if parent.handle.startswith("@") else ""
        if prefix:
            text = f"{prefix} {text}"
        topic = "debate" if cat == "debate" else ("reply_troll" if cat == "troll" else "reply")
        self.emit(at, post.network, "comment", text, person, voice, topic, tone if cat != "troll" else "neu", post=post, parent=parent.native_id)
        return True

    def burst(self, at: float, shared: dict) -> None:
        """One reply in a thread catching fire (the first one picks the thread)."""
        if shared["post"] is None:
            shared["post"] = self.pick_post(shared["network"], at) or False
        post = shared["post"]
        if not post:
            return
        if not self.reply(at, post, bias=True):
            voice = self.voice()
            self.message(at, post.network, "comment", "react", self.people.pick(voice), voice, post)

    def spam(self, at: float, network: str, kind: str, post: _Post | None) -> None:
        rng = self.rng
        if self.spammers and rng.random() < 0.45:
            person, idx = rng.choice(self.spammers)
        else:
            idx = rng.randrange(len(_SPAM))
            person = self.people.bot(idx)
            self.spammers.append((person, idx))
        text = _SPAM[idx]
        if rng.random() < 0.35:
            text = text + " " + rng.choice(("🔥", "💯", "✅", "👇", "⭐⭐⭐", "!!"))
        if kind == "mention" and _BRAND_TAG[network] not in text:
            text = f"{_BRAND_TAG[network]} {text}"
        self.emit(at, network, kind, text, person, _SPAM_LANG[idx], "spam", "spam", post=post if kind == "comment" else None)

    def review(self, at: float, network: str) -> None:
        rng = self.rng
        rating = rng.choices((1, 2, 3, 4, 5), _RATING_W[network])[0]
        voice = self.voice(en=0.3, qc=0.12)
        person = self.people.pick(voice, regular=0.04)
        f = self.fills(person, voice, network, at)
        pool = _REVIEW[(rating, voice)]
        text = self.fmt(rng.choice(pool), f)
        if rating >= 4 and rng.random() < 0.4:
            more = self.fills(person, voice, network, at)  # another product, another detail
            text += " " + _cap(self.fmt(rng.choice(_PRAISE[voice]), more)) + "."
        elif rating <= 2 and rng.random() < 0.4:
            text += " " + _cap(self.fmt(rng.choice(_C_EXTRA[voice]) or "Dommage.", f))
        tone = "pos" if rating >= 4 else ("neg" if rating <= 2 else "neu")
        topic = "review" if rating >= 3 else "bad_review"
        if network == "google":
            title = f"{BRAND} — {f['shop'][1]}"
        else:
            title = rng.choice(_TP_TITLES[rating])
        text = self.style(_tidy(text), person, voice, tone, mood_emoji=rng.random() < 0.3)
        self.emit(at, network, "review", text, person, voice, topic, tone, title=title, rating=float(rating))

    def reddit(self, at: float) -> None:
        rng = self.rng
        voice = self.voice(en=0.4, qc=0.2)
        person = self.people.pick(voice, regular=0.05)
        f = self.fills(person, voice, "reddit", at)
        sub = {"fr": rng.choice(("france", "paris", "Lyon", "bordeaux", "AskFrance")), "qc": rng.choice(("montreal", "Quebec")), "en": rng.choice(("montreal", "AskAParisian", "Baking", "europe"))}[voice]
        recent = [r for r in self.reddit_threads if at - r[3] < 6 * 3600 and r[4] == sub]
        if recent and rng.random() < 0.55:
            root, title, url, _, _ = rng.choice(recent)
            cat = rng.choice(("praise", "praise", "praise", "praise", "meh", "competitor", "question", "question", "complaint"))
            self.message_reddit(at, person, voice, cat, f, thread=root, title=title, url=f"{url}{_rid(rng, _B36, 7)}/")
            return
        if voice == "en":
            title = rng.choice((f"Best croissant in {f['area']}? Brioche & Co or somewhere else?", "Is Brioche & Co worth the hype?", "Brioche & Co Sunday Box - worth it?", "Where to get a proper galette des rois?"))
        elif voice == "qc":
            title = rng.choice(("Brioche & Co, ça vaut-tu la peine?", "Meilleure chocolatine à Montréal?", "La Box du dimanche de Brioche & Co, des avis?"))
        else:
            title = rng.choice((f"[{f['city']}] Brioche & Co {f['shop_a']}, ça vaut le coup ?", "Brioche & Co vs boulangerie de quartier : vos avis ?", "Quelqu'un a testé la Box du dimanche de Brioche & Co ?", "Galette des rois : vos adresses ?"))
        pid = _rid(rng, _B36, 7)
        slug = re.sub(r"[^a-z0-9]+", "_", _noaccent(title).lower()).strip("_")[:50]
        url = f"https://www.reddit.com/r/{sub}/comments/{pid}/{slug}/"
        cat = rng.choice(("question", "question", "question", "praise", "meh", "competitor"))
        msg = self.message_reddit(at, person, voice, cat, f, thread=None, title=title, url=url)
        self.reddit_threads.append((msg.native_id, title, url, at, sub))

    def message_reddit(self, at, person, voice, cat, f, *, thread, title, url) -> Incoming:
        rng = self.rng
        tone = "neu"
        context = ""
        if thread is None:  # a new post: a line of context before the body
            context = rng.choice(_REDDIT_CONTEXT[voice]) + " "
        if cat == "praise":  # said about the brand, not to it
            text, tone = self.fmt(rng.choice(_REVIEW[(rng.choice((4, 5, 5)), voice)]), f), "pos"
        elif cat == "meh":
            text, tone = self.fmt(rng.choice(_MEH[voice]), f), "neg"
        elif cat == "competitor":
            tone, tmpl = rng.choice(_COMPETITOR[voice])
            text = self.fmt(tmpl, f)
        elif cat == "complaint":
            theme = rng.choice(("late_delivery", "cold_stale", "store_closed"))
            text = self.fmt(rng.choice(_COMPLAINTS[theme].get(voice) or _COMPLAINTS[theme]["fr"]), f)
            tone, cat = "neg", theme
        else:
            text = self.fmt(rng.choice(_REDDIT_Q[voice]), f)
        text = self.style(_cap(_tidy(context + _cap(text))), person, voice, tone, mood_emoji=False)
        return self.emit(at, "reddit", "mention", text, person, voice, cat, tone, thread=thread, title=title, url=url)

    # -- escalating authors --------------------------------------------------------------
    def story(self, at: float, story: dict, step: int) -> None:
        rng = self.rng
        voice, person, network = story["voice"], story["person"], story["network"]
        short, detail, demand, post_topic = _STORIES[voice][story["theme"]]
        f = self.fills(person, voice, network, at)
        if story["order"] is None:
            story["order"] = f["order"]
        f["order"] = story["order"]
        if "shop" not in story:
            story["shop"] = f["shop_a"]
        f["shop_a"] = story["shop"]
        short = self.fmt(short, f)
        detail = self.fmt(detail, f)
        brand = _BRAND_TAG[network]
        post = None
        if step == 0:
            kind = "comment"
            posts = self.live_posts(network, at)
            fitting = [p for p in posts if p.topic == post_topic]
            post = rng.choice(fitting or posts) if posts else None
            if post is None:
                kind = "mention"
            ref = "" if story["order"] in short or story["theme"] in ("points", "allergen") else f" ({story['order']})"
            if voice == "en":
                text = rng.choice((f"Hi, {short}{ref}. Who should I contact?", f"{_cap(short)}... can someone help?", f"Hello? {short}{ref}. Anyone?"))
            elif voice == "qc":
                text = rng.choice((f"Bonjour, {short}{ref}. Qui je dois contacter?", f"{_cap(short)}... quelqu'un peut m'aider?"))
            else:
                text = rng.choice((f"Bonjour, {short}{ref}. Qui faut-il contacter ?", f"{_cap(short)}... quelqu'un peut m'aider ?", f"Bonjour, {short}{ref}. Vous pouvez regarder ?"))
            if kind == "mention":
                text = f"{brand} {text}"
            text = self.style(text, person, voice, "neg", mood_emoji=False)
        elif step == 1:
            kind = "dm"
            ref = "" if story["order"] in short or story["theme"] in ("points", "allergen") else f" ({story['order']})"
            if voice == "en":
                text = f"Hello, I'm writing privately since nobody answered my comment. {_cap(short)}{ref}, {detail}. I'd like {demand}. Thanks for getting back to me."
            elif voice == "qc":
                text = f"Bonjour, je vous écris en privé parce que personne a répondu à mon commentaire. {_cap(short)}{ref}, {detail}. J'aimerais avoir {demand}. Merci"
            else:
                text = f"Bonjour, je me permets de vous écrire en privé car personne n'a répondu à mon commentaire. {_cap(short)}{ref}, {detail}. J'aimerais {demand}. Merci de revenir vers moi."
        else:
            kind = "mention"
            hours = max(1, round((at - story["t1"]) / 3600)) if "t1" in story else rng.choice((2, 3))
            if voice == "en":
                text = rng.choice((
                    f"{brand} {hours} hours waiting for a reply to my DM. {_cap(short)} and not a word. Customer service is a joke 👎",
                    f"Still nothing from {brand}. {_cap(short)}, I've commented, I've sent a DM. Anyone home??",
                ))
            elif voice == "qc":
                text = rng.choice((
                    f"{brand} ça fait {hours}h que j'attends une réponse à mon message. {_cap(short)}. C'est vraiment ordinaire 👎",
                    f"Toujours rien de {brand}. {_cap(short)}, j'ai commenté, j'ai écrit en privé. Y'a-tu quelqu'un??",
                ))
            else:
                text = rng.choice((
                    f"{brand} ça fait {hours}h que j'attends une réponse à mon message privé. {_cap(short)}, aucune nouvelle. Service client aux abonnés absents 👎",
                    f"Toujours AUCUNE réponse de {brand}. {_cap(short)}, j'ai commenté, j'ai écrit en privé. Il y a quelqu'un ??",
                    f"Bravo {brand}. {_cap(short)} et ça fait {hours}h que j'attends une réponse. Bravo vraiment.",
                ))
            text = self.style(text, person, voice, "neg", mood_emoji=False)
        story[f"t{step}"] = at
        self.emit(at, network, kind, text, person, voice, f"escalation_{story['theme']}", "neg", post=post)

    # -- the bad buzz --------------------------------------------------------------------
    def buzz(self, at: float, phase: str) -> None:
        rng = self.rng
        voice = self.voice(en=0.38, qc=0.12)
        if phase in ("late", "precursor"):
            tone = "late" if phase == "late" else rng.choice(("polite", "polite", "angry"))
        elif phase == "calm":
            tone = rng.choice(("defender", "defender", "advice"))
        else:
            tone = self.wchoice(tuple(zip(_BZ_TONES, _BZ_TONE_W)))
            if phase == "main" and tone in ("defender", "advice"):
                tone = rng.choice(("metoo", "polite"))
            if tone == "followup" and at < BUZZ_START + 300:
                tone = "angry"
            if tone in ("journalist", "influencer") and phase == "tail" and rng.random() < 0.5:
                tone = "angry"
        if tone == "journalist":
            person = self.people.vip("journalist", voice)
            voice = person.voice
        elif tone == "influencer":
            person = self.people.vip("influencer", voice)
            voice = person.voice
        else:
            person = self.people.pick(voice, regular=0.25)
        # Where it lands.
        if tone == "metoo":
            network = rng.choice(("facebook", "facebook", "instagram", "x", "bluesky"))
        elif tone == "journalist":
            network = rng.choice(("x", "x", "bluesky", "facebook"))
        elif tone == "influencer":
            network = rng.choice(("instagram", "x", "instagram"))
        else:
            network = self.wchoice((("x", 0.34), ("bluesky", 0.15), ("facebook", 0.22), ("instagram", 0.17), ("mastodon", 0.04), ("reddit", 0.025), ("google", 0.03), ("trustpilot", 0.025)))
        kind = {"facebook": "comment", "instagram": "comment", "reddit": "mention", "google": "review", "trustpilot": "review"}.get(network, "mention")
        if network in ("facebook", "instagram") and tone not in ("metoo", "journalist") and rng.random() < 0.15:
            kind = "mention" if rng.random() < 0.4 else "dm"
        if tone == "influencer":
            kind = "mention"
        if tone == "polite" and network in ("facebook", "instagram", "x") and rng.random() < 0.25:
            kind = "dm"
        if tone == "journalist" and network == "x" and rng.random() < 0.4:
            kind, tone = "dm", "press"
        if kind == "dm" and tone not in ("polite", "angry", "sarcastic", "leaving", "press"):
            tone = rng.choice(("polite", "angry"))
        f = self.fills(person, voice, network, at)
        f["mins"] = max(5, int((at - BUZZ_START) / 60 // 5 * 5)) if at > BUZZ_START else 10
        what = self.fmt(rng.choice(_BZ_WHAT[voice]), f)
        f["what"], f["What"] = what, _cap(what)
        post = None
        parent = None
        prefix = ""
        title = None
        rating = None
        url = None
        thread = None
        if kind == "review":
            rating = 1.0 if rng.random() < 0.85 else 2.0
            text = self.fmt(rng.choice(_BZ_REVIEW[voice]), f)
            title = f"{BRAND} — {f['shop'][1]}" if network == "google" else rng.choice(_BZ_TP)
        elif network == "reddit":
            title = rng.choice(_BZ_REDDIT[voice])
            text = self.fmt(rng.choice(_BZ[(tone if tone not in ("journalist", "influencer") else "angry", voice)]), f)
            sub = "montreal" if voice != "fr" else rng.choice(("france", "vosfinances"))
            pid = _rid(rng, _B36, 7)
            url = f"https://www.reddit.com/r/{sub}/comments/{pid}/{re.sub(r'[^a-z0-9]+', '_', _noaccent(title).lower()).strip('_')[:50]}/"
        else:
            text = self.fmt(rng.choice(_BZ[(tone, voice)]), f)
        if kind in ("comment", "dm", "review") or network == "reddit":
            text = _unaddress(text, _BRAND_TAG[network])
        if kind == "comment":
            if network == "facebook":
                post = next(p for p in self.posts if p.network == "facebook" and p.topic == "app")
            else:
                post = self.pick_post("instagram", at)
            if post is not None:
                buzz_kids = [s for s in self.threads[post.id] if s.cat == "buzz" and at - s.at < 1800]
                if buzz_kids and (tone in ("metoo", "advice", "defender") or rng.random() < 0.1):
                    par = rng.choice(buzz_kids[-6:])
                    parent = par.native_id
                    prefix = par.name if network == "facebook" else par.handle
                elif network == "instagram" and rng.random() < 0.5:
                    # The brand's latest post is about something else entirely.
                    aside = rng.choice(
                        ("Rien à voir avec le post mais ", "Hors sujet mais ", "Désolée de squatter ce post mais ")
                        if voice != "en" else ("Off topic but ", "Sorry to hijack this post but ")
                    )
                    text = aside + (text[:1].lower() + text[1:] if text[1:2].islower() else text)
        elif kind == "mention" and network != "reddit":
            brand = _BRAND_TAG[network]
            if brand not in text:
                text = self.mention_brand(text, brand)
        text = _tidy(text)
        heated = tone in ("angry", "sarcastic", "leaving", "followup", "late", "metoo")
        styled = self.style(text, person, voice, "neg" if heated else "neu")
        if not is_buzz_text(styled):
            styled = text if is_buzz_text(text) else f"{text} #BriocheGate"
        if prefix:
            styled = f"{prefix} {styled}"
        btone = "neg" if tone not in ("defender", "advice", "press") else "neu"
        self.emit(at, network, kind, styled, person, voice, "buzz", btone, post=post, parent=parent, title=title, rating=rating, url=url, thread=thread)


def build_day(seed: int = 1, hours: float = 10.0, *, buzz: bool = True) -> list[DemoEvent]:
    """The whole scripted day, sorted by `at`; same seed -> identical list.

    Starts with 80-120 backlog items from last night (negative `at`), then live arrivals
    for `hours` hours, with the bad buzz from `BUZZ_START`. `buzz=False` gives a calm day:
    the same kind of traffic, complaints and escalating customers, and no bad buzz.
    """
    return _Writer(seed, hours, buzz).run()
