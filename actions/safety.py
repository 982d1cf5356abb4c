"""Crisis: alert staff at once and keep the person's next step in view.

The crisis resources themselves (988, 911, 741741) are a plain response that
the Rasa server sends before this action runs, so they reach the person even
if the action server or the database is down. This action stores the urgent
escalation, says who has been told and when the clinic will see it (actions/alerts.py),
stops whatever form was in progress, and checks in.

Everything here is sent by response name, so the Rasa server renders it in the
conversation's language (the ``language`` slot picks the domain's variation);
the next-step buttons are the FAQ's own, in the same language.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.alerts import alert_lines
from actions.conversation import channel_of, contact_of, language_of, latest_message_id, recent_transcript, say
from actions.faq import faq_response, next_steps
from clinic.profile import load_profile
from records.models import utcnow
from records.store import default_store
from safety.crisis_patterns import EMERGENCIES

logger = logging.getLogger(__name__)


class ActionEscalateCrisis(Action):
    def name(self) -> Text:
        return "action_escalate_crisis"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        try:
            store = default_store()
            result = store.submit_escalation(
                sender_id=tracker.sender_id,
                channel=channel_of(tracker),
                kind="crisis",
                trigger_id=latest_message_id(tracker),
                question=tracker.latest_message.get("text"),
                transcript=recent_transcript(tracker),
                contact=contact_of(tracker),
                emergency=tracker.get_slot("emergency") or EMERGENCIES[0],
                language=language_of(tracker),
            )
            logger.warning("URGENT crisis escalation %s stored for staff", result.reference)
            targets = {message.target for message in store.outbox(result.reference)}
            lines = alert_lines(targets, load_profile().opening_hours, utcnow(), language_of(tracker))
        except Exception:
            # The person already has the crisis numbers; make the failure loud for operators.
            logger.critical("storing a crisis escalation FAILED for sender %s", tracker.sender_id, exc_info=True)
            lines = [("utter_alert_failed", {})]
        for response, values in lines:
            say(dispatcher, tracker, response, **values)
        say(dispatcher, tracker, "utter_crisis_check_in")
        # Whatever was going on (a booking, a contact form) stops here, and is not resumed.
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("paused_form", None)]


class ActionCheckRisk(Action):
    """An unclear sign of risk: answer what was asked, then ask about risk directly, alerting nobody.

    The crisis net names the answer the question would have had (``safety_net.answer``);
    a yes to the caring question gets the crisis reply and the alert (data/rules.yml).
    """

    def name(self) -> Text:
        return "action_check_risk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        net = tracker.latest_message.get("safety_net") or {}
        answer = net.get("answer")
        if net.get("crisis_reply"):
            say(dispatcher, tracker, "utter_crisis")  # the classifier alone was sure: resources first, alert on a yes
        elif answer:
            asked = {**tracker.latest_message, "intent": {"name": answer}}
            response = faq_response(asked, domain.get("responses", {}))
            if response:
                say(
                    dispatcher,
                    tracker,
                    response,
                    buttons=None if tracker.active_loop_name else next_steps(language_of(tracker)),
                )
        say(dispatcher, tracker, "utter_crisis_confirm")
        # A booking in progress pauses for the answer; its details are kept, and a no resumes it.
        paused = tracker.active_loop_name if tracker.active_loop_name == "appointment_form" else None
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("paused_form", paused)]
