"""The structured opening hours: read from the profile, refused when malformed, and "open now" worked out."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from clinic.hours import parse_opening_hours, spoken_opening, spoken_time

WEEKDAYS = {day: "09:00-17:00" for day in ("monday", "tuesday", "wednesday", "thursday")}
HOURS = parse_opening_hours({**WEEKDAYS, "Friday": "09:00 - 13:30"})
ZONE = ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026, in Connecticut: the 3rd is a Thursday."""
    return datetime(2026, 12, day, hour, minute, tzinfo=ZONE)


def test_the_clinic_is_open_between_its_hours_and_closed_outside_them() -> None:
    assert HOURS.closes_at(at(3, 9)) == time(17, 0) and HOURS.closes_at(at(3, 16, 59)) == time(17, 0)
    assert HOURS.closes_at(at(3, 8, 59)) is None and HOURS.closes_at(at(3, 17)) is None
    assert HOURS.closes_at(at(4, 11)) == time(13, 30)
    assert HOURS.closes_at(at(5, 11)) is None  # Saturday: not listed, so closed


@pytest.mark.parametrize(
    "moment, said",
    [
        (at(3, 7), "today at 9 am"),
        (at(3, 18), "tomorrow at 9 am"),
        (at(4, 14), "on Monday at 9 am"),
        (at(6, 23), "tomorrow at 9 am"),
    ],
)
def test_the_next_opening_is_said_as_a_person_would(moment: datetime, said: str) -> None:
    assert spoken_opening(HOURS.opens_next(moment), moment) == said


def test_times_are_said_in_twelve_hour_form() -> None:
    assert [spoken_time(t) for t in (time(9), time(13, 30), time(12), time(0, 15))] == [
        "9 am",
        "1:30 pm",
        "noon",
        "12:15 am",
    ]


@pytest.mark.parametrize(
    "moment, said",
    [
        (at(3, 7), "hoy a las 9 a. m."),
        (at(3, 18), "mañana a las 9 a. m."),
        (at(4, 14), "el lunes a las 9 a. m."),
        (at(2, 18), "mañana a las 9 a. m."),
    ],
)
def test_in_spanish_the_next_opening_is_said_as_a_person_would(moment: datetime, said: str) -> None:
    assert spoken_opening(HOURS.opens_next(moment), moment, "es") == said


def test_in_spanish_times_carry_their_article_so_they_read_after_hasta_and_a() -> None:
    assert [spoken_time(t, "es") for t in (time(9), time(17), time(13, 30), time(12), time(0, 15))] == [
        "las 9 a. m.",
        "las 5 p. m.",
        "la 1:30 p. m.",
        "el mediodía",
        "las 12:15 a. m.",
    ]


def test_in_spanish_an_opening_at_noon_is_al_mediodia() -> None:
    noon_on_wednesday = parse_opening_hours({"wednesday": "12:00-17:00"})
    moment = at(5, 10)  # Saturday
    assert spoken_opening(noon_on_wednesday.opens_next(moment), moment, "es") == "el miércoles al mediodía"


def test_no_opening_hours_means_they_are_not_known() -> None:
    assert parse_opening_hours(None) is None and parse_opening_hours({}) is None


@pytest.mark.parametrize(
    "raw",
    [{"mon": "09:00-17:00"}, {"monday": "9-5"}, {"monday": "17:00-09:00"}, {"monday": "09:00-24:00"}, "weekdays"],
)
def test_malformed_opening_hours_are_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="opening_hours"):
        parse_opening_hours(raw)
