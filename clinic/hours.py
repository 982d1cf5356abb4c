"""The clinic's opening hours, structured, so the assistant can say when the team will see a message.

``contact.opening_hours`` in the profile maps each day the clinic opens to ``"HH:MM-HH:MM"``
(24-hour, in the clinic's time zone, ``CONSOLE_TIMEZONE``); a day left out is closed. The free-text
``contact.hours`` stays what visitors are told; these are what "open now" is worked out from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any, Dict, Optional, Tuple
from zoneinfo import ZoneInfo

import settings

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The same days as said in Spanish, for a conversation in Spanish.
DIAS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
SPAN = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class OpeningHours:
    """Weekday (0 is Monday) to the opening and closing time that day."""

    days: Dict[int, Tuple[time, time]]

    def closes_at(self, moment: datetime) -> Optional[time]:
        """The closing time if the clinic is open at ``moment`` (local), else None."""
        span = self.days.get(moment.weekday())
        return span[1] if span and span[0] <= moment.time() < span[1] else None

    def opens_next(self, moment: datetime) -> datetime:
        """When the clinic next opens after ``moment`` (local): later today, or on a following day."""
        for ahead in range(8):
            day = moment.date() + timedelta(days=ahead)
            span = self.days.get(day.weekday())
            opening = span and datetime.combine(day, span[0], moment.tzinfo)
            if opening and opening > moment:
                return opening
        raise AssertionError("a week with opening hours always has a next opening")


def parse_opening_hours(raw: Any) -> Optional[OpeningHours]:
    """The profile's ``contact.opening_hours``; None (or nothing listed) means the hours are not known."""
    if not raw:
        return None
    if not isinstance(raw, dict):
        raise ValueError('contact.opening_hours: give each open day as "HH:MM-HH:MM", e.g. monday: "09:00-17:00"')
    days = {}
    for name, text in raw.items():
        day = str(name).strip().lower()
        found = SPAN.fullmatch(str(text).replace(" ", ""))
        if day not in DAYS or not found:
            raise ValueError(f'contact.opening_hours.{name}: give a day of the week and "HH:MM-HH:MM", not {text!r}')
        opens, closes = time(int(found[1]), int(found[2])), time(int(found[3]), int(found[4]))
        if opens >= closes:
            raise ValueError(f"contact.opening_hours.{name}: the clinic must open before it closes ({text!r})")
        days[DAYS.index(day)] = (opens, closes)
    return OpeningHours(days)


def clinic_time(now: datetime) -> datetime:
    """Naive UTC (as the records store it) in the clinic's time zone."""
    return now.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(settings.get().CONSOLE_TIMEZONE))


def spoken_time(moment: time, language: str = "en") -> str:
    """9 am, 5:30 pm, noon; in Spanish with the article it is said with: las 9 a. m., la 1:30 p. m., el mediodía."""
    if (moment.hour, moment.minute) == (12, 0):
        return "el mediodía" if language == "es" else "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    if language == "es":
        return f"{'la' if hour == 1 else 'las'} {hour}{minutes} {'a. m.' if moment.hour < 12 else 'p. m.'}"
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"


def spoken_opening(opening: datetime, now: datetime, language: str = "en") -> str:
    """today at 9 am, tomorrow at 9 am, on Monday at 9 am; hoy a las 9 a. m., el lunes al mediodía."""
    days = (opening.date() - now.date()).days
    weekday = opening.weekday()
    at = spoken_time(opening.time(), language)
    if language == "es":
        day = "hoy" if days == 0 else "mañana" if days == 1 else f"el {DIAS[weekday]}"
        return f"{day} a {at}".replace(" a el ", " al ")
    day = "today" if days == 0 else "tomorrow" if days == 1 else f"on {DAYS[weekday].capitalize()}"
    return f"{day} at {at}"
