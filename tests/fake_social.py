"""The Facebook, Instagram, YouTube and X fakes as `tests/fakenets.py` networks (end-to-end sync).

Items are dated from the real clock: `cminbox sync` runs as a subprocess with the real time.
"""

from __future__ import annotations

import time

from fake_graph import TOKEN as GRAPH_TOKEN
from fake_graph import FakeGraph
from fake_x import TOKEN as X_TOKEN
from fake_x import FakeX
from fake_youtube import API_KEY, CHANNEL, PREFIX, FakeYouTube
from fakenets import Installed
from fakeserver import FakeServer, Reply

_GRAPH_DOWN = Reply.json({"error": {"message": "An unexpected error has occurred. Please retry your request later.",
                                    "type": "OAuthException", "code": 2, "fbtrace_id": "Ab1"}}, 500)


def facebook(server: FakeServer) -> Installed:
    now = time.time()
    graph = FakeGraph(server, page_id="111")
    graph.add_post("p1", "Nouvelle brioche à la pistache", at=now - 3600)
    graph.add_comment("p1", "c1", "Toujours pas reçu ma commande BC-48213", at=now - 600)
    graph.add_message("t1", "mid.1", "Bonjour, ma commande est arrivée froide", at=now - 300)

    def add_new() -> int:
        graph.add_comment("p1", "c2", "Merci pour la réponse rapide !", at=time.time() - 1)
        return 1

    def break_it() -> None:
        graph.override = _GRAPH_DOWN

    toml = f"""
[[sources]]
id = "fb"
type = "facebook"
workspace = "brioche"
label = "Facebook · Brioche & Co"
base_url = "{server.url}"
page_id = "111"
token = "env:CMINBOX_TEST_FB_TOKEN"
"""
    return Installed(toml, 2, add_new, break_it, env={"CMINBOX_TEST_FB_TOKEN": GRAPH_TOKEN}, keys=("fb",))


def instagram(server: FakeServer) -> Installed:
    now = time.time()
    graph = FakeGraph(server, page_id="111", ig_user_id="178")
    graph.add_media("m1", "Notre boutique de Montréal", at=now - 86400)
    graph.add_ig_comment("m1", "ic1", "C'est ouvert le dimanche ?", at=now - 500)
    graph.add_message("igt1", "igmid.1", "Bonjour, colis pas reçu", at=now - 200, sender=("8001", "kev_l"),
                      platform="instagram")

    def add_new() -> int:
        graph.add_ig_comment("m1", "ic2", "Trop bon 😍", at=time.time() - 1, username="lea")
        return 1

    def break_it() -> None:
        graph.override = _GRAPH_DOWN

    toml = f"""
[[sources]]
id = "ig"
type = "instagram"
workspace = "brioche"
label = "Instagram · @briocheandco"
base_url = "{server.url}"
ig_user_id = "178"
page_id = "111"
token = "env:CMINBOX_TEST_IG_TOKEN"
"""
    return Installed(toml, 2, add_new, break_it, env={"CMINBOX_TEST_IG_TOKEN": GRAPH_TOKEN}, keys=("ig",))


def youtube(server: FakeServer) -> Installed:
    now = time.time()
    yt = FakeYouTube(server)
    yt.add_thread("Ugx1", "La recette de la brioche svp !", at=now - 3600)
    yt.add_reply("Ugx1", "A1", "Oui pareil", at=now - 1800)

    def add_new() -> int:
        yt.add_thread("Ugx2", "Vidéo géniale", at=time.time() - 1, author="@lea")
        return 1

    def break_it() -> None:
        yt.override = Reply.json({"error": {"code": 503, "message": "The service is currently unavailable.",
                                            "errors": [{"reason": "backendError", "domain": "global"}]}}, 503)

    toml = f"""
[[sources]]
id = "yt"
type = "youtube"
workspace = "brioche"
label = "YouTube · Brioche & Co"
base_url = "{server.url}{PREFIX}"
channel_id = "{CHANNEL}"
api_key = "env:CMINBOX_TEST_YT_KEY"
"""
    return Installed(toml, 2, add_new, break_it, env={"CMINBOX_TEST_YT_KEY": API_KEY}, keys=("yt",))


def x(server: FakeServer) -> Installed:
    now = time.time()
    fake = FakeX(server)
    fake.add_user("42", "kev_l", "Kévin L.", 3400)
    fake.add_tweet("@BriocheAndCo toujours pas remboursé", at=now - 600, author="42")
    fake.add_tweet("Brioche & Co, meilleure brioche de Montréal", at=now - 300, author="42", mention=False)
    fake.add_dm("Bonjour, une question", at=now - 200, sender="42", conversation="1500-42")

    def add_new() -> int:
        fake.add_tweet("@BriocheAndCo et alors ?", at=time.time() - 1, author="42")
        return 1

    def break_it() -> None:
        fake.override = Reply.json({"title": "Service Unavailable", "detail": "Service Unavailable",
                                    "type": "about:blank", "status": 503}, 503)

    toml = f"""
[[sources]]
id = "x"
type = "x"
workspace = "brioche"
label = "X · @BriocheAndCo"
base_url = "{server.url}"
user_id = "1500"
tier = "basic"
token = "env:CMINBOX_TEST_X_TOKEN"
"""
    return Installed(toml, 3, add_new, break_it, env={"CMINBOX_TEST_X_TOKEN": X_TOKEN}, keys=("x",))
