"""The appointment form's validators and the submit, correct and cancel actions."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import (
    EITHER_OFFICE,
    NOT_GIVEN,
    ActionAskOffice,
    ActionCancelBooking,
    ActionCorrectBooking,
    ActionSubmitAppointment,
    ValidateAppointmentForm,
    field_named_in,
    match_office,
)
from records.store import Store
from tests.actions.helpers import texts_of, tracker

FORM = ValidateAppointmentForm()
FILLED = {
    "name": "Maria Lopez",
    "contact": "(203) 555-0147",
    "phone": "+12035550147",
    "office": "Westport",
    "preferred_times": "weekday mornings",
    "visit_reason": NOT_GIVEN,
    "contact_consent": True,
}


def run(action: Any, t: Any, domain: DomainDict) -> tuple:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, domain))
    return events, texts_of(dispatcher)


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    "text,office",
    [
        ("Westport", "Westport"),
        ("westprot pls", "Westport"),
        ("STAMFORD", "Stamford"),
        ("either is fine", EITHER_OFFICE),
        ("whichever is closer", EITHER_OFFICE),
    ],
)
def test_office_answers_are_understood(text: str, office: str) -> None:
    assert match_office(text) == office


def test_unknown_office_is_re_asked_naming_the_real_offices(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    assert FORM.validate_office("Hartford", dispatcher, tracker("Hartford"), domain) == {"office": None}
    assert dispatcher.messages[0]["response"] == "utter_invalid_office"
    assert dispatcher.messages[0]["offices"] == "Stamford and Westport, Connecticut"


def test_contact_is_normalised_into_phone_email_and_a_display_line(domain: DomainDict) -> None:
    result = FORM.validate_contact("203.555.0147 / Jane@Example.com", CollectingDispatcher(), tracker(), domain)
    assert result == {
        "contact": "(203) 555-0147 and Jane@example.com",
        "phone": "+12035550147",
        "email": "Jane@example.com",
    }


def test_contact_without_phone_or_email_is_refused(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    assert FORM.validate_contact("call me maybe", dispatcher, tracker(), domain) == {"contact": None}
    assert texts_of(dispatcher) == ["utter_invalid_contact"]


def test_yes_is_not_a_name(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("yes", intent="affirm", slots={"requested_slot": "name"}, active_loop="appointment_form")
    assert FORM.validate_name("yes", dispatcher, t, domain) == {"name": None}
    assert texts_of(dispatcher) == ["utter_invalid_name"]


@pytest.mark.parametrize("answer", ["skip", "no", "no thanks", "no, I'd rather not", "I'd rather not say", "n/a"])
def test_visit_reason_is_optional(answer: str, domain: DomainDict) -> None:
    assert FORM.validate_visit_reason(answer, CollectingDispatcher(), tracker(answer), domain) == {
        "visit_reason": NOT_GIVEN
    }


def test_a_reason_that_starts_with_no_is_kept(domain: DomainDict) -> None:
    text = "no energy for anything since the spring"
    assert FORM.validate_visit_reason(text, CollectingDispatcher(), tracker(text), domain) == {"visit_reason": text}


def test_visit_reason_is_kept_verbatim(domain: DomainDict) -> None:
    text = "depression that hasn't improved with 3 meds <b>really</b>"
    assert FORM.validate_visit_reason(text, CollectingDispatcher(), tracker(text), domain) == {"visit_reason": text}


def test_request_is_not_sent_without_consent(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    assert FORM.validate_contact_consent(False, dispatcher, tracker("no", intent="deny"), domain) == {
        "contact_consent": None
    }
    assert texts_of(dispatcher) == ["utter_consent_needed"]


def test_date_and_time_from_the_first_message_are_kept(domain: DomainDict) -> None:
    t = tracker(
        "hi I'm John Smith, can I come next Tuesday at 3pm?",
        intent="request_appointment",
        entities=[
            {"entity": "PERSON", "value": "John Smith"},
            {"entity": "DATE", "value": "next Tuesday"},
            {"entity": "TIME", "value": "3pm"},
        ],
    )
    assert asyncio.run(FORM.extract_preferred_times(CollectingDispatcher(), t, domain)) == {
        "preferred_times": "next Tuesday 3pm"
    }


def test_times_are_not_taken_from_later_answers_such_as_a_phone_number(domain: DomainDict) -> None:
    t = tracker(
        "203 555 0147",
        intent="inform",
        entities=[{"entity": "TIME", "value": "0147"}],
        slots={"requested_slot": "contact"},
        active_loop="appointment_form",
    )
    assert asyncio.run(FORM.extract_preferred_times(CollectingDispatcher(), t, domain)) == {}


def test_an_office_is_not_a_name_even_if_spacy_says_person_and_the_guess_is_dropped_quietly(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("book at the Westport office", intent="request_appointment")
    assert FORM.validate_name("Westport", dispatcher, t, domain) == {"name": None}
    assert dispatcher.messages == []


def test_an_unclear_answer_to_consent_asks_again_without_a_refusal_message(domain: DomainDict) -> None:
    t = tracker(
        "depression mostly",
        intent="inform",
        slots={"requested_slot": "contact_consent"},
        active_loop="appointment_form",
    )
    assert asyncio.run(FORM.extract_contact_consent(CollectingDispatcher(), t, domain)) == {"contact_consent": None}
    dispatcher = CollectingDispatcher()
    assert FORM.validate_contact_consent(None, dispatcher, t, domain) == {"contact_consent": None}
    assert dispatcher.messages == []


def test_office_named_in_the_first_message_is_kept(domain: DomainDict) -> None:
    t = tracker("can i book at the westport office", intent="request_appointment")
    assert asyncio.run(FORM.extract_office(CollectingDispatcher(), t, domain)) == {"office": "Westport"}


def test_confirmed_request_is_stored_and_gets_a_reference(store: Store, domain: DomainDict) -> None:
    events, said = run(ActionSubmitAppointment(), tracker("yes", intent="affirm", slots=FILLED), domain)
    reference = slot_events(events)["appointment_reference"]
    assert said == ["utter_booking_submitted"]
    row = store.appointment(reference)
    assert (row.name, row.phone, row.office, row.reason, row.consent) == (
        "Maria Lopez",
        "+12035550147",
        "Westport",
        None,
        True,
    )


def test_confirming_twice_stores_once_and_says_so(store: Store, domain: DomainDict) -> None:
    first, _ = run(ActionSubmitAppointment(), tracker("yes", intent="affirm", slots=FILLED), domain)
    second, said = run(ActionSubmitAppointment(), tracker("yes", intent="affirm", slots=FILLED), domain)
    assert slot_events(first) == slot_events(second)
    assert said == ["utter_booking_already_submitted"] and store.counts()[0] == 1


def test_database_failure_gives_a_clear_message_not_a_crash(
    store: Store, monkeypatch: pytest.MonkeyPatch, domain: DomainDict
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(store, "submit_appointment", broken)
    events, said = run(ActionSubmitAppointment(), tracker("yes", intent="affirm", slots=FILLED), domain)
    assert events == [] and said == ["utter_storage_failed"]


def test_correcting_a_named_field_clears_it_and_resumes_the_form(domain: DomainDict) -> None:
    events, _ = run(
        ActionCorrectBooking(), tracker("change the office", intent="correct_booking", slots=FILLED), domain
    )
    assert slot_events(events)["office"] is None
    assert events[-1] == {"event": "followup", "name": "appointment_form", "timestamp": None}


def test_correcting_contact_also_clears_phone_email_and_consent(domain: DomainDict) -> None:
    events, _ = run(
        ActionCorrectBooking(),
        tracker("", intent="correct_booking", slots={**FILLED, "booking_field": "contact"}),
        domain,
    )
    assert {k: v for k, v in slot_events(events).items() if k in ("contact", "phone", "email", "contact_consent")} == {
        "contact": None,
        "phone": None,
        "email": None,
        "contact_consent": None,
    }


def test_correction_without_a_field_asks_which_one(domain: DomainDict) -> None:
    events, said = run(ActionCorrectBooking(), tracker("that's wrong", intent="correct_booking", slots=FILLED), domain)
    assert said == ["utter_ask_which_field"] and not any(e.get("event") == "followup" for e in events)


@pytest.mark.parametrize(
    "text,field",
    [
        ("wrong phone number", "contact"),
        ("typo in my email", "contact"),
        ("can I change the office", "office"),
        ("wait change the time", "preferred_times"),
        ("my name is spelled wrong", "name"),
        ("make it westport instead", "office"),
    ],
)
def test_which_field_is_understood_from_words(text: str, field: str) -> None:
    assert field_named_in(text) == field


def test_cancel_stops_the_form_and_forgets_the_details(domain: DomainDict) -> None:
    events, said = run(
        ActionCancelBooking(), tracker("cancel", intent="stop", slots=FILLED, active_loop="appointment_form"), domain
    )
    assert said == ["utter_booking_cancelled"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert all(value is None for value in slot_events(events).values())


@pytest.mark.parametrize("intent", ["individual_results", "conditions_treated", "inform"])
def test_a_reason_naming_a_condition_is_a_reason_whatever_the_classifier_said(intent: str, domain: DomainDict) -> None:
    text = "depression thats not responding to meds"
    t = tracker(text, intent=intent, slots={"requested_slot": "visit_reason"}, active_loop="appointment_form")
    assert asyncio.run(FORM.extract_visit_reason(CollectingDispatcher(), t, domain)) == {"visit_reason": text}


@pytest.mark.parametrize(
    "text,intent",
    [
        ("do you treat ptsd?", "conditions_treated"),
        ("how much does it cost", "cost_insurance"),
        ("i dont want to live anymore", "crisis"),
        ("cancel", "stop"),
        ("never mind, forget it", "stop"),
    ],
)
def test_a_question_or_interruption_at_the_reason_step_is_not_taken_as_the_reason(
    text: str, intent: str, domain: DomainDict
) -> None:
    t = tracker(text, intent=intent, slots={"requested_slot": "visit_reason"}, active_loop="appointment_form")
    assert asyncio.run(FORM.extract_visit_reason(CollectingDispatcher(), t, domain)) == {}


def test_skip_leaves_the_reason_out_even_if_classified_as_stop(domain: DomainDict) -> None:
    t = tracker("skip", intent="stop", slots={"requested_slot": "visit_reason"}, active_loop="appointment_form")
    assert asyncio.run(FORM.extract_visit_reason(CollectingDispatcher(), t, domain)) == {"visit_reason": NOT_GIVEN}


def test_a_sql_looking_name_is_a_name_even_if_it_reads_like_stop(domain: DomainDict) -> None:
    name = "Robert'); DROP TABLE appointment_requests;--"
    t = tracker(name, intent="stop", slots={"requested_slot": "name"}, active_loop="appointment_form")
    t.latest_message["intent"]["confidence"] = 0.68
    assert asyncio.run(FORM.extract_name(CollectingDispatcher(), t, domain)) == {"name": name}


@pytest.mark.parametrize("text,intent,confidence", [("cancel", "stop", 0.5), ("talk to staff", "human_handoff", 0.97)])
def test_commands_and_confident_interruptions_are_not_taken_as_a_name(
    text: str, intent: str, confidence: float, domain: DomainDict
) -> None:
    t = tracker(text, intent=intent, slots={"requested_slot": "name"}, active_loop="appointment_form")
    t.latest_message["intent"]["confidence"] = confidence
    assert asyncio.run(FORM.extract_name(CollectingDispatcher(), t, domain)) == {}


def test_a_contact_answer_is_taken_whatever_the_classifier_said(domain: DomainDict) -> None:
    t = tracker("203 555 0147 is my cell", intent="contact_info", slots={"requested_slot": "contact"})
    assert asyncio.run(FORM.extract_contact(CollectingDispatcher(), t, domain)) == {
        "contact": "203 555 0147 is my cell"
    }


def test_an_office_answer_counts_even_if_read_as_a_locations_question(domain: DomainDict) -> None:
    t = tracker(
        "westport please", intent="locations", slots={"requested_slot": "office"}, active_loop="appointment_form"
    )
    assert asyncio.run(FORM.extract_office(CollectingDispatcher(), t, domain)) == {"office": "westport please"}


def test_an_office_is_not_taken_from_a_crisis_message(domain: DomainDict) -> None:
    t = tracker("im in stamford and i want to die", intent="crisis", slots={"requested_slot": "office"})
    assert asyncio.run(FORM.extract_office(CollectingDispatcher(), t, domain)) == {}


def test_office_question_offers_the_profiles_offices_as_buttons(domain: DomainDict) -> None:
    _, said = run(ActionAskOffice(), tracker("", slots={"requested_slot": "office"}), domain)
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskOffice().run(dispatcher, tracker(""), domain))
    [message] = dispatcher.messages
    assert said == ["utter_ask_office"] and message["offices"] == "Stamford and Westport, Connecticut"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("Stamford", '/inform{"office": "Stamford"}'),
        ("Westport", '/inform{"office": "Westport"}'),
        ("Either is fine", '/inform{"office": "Either office"}'),
    ]


# Off-topic requests fit a name or a reason only by accident ("play any jazz" even names "any" office).
OFF_TOPIC = ["play some jazz", "book me a train to New York", "play any jazz you like", "weather in boston tomorrow"]


@pytest.mark.parametrize("text", OFF_TOPIC)
@pytest.mark.parametrize(
    "slot,extract",
    [
        ("name", FORM.extract_name),
        ("contact", FORM.extract_contact),
        ("office", FORM.extract_office),
        ("visit_reason", FORM.extract_visit_reason),
        ("contact_consent", FORM.extract_contact_consent),
    ],
)
def test_an_off_topic_request_mid_form_is_no_answer_however_unsure_the_classifier(
    text: str, slot: str, extract: Any, domain: DomainDict
) -> None:
    """Not taken, so the form rejects the message, the off-topic rule answers it and the question comes back."""
    t = tracker(text, intent="out_of_scope", slots={"requested_slot": slot}, active_loop="appointment_form")
    t.latest_message["intent"]["confidence"] = 0.45
    assert asyncio.run(extract(CollectingDispatcher(), t, domain)) == {}


def test_a_time_in_an_off_topic_request_is_not_a_preferred_time(domain: DomainDict) -> None:
    t = tracker(
        "set an alarm for 7",
        intent="out_of_scope",
        entities=[{"entity": "TIME", "value": "7"}],
        slots={"requested_slot": "preferred_times"},
        active_loop="appointment_form",
    )
    assert asyncio.run(FORM.extract_preferred_times(CollectingDispatcher(), t, domain)) == {}


def test_no_form_question_takes_an_off_topic_message_word_for_word(domain: DomainDict) -> None:
    """The domain's from_text mappings (the preferred times, the escalation contact) skip out_of_scope."""
    for form, spec in domain["forms"].items():
        for slot in spec["required_slots"]:
            for mapping in domain["slots"][slot]["mappings"]:
                if mapping["type"] == "from_text":
                    assert "out_of_scope" in mapping.get("not_intent", []), (form, slot)
