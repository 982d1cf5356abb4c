"""Medical questions, handoffs and crises are stored for staff, never answered."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.escalation import DECLINED, ActionStartEscalation, ActionSubmitEscalation, ValidateEscalationForm
from actions.faq import ActionAnswerFaq, ActionFallback, faq_response
from actions.safety import ActionCheckRisk, ActionEscalateCrisis
from records.models import Escalation
from records.store import Store
from tests.actions.helpers import texts_of, tracker

CONVERSATION = [
    {
        "event": "user",
        "text": "is ketamine safe",
        "parse_data": {"intent": {"name": "faq"}},
        "message_id": "m-1",
        "timestamp": 1.0,
    },
    {"event": "bot", "text": "Ketamine has been used in medicine for decades...", "timestamp": 2.0},
    {
        "event": "user",
        "text": "i cant do this anymore, i have pills saved",
        "parse_data": {"intent": {"name": "crisis"}},
        "message_id": "m-2",
        "input_channel": "socketio",
        "timestamp": 3.0,
    },
]


def run(action: Any, t: Any, domain: DomainDict) -> tuple:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, domain))
    return events, dispatcher


def only_escalation(store: Store) -> Escalation:
    with store.session() as session:
        [row] = session.query(Escalation).all()
        return row


def test_crisis_stores_an_urgent_escalation_with_the_transcript(store: Store, domain: DomainDict) -> None:
    t = tracker(
        "i cant do this anymore, i have pills saved",
        intent="crisis",
        events=CONVERSATION,
        slots={"phone": "+12035550147"},
    )
    _, dispatcher = run(ActionEscalateCrisis(), t, domain)
    row = only_escalation(store)
    assert (row.kind, row.urgency, row.channel, row.phone) == ("crisis", "urgent", "socketio", "+12035550147")
    assert json.loads(row.transcript)[0]["text"] == "is ketamine safe"
    assert texts_of(dispatcher) == ["utter_alert_team", "utter_alert_hours_unknown", "utter_crisis_check_in"]


def test_crisis_mid_form_stops_the_form(store: Store, domain: DomainDict) -> None:
    t = tracker("i want to die", intent="crisis", events=CONVERSATION, active_loop="appointment_form")
    events, _ = run(ActionEscalateCrisis(), t, domain)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


def test_if_the_database_fails_the_check_in_is_sent_and_nobody_is_said_to_be_told(
    store: Store, monkeypatch: pytest.MonkeyPatch, domain: DomainDict
) -> None:
    monkeypatch.setattr(store, "submit_escalation", lambda **_: (_ for _ in ()).throw(RuntimeError("disk full")))
    _, dispatcher = run(ActionEscalateCrisis(), tracker("i want to die", intent="crisis", events=CONVERSATION), domain)
    assert texts_of(dispatcher) == ["utter_alert_failed", "utter_crisis_check_in"]


def test_medical_question_is_acknowledged_without_advice_and_remembered(domain: DomainDict) -> None:
    events, dispatcher = run(
        ActionStartEscalation(), tracker("can I take this with lithium", intent="medical_question"), domain
    )
    assert texts_of(dispatcher) == ["utter_medical_question"]
    slots = {e["name"]: e["value"] for e in events}
    assert slots["escalation_kind"] == "medical" and slots["escalation_question"] == "can I take this with lithium"


def test_declining_to_give_contact_is_accepted(domain: DomainDict) -> None:
    form = ValidateEscalationForm()
    assert form.validate_contact("no thanks", CollectingDispatcher(), tracker("no thanks", intent="deny"), domain) == {
        "contact": DECLINED
    }


def test_escalation_is_stored_with_contact_and_question(store: Store, domain: DomainDict) -> None:
    slots = {
        "escalation_kind": "medical",
        "escalation_question": "can I take this with lithium",
        "escalation_trigger": "m-7",
        "phone": "+12035550147",
        "contact": "(203) 555-0147",
    }
    _, dispatcher = run(ActionSubmitEscalation(), tracker("203 555 0147", slots=slots), domain)
    row = only_escalation(store)
    assert (row.kind, row.urgency, row.question, row.phone) == (
        "medical",
        "normal",
        "can I take this with lithium",
        "+12035550147",
    )
    assert texts_of(dispatcher) == ["utter_escalation_submitted"]


def test_escalation_without_contact_is_still_stored_and_points_to_the_clinic(store: Store, domain: DomainDict) -> None:
    slots = {"escalation_kind": "handoff", "escalation_question": "can i talk to a person", "contact": DECLINED}
    _, dispatcher = run(ActionSubmitEscalation(), tracker("no", intent="deny", slots=slots), domain)
    assert only_escalation(store).kind == "handoff"
    assert texts_of(dispatcher) == ["utter_escalation_submitted_no_contact"]


@pytest.mark.parametrize("text, intent", [("no, gracias", "thank"), ("No", "inform"), ("no quiero", "out_of_scope")])
def test_a_spanish_visitor_declining_to_give_contact_in_words_is_accepted_whatever_the_classifier_said(
    text: str, intent: str, domain: DomainDict
) -> None:
    t = tracker(text, intent=intent, slots={"language": "es", "escalation_kind": "handoff"})
    assert ValidateEscalationForm().validate_contact(text, CollectingDispatcher(), t, domain) == {"contact": DECLINED}


def test_a_spanish_escalation_is_stored_and_the_visitor_is_pointed_to_the_clinic_in_spanish(
    store: Store, domain: DomainDict
) -> None:
    start = tracker("quiero hablar con una persona", intent="human_handoff", slots={"language": "es"})
    events, started = run(ActionStartEscalation(), start, domain)
    [handoff] = started.messages
    assert handoff["response"] == "utter_handoff" and handoff["contact_sentence"].startswith("No tengo a mano")
    slots = {"language": "es", "contact": DECLINED, **{e["name"]: e["value"] for e in events}}
    _, dispatcher = run(ActionSubmitEscalation(), tracker("no, gracias", intent="deny", slots=slots), domain)
    row = only_escalation(store)
    assert (row.kind, row.question) == ("handoff", "quiero hablar con una persona")
    [submitted] = dispatcher.messages
    assert submitted["response"] == "utter_escalation_submitted_no_contact"
    assert submitted["reach_us_sentence"] == (
        "Para comunicarse usted con la clínica, use el teléfono que aparece en su sitio web."
    )


def test_each_faq_topic_is_answered_by_its_own_response() -> None:
    responses = {"utter_myth_safety": [], "utter_onset_speed": []}
    assert faq_response({"intent": {"name": "myth_safety"}}, responses) == "utter_myth_safety"
    assert faq_response({"intent": {"name": "unknown_topic"}}, responses) is None
    assert faq_response({}, responses) is None


def test_a_keyed_theme_is_answered_by_the_key_the_nlu_selected_else_by_its_general_answer() -> None:
    responses = {"utter_what_to_expect/general": [], "utter_what_to_expect/driving_home": []}
    selected = {"what_to_expect": {"response": {"intent_response_key": "what_to_expect/driving_home"}}}
    asked = {"intent": {"name": "what_to_expect"}, "response_selector": selected}
    assert faq_response(asked, responses) == "utter_what_to_expect/driving_home"
    assert faq_response({"intent": {"name": "what_to_expect"}}, responses) == "utter_what_to_expect/general"
    unknown_key = {"what_to_expect": {"response": {"intent_response_key": "what_to_expect/parking"}}}
    assert faq_response({**asked, "response_selector": unknown_key}, responses) == "utter_what_to_expect/general"


@pytest.mark.parametrize(
    ("theme", "key"),
    [
        ("spravato", "spravato/side_effects"),
        ("spravato", "spravato/vs_ketamine_infusion"),
        ("spravato", "spravato/cost_and_access"),
        ("at_home_ketamine", "at_home_ketamine/safety"),
        ("at_home_ketamine", "at_home_ketamine/troches"),
    ],
)
def test_spravato_and_at_home_ketamine_are_answered_by_their_keys(domain: DomainDict, theme: str, key: str) -> None:
    selected = {theme: {"response": {"intent_response_key": key}}}
    asked = {"intent": {"name": theme}, "response_selector": selected}
    assert faq_response(asked, domain["responses"]) == f"utter_{key}"
    assert faq_response({"intent": {"name": theme}}, domain["responses"]) == f"utter_{theme}/general"


def test_faq_answer_has_next_step_buttons_but_not_mid_form(domain: DomainDict) -> None:
    _, outside = run(ActionAnswerFaq(), tracker("is it safe", intent="myth_safety"), domain)
    _, inside = run(
        ActionAnswerFaq(), tracker("is it safe", intent="myth_safety", active_loop="appointment_form"), domain
    )
    assert [b["payload"] for b in outside.messages[0]["buttons"]] == [
        "/request_appointment",
        "/ask_another_question",
        "/human_handoff",
    ]
    assert inside.messages[0]["buttons"] == [] and texts_of(inside)[-1] == "utter_back_to_booking"
    assert outside.messages[0]["pricing_sentence"]  # clinic facts are always filled in


def test_fallback_asks_to_rephrase_once_then_offers_staff(domain: DomainDict) -> None:
    first = [{"event": "user", "text": "blorp", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    second = first + [{"event": "user", "text": "zzzt", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    _, d1 = run(ActionFallback(), tracker("blorp", intent="nlu_fallback", events=first), domain)
    _, d2 = run(ActionFallback(), tracker("zzzt", intent="nlu_fallback", events=second), domain)
    assert texts_of(d1) == ["utter_ask_rephrase"] and texts_of(d2) == ["utter_offer_staff"]


def test_an_unclear_risk_signal_gets_its_question_answered_then_one_caring_question_and_no_alert(
    store: Store, domain: DomainDict
) -> None:
    unclear = {"safety_net": {"triggered": False, "unclear": True, "answer": "conditions_treated"}}
    t = tracker("can ketamine help with suicidal thoughts?", intent="unclear_risk", extra_parse=unclear)
    _, dispatcher = run(ActionCheckRisk(), t, domain)
    assert texts_of(dispatcher) == ["utter_conditions_treated", "utter_crisis_confirm"]
    with store.session() as session:
        assert session.query(Escalation).count() == 0 and store.outbox() == []


def test_an_unclear_risk_signal_without_a_question_gets_only_the_caring_question_and_pauses_a_form(
    domain: DomainDict,
) -> None:
    unclear = {"safety_net": {"triggered": False, "unclear": True, "answer": None}}
    t = tracker("its all too heavy", intent="unclear_risk", extra_parse=unclear, active_loop="appointment_form")
    events, dispatcher = run(ActionCheckRisk(), t, domain)
    assert texts_of(dispatcher) == ["utter_crisis_confirm"]
    assert (events[0]["event"], events[0]["name"]) == ("active_loop", None)
    # Remembered, so that a no resumes the booking (data/rules.yml).
    assert {"event": "slot", "name": "paused_form", "value": "appointment_form"}.items() <= events[-1].items()


def test_an_unclear_risk_signal_outside_a_booking_pauses_nothing(domain: DomainDict) -> None:
    unclear = {"safety_net": {"triggered": False, "unclear": True, "answer": None}}
    events, _ = run(ActionCheckRisk(), tracker("its all too heavy", intent="unclear_risk", extra_parse=unclear), domain)
    assert (events[-1]["name"], events[-1]["value"]) == ("paused_form", None)


def test_a_crisis_only_the_classifier_saw_gets_the_crisis_reply_and_the_caring_question_and_no_alert(
    store: Store, domain: DomainDict
) -> None:
    sure = {"safety_net": {"triggered": False, "unclear": True, "answer": None, "crisis_reply": True}}
    t = tracker("everything feels pointless lately", intent="unclear_risk", extra_parse=sure)
    _, dispatcher = run(ActionCheckRisk(), t, domain)
    assert texts_of(dispatcher) == ["utter_crisis", "utter_crisis_confirm"]
    with store.session() as session:
        assert session.query(Escalation).count() == 0 and store.outbox() == []
