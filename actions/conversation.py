"""What several actions need from a conversation: its channel, transcript and
the way to send a response with the clinic's facts filled in."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinic.profile import Channel, load_profile
from clinic.wording import supported

TRANSCRIPT_TURNS = 20


def language_of(tracker: Tracker) -> str:
    """The conversation's language (the ``language`` slot), one the assistant speaks."""
    return supported(tracker.get_slot("language"))


def say(dispatcher: CollectingDispatcher, tracker: Tracker, response: str, **values: Any) -> None:
    """Send a domain response with every clinic placeholder filled from the profile, in the conversation's language.

    Rasa picks the response's variation for the language slot; the facts around it must match.
    """
    facts = load_profile().template_vars(language_of(tracker))
    dispatcher.utter_message(response=response, **{**facts, **values})


def channel_of(tracker: Tracker) -> str:
    return (tracker.get_latest_input_channel() or "unknown")[:64]


def channel_rule(tracker: Tracker) -> Channel:
    """Whether this conversation's channel may carry health information, from the clinic profile.

    The one place the actions ask; a conversation on a channel the profile does
    not list is kept free of health information.
    """
    return load_profile().channel(tracker.get_latest_input_channel())


def latest_message_id(tracker: Tracker) -> str:
    """The id Rasa gave the message that triggered this action (stable on retry)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("message_id") or event.get("timestamp"))
    return "none"


def recent_transcript(tracker: Tracker, turns: int = TRANSCRIPT_TURNS) -> List[Dict[str, Any]]:
    """The last ``turns`` messages, both sides, verbatim, for staff to read."""
    transcript: List[Dict[str, Any]] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        entry: Dict[str, Any] = {"sender": kind, "text": event["text"], "timestamp": event.get("timestamp")}
        if kind == "user":
            entry["intent"] = (event.get("parse_data") or {}).get("intent", {}).get("name")
        transcript.append(entry)
    return transcript[-turns:]


def contact_of(tracker: Tracker) -> Dict[str, Optional[str]]:
    """The contact details this person has given so far, for an escalation."""
    return {"name": tracker.get_slot("name"), "phone": tracker.get_slot("phone"), "email": tracker.get_slot("email")}
