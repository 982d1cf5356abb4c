"""Build rasa_sdk trackers the way the Rasa server sends them to actions, or load recorded ones.

``tracker()`` builds a one-message tracker with the slots a test names.
``recorded()`` loads a tracker recorded from a real conversation with the
assistant (tests/data/trackers, re-recorded by ``python -m scripts.record_trackers``),
and ``next_turn()`` adds the person's next message to one, as the Rasa server
would before it calls the form's validation action. ``rendered()`` is what the
Rasa server makes of a response an action sends: the variation for the
conversation's slots, filled in.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.interpolator import interpolate_text
from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from actions.booking import BOOKING_SLOTS

RECORDED = Path(__file__).resolve().parents[1] / "data" / "trackers"


def tracker(
    text: str = "",
    intent: str = "inform",
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    sender_id: str = "test-visitor",
    extra_parse: Optional[Dict[str, Any]] = None,
) -> Tracker:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        **(extra_parse or {}),
    }
    all_slots: Dict[str, Any] = {name: None for name in BOOKING_SLOTS + ("requested_slot", "booking_field")}
    all_slots.update(slots or {})
    history = (
        events
        if events is not None
        else [
            {
                "event": "user",
                "text": text,
                "parse_data": parse,
                "message_id": "m-1",
                "input_channel": "rest",
                "timestamp": 1.0,
            }
        ]
    )
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=parse,
        events=history,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def texts_of(dispatcher: Any) -> List[str]:
    return [m.get("response") or m.get("text") for m in dispatcher.messages]


def recorded_state(name: str) -> Dict[str, Any]:
    """The tracker state recorded in tests/data/trackers/<name>.json, as Rasa's HTTP API gave it."""
    return json.loads((RECORDED / f"{name}.json").read_text())


def recorded(name: str) -> Tracker:
    return Tracker.from_dict(recorded_state(name))


def next_turn(
    name: str, text: str, intent: str = "inform", mapped: Optional[Dict[str, Any]] = None, confidence: float = 0.9
) -> Tracker:
    """The recorded conversation ``name`` with one more message from the person.

    ``mapped`` are the slot values the domain's own mappings (from_text,
    from_entity) take from it; the Rasa server appends them as slot events
    before it calls the form's validation action, which validates them.
    """
    state = copy.deepcopy(recorded_state(name))
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    state["events"].append(
        {
            "event": "user",
            "text": text,
            "parse_data": parse,
            "message_id": "next-turn",
            "input_channel": state.get("latest_input_channel"),
            "timestamp": (state.get("latest_event_time") or 0) + 1,
        }
    )
    for slot, value in (mapped or {}).items():
        state["events"].append({"event": "slot", "name": slot, "value": value})
        state["slots"][slot] = value
    state["latest_message"] = parse
    return Tracker.from_dict(state)


def rendered(domain: DomainDict, response: str, values: Dict[str, Any], slots: Dict[str, Any]) -> Dict[str, Any]:
    """The variation of ``response`` the Rasa server sends for these slots, its text and buttons filled in.

    Of the variations whose conditions all match, one with the most conditions, as nlg/crisis_followup.py
    chooses (a Spanish reply for a medical emergency over the English one for it); the placeholders are
    filled from the slots and then the action's own values, as Rasa does.
    """
    suitable = ResponseVariationFilter(domain["responses"]).responses_for_utter_action(response, "rest", slots)
    variant = max(suitable, key=lambda v: len(v.get("condition") or []))
    filled = {**slots, **{k: v for k, v in values.items() if k not in ("response", "buttons")}}
    buttons = values.get("buttons") or variant.get("buttons") or []
    return {
        "text": interpolate_text(variant["text"], filled),
        "buttons": [{**b, "title": interpolate_text(b["title"], filled)} for b in buttons],
    }
