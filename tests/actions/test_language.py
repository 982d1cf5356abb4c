"""action_validate_slot_mappings sets the language slot from the conversation's messages (issue 14).

Rasa calls it at the end of action_extract_slots after every user message, inside a form too,
with the tracker's events; these run it on such trackers with the real domain.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any, Dict, List, Optional, Sequence

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ACTION_VALIDATE_SLOT_MAPPINGS
from rasa_sdk.types import DomainDict

from actions.language import ValidateSlotMappings, visitor_messages
from languages.decision import Message
from tests.actions.helpers import recorded_state

ACTION = ValidateSlotMappings()


def user(text: str, language: Optional[str] = None) -> Dict[str, Any]:
    """A user event as the Rasa server sends it; language is the client's choice in its metadata."""
    metadata = {"model_id": "m", **({"language": language} if language else {})}
    return {"event": "user", "text": text, "parse_data": {"text": text}, "metadata": metadata, "timestamp": 1.0}


def with_messages(state: Dict[str, Any], *events: Dict[str, Any]) -> Tracker:
    state = copy.deepcopy(state)
    state["events"] = state["events"] + list(events)
    state["latest_message"] = events[-1]["parse_data"]
    return Tracker.from_dict(state)


def conversation(*events: Dict[str, Any], language: str = "en", active_loop: Optional[str] = None) -> Tracker:
    state = {
        "sender_id": "visitor",
        "slots": {"language": language},
        "events": [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}],
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    }
    return with_messages(state, *events)


def slot_set(t: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
    """The slot events the action returns for t."""
    events = asyncio.run(ACTION.run(CollectingDispatcher(), t, domain))
    return [e for e in events if e.get("event") == "slot"]


def language_after(t: Tracker, domain: DomainDict) -> str:
    sets = slot_set(t, domain)
    return sets[-1]["value"] if sets else t.get_slot("language")


def test_the_action_is_the_one_rasa_calls_and_the_domain_lists_it(domain: DomainDict) -> None:
    assert ACTION.name() == ACTION_VALIDATE_SLOT_MAPPINGS
    assert ACTION_VALIDATE_SLOT_MAPPINGS in domain["actions"]


def test_a_first_spanish_message_sets_spanish(domain: DomainDict) -> None:
    t = conversation(user("Hola, quisiera información sobre el tratamiento con ketamina"))
    assert slot_set(t, domain) == [{"event": "slot", "name": "language", "value": "es", "timestamp": None}]


def test_an_unchanged_language_sets_no_slot(domain: DomainDict) -> None:
    assert slot_set(conversation(user("I'd like some information about ketamine")), domain) == []
    assert slot_set(conversation(user("quiero una cita para el martes"), user("ok"), language="es"), domain) == []


def test_the_widgets_choice_in_the_metadata_sets_the_language(domain: DomainDict) -> None:
    assert language_after(conversation(user("I'd like an appointment", language="es")), domain) == "es"


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        (("I'd like to book a consultation", "¿habla español?"), "es"),
        (("I'd like to book a consultation", "quiero una cita", "para el martes por la tarde"), "es"),
        (("I'd like to book a consultation", "quiero una cita"), "en"),
    ],
)
def test_inside_a_form_the_language_follows_the_visitor(
    texts: Sequence[str], language: str, domain: DomainDict
) -> None:
    t = conversation(*(user(text) for text in texts), active_loop="appointment_form")
    assert language_after(t, domain) == language


def test_a_recorded_booking_switches_to_spanish_when_asked_mid_form(domain: DomainDict) -> None:
    state = recorded_state("mid_booking")
    assert state["active_loop"]["name"] == "appointment_form"
    assert language_after(with_messages(state, user("perdón, ¿me puede atender en español?")), domain) == "es"


def test_a_spanish_crisis_message_in_a_spanish_conversation_keeps_spanish_for_the_crisis_reply(
    domain: DomainDict,
) -> None:
    t = conversation(user("quiero una cita"), user("ya no quiero estar aquí, tengo las pastillas guardadas"))
    assert language_after(t, domain) == "es"


def test_only_the_language_slot_is_touched(domain: DomainDict) -> None:
    t = conversation(user("hola, necesito ayuda con mi cita"))
    t.events.append({"event": "slot", "name": "emergency", "value": "overdose"})
    assert [e["name"] for e in slot_set(t, domain)] == ["language"]


def test_a_new_session_starts_the_conversation_again() -> None:
    events = [user("quiero una cita"), {"event": "session_started"}, user("I'd like an appointment", "en")]
    assert visitor_messages(events) == [Message("I'd like an appointment", "en")]


def test_messages_without_text_or_metadata_are_read_as_empty() -> None:
    assert visitor_messages([{"event": "user", "text": None, "metadata": None}]) == [Message("", None)]
