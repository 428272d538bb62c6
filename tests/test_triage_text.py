"""Text scoring as a community manager's inbox exercises it: language, sentiment sign, complaint cues.

The cases are written the way customers write to a brand on social networks (France, Québec,
English, and a mix), typos, elongations, caps and emoji included. They assert behaviour — the
sign of the sentiment, whether a cue is found — not exact scores, so the lexicon can be tuned.
"""

from __future__ import annotations

import builtins
import codecs
import importlib
import io
import sys

import pytest

from cminbox.triage.cues import complaint_cues
from cminbox.triage.lang import detect_language
from cminbox.triage.sentiment import sentiment_score
from cminbox.triage.text import fold

NEG = -0.05
POS = 0.05


def sarcasm(text: str, reason: str = "sarcasm without any marker the rules can see"):
    """A known miss, kept in sight; strict, so the day the rules catch it this fails and it moves up."""
    return pytest.param(text, marks=pytest.mark.xfail(strict=True, reason=reason))


# ---------------------------------------------------------------------------------------------
# fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Déçue", "decue"),
        ("ÇA MARCHE", "ca marche"),
        ("l’appli", "l'appli"),
        ("écœurant", "ecoeurant"),
        ("nuuuul", "nul"),
        ("soooo", "soo"),
        ("merciiiii", "merci"),
        ("géniaaaal", "genial"),
        ("goooood", "good"),
        ("tellllement", "tellement"),
        ("1000 €", "1000 €"),
        ("commande\u00a0?", "commande ?"),
        ("", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize(
    "text",
    [
        "Déçue  par la livraison…\ttoujours RIEN reçu 😡 l’appli plante",
        "𝐛𝐨𝐥𝐝 … ﬁn",  # the fancy word goes through NFKD; the "…" beside it is left as in any text
        "cafe\u0301 … x",  # a combining accent, as some keyboards type "é"
        "ΣΑΣ ΣΑΣ",  # Greek final sigma: lowercasing reads each word to its end
        "nuuuul  ,  géniaaal",
    ],
)
def test_fold_folds_each_word_as_it_would_alone(text):
    """Folding is done word by word (each word once, from a memo): the result must not depend on
    the other words of the text, nor on whether the word was seen before."""
    words = text.split(" ")
    expected = " ".join(fold(word) for word in words)
    assert fold(text) == expected
    fold.cache_clear()
    assert fold(text) == expected
    assert fold("𝐛𝐨𝐥𝐝 … ﬁn") == "bold … fin"


def test_fold_remembers_short_words_only():
    """Words are folded once and remembered, but a huge unbroken "word" (spam, a pasted blob) is
    folded without being kept: the memo's size stays bounded whatever comes in."""
    from cminbox.triage import text as folding

    blob = "Éa" * 2_500
    assert fold(f"déçue {blob} déçue") == f"decue {'ea' * 2_500} decue"
    assert "déçue" in folding._folded_pieces
    assert blob not in folding._folded_pieces


# ---------------------------------------------------------------------------------------------
# language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Toujours pas reçu ma commande", "fr"),
        ("Still waiting for my order", "en"),
        ("Merci !", "fr"),
        ("Thanks!", "en"),
        ("Bonjour", "fr"),
        ("C'est nul", "fr"),
        ("Vous êtes où ?", "fr"),
        ("Are you open today?", "en"),
        ("Où est mon remboursement ???", "fr"),
        ("Where is my refund???", "en"),
        ("Est-ce que vous livrez à Montréal?", "fr"),
        ("Do you deliver to Montreal?", "en"),
        ("Ça fait 3 semaines que j'attends", "fr"),
        ("It's been 3 weeks", "en"),
        ("TOUJOURS RIEN REÇU !!!", "fr"),
        ("WORST SERVICE EVER", "en"),
        ("Super service, merci beaucoup à toute l'équipe", "fr"),
        ("Great service, thanks a lot to the whole team", "en"),
        ("@brioche_co merci pour l'accueil hier soir", "fr"),
        ("@brioche_co thanks for having us last night", "en"),
        ("Check out our new menu https://example.com/menu #food", "en"),
        ("Nouvelle carte dispo ➡️ https://example.com/carte #miam", "fr"),
        ("mdrrr trop drôle", "fr"),
        ("omg this is sooo good", "en"),
        ("Jsuis trop dég, rien reçu", "fr"),
        ("I can't believe it's still not fixed", "en"),
        # Québec
        ("Chu pas content pantoute", "fr"),
        ("Icitte c'est ben correct", "fr"),
        ("Pis toé, t'as-tu reçu ton char?", "fr"),
        ("Tsé, c'est plate en maudit", "fr"),
        ("J'tais pas au courant", "fr"),
        ("J'peux pas croire que c'est encore brisé", "fr"),
        # code-switching: the majority wins
        ("Honnêtement the service was ok mais la livraison était super lente et le colis abîmé", "fr"),
        ("Merci but honestly the delivery was really slow and the box was damaged", "en"),
        ("Bonjour, is anyone there? I need help with my order", "en"),
        # nothing to go on, or another language
        ("😍😍😍", "und"),
        ("👍", "und"),
        ("🙃 #lundi", "und"),
        ("#fail @sncf https://t.co/abc123", "und"),
        ("", "und"),
        ("   ", "und"),
        ("ok", "und"),
        ("1234 5678", "und"),
        ("Hola, ¿dónde está mi pedido?", "und"),
        ("Danke für nichts, das ist wirklich schlecht", "und"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


# ---------------------------------------------------------------------------------------------
# sentiment, French (France)

FR_NEGATIVE = [
    "Toujours pas reçu ma commande, c'est inadmissible",
    "Merci pour rien.",
    "Génial, encore en retard 🙃",
    "Service client nul, personne ne répond",
    "C'est pas bon du tout",
    "Je ne suis pas satisfait de ma commande",
    "Très déçue par la qualité",
    "NUL NUL NUL",
    "Franchement c'est nuuuul",
    "Pas terrible le nouveau menu",
    "Pas top la livraison cette fois",
    "C'est de la merde votre appli",
    "Vous vous foutez de notre gueule ?!",
    "J'aime pas du tout la nouvelle formule",
    "Le produit est arrivé cassé 😡",
    "Une vraie arnaque, je suis dégoûté",
    "Bravo, encore une commande perdue 🙄",
    "Bravo, encore une commande perdue",
    "Livraison en retard de 3 jours, la cata",
    "Je n'ai jamais vu un service aussi lamentable",
    "Trop cher pour ce que c'est",
    "C'est honteux de traiter vos clients comme ça",
    "Scandaleux !!! Débité deux fois",
    "Quelle galère pour joindre quelqu'un",
    "Le burger était froid et les frites molles, pas fou",
    "Je suis furax, ça fait 2 semaines que j'attends",
    "Votre appli plante sans arrêt, c'est relou",
    "Service naze, plus jamais",
    "L'accueil était sympa mais la pizza était immangeable",
    "Aucun intérêt",
    "Je n'aime plus du tout vos produits",
    "Déçu déçu déçu 😞",
    "Ça ne marche pas et personne ne m'aide",
    "C'était mieux avant",
    "Pas du tout content du SAV",
    "J'ai été malade après votre plat du jour",
    "Colis abîmé, emballage déchiré 😤",
    "J'en ai marre d'attendre",
    "C'est une honte",
    "Franchement pas ouf",
    "Rien ne va avec cette commande",
    "Le goût laisse à désirer",
    "Super, merci, ça fait 3 semaines que j'attends 🙄",
    "Dégoûtée de ce service",
    "Commande incomplète et froide, inacceptable",
    "Vous nous prenez vraiment pour des pigeons",
    "C'est n'importe quoi ce suivi de colis",
    "Je ne recommande pas",
    "Ce n'est vraiment pas terrible",
    "ras le bol de vos bugs",
    "Nul à chier",
    "Quelle déception 👎",
    "Le SAV est injoignable, c'est une blague",
    "On m'a raccroché au nez deux fois",
    "Ça fait 15 jours que j'attends une réponse, c'est pas sérieux",
    "Le gâteau était sec et pas frais du tout",
    "J'ai reçu un colis vide 😡😡",
    "Je regrette mon achat",
    "Vous êtes des voleurs",
    "Franchement déçu, je m'attendais à mieux",
    "La vendeuse était désagréable et pas aimable du tout",
    "C'est quoi ce service de merde ?",
    "Ce n'est pas du tout ce que j'avais commandé",
    "jsuis dégoûté j'ai rien reçu",
    sarcasm("Merci la poste, vraiment, quel service exceptionnel", "ironic praise, no marker"),
    sarcasm("Ah ben bravo 👏 trois semaines pour un colis", "ironic clap with only a fact"),
    # Social-media slang
    "j'ai le seum, encore raté le bus",
    "grosse flemme d'aller bosser",
    "il est chelou ce nouveau menu",
    "ça me gonfle ces pubs",
    "c'est gênant cette pub",
    "cringe votre dernière vidéo",
    "quel malaise cette campagne",
    "vous êtes des fdp",
    "c'est le zbeul dans votre magasin",
    "osef de votre promo",
    # SMS spellings
    "c pa bien",
    "jaime pa ce nouveau goût",
    "pa top le service",
    "jdeteste attendre",
    "je m'ennuie tellement, rien ne se passe",
]

FR_POSITIVE = [
    "Merci beaucoup pour votre réactivité !",
    "Trop bien, j'adore 😍",
    "C'est pas mal du tout",
    "Pas de souci, merci pour l'info",
    "Jamais déçue par vos produits",
    "Service au top 👍",
    "Livraison rapide, rien à redire",
    "Rien de tel qu'un flan un lundi matin",
    "C'est génial, bravo à toute l'équipe",
    "Franchement c'est ouf ce que vous faites",
    "Je recommande à 100%",
    "Aucun problème, tout est arrivé",
    "Sans problème, merci !",
    "Un peu cher mais vraiment excellent",
    "C'est pas faux 😄",
    "Que du bonheur ❤️",
    "Bien reçu, merci :)",
    "J'ai adoré l'accueil, on reviendra !",
    "Vous êtes les meilleurs",
    "Super contente de ma commande",
    "C'est vraiment TOP !!!",
    "Merciiiii 😘",
    "Le colis est arrivé en parfait état, nickel",
    "Je ne suis pas du tout déçu",
    "Personne n'a été déçu, c'était parfait",
    "Le problème est réglé, merci infiniment",
    "Je n'ai que des compliments à faire",
    "Très bon rapport qualité prix",
    "Un accueil chaleureux et des plats délicieux",
    "Ça vaut vraiment le coup",
    "Bien joué l'équipe 💪",
    "Franchement je suis bluffée par la qualité, bravo !",
    "Livreur super sympa et ponctuel, merci",
    "Je ne regrette pas du tout mon achat",
    "Rien à dire, tout était parfait",
    "Qualité au rendez-vous comme d'habitude 👌",
    "Mdr votre pub est géniale",
    "Enfin un service client qui répond vite !",
    "On a passé une super soirée, l'équipe était adorable",
    # Social-media slang
    "vivement la réouverture !",
    "chanmé votre nouvelle boutique",
    "masterclass cette pub",
    "le vendeur était trop bg",
    "votre pub est une dinguerie",
    # SMS spellings
    "jadore ce resto",
    "jaime trop vos cookies",
]

# Québec
QC_NEGATIVE = [
    "Chu pas content pantoute de mon char neuf",
    "C'est plate en maudit, ma commande est pas arrivée",
    "Votre service est poche",
    "Chu tanné d'attendre après vous autres",
    "C'est de la marde, j'tais ben mieux avant",
    "Ça a pas d'allure, trois semaines pis toujours rien",
    "J'ai pas aimé ça pantoute",
    "C'est tannant, l'appli marche pas encore",
    "Câlisse que c'est long votre livraison",
    "Ça a pas de bon sens d'attendre de même",
    "C'est pas mal plate d'attendre de même",
    "Mon char est encore au garage, chu pu capable",
    "C'est ben trop long, franchement",
]

QC_POSITIVE = [
    "C'est malade, j'capote ben raide!",
    "Pas pire pantoute, bonne job la gang",
    "Le service était full bon, merci ben",
    "C'est vraiment le fun icitte",
    "Ben correct, on va revenir",
    "Tiguidou, merci pour le suivi!",
    "Vous êtes ben smattes, lâchez pas!",
    "Trop hot votre nouvelle poutine",
    "Le service était vraiment pas pire, on va revenir",
    "Merci ben gros, vous êtes super fins",
    "Ostie que c'est bon votre poutine!",
    "J'ai fait le détour en char juste pour ça pis ça valait la peine",
    "Ça valait vraiment le détour, merci",
    "C'était malade hier soir, merci la gang",
    "Ben voyons donc que ça l'air bon!",
]

# Everyday words of blame and praise, whatever the topic (not only a customer's words).
FR_EVERYDAY_NEGATIVE = [
    "Franchement, le nouveau logo est moche",
    "Quel gâchis, tout est parti à la poubelle",
    "Le vendeur était insolent et malhonnête",
    "C'est révoltant de traiter les clients comme ça",
    "Une ambiance glauque et sinistre",
    "Des pratiques cupides et irresponsables",
    "Un accident tragique, deux personnes tuées",
]

FR_EVERYDAY_POSITIVE = [
    "Un accueil chaleureux et joyeux",
    "Un projet très prometteur",
    "Une vue époustouflante depuis la terrasse",
    "Des pâtisseries fabuleuses",
    "Un service exemplaire",
    "Des résultats encourageants cette année",
]


@pytest.mark.parametrize("text", FR_NEGATIVE + QC_NEGATIVE + FR_EVERYDAY_NEGATIVE)
def test_french_negative(text):
    assert sentiment_score(text, "fr") < NEG


@pytest.mark.parametrize("text", FR_POSITIVE + QC_POSITIVE + FR_EVERYDAY_POSITIVE)
def test_french_positive(text):
    assert sentiment_score(text, "fr") > POS


@pytest.mark.parametrize(
    "text",
    ["Bonjour, vous ouvrez à quelle heure dimanche ?", "Commande n°4521 passée hier", "Ok", ""],
)
def test_french_neutral(text):
    assert NEG <= sentiment_score(text, "fr") <= POS


def test_sms_degree_words_strengthen_like_the_full_ones():
    for short, full in (("vrmt", "vraiment"), ("tro", "trop"), ("trp", "trop"), ("grv", "grave")):
        assert sentiment_score(f"{short} nul", "fr") == sentiment_score(f"{full} nul", "fr") < sentiment_score("nul", "fr")


def test_french_rules_change_intensity():
    # Boosters, caps and "!!!" strengthen; dampeners weaken; "mais" shifts weight to what follows.
    assert sentiment_score("très déçu", "fr") < sentiment_score("déçu", "fr")
    assert sentiment_score("c'est NUL, vraiment", "fr") < sentiment_score("c'est nul, vraiment", "fr")
    assert sentiment_score("génial !!!", "fr") > sentiment_score("génial", "fr")
    assert sentiment_score("un peu déçu", "fr") > sentiment_score("déçu", "fr")
    assert sentiment_score("bon mais cher", "fr") < sentiment_score("bon et cher", "fr")


# ---------------------------------------------------------------------------------------------
# sentiment, English

EN_NEGATIVE = [
    "Thanks for nothing.",
    "Great, late again 🙃",
    "Still waiting for my refund, not happy",
    "This is NOT what I ordered and it's awful",
    "Worst customer service ever",
    "I've been charged twice and nobody answers",
    "Sooo disappointed with my order",
    "Not great, not terrible... actually pretty bad",
    "The app keeps crashing 😡",
    "Never ordering from you again",
    "Your product broke after 2 days",
    "Absolutely useless support",
    "I don't like the new update at all",
    "Cold food and rude staff",
    "What a joke 🙄",
    "Oh great, another delay 🙄",
    "Item arrived damaged and no one replies",
    "Terrible experience, would not recommend",
    "The pizza was okay but the delivery was a disaster",
    "I want my money back",
    "Customer service is a nightmare",
    "I'm done with this company, what a ripoff",
    "Sick of waiting",
    "Ugh. Again?",
    "This is unacceptable",
    "so done with ur app, it sucks",
    "Not impressed at all",
    "Hours on hold for nothing. Pathetic.",
    "Package lost, money gone, great job guys 🙄",
    "I'm so angry right now!!!",
    "You ruined my weekend",
    "The food was cold and tasteless",
    "Stop ignoring me",
    "Total waste of money",
    "Doesn't work, don't buy",
    "It stopped working after a week, fed up",
    "Hate the new design",
    "No refund, no answer, no respect",
    "What a mess 😤",
    "Super disappointing",
    "Your website is so slow it's unusable",
    "Order came cold and two items were missing",
    "This is ridiculous, I've emailed 4 times",
    "You've lost a loyal customer",
    "Disgusting, there was a hair in my food",
    "smh, wrong order AGAIN",
    sarcasm("Nice job losing my package 👏", "ironic clap, praise outweighs the fact"),
    sarcasm("Thanks a lot for losing my order", "ironic thanks"),
    # Social-media slang
    "@Uber your app is trash",
    "this update is cringe",
    "yikes, that's a lot of fees",
    "fml my order is late again",
    "the new packaging is garbage",
]

EN_POSITIVE = [
    "Not bad at all!",
    "Thank you so much for the quick reply!",
    "Loooove the new packaging 😍",
    "Never been disappointed by your products",
    "No problem at all, thanks!",
    "The delivery was late but the food was amazing",
    "You guys rock!",
    "Best burger in town, hands down",
    "Super helpful staff",
    "I can't complain",
    "Wow, that was fast!",
    "Great service as always 👍",
    "Can't wait to order again",
    "Problem solved, thanks for the help",
    "Kudos to the support team",
    "Highly recommend!",
    "Not disappointed at all",
    "Everything arrived in perfect condition",
    "Brilliant, thank you ❤️",
    "LOVE IT",
    "The staff were so kind :)",
    "Honestly the best customer service I've had",
    "Not too shabby",
    "Couldn't be happier with my order",
    "Wasn't expecting much but it was great",
    "Thx a lot for sorting this out 🙏",
    "awesome stuff, keep it up",
    "My issue was fixed in minutes, impressed",
    "Yay my parcel finally arrived 🎉",
    "Such a lovely team, 10/10",
    "Amazing customer support, they sorted it in 5 minutes",
    "The driver was super friendly",
    "Never had a bad experience with you guys",
    "Fantastic!!!",
    "Loved every bite 😋",
    # Social-media slang
    "this burger is bussin",
    "your support team is goated",
]


@pytest.mark.parametrize("text", EN_NEGATIVE)
def test_english_negative(text):
    assert sentiment_score(text, "en") < NEG


@pytest.mark.parametrize("text", EN_POSITIVE)
def test_english_positive(text):
    assert sentiment_score(text, "en") > POS


def test_capitals_and_lowercase_agree():
    # Capitals only matter as emphasis: a capital first letter changes nothing...
    assert sentiment_score("Super contente de ma commande", "fr") == sentiment_score("super contente de ma commande", "fr")
    assert sentiment_score("Merci pour RIEN", "fr") < NEG
    # ...while an ALL CAPS word among lowercase ones strengthens it.
    assert sentiment_score("TRÈS déçue du service", "fr") < sentiment_score("très déçue du service", "fr")


def test_english_rules_are_vaders():
    # The English analyzer computes VADER's rules faster; on plain one-sentence text, without
    # the project's phrases or words, it must give VADER's own score.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from cminbox.triage.sentiment import english_analyzer

    stock = SentimentIntensityAnalyzer()
    for text in [
        "The food was good but the service was not great",
        "I am not happy with this order at all",
        "This is the most AMAZING cake I have ever had",
        "Without a doubt, an excellent idea",
        "It was kind of good, I guess",
        "Never so happy with a purchase",
        "The plot was good, but the characters are uncompelling and the dialog is not great",
        "At least it isn't a horrible book",
        "The book was only kind of good",
        "VADER is VERY SMART, handsome, and FUNNY!!!",
        "Most automated sentiment analysis tools are shit",
        "With VADER, sentiment analysis is the shit!",
        "Roger Dodger is one of the least compelling variations on this theme",
        "No problem, no worries, no hate",
        "Today sux!",
    ]:
        assert english_analyzer().compound(text) == stock.polarity_scores(text)["compound"], text
        assert english_analyzer().polarity_scores(text) == stock.polarity_scores(text), text


def test_language_argument_chooses_the_analyzer():
    # "und" and anything else fall back to English VADER; mixed text follows `lang`.
    assert sentiment_score("great", "und") > POS
    assert sentiment_score("c'est nul", "fr") < NEG
    assert sentiment_score("Merci, the team was great", "en") > POS
    assert sentiment_score("Thanks but c'est vraiment nul", "fr") < NEG


def test_scores_stay_in_range():
    loud = "NUL NUL NUL 😡😡😡 de la merde !!!!! arnaque honteux scandaleux " * 5
    for text, lang in ((loud, "fr"), (loud, "en"), ("génial " * 40 + "!!!!", "fr")):
        assert -1.0 <= sentiment_score(text, lang) <= 1.0


def test_emoji_only():
    assert sentiment_score("😡😡", "fr") < NEG
    assert sentiment_score("😍", "fr") > POS
    assert sentiment_score("👍", "en") > POS


# ---------------------------------------------------------------------------------------------
# complaint cues, French

FR_CUES = [
    ("Arrêtez de m'envoyer des mails, je me suis désinscrit deux fois", "résiliation"),
    ("je me suis désinscrite de la newsletter et je reçois toujours vos pubs", "résiliation"),
    ("Toujours pas reçu ma commande !", "toujours pas reçu"),
    ("tjs pas recu mon colis", "toujours pas reçu"),
    ("Bravo, toujours pas de colis après 3 semaines", "toujours pas reçu"),
    ("toujours pas de remboursement", "toujours pas reçu"),
    ("Toujours rien reçuuuu", "toujours pas reçu"),
    ("Je veux être remboursé", "remboursement"),
    ("Remboursez-moi immédiatement", "remboursement"),
    ("Pouvez-vous me rembourser svp ?", "remboursement"),
    ("C'est une arnaque ce site", "arnaque"),
    ("J'ai été débité deux fois", "débité deux fois"),
    ("Prélevé 2 fois pour la même commande", "débité deux fois"),
    ("Facturé deux fois ce mois-ci !!", "débité deux fois"),
    ("Aucune réponse à mes mails", "pas de réponse"),
    ("Toujours pas de réponse du SAV", "pas de réponse"),
    ("Personne ne répond au téléphone", "pas de réponse"),
    ("Le produit est arrivé cassé", "cassé"),
    ("Appli en panne depuis ce matin", "en panne"),
    ("Je veux annuler ma commande", "annuler ma commande"),
    ("Livraison en retard encore une fois", "retard"),
    ("Où est ma commande ??", "où est ma commande"),
    ("Où est ma commande\u202f?", "où est ma commande"),  # French typography: no-break space
    ("Impossible de joindre le service client", "service client"),
    ("Plus jamais je commande chez vous", "plus jamais"),
    ("Service lamentable", "lamentable"),
    ("C'est inadmissible", "inadmissible"),
    ("Le site ne fonctionne pas depuis hier", "ne fonctionne pas"),
    ("Ça marche pas votre truc", "ne fonctionne pas"),
    ("Colis perdu par le transporteur", "colis perdu"),
    ("Il manque un article dans ma commande", "article manquant"),
    ("Vous m'avez envoyé la mauvaise taille", "erreur de commande"),
    ("Je vais porter plainte", "plainte"),
    ("Je vais résilier mon abonnement", "résiliation"),
    ("Produit défectueux", "défectueux"),
    ("C'est du vol pur et simple", "c'est du vol"),
    # polite or neutral complaints
    ("Bonjour, j'attends toujours ma commande passée il y a 10 jours", None),
    ("Bonjour, je n'ai toujours rien reçu, pouvez-vous regarder ?", None),
    ("Ma commande n'est jamais arrivée", None),
    ("Bonjour, des nouvelles de ma commande ? ça fait 3 semaines", None),
    ("Le livreur n'est jamais passé", None),
    # Québec
    ("Ma commande est toujours pas arrivée", None),
    ("J'attends encore après mon remboursement", "remboursement"),
    ("Mon char est brisé encore", "cassé"),
    ("Chu encore pas capable de me connecter à l'appli", None),
    ("C'est écrit livré mais j'ai rien reçu", "colis marqué livré"),
    ("Je vous ai relancé 3 fois par mail", "relances"),
    ("Une heure d'attente au téléphone pour rien", "relances"),
    ("Ce n'est pas du tout ce que j'avais commandé", "erreur de commande"),
    ("Mon colis est bloqué en douane depuis 10 jours", "colis bloqué"),
    ("La pizza est arrivée froide avec 1h de retard", "retard"),
    ("Il manquait les frites dans ma commande", "article manquant"),
    ("C'est la troisième fois que je vous écris", "relances"),
    ("Mon compte a été bloqué sans raison", "compte bloqué"),
    ("Plus de réseau depuis ce matin", "en panne"),
    ("Toujours pas d'internet chez moi", "en panne"),
    ("Coupure de courant dans tout le quartier", "en panne"),
    ("jai tjr pa recu mon colis", "toujours pas reçu"),  # SMS spellings
    ("lappli marche pa", "ne fonctionne pas"),
    ("Y manquait deux croissants dans le sac", "article manquant"),  # Québec "y" for "il"
    ("Prélevé mais pas livré, bravo", "jamais reçu"),
]

FR_NO_CUES = [
    "Pas de souci, merci !",
    "Pas de panique, on arrive",
    "papa est content",
    "Y a-t-il encore des places dimanche ?",
    "Triste nouvelle pour le quartier",
    "Merci pour votre accueil chaleureux",
    "Le film était vraiment triste",
    "J'ai téléchargé l'appli, elle est super",
    "Bonne journée à toute l'équipe",
    "Vous ouvrez à quelle heure dimanche ?",
    "Désolée, je suis en retard ce matin",
    "Le plat du jour était délicieux",
    "Rendez-vous samedi au marché !",
    "Quel match hier soir, j'ai pleuré de joie",
    "Je n'ai jamais rien mangé d'aussi bon",
    "Bravo pour le lancement",
    "Est-ce que vous livrez à Lyon ?",
    "Mon chat a cassé un vase, trop drôle",
    "Pas de souci, je passerai demain",
    "Merci pour la réponse rapide",
    "Bonne fête à tout le monde icitte!",
    "On s'est bien amusés, c'était malade",
    "Je suis en panne d'inspiration pour ce soir 😅",
    "Un casse-tête ce puzzle, on adore",
    "Plus jamais sans mon café du matin chez vous ❤️",
    "Quel est le délai de livraison pour la Belgique ?",
    "J'ai commandé hier, j'ai hâte de recevoir mon colis",
]


@pytest.mark.parametrize(("text", "label"), FR_CUES)
def test_french_cues_found(text, label):
    cues = complaint_cues(text)
    assert cues, text
    if label is not None:
        assert label in cues


@pytest.mark.parametrize("text", FR_NO_CUES)
def test_french_no_cues(text):
    assert complaint_cues(text) == []


# ---------------------------------------------------------------------------------------------
# complaint cues, English

EN_CUES = [
    ("Please stop sending me emails, I unsubscribed twice", "cancel"),
    ("I opted out and you keep texting me", "cancel"),
    ("Still waiting for my order", "still waiting"),
    ("Stiiiill waiting 🙄", "still waiting"),
    ("It's been 3 weeks, any update on my order?", None),
    ("I want a refund", "refund"),
    ("I got refunded only half", "refund"),
    ("Can I get my money back?", "refund"),
    ("Where is my order??", "where is my order"),
    ("Where's my package", "where is my order"),
    ("You charged me twice!", "charged twice"),
    ("Double charged for one pizza", "charged twice"),
    ("No answer from your support", "no answer"),
    ("Nobody replies to my emails", "no answer"),
    ("Still no reply after 3 emails", "no answer"),
    ("The screen arrived broken", "broken"),
    ("Site is down again", "down"),
    ("Your app has been down since 9am", "down"),
    ("Please cancel my order", "cancel my order"),
    ("I'd like to cancel my subscription", "cancel"),
    ("My delivery is late again", "late"),
    ("Customer service is useless", "customer service"),
    ("This is a scam", "scam"),
    ("Never again.", "never again"),
    ("Worst pizza I ever had", "worst"),
    ("Haven't received my package yet", "not received"),
    ("My order never arrived", "not received"),
    ("Wrong item delivered", "wrong item"),
    ("The box was missing two items", "missing item"),
    ("Item arrived damaged", "damaged"),
    ("It stopped working after a week", "not working"),
    ("Been on hold for 45 minutes", "on hold"),
    ("I'm filing a complaint", "complaint"),
    ("Totally unacceptable", "unacceptable"),
    ("You ripped me off", "rip-off"),
    ("Your product is defective", "defective"),
    # polite or neutral complaints
    ("Hi, just checking on my order from 2 weeks ago, no tracking yet", None),
    ("Tracking hasn't updated in 5 days", None),
    ("Package marked as delivered but nothing here", None),
    ("My account got hacked and support won't help", None),
    ("Please help, my payment went through but no confirmation email", None),
    ("Any update on my refund? Thanks", "refund"),
    ("I've been trying to reach someone for days", "contacted several times"),
    ("This is ridiculous, I've emailed 4 times", "contacted several times"),
    ("You've lost a loyal customer", "never again"),
    ("I ordered a medium and got a small", "wrong item"),
    ("Food arrived cold and an hour late", "late"),
    ("Your website won't let me pay", "not working"),
    ("Package stuck in transit for 10 days", "stuck in transit"),
    ("I want to speak to a manager", "speak to a manager"),
    ("Hi, I see two charges of $46.86 for a single order", "charged twice"),
    ("There are duplicate charges on my card", "charged twice"),
    ("You guys forgot, missing a drink in my order", "missing item"),
    ("The sauce was missing from my bag again", "missing item"),
    ("Can't log into the app since last night", "not working"),
    ("I can't sign into my account", "not working"),
    ("This is a disgrace", "disgraceful"),
    ("My order was cancelled for no reason", "cancel my order"),
]

EN_NO_CUES = [
    "We accept two payment methods now",
    "Missing you guys already!",
    "Don't forget to log in to see your points",
    "Is the order cancellation free?",
    "This film was terribly sad",
    "Just downloaded the app, love it",
    "Sit down and enjoy the show",
    "Calm down everyone, new drop tomorrow 🔥",
    "See you later!",
    "What time do you open on Sunday?",
    "I was heartbroken by the ending",
    "Thanks for the quick reply!",
    "Never been happier",
    "I'm running late for the meeting, sorry",
    "The downtown store looks great",
    "Sad news for the neighborhood",
    "Our team broke the record this month 🎉",
    "I'd like to order two more",
    "Worst-case scenario we meet at noon",
    "Down to earth people, love this place",
    "Lately I've been ordering every week",
    "Can you hold the onions please?",
    "I'm waiting for the new collection!",
    "The damage control episode was hilarious",
    "Sorry for the late reply, yes I'd love to join",
    "Can't wait for the new store to open",
    "Got my order today, everything perfect",
]


@pytest.mark.parametrize(("text", "label"), EN_CUES)
def test_english_cues_found(text, label):
    cues = complaint_cues(text)
    assert cues, text
    if label is not None:
        assert label in cues


@pytest.mark.parametrize("text", EN_NO_CUES)
def test_english_no_cues(text):
    assert complaint_cues(text) == []


def test_cues_code_switching_and_shape():
    cues = complaint_cues("Still waiting pour mon remboursement!!")
    assert "still waiting" in cues and "remboursement" in cues
    # Each cue once, as a short label, in the order the customer wrote them.
    cues = complaint_cues("REMBOURSEZ-MOI. remboursement svp, c'est une arnaque")
    assert cues == ["remboursement", "arnaque"]
    assert complaint_cues("") == []
    assert complaint_cues("😡😡😡") == []


def test_data_files_are_well_formed():
    from cminbox.triage.sentiment import french_analyzer

    analyzer = french_analyzer()
    assert len(analyzer.lexicon) >= 1200
    assert all(-4.0 <= value <= 4.0 for value in analyzer.lexicon.values())
    assert len(analyzer.emojis) >= 100
    # Inflected forms and Québec words are there, folded.
    for word in ["decu", "decue", "decus", "decues", "genial", "geniale", "geniaux", "plate", "tannant"]:
        assert word in analyzer.lexicon, word


# ---------------------------------------------------------------------------------------------
# cost: importing reads no data file; the lexicon is read on first use


def test_import_reads_no_file(monkeypatch):
    opened: list[str] = []

    def spy(real):
        def wrapper(file, *args, **kwargs):
            opened.append(str(file))
            return real(file, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(builtins, "open", spy(builtins.open))
    monkeypatch.setattr(io, "open", spy(io.open))
    monkeypatch.setattr(codecs, "open", spy(codecs.open))
    for name in [m for m in sys.modules if m.startswith("cminbox.triage")]:
        monkeypatch.delitem(sys.modules, name)

    sentiment = importlib.import_module("cminbox.triage.sentiment")
    importlib.import_module("cminbox.triage.cues")
    importlib.import_module("cminbox.triage.lang")
    assert opened == []

    sentiment.sentiment_score("c'est génial", "fr")
    assert any("fr_lexicon.txt" in path for path in opened)


def test_the_bug_cue_reads_french_and_english():
    # Both languages share one cue name: a second "bug" entry once silently dropped the French forms.
    for text in ("l'appli plante encore", "gros plantage ce matin", "the app is so buggy", "checkout glitched twice"):
        assert "bug" in complaint_cues(text), text


def test_a_message_scores_the_same_in_every_process():
    """The model's sums do not depend on the order of a set, which changes with each process's
    hash seed: a text whose neutral and positive classes tied to the last bit of a plain sum was
    neutral in one run and positive in the next. The sums themselves are compared, unrounded, on
    400 labeled messages (a float sum in set order differs in its last bits on many of them)."""
    import subprocess

    code = (
        "from cminbox.triage.labeled import load\n"
        "from cminbox.triage.model import model\n"
        "from cminbox.triage.score import analyse_all\n"
        "texts = [m.text for m in load()[:400]]\n"
        "for a in analyse_all(texts, [None] * len(texts), [None] * len(texts)):\n"
        "    print(a.lexicon_sentiment, sorted(model().logits(a.features).items()), model().unknown_share(a.words))\n"
    )
    seen = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout  # fmt: skip
        for seed in range(4)
    }
    assert len(seen) == 1 and len(next(iter(seen)).splitlines()) == 400


def test_a_cue_is_found_wherever_it_starts():
    # Some cues begin with two words ("au service", "tj pas"): reading those first letters must
    # not hide a cue that starts at the next word ("service client" in "mail au service client").
    assert "service client" in complaint_cues("mail au service client, débitée deux fois")
    for text in (
        "j'ai écrit au service client, toujours pas de remboursement",
        "no refund yet, still waiting",
        "tj pas reçu ma commande, du vol",
    ):
        found = complaint_cues(text)
        words = text.split(" ")
        for at in range(len(words)):  # each cue that opens a suffix of the text is in the whole
            for cue in complaint_cues(" ".join(words[at:]))[:1]:
                assert cue in found, (text, at, cue)


def test_french_valences_land_on_their_words_between_punctuation():
    from cminbox.triage.sentiment import french_analyzer

    analyzer = french_analyzer()
    # One valence per word: punctuation is no word to VADER, however much of it comes first.
    assert analyzer.word_sentiments("nul ! génial , la table ... nul") == [-2.5, 3.0, 0.0, 0.0, -2.5]
    values = analyzer.word_sentiments("la table, " * 3000 + "génial")
    assert len(values) == 6001 and values[-1] == 3.0 and values.count(0.0) == 6000


# Restrictions and comparatives that look like negations: "nothing but", "rien que", "couldn't
# be better", "on ne peut pas faire mieux", "jamais été aussi content". Stock VADER (and the
# French rules before these cases) turned each of them around.
NOT_NEGATIONS = [
    ("en", "pos", "I've heard nothing but great things about you"),
    ("en", "neg", "nothing but problems since I switched to your app"),
    ("en", "pos", "Nothing but love for this team ❤️"),
    ("en", "pos", "the flight couldn't have been better"),
    ("en", "pos", "Couldnt be better, thanks!"),
    ("en", "neg", "honestly your service couldn't be worse"),
    ("en", "neg", "it could not get any worse than this"),
    ("en", "neg", "It can't get any worse"),
    ("en", "pos", "never been happier with a bank"),
    ("en", "pos", "Never felt better after a flight"),
    ("en", "neg", "I couldn't be more disappointed"),
    ("en", "neg", "I could not be more frustrated right now"),
    ("en", "pos", "could not be more pleased with the service"),
    ("en", "pos", "can't say enough good things about you"),
    ("en", "pos", "I can't recommend them enough"),
    ("en", "pos", "can't thank you enough for the quick fix"),
    ("fr", "neg", "rien que des problèmes depuis lundi"),
    ("fr", "pos", "que du bonheur avec cette appli"),
    ("fr", "pos", "on ne peut pas faire mieux"),
    ("fr", "pos", "franchement ça pouvait pas être mieux"),
    ("fr", "neg", "ça ne pourrait pas être pire"),
    ("fr", "pos", "rien de mieux que votre appli"),
    ("fr", "neg", "rien de pire qu'un colis perdu"),
    ("fr", "pos", "jamais été aussi content d'une commande"),
    ("fr", "pos", "j'ai jamais été aussi bien servi"),
    ("fr", "neg", "j'ai jamais été aussi déçue"),
    ("fr", "neg", "que des excuses, jamais de solution"),
    ("fr", "neg", "on ne peut pas être plus déçu"),
    ("fr", "neg", "ça ne pouvait pas être plus nul"),
    ("fr", "pos", "rien de plus beau que ce gâteau"),
    ("fr", "pos", "jamais été plus contente"),
]
# ...while the negations next to them still negate.
STILL_NEGATIONS = [
    ("en", "neg", "not better at all, the app still crashes"),
    ("en", "neg", "nothing good about this update"),
    ("en", "pos", "can't complain, the delivery was quick"),
    ("fr", "neg", "ce n'est pas mieux qu'avant"),
    ("fr", "neg", "ça ne va pas mieux depuis la mise à jour"),
    ("fr", "neg", "rien de bon dans cette mise à jour"),
    ("fr", "neg", "pas aussi bien que prévu"),
    ("fr", "neg", "moins bien qu'avant la mise à jour"),
    ("fr", "neg", "je ne suis plus content de vous"),
    ("fr", "neg", "je ne serai jamais plus contente de vous"),
    ("fr", "neg", "plus jamais content de vous"),
    ("fr", "neg", "aucune solution depuis une semaine"),
]


@pytest.mark.parametrize(("lang", "want", "text"), NOT_NEGATIONS + STILL_NEGATIONS)
def test_restrictions_and_comparatives_are_not_negations(lang, want, text):
    assert_reads(want, text, lang)


# Ironic praise of a failure, the commonest sarcasm in tweets to a brand: praise that qualifies
# the problem itself ("ce magnifique retard"), or praise opening a message that then only
# complains ("Génial, plus de réseau"). Next to them, praise that is meant.
IRONIC_PRAISE = [
    ("fr", "merci pour ce magnifique retard de 2h 👏"),
    ("fr", "Merci @SNCF pour ce joli retard"),
    ("fr", "Bravo pour cette superbe panne"),
    ("fr", "trop bien, 3h d'attente au service client"),
    ("fr", "génial, plus de réseau depuis hier"),
    ("fr", "Parfait, commande annulée sans prévenir"),
    # ...and praise closing the complaint too, in a clause of its own, or a repeat said in one phrase
    ("fr", "super, ma commande est encore en retard, bravo"),
    ("fr", "trop bien, 2h d'attente pour une baguette 👏"),
    ("fr", "Génial, encore en retard, merci"),
    ("en", "Thanks for the wonderful 3 hour delay"),
    ("en", "Great, my flight got cancelled"),
    ("en", "Awesome. Lost my bag again"),
    ("en", "thanks for the lovely outage"),
    ("en", "Great, shame on you for cancelling my order"),
]
MEANT_PRAISE = [
    ("fr", "Génial, le colis est arrivé sans retard"),
    ("fr", "Super, merci pour votre aide !"),
    ("fr", "Bravo à l'équipe, aucune panne depuis un an"),
    ("fr", "Parfait, tout est réglé, merci"),
    ("fr", "magnifique travail de l'équipe"),
    ("fr", "Super, colis reçu sans retard, bravo 👏"),
    ("fr", "Génial, plus aucun retard depuis un mois, bravo"),
    ("fr", "Super, pas de retard cette fois, merci 👍"),
    ("fr", "Super, encore un excellent repas, merci"),
    ("fr", "Merci, un petit retard mais tout est parfait, bravo"),
    ("en", "Great, thanks for fixing it so fast"),
    ("en", "Thanks for the great service despite the delay"),
    ("en", "Awesome, no delay this time"),
    ("en", "wonderful staff, lovely flight"),
    # ...where the failure word only qualifies another ("wait staff"), and apologies
    ("en", "Great wait staff and lovely pastries"),
    ("en", "Amazing queue system, we were served in 2 minutes"),
    ("en", "nice hold music lol"),
    ("en", "Fantastic delay-free flight today"),
    ("en", "great waiting area with free coffee"),
    ("en", "Thanks! Sorry for the late reply, all good now"),
    ("fr", "Merci, désolée pour le retard de ma réponse, tout est réglé"),
]


# Thanks or praise followed by the writer's own apology is politeness, and followed by regret
# that a good thing ends, praise: neither is sarcasm.
POLITE_APOLOGIES = [
    ("fr", "Génial ! Dommage que ce soit déjà fini"),
    ("fr", "Trop bien, dommage que l'offre se termine"),
    ("en", "Great! Too bad it is over already"),
    ("en", "Awesome! Shame it sold out so fast"),
    ("fr", "Parfait, désolée pour le dérangement"),
    ("fr", "Super, désolé pour le retard de ma réponse"),
    ("fr", "Merci, pardon pour l'attente"),
    ("en", "Great, sorry for the trouble"),
    ("en", "Thanks, sorry to bother you"),
    ("en", "Perfect, sorry for the confusion"),
]


@pytest.mark.parametrize(("lang", "text"), POLITE_APOLOGIES)
def test_thanks_then_an_apology_or_regret_is_not_sarcasm(lang, text):
    assert sentiment_score(text, lang) > NEG


@pytest.mark.parametrize(("lang", "text"), IRONIC_PRAISE)
def test_ironic_praise_of_a_failure_is_negative(lang, text):
    assert sentiment_score(text, lang) < NEG


@pytest.mark.parametrize(("lang", "text"), MEANT_PRAISE)
def test_praise_that_is_meant_stays_positive(lang, text):
    assert sentiment_score(text, lang) > POS


# How reviews and complaints say "worse than promised": no negative word, yet negative.
FALLS_SHORT = [
    ("en", "neg", "could have been better"),
    ("en", "neg", "the service could've been better"),
    ("en", "neg", "the packaging could be better"),
    pytest.param(
        "en", "neg", "Honestly the packaging could be better",
        marks=pytest.mark.xfail(strict=True, reason="VADER's 'honestly' is +2.0; setting it to 0 changed no eval figure"),
    ),
    ("en", "neg", "item not as described"),
    ("en", "neg", "not what I expected at all"),
    ("en", "pos", "exactly as described, fast shipping"),
    ("fr", "neg", "je m'attendais à mieux"),
    ("fr", "neg", "on s'attendait à mieux pour ce prix"),
    ("fr", "neg", "rien à voir avec la photo"),
    ("fr", "neg", "ne correspond pas à la description"),
    ("fr", "neg", "pas conforme à la description"),
    ("fr", "pos", "correspond parfaitement à la description"),
]


@pytest.mark.parametrize(("lang", "want", "text"), FALLS_SHORT)
def test_falling_short_of_a_promise_is_negative(lang, want, text):
    assert_reads(want, text, lang)


def assert_reads(want: str, text: str, lang: str) -> None:
    """The text's sentiment is clearly `want` ("pos" or "neg")."""
    score = sentiment_score(text, lang)
    assert score > POS if want == "pos" else score < NEG, score


# Text as X's API and the data sets taken from it carry it: "&lt;3", "R&amp;D".
ESCAPED = [
    ("I &lt;3 this airline", "I <3 this airline"),
    ("Merci &lt;3 vous êtes au top", "Merci <3 vous êtes au top"),
    ("Delayed again -&gt; missed my connection &amp; no refund", "Delayed again -> missed my connection & no refund"),
    ("Toujours pas remboursé &#8230; 3 semaines &#x1F621;", "Toujours pas remboursé … 3 semaines 😡"),
]


@pytest.mark.parametrize(("escaped", "plain"), ESCAPED)
def test_html_entities_are_read_as_the_characters_they_stand_for(escaped, plain):
    from cminbox.triage.score import score_message

    assert score_message(escaped, kind="mention") == score_message(plain, kind="mention")


def test_only_whole_entities_are_undone():
    from cminbox.triage.text import plain_entities

    assert plain_entities("this&nothing, AT&T, R&amp;D, &lt;3, &amp;lt;") == "this&nothing, AT&T, R&D, <3, &lt;"
    assert plain_entities("") == "" and plain_entities("no ampersand") == "no ampersand"
