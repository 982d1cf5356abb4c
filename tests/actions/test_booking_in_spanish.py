"""A booking in Spanish: every question, check and summary line in Spanish, and answers typed in Spanish
("me da igual", "la de Stamford", "sí") understood as the English ones are. Stored values stay as staff read them."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import (
    EITHER_OFFICE,
    NOT_ASKED,
    NOT_GIVEN,
    ActionAskOffice,
    ActionBookingSummary,
    ActionSubmitAppointment,
    ValidateAppointmentForm,
    booking_details,
    field_named_in,
    match_office,
)
from records.store import Store
from tests.actions.helpers import rendered, tracker

FORM = ValidateAppointmentForm()
SPANISH = {"language": "es"}


def question(domain: DomainDict, response: str, slots: Dict[str, Any]) -> str:
    """A form question as the Rasa server asks it in this conversation."""
    return rendered(domain, response, {}, slots)["text"]


# The questions whose answer the domain's own from_text mapping also takes (domain/forms.yml).
FROM_TEXT = ("name", "contact", "office", "preferred_times")


def answer(slots: Dict[str, Any], slot: str, text: str, domain: DomainDict) -> List[str]:
    """The person types ``text`` in answer to the question for ``slot``, and the classifier says only "inform".

    The form's extract_<slot> takes it, or else the domain's from_text mapping; validate_<slot> then
    fills ``slots``. Returns what the validation said, as the person reads it (nothing when it was taken).
    """
    t = tracker(text, slots={**slots, "requested_slot": slot}, active_loop="appointment_form")
    dispatcher = CollectingDispatcher()
    extracted = asyncio.run(getattr(FORM, f"extract_{slot}")(dispatcher, t, domain))
    if slot in extracted or slot in FROM_TEXT:
        value = extracted.get(slot, text)
        slots.update(getattr(FORM, f"validate_{slot}")(value, dispatcher, t, domain))
    return [rendered(domain, m["response"], m, slots)["text"] for m in dispatcher.messages]


def run(action: Any, slots: Dict[str, Any], domain: DomainDict, text: str = "", intent: str = "inform") -> Any:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(text, intent=intent, slots=slots), domain))
    return events, dispatcher.messages


def test_a_spanish_booking_from_the_first_question_to_the_reference_sentence(store: Store, domain: DomainDict) -> None:
    slots: Dict[str, Any] = dict(SPANISH)
    assert question(domain, "utter_ask_appointment_form_name", slots) == (
        "Puedo enviarle al equipo una solicitud de cita. Primero, ¿cómo quiere que le llame el equipo?"
    )
    assert answer(slots, "name", "Ana García", domain) == [] and slots["name"] == "Ana García"

    assert question(domain, "utter_ask_appointment_form_contact", slots).startswith("¿A qué teléfono o correo")
    assert answer(slots, "contact", "mi número es 203 555 0147", domain) == []
    assert (slots["contact"], slots["phone"]) == ("(203) 555-0147", "+12035550147")

    _, [office_question] = run(ActionAskOffice(), slots, domain)
    shown = rendered(domain, office_question["response"], office_question, slots)
    assert shown["text"] == "¿Qué consultorio le queda mejor? Tenemos consultorios en Stamford y Westport, Connecticut."
    assert [(b["title"], b["payload"]) for b in shown["buttons"]] == [
        ("Stamford", '/inform{"office": "Stamford"}'),
        ("Westport", '/inform{"office": "Westport"}'),
        ("Cualquiera de los dos", '/inform{"office": "Either office"}'),
    ]
    assert answer(slots, "office", "me da igual", domain) == [] and slots["office"] == EITHER_OFFICE

    assert question(domain, "utter_ask_appointment_form_preferred_times", slots).startswith("¿Qué días y horas")
    assert answer(slots, "preferred_times", "los martes por la tarde", domain) == []

    reason_question = rendered(domain, "utter_ask_appointment_form_visit_reason", {}, slots)
    assert reason_question["text"].startswith("¿Quiere contarle brevemente al equipo en qué busca ayuda?")
    assert [(b["title"], b["payload"]) for b in reason_question["buttons"]] == [("Omitir", "skip")]
    assert answer(slots, "visit_reason", "omitir", domain) == [] and slots["visit_reason"] == NOT_GIVEN

    assert question(domain, "utter_ask_appointment_form_contact_consent", slots) == (
        "¿Está de acuerdo en que el equipo de la clínica se comunique con usted en (203) 555-0147 sobre esta solicitud?"
    )
    assert answer(slots, "contact_consent", "sí", domain) == [] and slots["contact_consent"] is True

    _, [summary] = run(ActionBookingSummary(), slots, domain)
    shown = rendered(domain, summary["response"], summary, slots)
    assert shown["text"] == (
        "Esta es su solicitud:\n"
        "• Nombre: Ana García\n"
        "• Contacto: (203) 555-0147\n"
        "• Consultorio: Cualquiera de los dos\n"
        "• Días y horas: los martes por la tarde\n"
        "• Motivo: No indicado\n"
        "¿Se la envío al equipo?"
    )
    assert [b["title"] for b in shown["buttons"]] == ["Sí, envíela", "Cambiar algo", "Cancelar"]

    events, [submitted] = run(ActionSubmitAppointment(), slots, domain, "sí", "affirm")
    [reference] = [e["value"] for e in events if e.get("name") == "appointment_reference"]
    assert rendered(domain, submitted["response"], submitted, slots)["text"] == (
        f"Su solicitud ya está enviada. Su número de referencia es {reference}. El equipo de Ki_Ketamine se "
        "comunicará con usted en (203) 555-0147 para darle una cita y confirmar los detalles. Para comunicarse "
        "usted con la clínica, use el teléfono que aparece en su sitio web."
    )
    # Staff read what was stored, as in English.
    row = store.appointment(reference)
    assert (row.name, row.office, row.preferred_times, row.reason) == (
        "Ana García",
        EITHER_OFFICE,
        "los martes por la tarde",
        None,
    )
    assert row.language == "es"  # so staff call back in Spanish


@pytest.mark.parametrize("language, kept", [("es", None), ("en", "Ana Lopez")])
def test_a_name_guessed_from_the_first_spanish_message_is_not_taken(
    language: str, kept: Any, domain: DomainDict
) -> None:
    """spaCy's English recogniser reads "quisiera pedir" as a PERSON; in English its guesses stand."""
    first = tracker("x", intent="request_appointment", slots={"language": language}, active_loop="appointment_form")
    taken = FORM.validate_name("Ana Lopez", CollectingDispatcher(), first, domain)
    assert taken == {"name": kept}


def test_a_phone_and_an_e_mail_are_joined_in_spanish(domain: DomainDict) -> None:
    slots: Dict[str, Any] = dict(SPANISH)
    assert answer(slots, "contact", "203 555 0147 o ana@example.com", domain) == []
    assert slots["contact"] == "(203) 555-0147 y ana@example.com"


@pytest.mark.parametrize(
    "text, office",
    [
        ("la de Stamford", "Stamford"),
        ("en westport por favor", "Westport"),
        ("cualquiera", EITHER_OFFICE),
        ("me da igual", EITHER_OFFICE),
        ("no importa", EITHER_OFFICE),
        ("la que quede más cerca", EITHER_OFFICE),
    ],
)
def test_an_office_typed_in_spanish_is_understood(text: str, office: str) -> None:
    assert match_office(text) == office


@pytest.mark.parametrize("text", ["sí", "Si", "claro que sí", "de acuerdo", "vale, está bien"])
def test_a_yes_typed_in_spanish_is_consent_whatever_the_classifier_said(text: str, domain: DomainDict) -> None:
    slots: Dict[str, Any] = {**SPANISH, "contact": "(203) 555-0147"}
    assert answer(slots, "contact_consent", text, domain) == [] and slots["contact_consent"] is True


@pytest.mark.parametrize("text", ["no", "No, gracias", "no quiero"])
def test_a_no_typed_in_spanish_is_explained_in_spanish_and_asked_again(text: str, domain: DomainDict) -> None:
    slots: Dict[str, Any] = {**SPANISH, "contact": "(203) 555-0147"}
    [said] = answer(slots, "contact_consent", text, domain)
    assert said.startswith("Lo entiendo. El equipo solo puede darle una cita si puede comunicarse con usted")
    assert slots["contact_consent"] is None


@pytest.mark.parametrize("text", ["no sé", "¿para qué lo necesitan?", "depende"])
def test_an_answer_to_consent_that_is_neither_yes_nor_no_asks_again_without_a_refusal(
    text: str, domain: DomainDict
) -> None:
    slots: Dict[str, Any] = {**SPANISH, "contact": "(203) 555-0147"}
    assert answer(slots, "contact_consent", text, domain) == [] and slots.get("contact_consent") is None


@pytest.mark.parametrize("text", ["omitir", "no", "no, gracias", "prefiero no decirlo", "nada"])
def test_a_spanish_visitor_can_leave_the_reason_out(text: str, domain: DomainDict) -> None:
    slots: Dict[str, Any] = dict(SPANISH)
    answer(slots, "visit_reason", text, domain)
    assert slots["visit_reason"] == NOT_GIVEN


@pytest.mark.parametrize("text", ["no puedo dormir y estoy muy cansado", "nada me ayuda con la depresión"])
def test_a_reason_that_starts_with_no_or_nada_is_kept(text: str, domain: DomainDict) -> None:
    slots: Dict[str, Any] = dict(SPANISH)
    answer(slots, "visit_reason", text, domain)
    assert slots["visit_reason"] == text


@pytest.mark.parametrize(
    "text", ["¿Cuánto cuesta?", "cuánto cuesta la consulta", "cancelar", "olvídelo", "por favor, cancele"]
)
def test_a_spanish_question_or_command_is_not_taken_as_an_answer(text: str, domain: DomainDict) -> None:
    t = tracker(text, slots={**SPANISH, "requested_slot": "name"}, active_loop="appointment_form")
    assert asyncio.run(FORM.extract_name(CollectingDispatcher(), t, domain)) == {}


@pytest.mark.parametrize(
    "text, field",
    [
        ("quiero cambiar mi número de teléfono", "contact"),
        ("me equivoqué en el correo", "contact"),
        ("el nombre está mal escrito", "name"),
        ("cambiar el consultorio", "office"),
        ("mejor otro día", "preferred_times"),
        ("quiero cambiar el motivo", "visit_reason"),
    ],
)
def test_which_detail_to_change_is_understood_in_spanish(text: str, field: str) -> None:
    assert field_named_in(text) == field


def test_on_a_channel_without_health_information_the_summary_says_so_in_spanish(domain: DomainDict) -> None:
    slots = {**SPANISH, "office": "Westport", "visit_reason": NOT_ASKED}
    _, [summary] = run(ActionBookingSummary(), slots, domain)
    assert (summary["office"], summary["visit_reason"]) == ("Westport", "No se pregunta por este canal")
    assert booking_details(tracker(slots=slots))["reason"] is None


def test_an_answer_that_does_not_fit_is_explained_in_spanish(domain: DomainDict) -> None:
    slots: Dict[str, Any] = dict(SPANISH)
    [contact] = answer(slots, "contact", "llámeme cuando quiera", domain)
    assert contact.startswith("No encontré un teléfono ni un correo electrónico válido en su mensaje.")
    [office] = answer(slots, "office", "Hartford", domain)
    assert office == "Tenemos consultorios en Stamford y Westport, Connecticut. ¿Cuál le queda mejor, o le da igual?"
