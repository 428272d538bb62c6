"""Guess whether a social post is French or English, from word and character cues.

Short posts defeat statistical detectors, so this counts evidence instead: frequent words of
each language (Québec forms such as "chu", "pantoute", "icitte", "pis", "tsé", "char" count as
French), French elisions ("l'", "j'", "qu'") and English clitics ("n't", "'s", "'re"), and the
accented letters French uses. @handles, #hashtags and URLs say nothing about the writer's
language and are ignored. Mixed posts go to the language with more evidence; a post with too
little, or with more evidence for another language, is "und".
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import Final

from .text import fold, squeeze

FRENCH: Final = "fr"
ENGLISH: Final = "en"
UNDETERMINED: Final = "und"

# Less evidence than this (one frequent word) is not enough to call a language.
MIN_EVIDENCE: Final = 1.0
# Each French-only accented letter is half a word of evidence, up to a cap, so that a long
# French text with no stopword still counts and a name like "Zoé" does not decide alone.
ACCENT_WEIGHT: Final = 0.5
ACCENT_CAP: Final = 2.0

# Frequent words, folded (no accents). Words common to French and English ("a", "on", "me",
# "service", "super", "top", "ok", "content", "as", "plate") are left out on purpose.
_FRENCH_WORDS: Final = """
le la les un une des du de au aux et est sont je tu il elle nous vous ils elles ce cette ces
cet mon ma mes ton ta tes sa ses notre nos votre vos leur leurs que qui quoi quel quelle quels
quelles dans pour par avec sans sur sous chez mais ou donc car ne pas plus rien jamais
toujours tjs tjrs encore deja tres trop aussi bien tout tous toute toutes merci bonjour bonsoir
salut coucou oui non ca cela ceci ai avons avez ont suis es sommes etes etait etais etaient ete
etre avoir fait faire peut peux veux veut vais va vont allez faut sais sait commande colis
livraison livre livrez recu depuis quand comment pourquoi combien semaine semaines jour jours
mois heure heures hier demain soir matin svp stp mdr ptdr bcp jsuis chui nul
genial quand alors puis parce avant apres aucun aucune chose ici voila voici lui moi toi
nouvelle nouveau nouveaux carte dispo drole vraiment franchement honnetement attends attend
accueil equipe beaucoup courant croire deg lente lent abime remboursement rembourser ouvrez
vos produit produits appli site prix cher chere soiree journee bonne bon mauvais pire meilleur
aujourd chu pantoute icitte pis tse char ben toe moe asteure pogner niaiser magasiner tabarnak calisse
ostie esti maudit tais ouin icite ya faque tanne gang bienvenue tiguidou
"""

_ENGLISH_WORDS: Final = """
the an and is are was were be been being i im you your youre my we our us they them their he
she it its this that these those what where when why how who which with without for from to of
at by about just still not never nothing nobody anyone anything someone something any some
very really also but or if then than because do does did dont doesnt didnt can cant could would
should will wont have has had havent get got thanks thank thx please hi hello hey yes yeah
order orders delivery deliver refund waiting wait help need want like love good great bad worst
best new open today tonight yesterday tomorrow week weeks days day last night ever again omg
lmao wtf guys whole lot out check having believe fixed honestly slow box damaged there here
so too much awesome amazing terrible awful happy sad customer support shipping package
"""

# Frequent words of other languages our customers write in, so that Spanish or German text
# is "und" rather than French because it shares "de", "la" or "en".
_OTHER_WORDS: Final = """
el los las del por pero muy gracias hola donde esta mi pedido usted porque tambien nada todo
bueno como und der die das ist nicht ich mit danke fur nichts wirklich schlecht sehr gut bitte
aber ein eine auch noch wie mein meine della sono grazie questo molto perche ciao buongiorno
che gli obrigado obrigada voce nao muito uma isso meu minha tudo het een niet bedankt
"""

# Each frequent word's language, as a letter: the letters of a text's words are joined into one
# string and counted, which costs far less than counting word by word.
_FR, _EN, _OTHER = "f", "e", "o"

# English clitics ("don't", "it's", "you're", "I'll", "I've", "I'm") are tokens of their own,
# apostrophe first. What is left before an apostrophe is a French elision ("l'avis", "qu'il",
# Québec "j'tais", "y'a"): a lone "l", "qu" or "j" is French evidence.
_FRENCH_ELISIONS: Final = "l j n m t s c d qu jusqu lorsqu puisqu quoiqu presqu y".split()
_ENGLISH_CLITICS: Final = [f"'{c}" for c in "t s re ll ve m d".split()]

_WORD_SIDE: Final[dict[str, str]] = {
    **{w: _OTHER for w in _OTHER_WORDS.split()},
    **{w: _EN for w in _ENGLISH_WORDS.split() + _ENGLISH_CLITICS},
    **{w: _FR for w in _FRENCH_WORDS.split() + _FRENCH_ELISIONS},
}

# Tokens of folded text: a word, or an English clitic (apostrophes split words).
_TOKEN_RE: Final = re.compile(r"[^\W_']+|'(?:t|s|re|ll|ve|m|d)\b")
# What `_tokens` turns into spaces: the ASCII characters no token has, but the apostrophe and "_"
# (word characters for the clitics' `\b`). (Characters outside ASCII are encoded as "?" first.)
_SEPARATORS_TO_SPACE: Final = bytes(
    byte if chr(byte).isalnum() or chr(byte) in "'_" else ord(" ") for byte in range(128)
) + b" " * 128
_NON_ASCII_WORD_CHAR_RE: Final = re.compile(r"[^\x00-\x7f\W]")
_CLITIC_RE: Final = re.compile(r"'(?:t|s|re|ll|ve|m|d)\b")  # _TOKEN_RE's second branch
# Letters French uses and English does not (é is shared with Spanish: it counts too, since
# Spanish is caught by its own words).
_FRENCH_ACCENTS: Final = "éèêëàâçùûîïôœÉÈÊÀÇ"
# What to ignore: URLs, @handles and #hashtags. (Each alternative starts with a plain character,
# so the regex engine skips to those characters instead of trying every position.)
_NOISE_RE: Final = re.compile(r"@\S+|#\S+|https?://\S+|www\.\S+")


def _tokens(folded: str) -> list[str]:
    """The tokens of `folded` (`_TOKEN_RE.findall`), not in order, read by str and bytes methods
    (a regex match costs about as much as a whole str method call): no token spans a separator.
    Characters outside ASCII are separators too, once a search has made sure none of them is a
    letter or a digit (emoji, "°"...). features.py reads its words the same way."""
    if not folded.isascii() and _NON_ASCII_WORD_CHAR_RE.search(folded) is not None:
        return _TOKEN_RE.findall(folded)  # Greek, 𝐛𝐨𝐥𝐝... (rare once folded)
    separated = folded.encode("ascii", "replace").translate(_SEPARATORS_TO_SPACE).decode("ascii")
    if "'" not in separated:
        return separated.split() if "_" not in separated else _TOKEN_RE.findall(separated)
    if "_" in separated:  # rare: "_" decides whether "'s_" is a clitic
        return _TOKEN_RE.findall(separated)
    # An apostrophe splits words ("l'appli": "l", "appli"), but where it starts a clitic
    # ("it's"), the regex reads "'s" instead of "s".
    tokens = separated.replace("'", " ").split()
    for clitic in _CLITIC_RE.findall(separated):
        tokens.remove(clitic[1:])
        tokens.append(clitic)
    return tokens


def _language_scores(text: str) -> list[float]:
    """Evidence for French, English and other languages (accents counted when they matter)."""
    folded = fold(text)  # memoised: sentiment and cues fold the same text next
    elongated = len(folded) < len(text)  # fold shortened "mdrrr" or "sooo"
    noisy = "http" in text or "www." in text or "@" in text or "#" in text
    if noisy:
        folded = _NOISE_RE.sub(" ", folded)
    tokens = _tokens(folded)
    sides = "".join(map(_WORD_SIDE.get, tokens, repeat("")))
    if elongated:  # "mdrr" is not a word, "mdr" is
        sides += "".join([_WORD_SIDE.get(squeeze(t), "") for t in tokens if t not in _WORD_SIDE])
    scores = [float(sides.count(_FR)), float(sides.count(_EN)), float(sides.count(_OTHER))]
    french, english, other = scores
    # Accents only add French evidence: count them when that could change the answer.
    if not text.isascii() and _accents_matter(french, english, other):
        if noisy:
            text = _NOISE_RE.sub(" ", text)
        accents = sum(map(text.count, _FRENCH_ACCENTS))
        scores[0] += min(ACCENT_CAP, accents * ACCENT_WEIGHT)
    return scores


def _accents_matter(french: float, english: float, other: float) -> bool:
    """Whether up to ACCENT_CAP more French evidence can change what `detect_language` says: not
    if French leads already, nor if English leads by more than that, nor if another language
    has as much as French could reach and as English."""
    if french > max(english, other) and french >= MIN_EVIDENCE:
        return False
    if english > french + ACCENT_CAP:
        return False
    return not (other >= french + ACCENT_CAP and other >= english)


def detect_language(text: str) -> str:
    """ "fr", "en", or "und" when the text is too short, emoji only, or another language."""
    if not text or text.isspace():
        return UNDETERMINED
    french, english, other = _language_scores(text)
    best = max(french, english)
    if best < MIN_EVIDENCE or other >= best or french == english:
        return UNDETERMINED
    return FRENCH if french > english else ENGLISH
