"""The terminal bell: a bad buzz rings it; with `bell = "complaints"`, so does a complaint that
arrives (not one marked by hand, nor those open at start), at most once a minute."""

from __future__ import annotations

from dataclasses import replace

import pytest

from appkit import NOW, SIZE, buzzing_store, complaints, fixed_store, make_app, settle
from cminbox.bell import COMPLAINT_BELL_SECONDS, Bell
from cminbox.app import InboxApp
from cminbox.config import Config, ConfigError, parse


class Row:
    def __init__(self, id: int) -> None:
        self.id = id


def test_complaints_ring_for_an_arrival_not_for_what_was_there_and_once_a_minute():
    rang, now = [], [0.0]
    bell = Bell("complaints", lambda: rang.append(now[0]), clock=lambda: now[0])
    bell.triage([Row(3), Row(7)], newest_id=10)  # the first look: what is open at start rings nothing
    bell.triage([Row(3), Row(7)], newest_id=12)  # two new messages, neither a complaint
    bell.triage([Row(3), Row(7), Row(2)], newest_id=12)  # an old message marked a complaint by hand
    assert rang == []
    bell.triage([Row(13), Row(3)], newest_id=13)
    now[0] = COMPLAINT_BELL_SECONDS - 1
    bell.triage([Row(14), Row(13)], newest_id=14)  # a bad buzz brings dozens: one ring a minute
    now[0] = COMPLAINT_BELL_SECONDS + 1
    bell.triage([Row(15), Row(14)], newest_id=15)
    assert rang == [0.0, COMPLAINT_BELL_SECONDS + 1]


@pytest.mark.parametrize("setting, buzz, complaint", [("buzz", 1, 0), ("complaints", 1, 1), ("off", 0, 0)])
def test_what_each_setting_rings_for(setting, buzz, complaint):
    rang = []
    bell = Bell(setting, lambda: rang.append("buzz"))
    bell.buzz()
    assert len(rang) == buzz
    rang.clear()
    bell = Bell(setting, lambda: rang.append("complaint"))  # (a buzz's ring covers the minute after it)
    bell.triage([], newest_id=1)
    bell.triage([Row(2)], newest_id=2)
    assert len(rang) == complaint


def test_the_setting_is_read_from_the_config_and_a_wrong_one_is_said():
    assert Config().bell == "buzz"
    assert parse({"bell": "complaints"}, None, "").bell == "complaints"
    with pytest.raises(ConfigError, match='bell is "buzz".*"complaints".*"off", not \'loud\''):
        parse({"bell": "loud"}, None, "")


async def test_a_bad_buzz_rings_the_bell_in_the_app(tmp_path, monkeypatch):
    store = buzzing_store(tmp_path / "buzz.db")
    rang = []
    monkeypatch.setattr(InboxApp, "bell", lambda self: rang.append("bell"))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert rang == []
        app.check_buzz_now()
        await settle(pilot)
        assert app.buzz_alert is not None and rang == ["bell"]
    store.close()


async def test_a_complaint_that_arrives_rings_the_bell_when_asked(tmp_path, monkeypatch):
    store = fixed_store(tmp_path / "inbox.db")
    rang = []
    monkeypatch.setattr(InboxApp, "bell", lambda self: rang.append("bell"))
    app = make_app(store, config=Config(bell="complaints"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert rang == []  # the complaints open at start ring nothing
        calm = replace(complaints()[0], native_id="calm", text="Merci pour la livraison rapide !")
        store.ingest("demo", [calm], cursor="c1", now=NOW)
        app.check_for_changes()
        await settle(pilot)
        assert rang == []
        angry = replace(complaints()[1], native_id="new-c", created_at=NOW - 30)
        store.ingest("demo", [angry], cursor="c2", now=NOW)
        app.check_for_changes()
        await settle(pilot)
        assert rang == ["bell"]
    store.close()


async def test_a_buzz_already_on_when_the_app_opens_rings_no_bell(tmp_path, monkeypatch):
    # Reopening the app (or switching to the brand) during a buzz shows its banner; the bell is
    # for a buzz that starts while the CM is away from the window, not at every start.
    store = buzzing_store(tmp_path / "buzz.db")
    first = make_app(store)
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first.check_buzz_now()
        await settle(pilot)
        assert first.buzz_alert is not None
    rang = []
    monkeypatch.setattr(InboxApp, "bell", lambda self: rang.append("bell"))
    app = make_app(store, clock=lambda: NOW + 60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.check_buzz_now()
        await settle(pilot)
        assert app.buzz_alert is not None and rang == []
    store.close()
