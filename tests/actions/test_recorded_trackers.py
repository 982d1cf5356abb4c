"""The actions on trackers recorded from real conversations with the assistant (tests/data/trackers).

The trackers built by ``tracker()`` hold what a test names; these hold what
the Rasa server really sends: every event of the conversation so far, the
form's state, the slots the domain's mappings filled, the channel. They are
re-recorded by ``python -m scripts.record_trackers`` when the domain changes.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Tuple

import pytest
from rasa.shared.core.constants import DEFAULT_ACTION_NAMES
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import ActionAskOffice, ValidateAppointmentForm
from actions.safety import ActionEscalateCrisis
from records.models import Escalation
from records.store import Store
from scripts.record_trackers import CONVERSATIONS
from tests.actions.helpers import next_turn, recorded, recorded_state, texts_of

CRISIS_MESSAGE = "tbh i have my pills saved up and i dont want to be here anymore"


def run(action: Any, t: Tracker, domain: DomainDict) -> Tuple[List[Dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    return asyncio.run(action.run(dispatcher, t, domain)), dispatcher


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def next_question(t: Tracker, domain: DomainDict, filled: Dict[str, Any]) -> str:
    """The first of the form's required slots (domain/forms.yml) still empty: what the form asks next."""
    slots = {**t.slots, **filled}
    required = domain["forms"]["appointment_form"]["required_slots"]
    return next(slot for slot in required if slots.get(slot) is None)


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_each_recording_is_the_conversation_the_tool_holds_at_the_point_it_checks(name: str) -> None:
    state = recorded_state(name)
    assert [e["text"] for e in state["events"] if e["event"] == "user"] == CONVERSATIONS[name].messages
    assert CONVERSATIONS[name].reached(state), CONVERSATIONS[name].point


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_the_recorded_trackers_still_fit_the_domain(name: str, domain: DomainDict) -> None:
    """After a domain change, re-record them: `python -m scripts.record_trackers` (after `make train`)."""
    state = recorded_state(name)
    rasas_own = {"requested_slot", "session_started_metadata"}  # in every tracker
    assert set(state["slots"]) == set(domain["slots"]) | rasas_own
    # An action with options ({"action_answer_faq": {"send_domain": True}}) is listed as a mapping.
    actions = {name for action in domain["actions"] for name in ([action] if isinstance(action, str) else action)}
    known = {*actions, *domain["responses"], *domain["forms"], *DEFAULT_ACTION_NAMES}
    assert {e["name"] for e in state["events"] if e["event"] == "action"} <= known


def test_the_recorded_booking_stands_at_the_office_question(domain: DomainDict) -> None:
    t = recorded("mid_booking")
    assert t.active_loop_name == "appointment_form" and t.get_slot("requested_slot") == "office"
    assert (t.get_slot("name"), t.get_slot("phone")) == ("Maria Lopez", "+12035550147")
    assert t.get_latest_input_channel() == "rest"
    assert next_question(t, domain, {}) == "office"


def test_an_office_answer_on_the_recorded_booking_is_understood_and_the_days_and_times_come_next(
    domain: DomainDict,
) -> None:
    t = next_turn("mid_booking", "westprot pls", mapped={"office": "westprot pls"})
    events, dispatcher = run(ValidateAppointmentForm(), t, domain)
    filled = slot_events(events)
    assert filled == {"office": "Westport"} and dispatcher.messages == []
    assert next_question(t, domain, filled) == "preferred_times"


def test_an_unknown_office_on_the_recorded_booking_is_asked_again_naming_the_real_offices(domain: DomainDict) -> None:
    t = next_turn("mid_booking", "Hartford", mapped={"office": "Hartford"})
    events, dispatcher = run(ValidateAppointmentForm(), t, domain)
    assert slot_events(events) == {"office": None}
    [message] = dispatcher.messages
    assert message["response"] == "utter_invalid_office" and message["offices"] == "Stamford and Westport, Connecticut"
    assert "utter_invalid_office" in domain["responses"]


def test_a_crisis_at_the_recorded_office_question_fills_no_office(domain: DomainDict) -> None:
    t = next_turn("mid_booking", "im in stamford and i want to die", intent="crisis", confidence=0.99)
    events, dispatcher = run(ValidateAppointmentForm(), t, domain)
    assert "office" not in slot_events(events) and dispatcher.messages == []


def test_the_office_question_on_the_recorded_booking_offers_each_office(domain: DomainDict) -> None:
    _, dispatcher = run(ActionAskOffice(), recorded("mid_booking"), domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_office" and message["response"] in domain["responses"]
    assert [b["title"] for b in message["buttons"]] == ["Stamford", "Westport", "Either is fine"]


def only_escalation(store: Store) -> Escalation:
    with store.session() as session:
        [row] = session.query(Escalation).all()
        return row


def test_the_recorded_crisis_stores_one_urgent_escalation_with_the_whole_transcript(
    store: Store, domain: DomainDict
) -> None:
    t = recorded("post_crisis")
    events, dispatcher = run(ActionEscalateCrisis(), t, domain)
    row = only_escalation(store)
    assert (row.kind, row.urgency, row.channel, row.name, row.question) == (
        "crisis",
        "urgent",
        "rest",
        "Dana Smith",
        CRISIS_MESSAGE,
    )
    transcript = json.loads(row.transcript)
    said = [entry["text"] for entry in transcript if entry["sender"] == "user"]
    assert said == ["is ketamine safe?", "can I book an appointment", "Dana Smith", CRISIS_MESSAGE]
    assert any("988" in entry["text"] for entry in transcript if entry["sender"] == "bot")
    sent = texts_of(dispatcher)
    assert sent == ["utter_alert_team", "utter_alert_hours_unknown", "utter_crisis_check_in"]
    assert set(sent) <= set(domain["responses"])
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


def test_the_recorded_crisis_run_again_for_the_same_message_stores_nothing_more(
    store: Store, domain: DomainDict
) -> None:
    """The Rasa server runs an action again when its answer was lost; staff get one alert."""
    run(ActionEscalateCrisis(), recorded("post_crisis"), domain)
    _, dispatcher = run(ActionEscalateCrisis(), recorded("post_crisis"), domain)
    assert only_escalation(store).urgency == "urgent"
    assert texts_of(dispatcher) == ["utter_alert_team", "utter_alert_hours_unknown", "utter_crisis_check_in"]


def test_an_off_topic_request_at_the_recorded_office_question_fills_no_office(domain: DomainDict) -> None:
    """ "any" would read as "either office"; the off-topic rule answers instead and the question comes back."""
    t = next_turn("mid_booking", "play any jazz you like", intent="out_of_scope", confidence=0.55)
    events, dispatcher = run(ValidateAppointmentForm(), t, domain)
    assert "office" not in slot_events(events) and dispatcher.messages == []
