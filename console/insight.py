"""What people ask and what the assistant misses, per day and per topic.

Numbers come from Rasa's events; charts are plain SVG geometry computed here
and drawn by the template (no JavaScript library, nothing from a CDN).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Dict, List, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from console.conversations import UNANSWERED_INTENTS, event_data
from console.timeutil import epoch, local
from records.models import events, tracker_exists


@dataclass
class Bar:
    label: str
    value: float
    shown: str  # the value as printed on the chart
    x: float
    y: float
    width: float
    height: float


def bar_chart(points: List[Tuple[str, float]], shown: List[str], width: float = 720, height: float = 180) -> List[Bar]:
    """Vertical bars filling width x height, scaled to the largest value."""
    if not points:
        return []
    top = max(value for _, value in points) or 1
    slot = width / len(points)
    return [
        Bar(
            label,
            value,
            text,
            x=i * slot + slot * 0.1,
            y=height - value / top * height,
            width=slot * 0.8,
            height=value / top * height,
        )
        for i, ((label, value), text) in enumerate(zip(points, shown))
    ]


@dataclass
class Insight:
    days: int
    conversations_per_day: List[Bar]
    total_conversations: int
    top_intents: List[Tuple[str, int, float]]  # intent, count, share of the largest (0..1)
    fallback_per_day: List[Bar]
    fallback_rate: float
    user_messages: int
    unanswered: List[Dict[str, object]]


def insight(engine: Engine, start: date, end: date, start_utc: datetime, end_utc: datetime) -> Insight:
    """Figures for the local days start..end (bounds given in naive UTC too)."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    conversations: Counter = Counter()
    messages: Counter = Counter()
    unanswered_per_day: Counter = Counter()
    intents: Counter = Counter()
    unanswered: List[Dict[str, object]] = []
    if tracker_exists(engine):
        low, high = epoch(start_utc), epoch(end_utc)
        with engine.connect() as connection:
            started = (
                connection.execute(
                    select(func.min(events.c.timestamp))
                    .group_by(events.c.sender_id)
                    .having(func.min(events.c.timestamp).between(low, high))
                )
                .scalars()
                .all()
            )
            users = connection.execute(
                select(events.c.timestamp, events.c.intent_name).where(
                    events.c.type_name == "user", events.c.timestamp >= low, events.c.timestamp < high
                )
            ).all()
            missed = connection.execute(
                select(events.c.sender_id, events.c.timestamp, events.c.intent_name, events.c.data)
                .where(
                    events.c.type_name == "user",
                    events.c.intent_name.in_(UNANSWERED_INTENTS),
                    events.c.timestamp >= low,
                    events.c.timestamp < high,
                )
                .order_by(events.c.timestamp.desc())
                .limit(50)
            ).all()
        conversations.update(local(moment).date() for moment in started)
        for moment, intent in users:
            day = local(moment).date()
            messages[day] += 1
            intents[intent or "(none)"] += 1
            if intent in UNANSWERED_INTENTS:
                unanswered_per_day[day] += 1
        unanswered = [
            {
                "sender_id": row.sender_id,
                "timestamp": row.timestamp,
                "intent": row.intent_name,
                "text": event_data(row.data).get("text") or "",
            }
            for row in missed
        ]
    rates = [unanswered_per_day[day] / messages[day] if messages[day] else 0.0 for day in days]
    top = intents.most_common(12)
    largest = top[0][1] if top else 1
    total_messages = sum(messages.values())
    return Insight(
        days=len(days),
        conversations_per_day=bar_chart(
            [(f"{d:%b %d}", conversations[d]) for d in days], [str(conversations[d]) for d in days]
        ),
        total_conversations=sum(conversations.values()),
        top_intents=[(intent, count, count / largest) for intent, count in top],
        fallback_per_day=bar_chart(
            [(f"{d:%b %d}", rate) for d, rate in zip(days, rates)], [f"{rate:.0%}" for rate in rates]
        ),
        fallback_rate=sum(unanswered_per_day.values()) / total_messages if total_messages else 0.0,
        user_messages=total_messages,
        unanswered=unanswered,
    )
