"""Build rasa_sdk trackers the way the Rasa server sends them to actions."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from actions.booking import BOOKING_SLOTS


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
