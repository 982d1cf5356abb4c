"""Answers to the frequently asked questions, the greeting and the fallback.

Each FAQ topic is an intent with an answer ``utter_<topic>`` in domain/faq_*.yml;
a theme with finer answers has one per retrieval key, ``utter_<theme>/<key>``,
chosen by the key the NLU reports in ``response_selector`` (Rasa's shape), and
its ``utter_<theme>/general`` when none is reported. This action sends it
with the clinic's facts filled in and, outside a form, with buttons for the
next step; mid-booking it answers without buttons and the form resumes.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of, say

# The next steps offered after an answer: one payload each, titled in every language the assistant speaks.
NEXT_STEP_TITLES: Dict[str, Dict[str, str]] = {
    "en": {
        "/request_appointment": "Book a consultation",
        "/ask_another_question": "Ask another question",
        "/human_handoff": "Talk to staff",
    },
    "es": {
        "/request_appointment": "Pedir una consulta",
        "/ask_another_question": "Hacer otra pregunta",
        "/human_handoff": "Hablar con el personal",
    },
}


def next_steps(language: str) -> List[Dict[str, str]]:
    """The next-step buttons in ``language``: the titles change with it, the payloads the NLU reads do not."""
    return [{"title": title, "payload": payload} for payload, title in NEXT_STEP_TITLES[language].items()]


def faq_response(latest_message: Dict[str, Any], responses: Dict[str, Any]) -> Optional[str]:
    """The answer for a FAQ topic: ``myth_safety`` by ``utter_myth_safety``, a keyed theme by its key's answer."""
    intent = (latest_message.get("intent") or {}).get("name") or ""
    if not intent:
        return None
    selected = ((latest_message.get("response_selector") or {}).get(intent) or {}).get("response") or {}
    key = selected.get("intent_response_key")
    candidates = [f"utter_{key}" if key else None, f"utter_{intent}", f"utter_{intent}/general"]
    return next((name for name in candidates if name and name in responses), None)


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        response = faq_response(tracker.latest_message, domain.get("responses", {}))
        if response is None:
            say(dispatcher, tracker, "utter_default")
            return []
        in_form = bool(tracker.active_loop_name)
        say(dispatcher, tracker, response, buttons=None if in_form else next_steps(language_of(tracker)))
        if in_form:
            say(dispatcher, tracker, "utter_back_to_booking")
        return []


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        say(dispatcher, tracker, "utter_greet")
        return []


class ActionFallback(Action):
    """Low confidence: ask to rephrase once; the second time in a row, offer staff."""

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        user_intents = [
            (e.get("parse_data") or {}).get("intent", {}).get("name")
            for e in tracker.events
            if e.get("event") == "user"
        ]
        repeated = len(user_intents) >= 2 and user_intents[-2] == "nlu_fallback"
        say(dispatcher, tracker, "utter_offer_staff" if repeated else "utter_ask_rephrase")
        return []
