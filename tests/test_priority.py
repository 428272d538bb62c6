"""Priority from facts: repeat contacts, business hours, and the reasons in words."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cminbox.hours import BusinessHours, HoursError
from cminbox.store import Store
from cminbox.triage.labels import signed_sentiment
from cminbox.triage.priority import ordinal, priority
from cminbox.triage.score import score_message
from conftest import make_message

PARIS = ZoneInfo("Europe/Paris")


def at(*args) -> float:
    return datetime(*args, tzinfo=PARIS).timestamp()


@pytest.fixture
def shop(tmp_path):
    s = Store(tmp_path / "shop.db")
    s.ensure_workspace("shop", "Shop", 60, business_hours="Mon-Fri 09:00-18:00", timezone="Europe/Paris")
    s.register_source("feed", "shop", "test", "feed")
    yield s
    s.close()


def _facts(store: Store, mid: int) -> list[str]:
    return [text for text, _ in json.loads(store.message(mid).facts)]


def test_the_third_message_of_the_day_from_one_person_ranks_higher(shop):
    text = "Toujours pas reçu ma commande, c'est inadmissible"
    day = [make_message(native_id=f"d{i}", text=text, author_handle="@julie", created_at=at(2025, 11, 24, 10 + i)) for i in range(3)]
    ids = shop.ingest("feed", day).new_ids
    weights = [shop.message(i).weight for i in ids]
    assert weights[0] < weights[1] < weights[2]
    assert "3rd message from this person today" in _facts(shop, ids[2])
    assert not any("message from this person" in f for f in _facts(shop, ids[0]))
    # The next day starts again, and another person's messages never count.
    [tomorrow] = shop.ingest("feed", [make_message(native_id="t", text=text, author_handle="@julie", created_at=at(2025, 11, 25, 10))]).new_ids
    [stranger] = shop.ingest("feed", [make_message(native_id="s", text=text, author_handle="@marc", created_at=at(2025, 11, 24, 13))]).new_ids
    assert shop.message(tomorrow).weight == weights[0] == shop.message(stranger).weight


def test_repeat_contacts_count_across_batches_and_refetches(shop):
    text = "Toujours pas reçu ma commande"
    shop.ingest("feed", [make_message(native_id="a", text=text, author_handle="@l", created_at=at(2025, 11, 24, 9, 30))])
    [second] = shop.ingest("feed", [make_message(native_id="b", text=text, author_handle="@l", created_at=at(2025, 11, 24, 11))]).new_ids
    assert "2nd message from this person today" in _facts(shop, second)
    # Fetching the same message again must not count it twice.
    shop.ingest("feed", [make_message(native_id="b", text=text + " !", author_handle="@l", created_at=at(2025, 11, 24, 11))])
    assert "2nd message from this person today" in _facts(shop, second)


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Montreal", "Pacific/Kiritimati"])
def test_repeat_contacts_follow_the_local_day_across_utc_days(tmp_path, zone):
    """The author index is kept by UTC day: a local day that spans two UTC days counts whole,
    and the evening before, on the same UTC day as its first minutes, does not count."""
    local = ZoneInfo(zone)

    def when(*args) -> float:
        return datetime(*args, tzinfo=local).timestamp()

    store = Store(tmp_path / "zone.db")
    store.ensure_workspace("w", "W", 60, timezone=zone)
    store.register_source("feed", "w", "test", "feed")
    text = "Toujours pas reçu ma commande"
    ids = {}
    for native, created in [("eve", when(2025, 11, 23, 23, 50)), ("early", when(2025, 11, 24, 0, 10)),
                            ("late", when(2025, 11, 24, 23, 50)), ("next", when(2025, 11, 25, 0, 10))]:  # fmt: skip
        # one batch each: the earlier ones are read back from the database
        [ids[native]] = store.ingest("feed", [make_message(native_id=native, text=text, author_handle="@l", created_at=created)]).new_ids
    assert int(store.message(ids["early"]).created_at // 86400) != int(store.message(ids["late"]).created_at // 86400)
    assert not any("message from this person" in f for f in _facts(store, ids["early"]))
    assert "2nd message from this person today" in _facts(store, ids["late"])
    assert not any("message from this person" in f for f in _facts(store, ids["next"]))
    store.close()


def test_a_complaint_after_hours_starts_its_clock_at_the_next_opening(shop, in_paris):
    text = "Toujours pas reçu ma commande, c'est inadmissible"
    friday_night = at(2025, 11, 21, 23, 10)
    monday_morning = at(2025, 11, 24, 8, 50)
    ids = shop.ingest("feed", [make_message(native_id="f", text=text, created_at=friday_night),
                               make_message(native_id="m", text=text, created_at=monday_morning)]).new_ids  # fmt: skip
    opening = at(2025, 11, 24, 9, 0)
    for mid in ids:
        message = shop.message(mid)
        urgency = shop.conn.execute("SELECT urgency FROM messages WHERE id = ?", (mid,)).fetchone()[0]
        assert urgency == pytest.approx(opening - message.weight * 60)
        assert "arrived outside business hours: clock started Mon 09:00" in _facts(shop, mid)
    [inside] = shop.ingest("feed", [make_message(native_id="i", text=text, created_at=at(2025, 11, 24, 10))]).new_ids
    assert not any("outside business hours" in f for f in _facts(shop, inside))


def test_business_hours_count_only_open_minutes():
    hours = BusinessHours.parse("Mon-Fri 09:00-18:00, Sat 10h-16h", "Europe/Paris")
    assert hours.add_open_minutes(at(2025, 11, 24, 17, 30), 60) == at(2025, 11, 25, 9, 30)
    assert hours.clock_start(at(2025, 11, 22, 17, 0)) == at(2025, 11, 24, 9, 0)  # Saturday after closing
    assert hours.is_open(at(2025, 11, 22, 11, 0)) and not hours.is_open(at(2025, 11, 23, 11, 0))
    always = BusinessHours.parse("", "UTC")
    assert always.always_open and always.clock_start(123.0) == 123.0
    assert BusinessHours.parse("lun-ven 9h-18h", "America/Montreal").spans[4] == [(540, 1080)]


@pytest.mark.parametrize("spec", ["Mon-Fri", "Mon-Fri 18:00-09:00", "Funday 09:00-18:00", "Mon 25:00-26:00"])
def test_bad_business_hours_are_explained(spec):
    with pytest.raises(HoursError):
        BusinessHours.parse(spec, "Europe/Paris")
    with pytest.raises(HoursError):
        BusinessHours.parse("Mon-Fri 09:00-18:00", "Mars/Olympus")


def test_each_fact_is_said_in_words_with_its_minutes():
    rank = priority(
        complaint_score=0.91, sentiment=-0.6, sentiment_label="negative", cues=("refund", "still waiting"),
        rating=None, kind="dm", reach=12_000, repeat=2,
    )  # fmt: skip
    words = dict(rank.facts)
    assert words["complaint (91% sure)"] == 0
    assert words["negative −0.60"] == pytest.approx(18.0)
    assert words["cue 'refund', 'still waiting'"] == 25.0
    assert words["DM"] == 15.0 and words["12.0k followers"] == pytest.approx(20.4, abs=0.1)
    assert words["3rd message from this person today"] == 20.0
    assert rank.weight == pytest.approx(sum(words.values()))
    spam = priority(complaint_score=0.9, sentiment=-0.5, sentiment_label="negative", cues=(), rating=None,
                    kind="dm", reach=100, spam=True)  # fmt: skip
    assert spam.weight == 0 and spam.facts[0][0] == "spam or abuse"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]


def test_the_reach_fact_is_worked_out_per_reach_and_type():
    # The reach fact is remembered per reach: a float reach (from a JSON payload) must not be
    # answered with the int's words, nor the other way round.
    def reach_fact(reach):
        rank = priority(complaint_score=0.1, sentiment=0.0, sentiment_label="neutral", cues=(), rating=None,
                        kind="mention", reach=reach)  # fmt: skip
        return rank.facts[-1]

    assert reach_fact(500) == ("500 followers", pytest.approx(13.5))
    assert reach_fact(500.0) == ("500.0 followers", pytest.approx(13.5))
    assert reach_fact(500) == ("500 followers", pytest.approx(13.5))
    assert reach_fact(2_000_000)[0] == "2.0M followers" and reach_fact(2_000_000)[1] == 30.0


def test_facts_are_stored_as_a_json_list_of_fact_and_minutes(shop, in_paris):
    text = "Toujours pas reçu ma commande, c'est inadmissible"
    ids = shop.ingest("feed", [make_message(native_id=n, text=text, created_at=at(2025, 11, 21, 23, 10))
                               for n in ("a", "b")]).new_ids  # fmt: skip
    scored = score_message(text, kind="mention", reach=100)
    for mid in ids:  # the second one's facts come from the memo of encoded facts
        stored = shop.conn.execute("SELECT facts FROM messages WHERE id = ?", (mid,)).fetchone()[0]
        expected = [[fact, minutes] for fact, minutes in scored.facts]
        expected.append(["arrived outside business hours: clock started Mon 09:00", 0.0])
        assert stored == json.dumps(expected, ensure_ascii=False)
        assert all(isinstance(minutes, float) for _, minutes in json.loads(stored))


def test_a_sentiment_a_hair_below_zero_reads_plus_zero_not_minus_zero():
    rank = priority(complaint_score=0.1, sentiment=-0.004, sentiment_label="neutral", cues=(), rating=None, kind="comment", reach=None)
    assert dict(rank.facts)["neutral +0.00"] == 0.0  # and it adds no minutes
    assert signed_sentiment(-0.72) == "−0.72" and signed_sentiment(0.5) == "+0.50"


def test_a_clock_start_in_another_time_zone_names_it_and_says_the_time_here(in_paris):
    # An agency CM in Paris on a Montréal brand: "the clock started Mon 09:00" is Montréal's
    # 9:00, beside a deadline in Paris time. The zone and the local time are said.
    monday_9_montreal = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("America/Toronto")).timestamp()
    assert BusinessHours.parse("Mon-Fri 09:00-18:00", "America/Toronto").describe_start(monday_9_montreal) == \
        "Mon 09:00 EST (15:00 here)"
    monday_9_paris = datetime(2026, 11, 23, 9, 0, tzinfo=PARIS).timestamp()
    assert BusinessHours.parse("Mon-Fri 09:00-18:00", "Europe/Paris").describe_start(monday_9_paris) == "Mon 09:00"
