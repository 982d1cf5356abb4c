"""The console's reads give the same answers on SQLite and on PostgreSQL (production)."""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta

from console import conversations, exports, insight, queues
from console.conversations import Filters
from console.timeutil import day_range, today
from records.models import utcnow
from records.store import Store
from tests.console.conftest import bot_says, user_says, write_conversation

CONTACT = {"name": None, "phone": None, "email": None}


def test_lists_search_transcripts_insight_queues_and_exports_on_each_database(database_url: str) -> None:
    store = Store(database_url)
    engine = store.engine
    try:
        now = time.time()
        write_conversation(
            engine,
            "c-crisis",
            [
                user_says("I want to END my life", "crisis", 0.99, now - 50, "socketio"),
                bot_says("Call or text 988.", now - 49),
            ],
        )
        write_conversation(engine, "c-lost", [user_says('what about "50%" off_peak?', "nlu_fallback", 0.2, now - 40)])
        write_conversation(engine, "c-book", [user_says("book me in", "request_appointment", 0.9, now - 30)])
        store.submit_escalation("c-crisis", "socketio", "crisis", "m1", "I want to END my life", [], CONTACT)
        store.submit_appointment(
            "c-book",
            "rest",
            {
                "name": "=1+1",
                "phone": None,
                "email": "b@example.com",
                "office": "Stamford",
                "preferred_times": "mornings",
                "reason": None,
                "consent": True,
            },
        )

        rows, more = conversations.list_conversations(engine, Filters())
        assert [r.sender_id for r in rows] == ["c-book", "c-lost", "c-crisis"] and not more
        assert rows[2].flags == ["escalated", "crisis"] and rows[2].channel == "socketio"
        assert rows[0].flags == ["appointment"] and rows[1].flags == ["fallback"]
        found = lambda **f: [r.sender_id for r in conversations.list_conversations(engine, Filters(**f))[0]]  # noqa: E731
        assert found(q="end my") == ["c-crisis"]  # any case
        assert found(q='"50%" off_peak') == ["c-lost"] and found(q="%") == ["c-lost"] and found(q="_p") == ["c-lost"]
        assert found(flag="crisis") == ["c-crisis"] and found(channel="socketio") == ["c-crisis"]
        assert found(start=utcnow() + timedelta(hours=1)) == []

        turns = conversations.transcript(engine, "c-crisis")
        assert [(t.kind, t.text, t.intent) for t in turns] == [
            ("user", "I want to END my life", "crisis"),
            ("bot", "Call or text 988.", None),
        ]

        figures = insight.insight(engine, today(), today(), *day_range(today(), today()))
        assert figures.total_conversations == 3 and figures.user_messages == 3
        assert abs(figures.fallback_rate - 1 / 3) < 1e-9 and figures.unanswered[0]["sender_id"] == "c-lost"

        [urgent, medical, handoff, appointments] = queues.sections(store)
        assert len(urgent.items) == 1 and not medical.items and not handoff.items and len(appointments.items) == 1

        start, end = day_range(today(), today())
        [row] = list(csv.DictReader(io.StringIO(exports.appointments_csv(engine, start, end))))
        assert row["name"] == "'=1+1"
        assert len(list(csv.DictReader(io.StringIO(exports.conversations_csv(engine, start, end))))) == 4
    finally:
        engine.dispose()
