from __future__ import annotations

from datetime import datetime

import pytest

from cminbox.snooze import NotUnderstood, Reading, SnoozeError, describe, parse, presets, read
from cminbox.timefmt import age, clock_time, countdown, long_age, long_ago, long_in

NOW = datetime(2026, 11, 25, 14, 30)  # a Wednesday


@pytest.mark.parametrize("seconds, text", [(5, "now"), (61, "1m"), (3599, "60m"), (3600, "1h"), (90000, "1d"), (8 * 86400, "1w"), (400 * 86400, "1y")])
def test_age(seconds, text):
    assert age(seconds) == text


@pytest.mark.parametrize(
    "seconds, text",
    [
        (12 * 60, "12m"), (-41 * 60, "−41m"), (3900, "1h05"), (-2 * 86400, "−2d"),
        (59, "0m"), (-30, "−1m"), (-1, "−1m"), (-(3600 + 30), "−1h01"), (-(40 * 60 + 1), "−41m"),
    ],
)
def test_countdown(seconds, text):
    assert countdown(seconds) == text


def test_long_age():
    assert long_age(41 * 60) == "41 min"
    assert long_age(3 * 3600 + 20 * 60) == "3 h 20 min"


def test_deadlines_and_pasts_in_words_read_as_sentences():
    """Under a minute, the words are not "in just now" nor "just now ago"."""
    assert long_in(30) == "in under a minute"
    assert long_in(41 * 60) == "in 41 min"
    assert long_ago(30) == "just now"
    assert long_ago(2 * 86400) == "2 days ago"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("45m", datetime(2026, 11, 25, 15, 15)),
        ("2h", datetime(2026, 11, 25, 16, 30)),
        ("1,5 h", datetime(2026, 11, 25, 16, 0)),
        ("3d", datetime(2026, 11, 28, 14, 30)),
        ("dans 2 heures", datetime(2026, 11, 25, 16, 30)),
        ("17:30", datetime(2026, 11, 25, 17, 30)),
        ("9h", datetime(2026, 11, 26, 9, 0)),  # past, and tomorrow 9:00 is a working time: not 23:30
        ("dans 9h", datetime(2026, 11, 25, 23, 30)),
        ("à 9h", datetime(2026, 11, 26, 9, 0)),  # a time already past today: tomorrow
        ("9h30", datetime(2026, 11, 26, 9, 30)),
        ("tomorrow 9:00", datetime(2026, 11, 26, 9, 0)),
        ("demain 14h", datetime(2026, 11, 26, 14, 0)),
        ("demain", datetime(2026, 11, 26, 9, 0)),
        # French times of day, and the presets' own words in French and English
        ("17h", datetime(2026, 11, 25, 17, 0)),  # from 13h on, a bare "Nh" is a time of day
        ("13h", datetime(2026, 11, 26, 13, 0)),  # already past today: tomorrow
        ("24h", datetime(2026, 11, 26, 14, 30)),  # no such hour: a duration
        ("dans 1h30", datetime(2026, 11, 25, 16, 0)),
        ("in 2h15", datetime(2026, 11, 25, 16, 45)),
        ("Demain 9H", datetime(2026, 11, 26, 9, 0)),
        ("ce soir", datetime(2026, 11, 25, 18, 0)),
        ("this evening", datetime(2026, 11, 25, 18, 0)),
        ("demain matin", datetime(2026, 11, 26, 9, 0)),
        ("tomorrow evening", datetime(2026, 11, 26, 18, 0)),
        ("lundi", datetime(2026, 11, 30, 9, 0)),
        ("lundi prochain 14h30", datetime(2026, 11, 30, 14, 30)),
        ("next monday", datetime(2026, 11, 30, 9, 0)),
        ("mercredi", datetime(2026, 12, 2, 9, 0)),  # on a Wednesday: the next one
        ("vendredi matin", datetime(2026, 11, 27, 9, 0)),
        ("jeudi à 8h", datetime(2026, 11, 26, 8, 0)),
    ],
)
def test_parse_snooze(typed, expected):
    assert parse(typed, NOW) == expected


@pytest.mark.parametrize(
    "typed, expected",
    [
        # am/pm, alone or after a day or a part of the day
        ("5pm", datetime(2026, 11, 25, 17, 0)),
        ("5 PM", datetime(2026, 11, 25, 17, 0)),
        ("9:30am", datetime(2026, 11, 26, 9, 30)),  # already past today: tomorrow
        ("12pm", datetime(2026, 11, 26, 12, 0)),
        ("12am", datetime(2026, 11, 26, 0, 0)),
        ("tomorrow 9am", datetime(2026, 11, 26, 9, 0)),
        ("tonight 8pm", datetime(2026, 11, 25, 20, 0)),
        ("tonight 8", datetime(2026, 11, 25, 20, 0)),  # the evening says which 8
        # today, said outright
        ("ce soir 20h", datetime(2026, 11, 25, 20, 0)),
        ("ce soir à 20h30", datetime(2026, 11, 25, 20, 30)),
        ("ce soir 8h", datetime(2026, 11, 25, 20, 0)),
        ("aujourd'hui 16h", datetime(2026, 11, 25, 16, 0)),
        ("aujourd’hui à 16h", datetime(2026, 11, 25, 16, 0)),
        ("aujourdhui 16h", datetime(2026, 11, 25, 16, 0)),
        ("today 4pm", datetime(2026, 11, 25, 16, 0)),
        ("today at 17:15", datetime(2026, 11, 25, 17, 15)),
        ("17 heures", datetime(2026, 11, 25, 17, 0)),
        ("à 17 heures 30", datetime(2026, 11, 25, 17, 30)),
        ("tonight", datetime(2026, 11, 25, 18, 0)),
        # parts of the day, with or without accents
        ("demain après-midi", datetime(2026, 11, 26, 14, 0)),
        ("demain apres-midi", datetime(2026, 11, 26, 14, 0)),
        ("tomorrow afternoon", datetime(2026, 11, 26, 14, 0)),
        ("demain midi", datetime(2026, 11, 26, 12, 0)),
        ("demain matin 10h", datetime(2026, 11, 26, 10, 0)),
        ("a 9h", datetime(2026, 11, 26, 9, 0)),
        ("après-demain", datetime(2026, 11, 27, 9, 0)),
        ("apres-demain 14h", datetime(2026, 11, 27, 14, 0)),
        # weeks, days, and "an hour" in words
        ("1 semaine", datetime(2026, 12, 2, 14, 30)),
        ("2 semaines", datetime(2026, 12, 9, 14, 30)),
        ("dans une semaine", datetime(2026, 12, 2, 14, 30)),
        ("in 2 weeks", datetime(2026, 12, 9, 14, 30)),
        ("a week", datetime(2026, 12, 2, 14, 30)),
        ("1w", datetime(2026, 12, 2, 14, 30)),
        ("dans 3 jours", datetime(2026, 11, 28, 14, 30)),
        ("in 3 days", datetime(2026, 11, 28, 14, 30)),
        ("dans une heure", datetime(2026, 11, 25, 15, 30)),
        ("in an hour", datetime(2026, 11, 25, 15, 30)),
        ("90 min", datetime(2026, 11, 25, 16, 0)),
        ("1h30min", datetime(2026, 11, 25, 16, 0)),  # minutes said: a duration
        # next week: its Monday morning, like the "next Monday" choice
        ("next week", datetime(2026, 11, 30, 9, 0)),
        ("la semaine prochaine", datetime(2026, 11, 30, 9, 0)),
        ("semaine prochaine", datetime(2026, 11, 30, 9, 0)),
        # weekdays in both languages, with or without a time
        ("friday", datetime(2026, 11, 27, 9, 0)),
        ("Vendredi", datetime(2026, 11, 27, 9, 0)),
        ("friday 2pm", datetime(2026, 11, 27, 14, 0)),
        ("friday at 2:30pm", datetime(2026, 11, 27, 14, 30)),
        ("vendredi 14h", datetime(2026, 11, 27, 14, 0)),
        ("vendredi à 14h30", datetime(2026, 11, 27, 14, 30)),
        ("this friday", datetime(2026, 11, 27, 9, 0)),
        ("ce vendredi", datetime(2026, 11, 27, 9, 0)),
        ("next friday 14h", datetime(2026, 11, 27, 14, 0)),
        ("mardi prochain à 10h", datetime(2026, 12, 1, 10, 0)),
        ("monday morning", datetime(2026, 11, 30, 9, 0)),
        ("samedi soir", datetime(2026, 11, 28, 18, 0)),
        ("sunday evening 7pm", datetime(2026, 11, 29, 19, 0)),
        ("jeudi après-midi", datetime(2026, 11, 26, 14, 0)),
    ],
)
def test_parse_snooze_reads_am_pm_today_weeks_and_weekdays(typed, expected):
    assert parse(typed, NOW) == expected


@pytest.mark.parametrize(
    "now, typed, expected",
    [
        # the user's case: "1h30" typed at midday is an hour and a half, not 1:30 at night
        (datetime(2026, 11, 25, 12, 0), "1h30", datetime(2026, 11, 25, 13, 30)),
        (datetime(2026, 11, 25, 12, 0), "1 h 30", datetime(2026, 11, 25, 13, 30)),
        (datetime(2026, 11, 25, 14, 30), "6h45", datetime(2026, 11, 25, 21, 15)),
        (datetime(2026, 11, 25, 14, 30), "0h45", datetime(2026, 11, 25, 15, 15)),
        # a clock time still ahead today is that time
        (datetime(2026, 11, 25, 0, 15), "1h30", datetime(2026, 11, 25, 1, 30)),
        (datetime(2026, 11, 25, 8, 0), "9h", datetime(2026, 11, 25, 9, 0)),
        (datetime(2026, 11, 25, 10, 0), "11h", datetime(2026, 11, 25, 11, 0)),
        (datetime(2026, 11, 25, 10, 0), "11h30", datetime(2026, 11, 25, 11, 30)),
        # past, from 7:00 on: a working morning tomorrow
        (datetime(2026, 11, 25, 14, 30), "7h30", datetime(2026, 11, 26, 7, 30)),
        (datetime(2026, 11, 25, 14, 30), "9h30", datetime(2026, 11, 26, 9, 30)),
        (datetime(2026, 11, 25, 14, 30), "9h", datetime(2026, 11, 26, 9, 0)),
        (datetime(2026, 11, 25, 16, 0), "10h", datetime(2026, 11, 26, 10, 0)),
        # past, before 7:00: a duration
        (datetime(2026, 11, 25, 14, 30), "2h", datetime(2026, 11, 25, 16, 30)),
        (datetime(2026, 11, 25, 14, 30), "6h", datetime(2026, 11, 25, 20, 30)),
        # what was never ambiguous stays as it was
        (datetime(2026, 11, 25, 18, 0), "17h", datetime(2026, 11, 26, 17, 0)),
        (datetime(2026, 11, 25, 12, 0), "à 1h30", datetime(2026, 11, 26, 1, 30)),  # "à": a time
        (datetime(2026, 11, 25, 12, 0), "1:30", datetime(2026, 11, 26, 1, 30)),
        (datetime(2026, 11, 25, 0, 15), "dans 1h30", datetime(2026, 11, 25, 1, 45)),
    ],
)
def test_a_bare_1h30_is_what_a_cm_most_likely_meant(now, typed, expected):
    assert parse(typed, now) == expected


def test_a_bare_1h30_read_one_way_says_how_to_type_the_other():
    noon = NOW.replace(hour=12, minute=0)
    assert read("1h30", noon) == Reading(datetime(2026, 11, 25, 13, 30), "read as a duration; à 1h30 means tomorrow 01:30")
    assert read("9h30", NOW).other == "read as a time; dans 9h30 means in 9 h 30 min"
    assert read("9h", NOW.replace(hour=8, minute=0)).other == "read as a time; dans 9h means in 9 h"
    assert read("9h", NOW).other == "read as a time; dans 9h means in 9 h"
    assert read("2h", NOW).other == "read as a duration; à 2h means tomorrow 02:00"
    for plain in ("17h", "dans 1h30", "à 1h30", "45m", "demain 9h"):  # nothing else to mean
        assert read(plain, noon).other == "", plain


def test_describe_says_the_day_the_time_and_how_long_until():
    assert describe(datetime(2026, 11, 25, 16, 0), NOW) == "today 16:00 (in 1 h 30 min)"
    assert describe(datetime(2026, 11, 26, 1, 30), NOW) == "tomorrow 01:30 (in 11 h)"
    assert describe(datetime(2026, 11, 30, 9, 0), NOW) == "Mon 09:00 (in 4 days)"
    assert describe(datetime(2026, 12, 9, 14, 30), NOW) == "Wed 9 Dec 14:30 (in 14 days)"


# Named "nows" for the phrases a CM says of a part of the day: what they mean depends on the hour.
WED_8 = datetime(2026, 11, 25, 8, 0)  # a Wednesday morning, before 9:00
WED_10 = datetime(2026, 11, 25, 10, 0)
WED_1834 = datetime(2026, 11, 25, 18, 34)  # the evening has begun
SUN_10 = datetime(2026, 11, 29, 10, 0)  # a Sunday
SUN_19 = datetime(2026, 11, 29, 19, 0)
REFUSED = None  # refused with a reason: the time said is today's, and already past


def _check(now, typed, expected):
    if expected is REFUSED:
        with pytest.raises(SnoozeError, match="already past"):
            parse(typed, now)
    else:
        assert parse(typed, now) == expected, typed


@pytest.mark.parametrize(
    "now, typed, expected",
    [
        # "à soir", "à matin": everyday Québec French for "ce soir", "ce matin": today's, refused once past
        (WED_10, "à soir", datetime(2026, 11, 25, 18, 0)),
        (WED_10, "a soir", datetime(2026, 11, 25, 18, 0)),
        (WED_1834, "à soir", REFUSED),  # not tomorrow 18:00, a day late
        (WED_1834, "À soir", REFUSED),
        (SUN_10, "à soir", datetime(2026, 11, 29, 18, 0)),
        (SUN_19, "à soir", REFUSED),
        (WED_1834, "à soir 21h", datetime(2026, 11, 25, 21, 0)),
        (WED_10, "à soir 8h", datetime(2026, 11, 25, 20, 0)),
        (WED_8, "à matin", datetime(2026, 11, 25, 9, 0)),
        (WED_10, "à matin", REFUSED),
        (WED_1834, "ce soir", REFUSED),  # as it always was
        # "dans la soirée", "en soirée", "in the evening": today's evening, refused while it is under way
        (WED_10, "dans la soirée", datetime(2026, 11, 25, 18, 0)),
        (WED_10, "dans la soiree", datetime(2026, 11, 25, 18, 0)),
        (WED_10, "en soirée", datetime(2026, 11, 25, 18, 0)),
        (WED_10, "in the evening", datetime(2026, 11, 25, 18, 0)),
        (WED_1834, "dans la soirée", REFUSED),
        (WED_1834, "in the evening", REFUSED),
        (SUN_19, "en soirée", REFUSED),
        (WED_8, "dans la matinée", datetime(2026, 11, 25, 9, 0)),
        (WED_10, "dans l'après-midi", datetime(2026, 11, 25, 14, 0)),
        (WED_1834, "in the morning", datetime(2026, 11, 26, 9, 0)),  # the morning is over: tomorrow's
        (WED_1834, "demain dans la soirée", datetime(2026, 11, 26, 18, 0)),
        # "à midi" is a time (as "à 9h" is): today's, or tomorrow's once past
        (WED_10, "midi", datetime(2026, 11, 25, 12, 0)),
        (WED_10, "à midi", datetime(2026, 11, 25, 12, 0)),
        (WED_10, "noon", datetime(2026, 11, 25, 12, 0)),
        (WED_1834, "à midi", datetime(2026, 11, 26, 12, 0)),
        (WED_1834, "at noon", datetime(2026, 11, 26, 12, 0)),
        (WED_1834, "ce midi", REFUSED),
        # already understood, kept so
        (WED_10, "cet aprem", datetime(2026, 11, 25, 14, 0)),
        (WED_10, "cet aprèm", datetime(2026, 11, 25, 14, 0)),
        (WED_1834, "cet aprem", REFUSED),
        (WED_1834, "demain soir", datetime(2026, 11, 26, 18, 0)),
        (SUN_19, "demain soir", datetime(2026, 11, 30, 18, 0)),
        (SUN_10, "lundi après-midi", datetime(2026, 11, 30, 14, 0)),
        (WED_1834, "next monday", datetime(2026, 11, 30, 9, 0)),
        (WED_1834, "lundi prochain", datetime(2026, 11, 30, 9, 0)),
        # on a Sunday, the coming Monday, as the "next Monday" choice: the preview says "tomorrow"
        (SUN_10, "lundi prochain", datetime(2026, 11, 30, 9, 0)),
        (SUN_19, "next monday", datetime(2026, 11, 30, 9, 0)),
    ],
)
def test_a_part_of_the_day_said_to_be_todays_is_today(now, typed, expected):
    _check(now, typed, expected)


@pytest.mark.parametrize(
    "now, typed, expected",
    [
        # "am", "pm", "avant-midi": a morning and an afternoon, as Québec CMs write them
        (WED_10, "lundi pm", datetime(2026, 11, 30, 14, 0)),
        (SUN_10, "lundi PM", datetime(2026, 11, 30, 14, 0)),  # on a Sunday: tomorrow
        (WED_1834, "demain am", datetime(2026, 11, 26, 9, 0)),
        (SUN_19, "demain am", datetime(2026, 11, 30, 9, 0)),
        (WED_1834, "demain avant-midi", datetime(2026, 11, 26, 9, 0)),
        (WED_10, "vendredi pm 3h", datetime(2026, 11, 27, 15, 0)),  # the afternoon says which 3
        (WED_10, "demain am 10h30", datetime(2026, 11, 26, 10, 30)),
        (WED_10, "cet am", REFUSED),
        (WED_10, "ce pm", datetime(2026, 11, 25, 14, 0)),
        (WED_1834, "ce pm", REFUSED),
        (WED_1834, "pm", datetime(2026, 11, 26, 14, 0)),
        (WED_8, "am", datetime(2026, 11, 25, 9, 0)),  # not "a m", a minute
        (WED_1834, "am", datetime(2026, 11, 26, 9, 0)),
        # "5pm", "9 am" are still clock times
        (WED_10, "5pm", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "demain 9 am", datetime(2026, 11, 26, 9, 0)),
    ],
)
def test_am_and_pm_alone_are_a_morning_and_an_afternoon(now, typed, expected):
    _check(now, typed, expected)


@pytest.mark.parametrize(
    "now, typed, expected",
    [
        # the end of the working day, 17:00: today's, or tomorrow's once past
        (WED_10, "en fin de journée", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "fin de journee", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "end of day", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "EOD", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "by end of the day", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "à la fin de la journée", datetime(2026, 11, 25, 17, 0)),
        (WED_1834, "en fin de journée", datetime(2026, 11, 26, 17, 0)),
        (WED_1834, "eod", datetime(2026, 11, 26, 17, 0)),
        (SUN_19, "fin de journée", datetime(2026, 11, 30, 17, 0)),
        (WED_1834, "demain en fin de journée", datetime(2026, 11, 26, 17, 0)),
        (WED_10, "vendredi eod", datetime(2026, 11, 27, 17, 0)),
        (WED_1834, "aujourd'hui en fin de journée", REFUSED),
        # the end of the morning (11:00) and of the afternoon (17:00); their start, as the part itself
        (WED_10, "en fin de matinée", datetime(2026, 11, 25, 11, 0)),
        (WED_1834, "en fin de matinée", datetime(2026, 11, 26, 11, 0)),
        (WED_1834, "demain en fin de matinée", datetime(2026, 11, 26, 11, 0)),
        (WED_10, "late morning", datetime(2026, 11, 25, 11, 0)),
        (WED_10, "fin d'après-midi", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "en fin d'aprem", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "late afternoon", datetime(2026, 11, 25, 17, 0)),
        (WED_10, "lundi en fin d'avant-midi", datetime(2026, 11, 30, 11, 0)),
        (WED_10, "en début d'après-midi", datetime(2026, 11, 25, 14, 0)),
        (WED_10, "demain en début de matinée", datetime(2026, 11, 26, 9, 0)),
        (WED_10, "cette fin d'après-midi", datetime(2026, 11, 25, 17, 0)),
        (WED_1834, "cette fin d'après-midi", REFUSED),  # said to be today's
    ],
)
def test_the_end_of_a_part_of_the_day(now, typed, expected):
    _check(now, typed, expected)


@pytest.mark.parametrize("typed", ["dans la journée", "day", "fin de soirée", "fin de midi", "fin de semaine", "end of week"])
def test_what_has_no_time_of_its_own_is_not_understood(typed):
    """No time to name: "dans la journée" (when in it?), "fin de semaine" (Friday in France, the
    weekend in Québec)."""
    with pytest.raises(NotUnderstood):
        parse(typed, WED_10)


SAT_8 = datetime(2026, 11, 28, 8, 0)
SAT_10 = datetime(2026, 11, 28, 10, 0)


@pytest.mark.parametrize(
    "now, typed, expected",
    [
        # this weekend: its first morning still ahead, at 9:00 or the time said
        (WED_10, "this weekend", datetime(2026, 11, 28, 9, 0)),
        (WED_1834, "ce week-end", datetime(2026, 11, 28, 9, 0)),
        (WED_10, "ce weekend", datetime(2026, 11, 28, 9, 0)),
        (WED_10, "le week-end", datetime(2026, 11, 28, 9, 0)),
        (WED_10, "weekend", datetime(2026, 11, 28, 9, 0)),
        (WED_10, "ce week-end 14h", datetime(2026, 11, 28, 14, 0)),
        (WED_10, "this weekend at 11am", datetime(2026, 11, 28, 11, 0)),
        (SAT_8, "ce week-end", datetime(2026, 11, 28, 9, 0)),
        (SAT_10, "ce week-end", datetime(2026, 11, 29, 9, 0)),  # Saturday's 9:00 is past: Sunday's
        (SUN_10, "ce week-end 14h", datetime(2026, 11, 29, 14, 0)),
        (SUN_10, "ce week-end", REFUSED),  # not next Saturday, a week late
        (SUN_19, "this weekend", REFUSED),
    ],
)
def test_this_weekend_is_its_first_morning_still_ahead(now, typed, expected):
    _check(now, typed, expected)


def test_this_afternoon_is_today():
    noon = NOW.replace(hour=12, minute=0)
    for typed in ("cet après-midi", "cet apres-midi", "this afternoon", "cet aprem"):
        assert parse(typed, noon) == datetime(2026, 11, 25, 14, 0), typed


@pytest.mark.parametrize("typed", ["aujourd'hui 9h", "today 8am", "cet après-midi", "ce matin", "this morning"])
def test_a_time_said_to_be_today_is_refused_once_past(typed):
    """At 14:30, "aujourd'hui 9h" is no 9:00 tomorrow: a time the CM said is today stays today."""
    with pytest.raises(SnoozeError, match="already past"):
        parse(typed, NOW)


@pytest.mark.parametrize("typed", ["13pm", "0am", "5pm 6pm", "demain demain", "tomorrow monday", "next", "semaine",
                                   "ce soir matin", "vendredi 25h", "in 2 fortnights"])
def test_parse_snooze_refuses_what_the_grammar_does_not_say(typed):
    with pytest.raises(SnoozeError):
        parse(typed, NOW)


@pytest.mark.parametrize("typed", ["", "soon", "25:00", "0m", "0h", "9999d", "lundi 25h", "demain plus tard", "9h75"])
def test_parse_snooze_refuses_nonsense(typed):
    with pytest.raises(SnoozeError):
        parse(typed, NOW)


def test_presets_are_all_in_the_future():
    choices = presets(NOW)
    assert [c.label for c in choices][:3] == ["in 1 hour", "in 3 hours", "this evening"]
    assert all(c.until > NOW for c in choices)
    later = presets(NOW.replace(hour=16))  # the evening (18:00) before "in 3 hours" (19:00)
    assert [c.label for c in later][:3] == ["in 1 hour", "this evening", "in 3 hours"]
    assert [c.until for c in later] == sorted(c.until for c in later)
    assert choices[-1].until.weekday() == 0  # next Monday


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Montreal", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"])
def test_day_start_is_local_midnight_across_daylight_saving(zone):
    """day_start remembers its answers per quarter hour: still exact through DST changes and in
    zones half or three quarters of an hour off UTC (Lord Howe shifts by 30 minutes)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from cminbox.hours import BusinessHours

    hours = BusinessHours.parse(None, zone)
    tz = ZoneInfo(zone)
    ts = datetime(2026, 1, 1, tzinfo=tz).timestamp()
    end = ts + 366 * 86400
    while ts < end:  # every 7 minutes for a year, so each quarter hour is asked several times
        local = datetime.fromtimestamp(ts, tz)
        assert hours.day_start(ts) == datetime(local.year, local.month, local.day, tzinfo=tz).timestamp(), local
        ts += timedelta(minutes=7).total_seconds()


def test_clock_time_names_the_date_once_a_weekday_alone_could_be_this_weeks():
    import time

    friday = time.mktime((2026, 11, 27, 10, 0, 0, 0, 0, -1))  # Fri 27 Nov 2026, 10:00 local
    assert clock_time(friday + 3 * 3600, friday) == "13:00"
    assert clock_time(friday + 86400, friday) == "Sat 10:00"
    assert clock_time(friday + 7 * 86400 - 3600, friday) == "Fri 4 Dec 09:00"  # "vendredi" typed on a Friday
