"""Complaint cues: the phrases that tell a community manager "this customer has a problem".

Both languages are searched whatever the message's language, since customers switch mid-post
("still waiting pour mon remboursement"). Patterns are written against `fold`ed text (lower
case, no accents, straight apostrophes, elongations shortened), so "TJS PAS REÇUUU" and
"tjs pas recu" read alike. Each cue family returns one short readable label.

A cue is a *complaint* signal, not a sentiment one: "triste nouvelle" or "terribly sad" are
negative but ask nothing of the brand, so they match nothing here. Where a word is ambiguous
("down", "late", "cassé", "en panne") the pattern asks for the context that makes it a
complaint ("the app is down", "delivery is late", "arrivé cassé").
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from .text import fold

# Shared fragments, in folded spelling.
_ALWAYS = r"(?:toujours|toujour|toujous|tjs|tjrs|tjr|tj|tjours|encore)"
_RECEIVED_FR = (
    r"(?:ete\s+)?(?:recue?s?|eu|livree?s?|arrivee?s?)"
)
_MY_FR = r"(?:ma|mon|mes|la|le|les|notre|nos|cette|ce)"
_ORDER_FR = (
    r"(?:commandes?|colis|paquets?|livraisons?|remboursements?|argent|achats?|cartes?"
    r"|articles?|produits?|billets?|dossiers?|demandes?)"
)
_CANNOT_FR = (
    r"(?:impossible|pas\s+capable|incapable|n'arrive\s+pas|arrive\s+pas|peux\s+pas|peut\s+pas"
    r"|parviens\s+pas)"
)
_NUMBER_FR = r"(?:\d+|une?|deux|trois|quatre|cinq|six|dix|plusieurs)"
_MY_EN = r"(?:my|our|the|this|that)"
_ORDER_EN = (
    r"(?:orders?|packages?|parcels?|deliver(?:y|ies)|refunds?|money|shipments?|items?|stuff"
    r"|food|pizzas?|tickets?|cases?|requests?|purchases?)"
)
_NOT_EN = (
    r"(?:haven't|havent|have\s+not|hasn't|hasnt|has\s+not|didn't|didnt|did\s+not|never"
    r"|still\s+not|not\s+yet|yet\s+to|still\s+haven't|still\s+havent)"
)
_WONT_EN = (
    r"(?:doesn't|doesnt|does\s+not|don't|dont|didn't|didnt|won't|wont|will\s+not|can't|cant"
    r"|cannot|unable\s+to)"
)
_NUMBER_EN = r"(?:\d+|an?|one|two|three|four|five|several|many|multiple)"
_TWICE_FR = r"(?:deux|2|trois|3)\s*(?:fois|x)"
_TWICE_EN = r"(?:twice|two\s+times|2\s+times|2x|three\s+times|3\s+times|double)"

# label -> patterns (folded). Each pattern starts with a word (see `_prefixes`); when two
# match at the same place, the first listed wins.
CUE_PATTERNS: Final[dict[str, tuple[str, ...]]] = {
    # --- French -------------------------------------------------------------------------
    "toujours pas reçu": (
        rf"\b{_ALWAYS}\s+(?:pas|pa|rien)\s+(?:\w+\s+)?{_RECEIVED_FR}\b",  # ("pa": SMS spelling)
        r"\b(?:toujours|toujour|tjs|tjrs|tjr)\s+rien\b",
        # "toujours pas de colis", "toujours pas de remboursement": the thing never came.
        rf"\b{_ALWAYS}\s+(?:pas|pa)\s+(?:de\s+|d'\s*)(?:colis|commande|livraison|paquet|remboursement|virement)\b",
        rf"\bpas\s+encore\s+{_RECEIVED_FR}\b",
        rf"\bpas\s+(?:encore\s+)?{_RECEIVED_FR}\s+{_MY_FR}\b",
        r"\brien\s+(?:recu|eu)\b",
    ),
    "colis marqué livré": (
        r"\b(?:ecrit|indique|marque|note|affiche|signale)e?"
        r"\s+(?:comme\s+)?(?:livree?s?|distribuee?s?|remise?s?)\b",
    ),
    "jamais reçu": (
        rf"\bjamais\s+{_RECEIVED_FR}\b",
        r"\bpas\s+(?:ete\s+)?livree?s?\b",  # "prélevé mais pas livré"
        r"\b(?:livreur|transporteur|facteur|coursier|technicien|poste)\b[^.!?]{0,20}?"
        r"\bjamais\s+(?:passe|venue?)\b",
    ),
    "j'attends toujours": (
        rf"\b(?:j'?attends?|attend|nous\s+attendons|attends)\s+(?:{_ALWAYS}|depuis|apres)\b",
        r"\bque\s+j'?attends\b",
    ),
    "où est ma commande": (
        rf"\bou\s+(?:est|en\s+est|sont|en\s+sont|est\s+passee?)\s+{_MY_FR}\s+{_ORDER_FR}\b",
        rf"\b(?:des|aucunes?|pas\s+de|sans)\s+nouvelles?\s+(?:de|d')\s*{_MY_FR}\s+{_ORDER_FR}\b",
    ),
    "remboursement": (
        r"\brembour[sc]\w*",
        r"\b(?:rendez|rends|rendre|recuperer|recupere)[- ](?:moi\s+|nous\s+)?(?:mon|notre)"
        r"\s+argent\b",
    ),
    "arnaque": (r"\barnaqu\w*",),
    "escroquerie": (r"\bescro(?:c|cs|querie|queries|quer)\b",),
    "c'est du vol": (r"\b(?<=c'est\s)du\s+vol\b", r"\bvoleurs?\b"),
    "débité deux fois": (
        rf"\b(?:debite|prelev|factur|paye|charge)\w*\s+{_TWICE_FR}\b",
        r"\b(?:debite|prelev|factur)\w*\s+en\s+double\b",
        r"\b(?:double|deux)\s+(?:prelevements?|debits?|paiements?|facturations?)\b",
    ),
    "surfacturation": (r"\bsurfactur\w*", r"\bfrais\s+caches\b"),
    "pas de réponse": (
        r"\b(?:pas|pa|aucune|aucun|sans|jamais|toujours\s+pas)\s+(?:eu\s+)?(?:de\s+|d'\s*)?"
        r"(?:reponses?|retours?)\b",
        r"\bpersonne\s+(?:ne\s+|n')?(?:me\s+|m'|nous\s+)?(?:repond|rappelle|decroche|aide)\b",
        r"\b(?:repond|repondez|repondent|rappelez|rappelle)\s+(?:pas|jamais|plus|toujours\s+pas)\b",
        r"\brepondez[- ]moi\b",
        r"\bsans\s+reponse\b",
    ),
    "injoignable": (
        r"\binjoignables?\b",
        r"\b(?:impossible|pas\s+capable|incapable)\s+de\s+(?:vous\s+)?(?:joindre|contacter|parler)\b",
    ),
    "relances": (
        rf"\b(?:relance|appele|ecrit|contacte|envoye)\w*\s+(?:\w+\s+)?{_NUMBER_FR}\s+fois\b",
        r"\brelance\b(?<=je\srelance)",
        r"\brelance\b(?<=vous\srelance)",
        r"\b(?:deuxieme|troisieme|quatrieme|cinquieme|[23456789]e|[23456789]eme|enieme|nieme)\s+fois"
        r"\s+que\s+(?:je|j'|on)",
        r"\b(?:heures?|h|minutes|min)\s+d'attente\b",
        r"\ben\s+attente\s+depuis\b",
    ),
    "parler à un responsable": (
        r"\bparler\s+a\s+(?:un|une|votre)\s+(?:responsable|humain|superieur|manager|vrai\w*\s+\w+)\b",
    ),
    "raccroché au nez": (r"\braccroch\w*\s+au\s+nez\b",),
    "service client": (
        r"\bservice\s+(?:client|clients|clientele|apres[- ]vente|consommateurs?)\b",
        r"\bsav\b",
    ),
    "cassé": (
        # Not "cassé la baraque", "casse-tête", nor "il a cassé un vase".
        r"\b(?:casse|cassee|casses|cassees|brise|brisee|brises|brisees)\b"
        r"(?!-|\s+(?:la\s+baraque|un|une|le|la|les|des|mon|ma|mes|son|sa|ses|l')\b)",
        r"\ben\s+morceaux\b",
    ),
    "abîmé": (r"\b(?:abime|endommage|ecrase)e?s?\b",),
    "défectueux": (r"\bdefectu\w*",),
    "ne fonctionne pas": (
        r"\b(?:fonctionne|fonctionnent|marche|marchent|focntionne)"
        r"\s+(?:pas|pa|plus|jamais|toujours\s+pas|encore\s+pas)\b",
        r"\b(?:s'allume|charge|demarre|se\s+lance|s'ouvre|se\s+connecte)\s+(?:pas|pa|plus)\b",
    ),
    "connexion impossible": (
        rf"\b{_CANNOT_FR}\s+(?:de\s+|d'|a\s+)?(?:me\s+|m'|se\s+|s'|nous\s+)?"
        r"(?:connecter|identifier|acceder|loguer|logger)\b",
    ),
    "paiement impossible": (
        rf"\b{_CANNOT_FR}\s+(?:de\s+|d'|a\s+)?(?:payer|commander|valider|passer\s+commande)\b",
        r"\bpaiement\s+(?:refuse|bloque|echoue)\b",
    ),
    "en panne": (
        r"\bpannes?\b(?!\s+d'(?:inspiration|inspi|idees?|envie|sommeil))",
        r"\bhors\s+service\b",
        # An outage of a network or a utility: "plus de réseau", "toujours pas d'eau chaude".
        r"\b(?:plus|pas|pa|aucune?|sans)\s+(?:de\s+|d'|d\s)?(?:connexion|reseau|internet|wifi|wi-fi|signal"
        r"|4g|5g|fibre|courant|electricite|eau|chauffage|gaz)\b",
        r"\bcoupures?\s+(?:de\s+|d'|d\s)?(?:internet|reseau|courant|electricite|eau|connexion|fibre"
        r"|gaz|chauffage)\b",
    ),
    "bug": (  # French and English: one cue (a second "bug" key silently replaced the French one)
        r"\b(?:bug|bugs|bugue|buggue|beug|beugue|beuge|bogue|plantage|glitch\w*|buggy)\b",
        r"\b(?:appli|application|site|app|jeu|logiciel|systeme|ca|ecran)\s+(?:qui\s+)?"
        r"(?:plante|crashe?)\b",
    ),
    "annuler ma commande": (
        rf"\bannul\w*\s+{_MY_FR}\s+(?:commande|reservation|achat|vol|billet)s?\b",
        r"\bcommande\s+annulee\b",
    ),
    # (and a newsletter left, that keeps coming: "je me suis désinscrit")
    # (not "résilience", "résilient")
    "résiliation": (r"\bresili(?!en)\w*", r"\bdesabonn\w*", r"\bdesinscri\w*"),
    "retard": (
        # A delivery's delay, not the customer's own ("je suis en retard").
        r"\b(?:livraison|commande|colis|paquet|livreur|train|vol|bus|remboursement)s?"
        r"\s+(?:\w+\s+){0,2}?en\s+retard\b",
        rf"\b(?:{_ALWAYS}|souvent|systematiquement|constamment|chaque\s+fois)\s+en\s+retard\b",
        rf"\bretard\s+(?:de\s+livraison|de\s+{_NUMBER_FR}|d'une?\s+(?:semaine|heure|mois))",
        r"\b(?:jours?|semaines?|heures?|h|min|minutes|mois)\s+de\s+retard\b",
        r"\b\d+h\s+de\s+retard\b",  # "1h de retard": no word starts at the "h"
        rf"\ben\s+retard\s+de\s+{_NUMBER_FR}\b",
        r"\b(?:livraison|commande|colis|vol|train)s?\s+(?:\w+\s+)?retardee?s?\b",
    ),
    "colis bloqué": (
        r"\b(?:colis|commande|paquet|livraison|envoi)s?\s+(?:\w+\s+){0,2}?(?:bloquee?s?|coincee?s?)\b",
        r"\b(?:bloquee?s?|coincee?s?)\s+(?:en|a\s+la)\s+douane\b",
    ),
    "colis perdu": (
        r"\b(?:colis|commande|paquet|valise|bagage|envoi)s?\s+(?:\w+\s+){0,2}?(?:perdue?s?|egaree?s?)\b",
        r"\b(?:perdu|egare)\w*\s+(?:mon|ma|mes|notre|le|la)\s+(?:colis|commande|paquet|valise|bagage)s?\b",
        r"\b(?:colis|commande|paquet|envoi)s?\b[^.!?]{0,40}?\b(?:disparue?s?|volee?s?)\b",
    ),
    "article manquant": (
        r"\b(?:il|y)\s+(?:me\s+|nous\s+)?manqu(?:e|ait|aient|ent)"  # (Québec "y" for "il")
        r"\s+(?:un|une|des|deux|trois|\d+|le|la|les|mon|ma|mes)\b",
        r"\bmanquante?s?\b",
        r"\b(?:commande|colis|livraison|kit|boite)\s+(?:\w+\s+)?(?:incomplete?|vide)s?\b",
    ),
    "erreur de commande": (
        r"\bmauvaise?s?\s+(?:article|produit|taille|couleur|commande|colis|adresse|modele|plat"
        r"|pointure|reference)s?\b",
        r"\bpas\s+(?:le|la|les)\s+bon(?:ne)?s?\s+(?:article|produit|taille|couleur|commande|colis"
        r"|modele|pointure)s?\b",
        rf"\berreur\s+(?:dans|de|sur)\s+{_MY_FR}\s+(?:commande|facture|livraison|colis|adresse)\b",
        r"\bpas\s+(?:du\s+tout\s+)?ce\s+que\s+j'?(?:ai|avais)\s+commande\b",
    ),
    "plus jamais": (
        r"\bplus\s+jamais\b(?!\s+sans\b)",  # "plus jamais sans mon café" is praise
        r"\b(?:commanderai|reviendrai|racheterai|recommanderai|remettrai)\s+(?:plus|jamais|pas)\b",
        r"\bderniere\s+fois\s+que\s+(?:je|j'|on)\s*(?:commande|achete|viens|vient)\b",
    ),
    # The consumers' association: "l'UFC", "UFC-Que Choisir" (a bare "UFC" is as often the
    # fighting championship).
    "plainte": (r"\bplaintes?\b", r"\b(?:l'ufc|que\s+choisir|dgccrf|signalconso|60\s+millions)\b"),
    "réclamation": (r"\breclamations?\b",),
    "litige": (r"\blitiges?\b", r"\bmise\s+en\s+demeure\b", r"\bavocat\b(?<=mon\savocat)"),
    "lamentable": (r"\blamentables?\b",),
    "inadmissible": (r"\binadmissibles?\b",),
    "inacceptable": (r"\binacceptables?\b",),
    "scandaleux": (r"\bscandal\w*",),
    "honteux": (r"\bhonteu(?:x|se|ses)\b", r"\bhonte\b"),
    "n'importe quoi": (r"\bn'?importe\s+quoi\b",),
    "foutage de gueule": (
        r"\bfoutage\s+de\s+gueule\b",
        r"\bfout\w*\s+de\s+(?:la|ma|notre|nos|leur|vos|votre)\s+gueule\b",
    ),
    "pris pour des pigeons": (
        r"\b(?<=pour\sdes\s)(?:pigeons|cons|idiots|imbeciles|vaches\s+a\s+lait)\b",
    ),
    "c'est une blague": (r"\bblague\b(?<=c'est\sune\sblague)", r"\bblague\b(?<=quoi\scette\sblague)"),
    "compte bloqué": (
        r"\bcompte\s+(?:\w+\s+){0,2}?(?:bloque|suspendu|desactive|pirate|hacke|ferme)e?s?\b",
    ),
    "intoxication": (r"\bintox\w*\s+alimentaire\b", r"\bmalades?\s+apres\b"),
    "périmé": (r"\bperimee?s?\b", r"\bmoisie?s?\b", r"\bmoisissures?\b"),
    "au secours": (r"\baidez[- ]moi\b", r"\bau\s+secours\b"),
    # --- English ------------------------------------------------------------------------
    "still waiting": (
        r"\bstill\s+(?:\w+\s+)?waiting\b",
        r"\bbeen\s+waiting\b",
        r"\bwaiting\s+(?:for\s+)?(?:over\s+|more\s+than\s+|almost\s+|nearly\s+)?"
        rf"{_NUMBER_EN}\s+(?:weeks?|days?|months?|hours?|ages)\b",
        r"\bwaiting\s+since\b",
        r"\b(?:keep|keeps|kept)\s+(?:me\s+|us\s+)?waiting\b",
    ),
    "not received": (
        rf"\b{_NOT_EN}\s+(?:been\s+)?(?:received|receive|arrived|arrive|delivered|shown\s+up"
        r"|showed\s+up|turned\s+up|came)\b",
        rf"\b(?:haven't|havent|hasn't|didn't|didnt|never)\s+(?:got|gotten|get)\s+{_MY_EN}\s+{_ORDER_EN}\b",
        r"\bstill\s+not\s+(?:here|there)\b",
    ),
    "where is my order": (
        rf"\bwhere(?:'s|s|\s+is|\s+are|\s+the\s+hell\s+is)\s+{_MY_EN}\s+(?:\w+\s+)?{_ORDER_EN}\b",
    ),
    "any update": (
        rf"\bany\s+(?:news|updates?)\s+(?:on|about|regarding|for)\s+{_MY_EN}\s+(?:\w+\s+)?{_ORDER_EN}\b",
        rf"\b(?:checking|check)\s+(?:in\s+)?on\s+{_MY_EN}\s+(?:\w+\s+)?{_ORDER_EN}\b",
        rf"\bstatus\s+of\s+{_MY_EN}\s+(?:\w+\s+)?{_ORDER_EN}\b",
    ),
    "no tracking": (
        r"\bno\s+tracking\b",
        r"\btracking\s+(?:\w+\s+)?(?:hasn't|has\s+not|hasnt|not|never|didn't|doesn't|isn't)"
        r"\s+(?:been\s+)?(?:updated|update|moved|changed|working|work)\b",
    ),
    "no confirmation": (
        r"\bno\s+(?:order\s+)?(?:confirmation|receipt)\b",
        r"\bnever\s+(?:got|received|had)\s+(?:a\s+|an\s+|any\s+|the\s+|my\s+)?(?:order\s+)?"
        r"(?:confirmation|receipt)\b",
    ),
    "marked as delivered": (r"\b(?:marked|shows?|showing|says?|said)\s+(?:as\s+)?delivered\b",),
    "refund": (r"\brefund(?:s|ed|ing)?\b", r"\bmoney\s+back\b", r"\breimburse\w*"),
    "charged twice": (
        rf"\b(?:charged|billed|debited|paid)\s+(?:me\s+|us\s+)?{_TWICE_EN}\b",
        r"\bdouble[- ]?(?:charged|billed|charge|charging|payment)\b",
        r"\b(?:two|2|duplicate|multiple)\s+(?:charges|payments|transactions|debits)\b",
    ),
    "overcharged": (r"\bovercharg\w*",),
    "no answer": (
        r"\b(?:no\s*one|nobody|noone)\s+(?:\w+\s+)?(?:answers|answered|answering|replies|replied"
        r"|replying|responds|responded|responding|picks\s+up|picked\s+up|got\s+back|gets\s+back"
        r"|calls\s+back|called\s+back|helps|helped|cares)\b",
        r"\bno\s+(?:answer|answers|reply|replies|response|responses|feedback|callback)\b",
        r"\bnever\s+(?:got|received|heard)\s+(?:back|a\s+reply|an\s+answer|a\s+response|anything)\b",
        r"\b(?:not|never|don't|dont|doesn't|doesnt|won't|wont|didn't|didnt)"
        r"\s+(?:answer|reply|respond|replying|answering|responding|pick\s+up)\b",
        r"\bignor(?:ing|ed|e)\s+(?:me|us|my|our)\b",
        r"\bunanswered\b",
        r"\bghost(?:ed|ing)\s+(?:me|us)\b",
    ),
    "contacted several times": (
        r"\b(?:emailed|called|messaged|contacted|wrote|written|dm'?d|chased|rang|asked)\s+(?:\w+\s+)?"
        rf"(?:{_NUMBER_EN}|countless|so\s+many)\s+times\b",
        r"\btrying\s+to\s+(?:reach|contact|get\s+hold\s+of|get\s+through\s+to)\b",
        r"\bcan'?t\s+(?:reach|get\s+hold\s+of|get\s+through\s+to)\b",
    ),
    "speak to a manager": (
        r"\b(?:speak|talk)\s+(?:to|with)\s+(?:a|your|the|an\s+actual|a\s+real)"
        r"\s+(?:manager|supervisor|human|person)\b",
    ),
    "hung up": (r"\bhung\s+up\s+on\s+(?:me|us)\b",),
    "on hold": (r"\bhold\b(?<=on\shold)",),
    "customer service": (r"\bcustomer\s+(?:service|support|care)\b",),
    "broken": (
        r"\bbroken\b(?![- ]?hearted)",
        r"\bbroke\s+(?:after|down|within|in\s+(?:\d+|a|two|three)|on\s+(?:day|the\s+first))\b",
        r"\bpieces\b(?<=in\spieces)",
    ),
    "damaged": (
        r"\bdamaged\b",
        r"\barrived\s+(?:\w+\s+)?(?:smashed|crushed|torn|dented|cracked|open|opened|leaking)\b",
    ),
    "defective": (r"\b(?:defective|faulty|malfunction\w*)\b",),
    "not working": (
        r"\b(?:not|isn't|isnt|aren't|arent|stopped|still\s+not|never)\s+working\b",
        rf"\b{_WONT_EN}\s+(?:even\s+)?(?:work|load|open|turn\s+on|start|charge|connect|log\s*in(?:to)?"
        r"|sign\s+in(?:to)?|pay|checkout|check\s+out)\b",
        rf"\b{_WONT_EN}\s+let\s+me\s+(?:pay|order|check\s*out|log\s*in|sign\s+in|cancel|book)\b",
        r"\bkeeps\s+(?:logging\s+me\s+out|kicking\s+me\s+out|freezing|failing|declining"
        r"|rejecting|erroring|timing\s+out)\b",
    ),
    "crash": (r"\b(?:keeps|kept|keep)\s+crashing\b", r"\bcrash(?:es|ed)\b"),
    "down": (
        # An outage, not "sit down", "calm down" or "download".
        r"\b(?:site|website|app|server|servers|service|platform|system|page|checkout|portal"
        r"|network|everything|api|login)\s+(?:is\s+|was\s+|are\s+|has\s+been\s+"
        r"|have\s+been\s+|been\s+|went\s+|goes\s+|keeps\s+going\s+|still\s+|seems\s+)?"
        r"(?:still\s+|completely\s+)?down\b",
        r"\bdown\s+(?:again|since)\b",
        r"\boutages?\b",
    ),
    "stuck in transit": (
        r"\b(?:package|parcel|order|shipment|delivery|refund|money)s?\s+(?:\w+\s+){0,2}?stuck\b",
        r"\bstuck\s+in\s+(?:transit|customs)\b",
    ),
    "cancel my order": (
        rf"\bcancel\w*\s+{_MY_EN}\s+(?:order|orders|booking|reservation|purchase)\b",
        r"\b(?:order|booking|reservation|flight)\s+(?:was\s+|got\s+|has\s+been\s+|been\s+)?cancell?ed\b",
    ),
    "cancel": (
        rf"\bcancel\w*\s+{_MY_EN}\s+(?:subscription|account|membership|plan|contract)\b",
        # Mail or texts the customer asked to stop: "I unsubscribed twice", "I opted out".
        r"\bunsubscribed\b",
        r"\bopted\s+out\b",
    ),
    "late": (
        # A delivery's lateness, not "I'm running late" or "lately".
        r"\b(?:order|delivery|package|parcel|shipment|driver|courier|food|flight|train|bus|refund"
        r"|payment)s?\s+(?:is|was|are|were|arrived|came|comes|showed\s+up|always|again"
        r"|keeps\s+being|running)\s+(?:\w+\s+)?late\b",
        r"\blate\s+(?:again|delivery|deliveries|order|shipment|every\s+time)\b",
        r"\b(?:days?|weeks?|hours?|minutes|mins)\s+late\b",
        r"\b(?:arrived|came|showed\s+up|delivered)\s+(?:\w+\s+){0,4}?late\b",
        r"\b(?:always|still)\s+late\b",
    ),
    "delay": (r"\b(?:delayed|delay|delays)\b",),
    "scam": (r"\bscam\w*",),
    "fraud": (r"\bfraud\w*",),
    "rip-off": (r"\brip[- ]?offs?\b", r"\bripped\s+(?:\w+\s+)?off\b"),
    "never again": (
        r"\bnever\s+again\b",
        r"\bnever\s+(?:ordering|buying|shopping|coming|going|using|eating|flying|booking|order"
        r"|buy|shop|use|come)\b[^.!?]{0,30}?\bagain\b",
        r"\blast\s+time\s+i\s+(?:order|buy|shop|use|come|eat|fly|book)\w*\b",
        r"\blost\s+(?:a|me\s+as\s+a|another|one)\s+(?:loyal\s+|long[- ]time\s+|good\s+)?customer\b",
    ),
    "worst": (r"\bworst\b(?![- ]case)",),
    "wrong item": (
        r"\bwrong\s+(?:item|items|order|size|colou?r|product|package|parcel|address|model|meal"
        r"|food|thing|one)\b",
        r"\bnot\s+what\s+i\s+ordered\b",
        r"\bordered\s+(?:\w+\s+){1,3}?(?:and|but)\s+(?:got|received)\b",
    ),
    "missing item": (
        r"\bmissing\s+(?:\w+\s+)?(?:item|items|part|parts|piece|pieces|order|package|parcel"
        r"|product|products|fries|sauce|drinks?)\b",
        r"\b(?:items?|parts?|pieces?|orders?|packages?|parcels?)\s+(?:\w+\s+)?missing\b",
        r"\b(?:was|were|is|are|went)\s+missing\s+from\s+(?:my|our|the|his|her)\b",
    ),
    "lost package": (
        rf"\blost\s+{_MY_EN}\s+(?:package|parcel|order|luggage|bag|shipment)\b",
        r"\b(?:package|parcel|order|luggage|shipment)\s+(?:\w+\s+)?lost\b",
    ),
    "complaint": (
        r"\b(?:file|filing|filed|make|making|made|lodge|lodging|submit|submitted|raise|raised"
        r"|formal)\s+(?:a\s+)?(?:formal\s+)?complaint\b",
        r"\bcomplaint\s+(?:about|against|to|with)\b",
        r"\b(?:chargeback|better\s+business\s+bureau|bbb|legal\s+action|lawyer|sue\s+you"
        r"|trading\s+standards)\b",
    ),
    "unacceptable": (r"\bunacceptable\b",),
    "disgraceful": (r"\b(?:disgrace|disgraceful|appalling|outrageous|shameful)\b",),
    "account locked": (
        r"\baccount\s+(?:\w+\s+)?(?:locked|blocked|suspended|hacked|compromised|disabled"
        r"|banned|frozen)\b",
    ),
    "please help": (r"\bplease\s+help\b", r"\bhelp\s+me\s+please\b", r"\bsomeone\s+help\b"),
    "food poisoning": (r"\bfood\s+poisoning\b", r"\bsick\s+after\s+(?:eating|ordering)\b"),
}


# How many leading characters index the patterns: four tells "remb" (remboursement) from
# "rend" (rendez-vous), so most word starts reach no pattern at all.
_PREFIX_LENGTH: Final = 4
_DIGITS: Final = "0123456789"
# Patterns say `\s`; the text they run on has plain spaces only (see `complaint_cues`), so the
# index need not list every kind of whitespace.
_SPACES: Final = " "
_OTHER_WHITESPACE_RE: Final = re.compile(r"[^\S ]+")


def _closing_paren(text: str, start: int) -> int:
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced pattern: {text!r}")


def _alternatives(text: str) -> list[str]:
    """`text` split at its top-level `|`."""
    parts, depth, last, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(text[last:i])
            last = i + 1
        i += 1
    parts.append(text[last:])
    return parts


def _split_quantifier(text: str) -> tuple[str | None, str]:
    """The quantifier at the start of `text` (None if there is none) and what follows it."""
    if text[:1] in ("?", "*", "+"):
        quantifier, rest = text[0], text[1:]
    elif text.startswith("{") and "}" in text:
        end = text.index("}")
        quantifier, rest = text[: end + 1], text[end + 1 :]
    else:
        return None, text
    return quantifier, rest.removeprefix("?")  # lazy "??", "+?", "{0,20}?"


def _prefixes(body: str, length: int) -> set[str]:
    """What a match of regex `body` can start with: strings of up to `length` characters,
    a shorter one meaning "then anything". Conservative: unknown constructs mean "anything"."""
    if length == 0 or not body:
        return {""}
    if body.startswith(r"\b"):
        return _prefixes(body[2:], length)
    if body.startswith(("(?=", "(?!", "(?<=", "(?<!")):  # lookarounds consume nothing
        return _prefixes(body[_closing_paren(body, 0) + 1 :], length)
    if body.startswith("(?:"):
        end = _closing_paren(body, 0)
        quantifier, rest = _split_quantifier(body[end + 1 :])
        alternatives = _alternatives(body[3:end])
        if quantifier is None:
            return set().union(*(_prefixes(alt + rest, length) for alt in alternatives))
        found = set().union(*(_prefixes(alt, 1) for alt in alternatives))
        optional = quantifier in ("?", "*") or quantifier.startswith("{0")
        return found | _prefixes(rest, length) if optional else found
    if body.startswith("[") and "]" in body[1:] and not body.startswith("[^"):
        end = body.index("]", 1)
        chars, after = body[1:end], body[end + 1 :]
        if "\\" in chars or "-" in chars:
            return {""}
    elif body.startswith(r"\d"):
        chars, after = _DIGITS, body[2:]
    elif body.startswith(r"\s"):
        chars, after = _SPACES, body[2:]
    elif body[0] == "\\" or body[0] in ".^$|()[":
        return {""}
    else:
        chars, after = body[0], body[1:]
    quantifier, rest = _split_quantifier(after)
    if quantifier is None:
        return {c + tail for c in chars for tail in _prefixes(rest, length - 1)}
    if quantifier == "?":
        present = {c + tail for c in chars for tail in _prefixes(rest, length - 1)}
        return present | _prefixes(rest, length)
    if quantifier == "*" or quantifier.startswith("{0"):
        return set(chars) | _prefixes(rest, length)
    if quantifier == "+":  # one of these, then more of them or the rest
        after_one = set(chars) | _prefixes(rest, length - 1) if length > 1 else {""}
        return {c + tail for c in chars for tail in after_one}
    return set(chars)  # "{2,}" and the like: one of these, then anything


@cache
def _index() -> tuple[re.Pattern[str], dict[str, tuple[str, tuple[str, ...]]]]:
    """A regex finding the word starts where some cue may begin, and for each prefix, one
    alternation of the patterns that may begin there.

    Trying a few hundred alternatives at every position takes about 1 ms per message; trying,
    at the few word starts whose first letters begin some cue, only the patterns that begin
    with those letters takes about 20 µs. Built on first use, not at import.
    """
    by_prefix: dict[str, list[tuple[int, str, str]]] = {}
    entries = [(label, pattern) for label, patterns in CUE_PATTERNS.items() for pattern in patterns]
    for order, (label, pattern) in enumerate(entries):
        prefixes = _prefixes(pattern, _PREFIX_LENGTH)
        if not pattern.startswith(r"\b") or not all(p[:1].isalnum() for p in prefixes):
            raise ValueError(f"cue pattern must start with a word: {pattern!r}")
        for prefix in prefixes:
            by_prefix.setdefault(prefix, []).append((order, label, pattern))
    # A prefix that extends a shorter one ("rem" after "r") is reached through the shorter
    # one: the starts finder stops at the shortest, so its bucket holds both.
    buckets: dict[str, list[tuple[int, str, str]]] = {}
    for prefix in sorted(by_prefix, key=len):
        shortest = next(prefix[:n] for n in range(1, len(prefix) + 1) if prefix[:n] in by_prefix)
        buckets.setdefault(shortest, []).extend(by_prefix[prefix])
    sources = {}
    for prefix, bucket in buckets.items():
        ordered = sorted(set(bucket))  # when two cues match at one place, the first listed wins
        source = "|".join(f"(?P<c{i}>{pattern})" for i, (_, _, pattern) in enumerate(ordered))
        sources[prefix] = (source, tuple(label for _, label, _ in ordered))
    starts = re.compile(r"\b(?=(" + _trie_regex(buckets) + "))")
    return starts, sources


@cache
def _bucket(prefix: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The compiled alternation for one prefix, compiled when first needed (there are
    hundreds; most messages touch a few)."""
    source, labels = _index()[1][prefix]
    return re.compile(source), labels


def _trie_regex(prefixes) -> str:
    """A regex matching exactly the given prefixes, factored as a trie so that each branch
    starts with a literal, which the regex engine rejects cheaply ("a(?:ss|tt)|c[ao]")."""
    trie: dict = {}
    for prefix in prefixes:
        node = trie
        for char in prefix:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:
            return ""
        branches, leaves = [], []
        for char, child in sorted(node.items()):
            rest = emit(child)
            if rest:
                branches.append(re.escape(char) + rest)
            else:
                leaves.append(re.escape(char))
        if leaves:
            branches.append(leaves[0] if len(leaves) == 1 else "[" + "".join(leaves) + "]")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


def complaint_cues(text: str) -> list[str]:
    """The complaint cues found in `text`, each once, in the order they appear."""
    if not text:
        return []
    starts = _index()[0]
    folded = fold(text)
    if not folded.isprintable():  # tabs, line breaks
        folded = _OTHER_WHITESPACE_RE.sub(" ", folded)
    found: list[str] = []
    # Every candidate word start is tried: the finder looks ahead without consuming its prefix,
    # which may run into the next word ("au s"), so a cue inside another ("any update on my
    # refund") or right after a two-word prefix ("mail au service client") is found too.
    for start in starts.finditer(folded):
        regex, labels = _bucket(start.group(1))
        match = regex.match(folded, start.start())
        if match is not None:
            label = labels[int(match.lastgroup[1:])]
            if label not in found:
                found.append(label)
    return found
