"""A long conversation is read back as its recent part, and Rasa decides exactly as on the whole of it.

Real SQLite in a temp dir, the project's domain, and conversations shaped as
Rasa writes them: questions, a booking form interrupted by questions, a
fallback, a rewind.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import List

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_stores.recent_window import hidden_events
from rasa_stores.tracker_store import FastSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain"))
QUESTIONS = ["myth_addiction", "side_effects", "cost_insurance", "locations", "onset_speed", "myth_safety"]


def listen() -> ActionExecuted:
    return ActionExecuted("action_listen")


def user(intent: str, text: str = "") -> UserUttered:
    return UserUttered(text or f"a message meaning {intent}", {"name": intent, "confidence": 0.9})


def question(number: int) -> List[Event]:
    return [
        listen(),
        user(QUESTIONS[number % len(QUESTIONS)]),
        ActionExecuted("action_answer_faq"),
        BotUttered(f"answer {number}"),
    ]


def booking(interruptions: int) -> List[Event]:
    """A booking form with questions in between, as Rasa records it, to its summary."""
    events: List[Event] = [
        listen(),
        user("request_appointment"),
        ActionExecuted("appointment_form"),
        ActiveLoop("appointment_form"),
        SlotSet("requested_slot", "name"),
        BotUttered("Your name?"),
    ]
    for number in range(interruptions):
        events += question(number)[:4] + [ActionExecuted("appointment_form"), BotUttered("Your name?")]
    events += [
        listen(),
        user("inform", "Jordan Reyes"),
        ActionExecuted("appointment_form"),
        SlotSet("name", "Jordan Reyes"),
        SlotSet("requested_slot", "phone"),
        BotUttered("Your phone?"),
        listen(),
        user("inform", "203 555 0142"),
        ActionExecuted("appointment_form"),
        SlotSet("phone", "203 555 0142"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted("action_booking_summary"),
        BotUttered("Shall I send it?"),
    ]
    return events


def conversation() -> List[Event]:
    events: List[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    for number in range(12):
        events += question(number)
    events += booking(interruptions=14)  # the form stays active for more than the recent turns
    events += [
        listen(),
        user("nlu_fallback", "asdf qwer"),
        ActionExecuted("action_fallback"),
        BotUttered("Sorry?"),
        UserUtteranceReverted(),
    ]
    for number in range(12):
        events += question(number)
    events += [listen(), user("affirm", "yes")]
    return events


def turn_ends(events: List[Event]) -> List[int]:
    """Every point where Rasa reads the conversation: before a user message."""
    return [i + 1 for i, e in enumerate(events) if isinstance(e, ActionExecuted) and e.action_name == "action_listen"]


def store(path: Path) -> FastSQLTrackerStore:
    return FastSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path))


def whole(events: List[Event]) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("visitor", events, DOMAIN.slots)


def save_and_read(path: Path, events: List[Event]) -> DialogueStateTracker:
    async def run() -> DialogueStateTracker:
        tracker_store = store(path)
        await tracker_store.save(whole(events))
        return await tracker_store.retrieve("visitor")

    return asyncio.run(run())


def test_a_long_conversation_is_read_as_its_last_ten_turns_and_the_slots_before_them(tmp_path: Path) -> None:
    events = conversation()
    recent = save_and_read(tmp_path / "t.db", events)
    full = whole(events)
    users = [e for e in recent.events if isinstance(e, UserUttered)]
    assert 10 <= len(users) < len([e for e in full.events if isinstance(e, UserUttered)])
    assert len(recent.events) < len(full.events) / 2
    assert recent.current_slot_values() == full.current_slot_values()
    assert recent.get_slot("name") == "Jordan Reyes"  # set long before the recent turns
    assert recent.latest_message == full.latest_message
    assert list(recent.events)[-30:] == list(full.events)[-30:]


@pytest.mark.slow  # Rasa's featurisation at every turn, three times
@pytest.mark.parametrize("turns", [0, 4, 10])
def test_rasa_sees_the_same_dialogue_state_at_every_turn_as_in_the_whole_conversation(
    tmp_path: Path, turns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the policies decide from: the recent states, the active form, the slots, at every turn."""
    monkeypatch.setenv("TRACKER_RECENT_TURNS", str(turns))
    events = conversation()
    for number, end in enumerate(turn_ends(events)):
        full = whole(events[:end])
        recent = save_and_read(tmp_path / f"{number}.db", events[:end])
        assert recent.past_states(DOMAIN)[-6:] == full.past_states(DOMAIN)[-6:], f"turn ending at {end}"
        assert recent.active_loop == full.active_loop and recent.current_slot_values() == full.current_slot_values()
        assert recent.latest_action == full.latest_action


def test_a_form_active_longer_than_the_recent_turns_is_read_from_where_it_began(tmp_path: Path) -> None:
    events = conversation()
    during_form = turn_ends(events)[12 + 13]  # questions, then 13 turns into the form
    recent = save_and_read(tmp_path / "t.db", events[:during_form])
    assert recent.active_loop_name == "appointment_form"
    assert ActiveLoop("appointment_form") in list(recent.events)
    assert len([e for e in recent.events if isinstance(e, UserUttered)]) > 10


def test_saving_a_tracker_read_as_its_recent_part_stores_each_new_event_once_in_order(tmp_path: Path) -> None:
    events = conversation()
    path = tmp_path / "t.db"
    added = [ActionExecuted("action_answer_faq"), BotUttered("the answer"), listen()]

    async def run() -> DialogueStateTracker:
        tracker_store = store(path)
        await tracker_store.save(whole(events))
        recent = await tracker_store.retrieve("visitor")
        assert hidden_events(recent) > 0
        for event in added:
            recent.update(event)
        await tracker_store.save(recent)
        await tracker_store.save(recent)  # saving again adds nothing
        return await tracker_store.retrieve_full_tracker("visitor")

    stored = asyncio.run(run())
    assert list(stored.events) == events + added
    rows = sa.create_engine(f"sqlite:///{path}").execute("select count(*) from events").scalar()
    assert rows == len(events) + len(added)


def test_short_conversations_and_whole_reads_are_untouched(tmp_path: Path) -> None:
    events = list(
        itertools.chain([ActionExecuted("action_session_start"), SessionStarted()], *(question(n) for n in range(10)))
    )
    assert list(save_and_read(tmp_path / "short.db", events).events) == events[1:]  # from the session start
    recent = save_and_read(tmp_path / "long.db", conversation())
    assert hidden_events(recent) > 0

    async def full() -> DialogueStateTracker:
        return await store(tmp_path / "long.db").retrieve_full_tracker("visitor")

    assert list(asyncio.run(full()).events) == conversation()
