"""rasa_stores/tracker_store.py reads back exactly the conversation Rasa's own SQL store would."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_stores.tracker_store import FastSQLTrackerStore, event_classes

ROOT = Path(__file__).resolve().parents[2]


def test_a_stored_conversation_reads_back_with_the_same_events_as_rasas_own_store(tmp_path: Path) -> None:
    domain = Domain.load(str(ROOT / "domain"))
    db = str(tmp_path / "tracker.db")
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(
            "<script>alert(1)</script> Robert'); DROP TABLE events;--",
            {"name": "request_appointment", "confidence": 0.97},
            message_id="m1",
        ),
        ActionExecuted("appointment_form"),
        ActiveLoop("appointment_form"),
        SlotSet("requested_slot", "name"),
        BotUttered("What name should we use?", {"buttons": [{"title": "Skip", "payload": "/deny"}]}),
        ActionExecuted("action_listen"),
    ]
    tracker = DialogueStateTracker.from_events("visitor-1", events, domain.slots)

    async def round_trip() -> tuple:
        fast = FastSQLTrackerStore(domain, dialect="sqlite", db=db)
        await fast.save(tracker)
        return await fast.retrieve("visitor-1"), await SQLTrackerStore(domain, dialect="sqlite", db=db).retrieve(
            "visitor-1"
        )

    ours, rasas = asyncio.run(round_trip())
    assert list(ours.events) == list(rasas.events)  # the latest session: from SessionStarted on
    assert list(ours.events) == list(tracker.events)[1:]
    assert ours.latest_message.text == "<script>alert(1)</script> Robert'); DROP TABLE events;--"
    assert ours.active_loop_name == "appointment_form" and ours.get_slot("requested_slot") == "name"


def test_every_event_type_rasa_knows_is_looked_up_once() -> None:
    classes = event_classes()
    assert classes["user"] is UserUttered and classes["slot"] is SlotSet and classes["active_loop"] is ActiveLoop


def test_an_unknown_stored_event_is_skipped_not_fatal(tmp_path: Path) -> None:
    from rasa_stores.tracker_store import deserialise

    assert deserialise([{"event": "topic", "timestamp": 1.0}, {"event": "action", "name": "action_listen"}]) == [
        ActionExecuted("action_listen")
    ]
