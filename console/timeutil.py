"""Times as staff read them: the clinic's own time zone, and waits in plain words.

Rasa stamps events in epoch seconds; the project's tables store naive UTC.
Both are shown in ``CONSOLE_TIMEZONE`` (the clinic is in Connecticut).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Optional, Tuple
from zoneinfo import ZoneInfo

import settings

ZONE = ZoneInfo(settings.get().CONSOLE_TIMEZONE)


def local(moment: Optional[datetime | float]) -> Optional[datetime]:
    """An epoch timestamp or naive-UTC datetime in the clinic's zone."""
    if moment is None:
        return None
    if isinstance(moment, (int, float)):
        return datetime.fromtimestamp(moment, ZONE)
    return moment.replace(tzinfo=timezone.utc).astimezone(ZONE)


def shown(moment: Optional[datetime | float]) -> str:
    value = local(moment)
    return value.strftime("%Y-%m-%d %H:%M %Z") if value else ""


def waited(since: datetime, now: datetime) -> str:
    """'4 min', '2 h 5 min', '3 days': how long a naive-UTC record has waited."""
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"


def parse_day(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def day_range(start: date, end: date) -> Tuple[datetime, datetime]:
    """Local days start..end (inclusive) as naive-UTC bounds [from, to)."""
    begin = datetime.combine(start, time.min, ZONE).astimezone(timezone.utc).replace(tzinfo=None)
    finish = datetime.combine(end + timedelta(days=1), time.min, ZONE).astimezone(timezone.utc).replace(tzinfo=None)
    return begin, finish


def epoch(moment: datetime) -> float:
    """Naive UTC as Rasa's epoch seconds."""
    return moment.replace(tzinfo=timezone.utc).timestamp()


def today() -> date:
    return datetime.now(ZONE).date()
