"""The saved-replies library: files, placeholders (unknown and malicious ones too), network lengths."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cminbox.replies import fill, load_library, starter_dir
from cminbox.replies.check import check_library, check_reply
from cminbox.replies.library import (
    ReplyFileError,
    install_starter,
    load_folder,
    parse_reply,
    render_reply,
    toml_string,
    write_reply,
)
from cminbox.replies.limits import grapheme_count, limit_for, mastodon_length, measure, x_weighted_length
from cminbox.replies.placeholders import find_order_id, first_name, message_values, unfill, unfilled

ROOT = Path(__file__).resolve().parent.parent

GOOD = """+++
title = "Retard de livraison"
lang = "fr"
tone = "vous"
tags = ["delivery", "Delay"]
networks = ["facebook", "x"]

[ask]
next_update = "Heure du prochain point"
+++
Bonjour {first_name}, votre commande {order_id} arrive. Prochain point à {next_update}.
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- files ------------------------------------------------------------------------------------


def test_a_reply_file_reads_with_every_field(tmp_path):
    reply = parse_reply(GOOD, path=tmp_path / "fr-retard.md")
    assert reply.key == "fr-retard"
    assert reply.title == "Retard de livraison"
    assert (reply.lang, reply.tone) == ("fr", "vous")
    assert reply.tags == ("delivery", "delay")
    assert reply.networks == ("facebook", "x")
    assert reply.ask == {"next_update": "Heure du prochain point"}
    assert reply.body.startswith("Bonjour {first_name}")
    assert reply.body_line == 11


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("Bonjour\n", 1, "must start with a +++ line"),
        ("+++\ntitle = \"x\"\nBonjour\n", 1, "never closed"),
        ("+++\ntitle = \"x\"\nlang = fr\n+++\nBonjour\n", 3, "not valid TOML"),
        ("+++\ntitle = \"x\"\nlangue = \"fr\"\n+++\nBonjour\n", 3, "unknown field 'langue'"),
        ("+++\nlang = \"fr\"\n+++\nBonjour\n", 1, "needs a title"),
        ("+++\ntitle = \"x\"\ntone = \"toi\"\n+++\nBonjour\n", 3, 'tone is "tu" or "vous"'),
        ("+++\ntitle = \"x\"\nnetworks = [\"myspace\"]\n+++\nBonjour\n", 3, "unknown network 'myspace'"),
        ("+++\ntitle = \"x\"\n+++\n\n", 4, "no text"),
        ("+++\ntitle = \"x\"\nkey = \"Not A Key\"\n+++\nhi\n", 3, "key is lowercase"),
        ("+++\ntitle = \"x\"\n[ask]\nLink = \"l\"\n+++\nhi\n", 3, "cannot be a placeholder name"),
    ],
)
def test_a_broken_file_is_reported_with_its_line(text, line, words):
    with pytest.raises(ReplyFileError) as caught:
        parse_reply(text)
    assert caught.value.line == line
    assert words in caught.value.message


def test_a_broken_file_is_named_and_the_rest_still_loads(tmp_path):
    write(tmp_path, "good.md", GOOD)
    write(tmp_path, "bad.md", "+++\ntitle = \"x\"\nlang = fr\n+++\nhi\n")
    write(tmp_path, "latin1.md", "")
    (tmp_path / "latin1.md").write_bytes(b"+++\ntitle = \"caf\xe9\"\n+++\nhi\n")
    write(tmp_path, "README.md", "# not a reply")
    write(tmp_path / "en", "nested.md", GOOD.replace("Retard", "Delay"))
    write(tmp_path / ".git", "ignored.md", "nope")
    replies, problems = load_folder(tmp_path)
    assert sorted(r.key for r in replies) == ["good", "nested"]
    described = sorted(str(p) for p in problems)
    assert described[0].startswith(f"{tmp_path / 'bad.md'}:3: front matter is not valid TOML")
    assert "latin1.md: not UTF-8" in described[1]


def test_two_files_with_one_key_are_reported(tmp_path):
    write(tmp_path, "a.md", GOOD.replace("+++\ntitle", '+++\nkey = "same"\ntitle'))
    write(tmp_path, "b.md", GOOD.replace("+++\ntitle", '+++\nkey = "same"\ntitle'))
    replies, problems = load_folder(tmp_path)
    assert len(replies) == 1 and "already used" in problems[0].message


def test_the_users_folder_is_the_library_once_it_exists(tmp_path):
    folder = tmp_path / "mine"
    library = load_library(folder)
    assert library.starter and len(library.replies) >= 30
    folder.mkdir()
    library = load_library(folder)
    assert not library.starter and library.replies == []


def test_installing_the_starter_set_never_overwrites(tmp_path):
    folder = tmp_path / "mine"
    write(folder, "en-apology.md", GOOD)
    copied, kept = install_starter(folder)
    assert kept == ["en-apology.md"]
    assert (folder / "en-apology.md").read_text() == GOOD
    assert len(copied) >= 30 and (folder / "README.md").exists()
    copied_again, kept_again = install_starter(folder)
    assert copied_again == [] and len(kept_again) == len(copied) + 1


def test_a_written_reply_reads_back_and_never_overwrites(tmp_path):
    title = 'Retard "livraison" \\ « ok »\x7f'
    first = write_reply(tmp_path, title=title, body="Bonjour {first_name}", lang="fr", tone="tu", tags=["delivery"], networks=["x"])
    second = write_reply(tmp_path, title=title, body="Autre", lang="fr")
    assert first.name == "retard-livraison-ok.md" and second.name == "retard-livraison-ok-2.md"
    reply = parse_reply(first.read_text(), path=first)
    assert reply.title == 'Retard "livraison" \\ « ok »'
    assert (reply.lang, reply.tone, reply.tags, reply.networks) == ("fr", "tu", ("delivery",), ("x",))
    assert reply.body == "Bonjour {first_name}"


@pytest.mark.parametrize("value", ['a "quoted" \\ value', "tab\there", "line\nbreak", "del\x7fete", "é « » ’ 🎉"])
def test_toml_strings_round_trip(value):
    assert tomllib.loads(f"v = {toml_string(value)}")["v"] == value


def test_render_then_parse_is_identity():
    text = render_reply(title="T", body="B {agent}", lang="en", tone=None, tags=["a", "b"], networks=[])
    reply = parse_reply(text)
    assert (reply.title, reply.body, reply.lang, reply.tags) == ("T", "B {agent}", "en", ("a", "b"))


# -- the starter library ------------------------------------------------------------------------


def test_the_starter_library_covers_both_languages_and_tones():
    library = load_library(Path("/nonexistent/folder"))
    assert library.problems == []
    replies = library.replies
    assert len(replies) >= 30
    langs = {(r.lang, r.tone) for r in replies}
    assert {("fr", "vous"), ("fr", "tu"), ("en", None)} <= langs
    crisis = [r for r in replies if r.crisis]
    assert {r.lang for r in crisis} == {"fr", "en"} and len(crisis) >= 6
    for theme in ("delivery", "refund", "product", "outage", "holding", "resolved", "apology", "dm", "thanks",
                  "ugc", "moderation", "faq", "escalation", "competitor"):
        assert any(theme in r.tags for r in replies), theme
    # Every French reply exists in both tones.
    stems = {r.key.removeprefix("fr-vous-").removeprefix("fr-tu-") for r in replies if r.lang == "fr"}
    for stem in stems:
        assert {f"fr-vous-{stem}", f"fr-tu-{stem}"} <= {r.key for r in replies}


def test_the_starter_library_passes_the_check():
    library = load_library(Path("/nonexistent/folder"))
    assert check_library(library) == []
    assert starter_dir() == ROOT / "replies"  # in a checkout, the repo's folder


def test_french_starter_replies_keep_one_typography():
    library = load_library(Path("/nonexistent/folder"))
    for reply in library.replies:
        if reply.lang != "fr":
            continue
        for mark in "?!;":
            assert f" {mark}" not in reply.body, (reply.key, mark)
        assert " :" not in reply.body and "'" not in reply.body, reply.key
        assert '"' not in reply.body, reply.key  # « guillemets »


# -- check ---------------------------------------------------------------------------------------


def test_check_reports_unknown_placeholders_with_their_line(tmp_path):
    path = write(tmp_path, "r.md", "+++\ntitle = \"x\"\n+++\nHello {first_name},\nsee {faq_link} and {agent}\n")
    reply = parse_reply(path.read_text(), path=path)
    [problem] = check_reply(reply)
    assert problem.line == 5 and "unknown placeholder {faq_link}" in problem.message
    assert check_reply(reply, known={"faq_link"}) == []


def test_check_measures_length_per_tagged_network():
    body = "Hello {first_name}! " + "word " * 60  # about 320 characters
    untagged = parse_reply(f"+++\ntitle = \"long\"\n+++\n{body}\n")
    problems = check_reply(untagged)
    assert {p.message.split(":")[0] for p in problems} == {"too long for X", "too long for Bluesky"}
    tagged = parse_reply(f"+++\ntitle = \"long\"\nnetworks = [\"facebook\"]\n+++\n{body}\n")
    assert check_reply(tagged) == []
    shouting = parse_reply("+++\ntitle = \"x\"\nnetworks = [\"x\"]\n+++\n" + "🎉" * 141 + "\n")
    assert "282 of 280" in check_reply(shouting)[0].message  # emoji weigh 2 on X


def test_tone_belongs_to_french():
    reply = parse_reply('+++\ntitle = "x"\nlang = "en"\ntone = "tu"\n+++\nhi\n')
    assert "tone" in check_reply(reply)[0].message


# -- placeholders ---------------------------------------------------------------------------------


def test_placeholders_fill_and_report_what_is_missing():
    filled = fill("Bonjour {first_name}, commande {order_id} — {agent} {{literal}}", {"first_name": "Julie", "agent": ""})
    assert filled.text == "Bonjour Julie, commande {order_id} — {agent} {literal}"
    assert filled.missing == ("order_id", "agent")
    assert unfilled(filled.text) == ["order_id", "agent", "literal"]


def test_malicious_values_stay_plain_text():
    values = {"first_name": "{brand} [bold red]x[/] \x1b[31m\nnew line", "brand": "Brioche & Co"}
    filled = fill("Hi {first_name} from {brand}", values)
    assert filled.text == "Hi brand [bold red]x[/] [31m new line from Brioche & Co"
    assert "\x1b" not in filled.text and "\n" not in filled.text
    assert unfilled(filled.text) == []  # a value can never look like a placeholder
    assert fill("{a}", {"a": "{{b}}"}).text == "b"


def test_values_come_from_the_message():
    values = message_values(
        author_name="Julie Martin", author_handle="@julie_m", network="instagram",
        text="toujours pas reçu ma commande #BC-48213 !", brand="Brioche & Co", agent="Camille",
    )
    english = {
        "author": "Julie Martin", "first_name": "Julie", "handle": "@julie_m", "brand": "Brioche & Co",
        "agent": "Camille", "network": "Instagram", "order_id": "BC-48213",
    }
    assert {k: v for k, v in values.items() if k in english} == english
    # The same under their French names ({prenom}, {commande}…).
    assert {k: values[k] for k in ("prenom", "nom", "pseudo", "marque", "signature", "reseau", "commande")} == {
        "prenom": "Julie", "nom": "Julie Martin", "pseudo": "@julie_m", "marque": "Brioche & Co",
        "signature": "Camille", "reseau": "Instagram", "commande": "BC-48213",
    }
    bare = message_values(author_name="", author_handle="@kev_l", network="x", text="refund please")
    assert bare["first_name"] == "@kev_l" and "order_id" not in bare and "agent" not in bare


@pytest.mark.parametrize(
    "name, handle, expected",
    [
        ("Julie Martin", "@j", "Julie"), ("Marie-Claire Dubois", "", "Marie-Claire"), ("Sarah B.", "", "Sarah"),
        ("DUPONT Marie", "", "Marie"), ("Émilie ✨", "@em", "Émilie"), ("mezianel", "mezianel", "mezianel"),
        ("J. Doe", "@jd", "@jd"), ("", "@kev_l", "@kev_l"), ("D'Arcy Ryan", "", "D'Arcy"),
        ("Le Petit Gourmet Lyonnais", "@lpgl", "Le Petit Gourmet Lyonnais"), ("L'Atelier du Pain", "@a", "L'Atelier du Pain"),
        ("Brioche Fan Club", "@bfc", "Brioche Fan Club"), ("Dubois & Fils SARL", "@df", "Dubois & Fils SARL"),
        ("Gourmet Media Group", "@gmg", "Gourmet Media Group"), ("Karim Haddad — InfoConso", "@kh", "Karim"),
        ("Sarah Cohen, consumer reporter", "@sc", "Sarah"), ("Li Fan", "@lf", "Li"),
        # A lone lower-case name: the person's own ("estelle" for @estelle_96), unless it is the handle.
        ("estelle", "estelle_96", "Estelle"), ("marie-pier", "@mp", "Marie-Pier"), ("mezianel", "@mezianel", "@mezianel"),
        ("jennac94", "jennac94", "jennac94"),
    ],
)
def test_first_names(name, handle, expected):
    assert first_name(name, handle) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("toujours pas reçu ma commande #BC-48213", "BC-48213"), ("commande BC48213 incomplète", "BC48213"),
        ("ma commande n° 48213", "48213"), ("order #48213 still not here", "48213"),
        ("order 482137 late", "482137"), ("j'ai attendu 2 heures", None), ("3 fois 1000 mercis", None),
    ],
)
def test_order_numbers_as_customers_write_them(text, expected):
    assert find_order_id(text) == expected


def test_unfill_turns_values_back_into_placeholders():
    values = {"first_name": "Julie", "author": "Julie Martin", "order_id": "BC-48213", "brand": "Brioche & Co"}
    text = "Bonjour Julie Martin (Julie), BC-48213 chez Brioche & Co. Julietta :-{ }"
    assert unfill(text, values) == "Bonjour {author} ({first_name}), {order_id} chez {brand}. Julietta :-{{ }}"


def test_placeholders_typed_in_a_reply_stay_placeholders_when_it_is_saved():
    # Saving "Bonjour {prenom}, … {brand} … {agent}" as a saved reply must give a reply that fills.
    typed = "Bonjour {prenom}, l'équipe de {brand} s'en occupe, commande {commande}. {agent} {{pas un}}"
    saved = unfill(typed, {"first_name": "Julie"})
    assert saved == "Bonjour {prenom}, l'équipe de {brand} s'en occupe, commande {commande}. {agent} {{{{pas un}}}}"
    values = message_values(author_name="Julie Martin", author_handle="@julie", network="instagram",
                            text="ma commande BC-48213", brand="Brioche & Co", agent="Camille")
    filled = fill(saved, values)
    assert filled.missing == ()
    assert filled.text == "Bonjour Julie, l'équipe de Brioche & Co s'en occupe, commande BC-48213. Camille {{pas un}}"


# -- lengths ---------------------------------------------------------------------------------------


def test_x_counts_like_twitter_text():
    assert x_weighted_length("hello") == 5
    assert x_weighted_length("é « » ’") == 7  # Latin-1 and common punctuation weigh 1
    assert x_weighted_length("日本") == 4 and x_weighted_length("❤️") == 2
    assert x_weighted_length("👨‍👩‍👧‍👦") == 2 and x_weighted_length("👋🏽") == 2
    assert x_weighted_length("see https://example.com/a/very/long/path/indeed?x=1") == 4 + 23
    assert x_weighted_length("a\u202f!") == 4  # the narrow no-break space weighs 2


def test_mastodon_and_bluesky_count_graphemes():
    assert grapheme_count("🇫🇷👨‍👩‍👧e\u0301") == 3
    assert mastodon_length("hi @bob@mastodon.social https://example.com/" + "x" * 100) == len("hi @bob ") + 23
    assert measure("👍" * 300, "bluesky") == (300, limit_for("bluesky"))


def test_limits_per_network_and_kind():
    assert limit_for("x").chars == 280 and limit_for("x", "dm").chars == 10_000
    assert limit_for("instagram").chars == 2_200 and limit_for("facebook", "dm").chars == 2_000
    assert limit_for("mastodon").chars == 500 and limit_for("mastodon", override=11_000).chars == 11_000
    assert limit_for("youtube").chars == 10_000 and limit_for("hackernews") is None
    assert measure("é", "google") == (2, limit_for("google"))  # bytes


def test_a_reply_for_one_brand_reads_back_and_check_knows_the_brands(tmp_path):
    from cminbox.replies.library import write_reply

    path = write_reply(tmp_path, title="Velo: on arrive", body="Bonjour {prenom} !", workspaces=("velo",))
    [reply] = load_library(tmp_path).replies
    assert reply.workspaces == ("velo",) and reply.for_workspace("velo") and not reply.for_workspace("brioche")
    assert reply.for_workspace(None)  # nowhere to tell: offered
    assert check_reply(reply, workspaces=("velo", "brioche")) == []
    [problem] = check_reply(reply, workspaces=("brioche",))
    assert "workspace 'velo' is not in the config" in problem.message and str(path) in str(problem)
    assert problem.message.endswith("offered nowhere")
    line = path.read_text(encoding="utf-8").splitlines().index(next(
        l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("workspaces"))) + 1
    assert problem.line == line  # file:line, as every other problem
    both = write_reply(tmp_path, title="Both", body="Bonjour !", workspaces=("velo", "fournill"))
    [typo] = check_reply(next(r for r in load_library(tmp_path).replies if r.path == both), workspaces=("velo",))
    assert "'fournill' is not in the config" in typo.message and typo.message.endswith("only in the others it names")
