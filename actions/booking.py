"""Appointment requests: validate the form, confirm, store once, correct, cancel."""

from __future__ import annotations

import difflib
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import channel_of, channel_rule, language_of, say
from clinic.profile import load_profile
from clinic.wording import phrase
from records.contact import normalise_name, parse_contact
from records.store import default_store

logger = logging.getLogger(__name__)

EITHER_OFFICE = "Either office"
NOT_GIVEN = "Not given"
# The reason on a channel that cannot carry health information (clinic/profile.yml, channels).
NOT_ASKED = "Not asked on this channel"
# The three above are stored as they are, for staff; a visitor reads them in the conversation's language.
SHOWN = {
    "es": {
        EITHER_OFFICE: "Cualquiera de los dos",
        NOT_GIVEN: "No indicado",
        NOT_ASKED: "No se pregunta por este canal",
    },
}
EITHER_BUTTON = {"en": "Either is fine", "es": "Cualquiera de los dos"}
BOOKING_FIELDS = ("name", "contact", "office", "preferred_times", "visit_reason")
BOOKING_SLOTS = BOOKING_FIELDS + ("phone", "email", "contact_consent")

_EITHER = re.compile(
    r"\b(either|any|both|whichever|no preference|doesn'?t matter|don'?t mind|dont care|closest|nearest"
    r"|cualquiera|cualquier|los dos|las dos|ambos|ambas|(me )?da igual|me es igual|no importa|sin preferencia"
    r"|no tengo preferencia|el que sea|la que sea|m[aá]s cerca(no|na)?)\b",
    re.I,
)
# Messages that always interrupt the form, whatever slot is being asked for.
HARD_INTERRUPTIONS = frozenset(
    {"crisis", "stop", "human_handoff", "correct_booking", "bot_challenge", "medical_question", "nlu_fallback"}
)
# Words that mean "stop the form" whatever a classifier thinks.
_COMMAND = re.compile(
    r"^\W*(please\s+)?(cancel|stop|quit|exit|never\s*mind|nevermind|nvm|forget (it|this|that)|scratch that|"
    r"i changed my mind)\b"
    r"|^\W*(por favor,?\s+)?(cancel(ar|a|e|o|elo|ela)?|parar|detener|basta|salir|olv[ií]d(a|e)lo|d[eé]j(a|e)lo|"
    r"ya no quiero|cambi[eé] de opini[oó]n)\b",
    re.I,
)
# Below this, the classifier may not overrule an answer that fits the question.
CONFIDENT = 0.9
# An off-topic request ("play some jazz", "book me a train to Boston") fits a name or a reason
# only by accident: whenever the classifier ranks it first it is no answer, as in the domain's
# from_text mappings (domain/forms.yml); the form's rule answers it and asks the question again.
OFF_TOPIC = "out_of_scope"
# Spanish opens a question with "¿", and only a question word carries an accent ("cómo", not "como").
_QUESTION = re.compile(
    r"\?\s*$|^\s*¿|^\s*(what|how|why|when|where|who|which|is|are|can|could|do|does|will|would|should|may"
    r"|qué|cómo|cuándo|dónde|cuál|cuáles|cuánto|cuánta|cuántos|cuántas|quién|quiénes|por qué)\b",
    re.I,
)
# A bare "no" (or "no, thanks") leaves the reason out; a reason may start with "no" ("no puedo dormir").
_SKIP = re.compile(
    r"^\s*(skip|no(?=\W*$|\W+(thanks|thank you|gracias|i'?d rather not|rather not|not now|prefiero no|ahora no)\b)"
    r"|nope|none|n/?a|not now|rather not|i'?d rather not|prefer not( to)?( say)?|pass|nothing"
    r"|omitir|om[ií]tal[oa]|saltar|prefiero no( decirlo)?|mejor no|ahora no)\b"
    r"|^\s*(nada|ninguno|ninguna|paso)\W*$",
    re.I,
)
# Yes or no to "may the team contact you?" in words, whatever the classifier made of them.
_YES = re.compile(r"^\W*(yes|s[ií]|claro|por supuesto|de acuerdo|est[aá] bien|vale|adelante|perfecto)\b", re.I)
_NO = re.compile(r"^\W*no(\W*$|\W+(thanks|thank you|gracias|quiero|prefiero que no)\b)", re.I)

# Words that say which booking detail the person wants to change.
_FIELD_WORDS = {
    "name": r"\b(name|nombre)\b",
    "contact": r"\b(phone|number|e-?mail|contact|cell|mobile|tel[eé]fono|n[uú]mero|correo|contacto|celular|m[oó]vil)\b",
    # or an office's name, from the profile
    "office": r"\b(office|location|clinic|oficina|consultorio|sede|cl[ií]nica|ubicaci[oó]n|lugar)\b",
    "preferred_times": r"\b(time|times|day|days|date|when|morning|afternoon|evening|schedule"
    r"|horas?|horario|d[ií]as?|fecha|cu[aá]ndo|ma[nñ]anas?|tardes?|noches?)\b",
    "visit_reason": r"\b(reason|why|motivo|raz[oó]n)\b",
}


def shown(value: Any, language: str) -> Any:
    """A booking value as the visitor reads it: the assistant's own stored words in their language."""
    return SHOWN.get(language, {}).get(value, value)


def typed_yes_or_no(text: str) -> Optional[bool]:
    """ "sí", "claro", "no, gracias": True, False, or None when the words say neither."""
    if _YES.match(text or ""):
        return True
    return False if _NO.match(text or "") else None


def match_office(text: str) -> Optional[str]:
    """ "westport pls", "la de Westport" -> "Westport"; "either", "me da igual" -> "Either office"; typos tolerated."""
    offices = load_profile().office_names
    words = re.findall(r"[a-z]+", (text or "").lower())
    for word in words:
        close = difflib.get_close_matches(word, [o.lower() for o in offices], n=1, cutoff=0.75)
        if close:
            return next(o for o in offices if o.lower() == close[0])
    if _EITHER.search(text or ""):
        return EITHER_OFFICE
    return None


def answer_to(tracker: Tracker, slot: str) -> Optional[str]:
    """The latest message as an answer to ``slot``, unless it is clearly something else.

    A form question is answered in the person's own words, and answers can
    look like other intents: "Robert'); DROP TABLE ..." reads like "drop it"
    (stop), "westport please" like a question about locations. The extract_*
    methods take a message that *fits* the slot as its answer, except when it
    is a crisis, an explicit command, a question, off-topic, or the classifier
    is confident it is one of the interruptions.
    """
    if tracker.get_slot("requested_slot") != slot:
        return None
    latest = tracker.latest_message
    intent = latest.get("intent") or {}
    text = (latest.get("text") or "").strip()
    if not text or intent.get("name") == "crisis" or _COMMAND.search(text) or _QUESTION.search(text):
        return None
    if intent.get("name") == OFF_TOPIC:
        return None
    if intent.get("name") in HARD_INTERRUPTIONS and float(intent.get("confidence") or 0) >= CONFIDENT:
        return None
    return text


def field_named_in(text: str) -> Optional[str]:
    for field, pattern in _FIELD_WORDS.items():
        if re.search(pattern, text or "", re.I):
            return field
        if field == "office" and match_office(text) not in (None, EITHER_OFFICE):
            return field
    return None


class ContactValidation:
    """Contact extraction and validation shared by the booking and the escalation forms."""

    async def extract_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = answer_to(tracker, "contact")
        return {"contact": text} if text and parse_contact(text).found else {}

    def validate_contact(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        details = parse_contact(str(slot_value or ""))
        if details.found:
            return {
                "contact": details.describe(phrase("and", language_of(tracker))),
                "phone": details.phone,
                "email": details.email,
            }
        say(dispatcher, tracker, "utter_invalid_contact")
        return {"contact": None}


class ValidateAppointmentForm(ContactValidation, FormValidationAction):
    def name(self) -> Text:
        return "validate_appointment_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """No reason-of-visit question on a channel that cannot carry health information, even after a correction."""
        if channel_rule(tracker).carries_health_information:
            return domain_slots
        return [slot for slot in domain_slots if slot != "visit_reason"]

    async def extract_preferred_times(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Keep "next Tuesday at 3pm" from the message that started the booking.

        Only that message: in later answers spaCy also reads digits of a phone
        number ("0147") as a time.
        """
        latest = tracker.latest_message
        if tracker.get_slot("preferred_times") or (latest.get("intent") or {}).get("name") != "request_appointment":
            return {}
        when = [e["value"] for e in latest.get("entities", []) if e.get("entity") in ("DATE", "TIME")]
        return {"preferred_times": " ".join(when)} if when else {}

    async def extract_contact_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A yes or no typed in words ("sí", "no, gracias"); an answer that is neither: ask again."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = answer_to(tracker, "contact_consent")
        if intent in ("affirm", "deny") or text is None:
            return {}
        return {"contact_consent": typed_yes_or_no(text)}

    async def extract_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = answer_to(tracker, "name")
        return {"name": text} if text and normalise_name(text) else {}

    async def extract_office(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """An office named in answer to the question, or in the message that started the booking."""
        latest = tracker.latest_message
        if (latest.get("intent") or {}).get("name") == "request_appointment" and not tracker.get_slot("office"):
            office = match_office(latest.get("text") or "")
            return {"office": office} if office and office != EITHER_OFFICE else {}
        text = answer_to(tracker, "office")
        return {"office": text} if text and match_office(text) else {}

    async def extract_visit_reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Any answer to the reason question that is not a question or an interruption.

        Reasons name conditions ("depression that isn't responding to meds"),
        which the classifier may read as a FAQ topic, so the classifier is not
        asked; "skip" (the button) is always a way to leave it out.
        """
        latest_text = (tracker.latest_message.get("text") or "").strip()
        if tracker.get_slot("requested_slot") == "visit_reason" and _SKIP.match(latest_text):
            return {"visit_reason": NOT_GIVEN}
        text = answer_to(tracker, "visit_reason")
        return {"visit_reason": text} if text else {}

    def validate_name(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        asked = tracker.get_slot("requested_slot") == "name"
        # A guess from the first message comes from spaCy's English recogniser, which takes Spanish
        # words for names ("quisiera pedir una cita"): in Spanish, only an answer to the question counts.
        guessed_in_spanish = not asked and language_of(tracker) == "es"
        name = None if intent in ("affirm", "deny") or guessed_in_spanish else normalise_name(str(slot_value or ""))
        # spaCy's small model sometimes tags a place ("Westport") as a PERSON.
        if name and name.lower() not in (office.lower() for office in load_profile().office_names):
            return {"name": name}
        if asked:  # not for a guess from the first message
            say(dispatcher, tracker, "utter_invalid_name")
        return {"name": None}

    def validate_office(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        office = match_office(str(slot_value or ""))
        if office:
            return {"office": office}
        say(dispatcher, tracker, "utter_invalid_office")
        return {"office": None}

    def validate_preferred_times(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The last question before the reason of the visit, so where a channel without health
        information says, once, why that question is left out."""
        text = str(slot_value or "").strip()
        if not text:
            return {"preferred_times": None}
        channel = channel_rule(tracker)
        if channel.carries_health_information or tracker.get_slot("visit_reason"):
            return {"preferred_times": text}
        say(dispatcher, tracker, "utter_no_health_details_here", channel_label=channel.label_in(language_of(tracker)))
        return {"preferred_times": text, "visit_reason": NOT_ASKED}

    def validate_visit_reason(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = str(slot_value or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not text or intent == "deny" or _SKIP.match(text):
            return {"visit_reason": NOT_GIVEN}
        return {"visit_reason": text}

    def validate_contact_consent(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if slot_value is True:
            return {"contact_consent": True}
        if slot_value is False:
            say(dispatcher, tracker, "utter_consent_needed")
        return {"contact_consent": None}  # the form asks again


def booking_details(tracker: Tracker) -> Dict[str, Any]:
    """The request as stored: exactly what the person confirmed in the summary."""
    reason = tracker.get_slot("visit_reason")
    return {
        "name": tracker.get_slot("name"),
        "phone": tracker.get_slot("phone"),
        "email": tracker.get_slot("email"),
        "office": tracker.get_slot("office"),
        "preferred_times": tracker.get_slot("preferred_times"),
        "reason": None if reason in (NOT_GIVEN, NOT_ASKED) else reason,
        "consent": bool(tracker.get_slot("contact_consent")),
    }


class ActionAskOffice(Action):
    """The form's office question, with one button per office in the clinic profile."""

    def name(self) -> Text:
        return "action_ask_appointment_form_office"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        either = EITHER_BUTTON[language_of(tracker)]
        choices = load_profile().office_names + [EITHER_OFFICE]
        buttons = [
            {"title": either if c == EITHER_OFFICE else c, "payload": f'/inform{{"office": "{c}"}}'} for c in choices
        ]
        say(dispatcher, tracker, "utter_ask_office", buttons=buttons)
        return []


class ActionBookingSummary(Action):
    def name(self) -> Text:
        return "action_booking_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reason = tracker.get_slot("visit_reason") or (
            NOT_GIVEN if channel_rule(tracker).carries_health_information else NOT_ASKED
        )
        language = language_of(tracker)
        office = shown(tracker.get_slot("office"), language)
        say(dispatcher, tracker, "utter_booking_summary", office=office, visit_reason=shown(reason, language))
        return []


class ActionSubmitAppointment(Action):
    def name(self) -> Text:
        return "action_submit_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        details = booking_details(tracker)
        if not details["consent"] or not (details["phone"] or details["email"]):
            # A summary was confirmed without a complete form: ask for what is missing.
            return [FollowupAction("appointment_form")]
        try:
            result = default_store().submit_appointment(
                tracker.sender_id, channel_of(tracker), details, language=language_of(tracker)
            )
        except Exception:
            logger.exception("storing an appointment request failed for sender %s", tracker.sender_id)
            say(dispatcher, tracker, "utter_storage_failed")
            return []
        logger.info("appointment request %s (%s)", result.reference, "new" if result.created else "repeat")
        response = "utter_booking_submitted" if result.created else "utter_booking_already_submitted"
        say(dispatcher, tracker, response, reference=result.reference)
        return [SlotSet("appointment_reference", result.reference)]


class ActionCorrectBooking(Action):
    """Clear the detail the person wants to change and re-ask only that one."""

    def name(self) -> Text:
        return "action_correct_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        field = tracker.get_slot("booking_field")
        if field not in BOOKING_FIELDS:
            field = field_named_in(tracker.latest_message.get("text") or "")
        if field is None:
            say(dispatcher, tracker, "utter_ask_which_field")
            return [SlotSet("booking_field", None)]
        cleared = [SlotSet(field, None), SlotSet("booking_field", None), SlotSet("appointment_reference", None)]
        if field == "contact":
            cleared += [SlotSet("phone", None), SlotSet("email", None), SlotSet("contact_consent", None)]
        return cleared + [FollowupAction("appointment_form")]


class ActionCancelBooking(Action):
    def name(self) -> Text:
        return "action_cancel_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        say(dispatcher, tracker, "utter_booking_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(s, None) for s in BOOKING_SLOTS]
