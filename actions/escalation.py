"""Medical questions and requests for a human: hand them to staff, never answer.

The assistant never gives personal medical advice. It says a clinician will
follow up, takes a way to reach the person (or uses one already given) and
stores an escalation with the question and the recent transcript. A person
may decline to give contact details; the escalation is stored all the same
so nothing they asked is lost, and they are given the clinic's own contact.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import ContactValidation, typed_yes_or_no
from actions.conversation import (
    channel_of,
    channel_rule,
    contact_of,
    language_of,
    latest_message_id,
    recent_transcript,
    say,
)
from records.contact import parse_contact
from records.store import default_store

logger = logging.getLogger(__name__)

DECLINED = "declined"


class ActionStartEscalation(Action):
    def name(self) -> Text:
        return "action_start_escalation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        kind = "medical" if intent == "medical_question" else "handoff"
        channel = channel_rule(tracker)
        if kind == "handoff":
            say(dispatcher, tracker, "utter_handoff")
        elif channel.carries_health_information:
            say(dispatcher, tracker, "utter_medical_question")
        else:
            say(
                dispatcher,
                tracker,
                "utter_medical_question_no_health_details",
                channel_label=channel.label_in(language_of(tracker)),
            )
        events = [
            SlotSet("escalation_kind", kind),
            SlotSet("escalation_question", tracker.latest_message.get("text")),
            SlotSet("escalation_trigger", latest_message_id(tracker)),
        ]
        if tracker.get_slot("contact") == DECLINED:
            events.append(SlotSet("contact", None))  # ask again: this is a new question
        return events


class ValidateEscalationForm(ContactValidation, FormValidationAction):
    def name(self) -> Text:
        return "validate_escalation_form"

    def validate_contact(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        details = parse_contact(str(slot_value or ""))
        # "no, gracias" declines in words, whatever the classifier made of it.
        declined = intent in ("deny", "stop") or typed_yes_or_no(str(slot_value or "")) is False
        if declined and not details.found:
            return {"contact": DECLINED}
        needs_call_back = (
            tracker.get_slot("escalation_kind") == "medical" and not channel_rule(tracker).carries_health_information
        )
        if needs_call_back and details.found and not details.phone:
            # The person was told a clinician will call back, so a phone number is what is needed.
            say(dispatcher, tracker, "utter_callback_phone_needed")
            return {"contact": None}
        return super().validate_contact(slot_value, dispatcher, tracker, domain)


class ActionSubmitEscalation(Action):
    def name(self) -> Text:
        return "action_submit_escalation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        kind = tracker.get_slot("escalation_kind") or "handoff"
        contact = contact_of(tracker)
        try:
            result = default_store().submit_escalation(
                sender_id=tracker.sender_id,
                channel=channel_of(tracker),
                kind=kind,
                trigger_id=tracker.get_slot("escalation_trigger") or latest_message_id(tracker),
                question=tracker.get_slot("escalation_question"),
                transcript=recent_transcript(tracker),
                contact=contact,
                language=language_of(tracker),
            )
        except Exception:
            logger.exception("storing a %s escalation failed for sender %s", kind, tracker.sender_id)
            say(dispatcher, tracker, "utter_storage_failed")
            return []
        logger.info("%s escalation %s stored", kind, result.reference)
        if contact["phone"] or contact["email"]:
            say(dispatcher, tracker, "utter_escalation_submitted", reference=result.reference)
        elif tracker.active_loop_name == "appointment_form":
            say(dispatcher, tracker, "utter_escalation_noted_in_booking", reference=result.reference)
        else:
            say(dispatcher, tracker, "utter_escalation_submitted_no_contact", reference=result.reference)
        return [
            SlotSet("escalation_kind", None),
            SlotSet("escalation_question", None),
            SlotSet("escalation_trigger", None),
        ]
