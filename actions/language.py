"""The ``language`` slot, set after every visitor message, before any reply is predicted (issue 14).

Rasa runs action_extract_slots after each user message, inside a form too, and ends it with
action_validate_slot_mappings when the domain lists it; this is that action. So even the first
reply to a message, a crisis reply included, is already in the message's language. How the
language is chosen is languages/decision.py; the history it needs (earlier messages, their
client choices) is read back from the tracker's events, so no second slot is kept.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from languages.decision import Message, chosen_language, decide
from languages.detection import LANGUAGES, identifier

SLOT = "language"
DEFAULT = "en"

# The model takes about half a second to load: at the action server's start, not at a visitor's message.
identifier()


def visitor_messages(events: List[Dict[str, Any]]) -> List[Message]:
    """The visitor's messages of the current session, oldest first, with their clients' choices."""
    messages: List[Message] = []
    for event in events:
        if event.get("event") == "session_started":
            messages = []
        elif event.get("event") == "user":
            messages.append(Message(str(event.get("text") or ""), chosen_language(event.get("metadata"))))
    return messages


class ValidateSlotMappings(ValidationAction):
    """action_validate_slot_mappings (the name Rasa calls): the language, and no other slot."""

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """Only the language: the other slots keep what their own mappings and forms give them."""
        return [SLOT]

    def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        current = tracker.get_slot(SLOT) or DEFAULT
        language = decide(current, visitor_messages(tracker.events))
        return {} if language == current else {SLOT: language}

    def validate_language(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Rasa SDK validates every slot set this turn and warns about one without a validate_ method."""
        return {SLOT: value if value in LANGUAGES else DEFAULT}
