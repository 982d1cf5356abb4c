"""Health information stays off channels that cannot carry it (clinic/profile.yml, `channels`)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import NOT_ASKED, NOT_GIVEN, ActionBookingSummary, ValidateAppointmentForm, booking_details
from actions.escalation import ActionStartEscalation, ValidateEscalationForm
from clinic.profile import load_profile, parse_profile
from tests.actions.helpers import texts_of, tracker

FORM_SLOTS = ["name", "contact", "office", "preferred_times", "visit_reason", "contact_consent"]


def on(channel: str, text: str = "", **kwargs: Any) -> Tracker:
    """A tracker whose latest message came in over ``channel``."""
    built = tracker(text, **kwargs)
    built.events[-1]["input_channel"] = channel
    return built


def test_shipped_profile_keeps_health_information_off_messenger_and_telegram_only() -> None:
    profile = load_profile()
    carries = {
        name: profile.channel(name).carries_health_information
        for name in ("rest", "socketio", "twilio", "whatsapp", "facebook", "telegram")
    }
    assert carries == {
        "rest": True,
        "socketio": True,
        "twilio": True,
        "whatsapp": True,
        "facebook": False,
        "telegram": False,
    }
    assert profile.channel("facebook").label_in("en") == "Facebook Messenger"


def test_a_channel_missing_from_the_profile_cannot_carry_health_information() -> None:
    profile = parse_profile({"name": "Clinic", "offices": [{"name": "Stamford"}]})
    assert not profile.channel("slack").carries_health_information
    assert not profile.channel(None).carries_health_information


def test_the_rule_is_true_or_false_never_a_guess() -> None:
    with pytest.raises(ValueError, match="true or false"):
        parse_profile(
            {"name": "C", "offices": [{"name": "S"}], "channels": {"sms": {"carries_health_information": "yes"}}}
        )


@pytest.mark.parametrize("channel", ["facebook", "telegram"])
def test_booking_form_never_asks_the_reason_on_a_channel_without_health_information(
    channel: str, domain: DomainDict
) -> None:
    required = asyncio.run(
        ValidateAppointmentForm().required_slots(FORM_SLOTS, CollectingDispatcher(), on(channel), domain)
    )
    assert "visit_reason" not in required and "contact_consent" in required


@pytest.mark.parametrize("channel", ["rest", "socketio", "twilio", "whatsapp"])
def test_booking_form_asks_the_reason_where_health_information_may_travel(channel: str, domain: DomainDict) -> None:
    required = asyncio.run(
        ValidateAppointmentForm().required_slots(FORM_SLOTS, CollectingDispatcher(), on(channel), domain)
    )
    assert required == FORM_SLOTS


def test_messenger_says_once_why_the_reason_is_not_asked(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    filled = ValidateAppointmentForm().validate_preferred_times(
        "tuesdays after 4", dispatcher, on("facebook", "tuesdays after 4"), domain
    )
    assert filled == {"preferred_times": "tuesdays after 4", "visit_reason": NOT_ASKED}
    [message] = dispatcher.messages
    assert message["response"] == "utter_no_health_details_here" and message["channel_label"] == "Facebook Messenger"

    again = CollectingDispatcher()  # a corrected time later on: no second explanation
    t = on("facebook", "mornings", slots={"visit_reason": NOT_ASKED})
    assert ValidateAppointmentForm().validate_preferred_times("mornings", again, t, domain) == {
        "preferred_times": "mornings"
    }
    assert again.messages == []


def test_sms_takes_preferred_times_without_any_privacy_notice(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    filled = ValidateAppointmentForm().validate_preferred_times(
        "mornings", dispatcher, on("twilio", "mornings"), domain
    )
    assert filled == {"preferred_times": "mornings"} and dispatcher.messages == []


def test_summary_and_stored_request_say_the_reason_was_not_asked(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionBookingSummary().run(dispatcher, on("telegram", "yes"), domain))  # reason cleared by a correction
    assert dispatcher.messages[0]["visit_reason"] == NOT_ASKED
    assert booking_details(on("telegram", slots={"visit_reason": NOT_ASKED}))["reason"] is None

    web = CollectingDispatcher()
    asyncio.run(ActionBookingSummary().run(web, on("rest", "yes"), domain))
    assert web.messages[0]["visit_reason"] == NOT_GIVEN


@pytest.mark.parametrize("channel,label", [("facebook", "Facebook Messenger"), ("telegram", "Telegram")])
def test_medical_question_on_messenger_or_telegram_gets_a_call_back_and_the_reason_why(
    channel: str, label: str, domain: DomainDict
) -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(
        ActionStartEscalation().run(
            dispatcher, on(channel, "can I take it with lithium", intent="medical_question"), domain
        )
    )
    [message] = dispatcher.messages
    assert message["response"] == "utter_medical_question_no_health_details" and message["channel_label"] == label


def test_medical_question_by_sms_gets_the_usual_answer(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(
        ActionStartEscalation().run(
            dispatcher, on("twilio", "can I take it with lithium", intent="medical_question"), domain
        )
    )
    assert texts_of(dispatcher) == ["utter_medical_question"]


def test_call_back_needs_a_phone_number_not_an_email_on_messenger(domain: DomainDict) -> None:
    form, slots = ValidateEscalationForm(), {"escalation_kind": "medical"}
    dispatcher = CollectingDispatcher()
    assert form.validate_contact(
        "maria@example.com", dispatcher, on("facebook", "maria@example.com", slots=slots), domain
    ) == {"contact": None}
    assert texts_of(dispatcher) == ["utter_callback_phone_needed"]

    filled = form.validate_contact(
        "203 555 0147", CollectingDispatcher(), on("facebook", "203 555 0147", slots=slots), domain
    )
    assert filled["phone"] == "+12035550147"
    by_email_on_web = form.validate_contact(
        "maria@example.com", CollectingDispatcher(), on("rest", "maria@example.com", slots=slots), domain
    )
    assert by_email_on_web["email"] == "maria@example.com"


def test_a_spanish_conversation_hears_the_channel_and_the_clinic_facts_in_spanish(domain: DomainDict) -> None:
    dispatcher = CollectingDispatcher()
    spanish = on("line", "los martes", slots={"language": "es"})
    ValidateAppointmentForm().validate_preferred_times("los martes", dispatcher, spanish, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_no_health_details_here" and message["channel_label"] == "este canal"
    assert message["contact_sentence"].startswith("No tengo a mano el teléfono")
    assert message["offices"] == "Stamford y Westport, Connecticut"
