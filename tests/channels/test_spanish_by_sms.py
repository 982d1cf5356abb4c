"""Everything by SMS in Spanish as in English: an answer, a booking to its reference, a medical question,
a crisis and a handoff, against the running assistant and the stand-in for Twilio's API."""

from __future__ import annotations

import re
from typing import List

import pytest

from tests.channels.conftest import Channels, new_number

REFERENCE = re.compile(r"(?:reference number is|número de referencia es) (A-[A-Z0-9]+)")


def joined(replies: List[str]) -> str:
    return "\n".join(replies)


def test_a_question_in_spanish_is_answered_in_spanish_with_spanish_options(channels: Channels) -> None:
    reply = joined(channels.text(new_number(), "hola, la ketamina no es una droga de fiesta?"))
    assert "ketamina" in reply and " the " not in reply
    assert "Responda 1 para" in reply and "Reply 1 for" not in reply


def test_a_booking_by_sms_in_spanish_from_start_to_reference_number(channels: Channels) -> None:
    sender = new_number()
    assert (
        "¿cómo quiere que le llame el equipo?" in channels.text(sender, "hola, quisiera pedir una cita por favor")[-1]
    )
    assert "teléfono o correo" in channels.text(sender, "Ana García")[-1]
    [office] = channels.text(sender, "203 555 0147")
    assert "¿Qué consultorio le queda mejor?" in office
    assert "Responda 1 para Stamford; 2 para Westport; 3 para Cualquiera de los dos." in office
    assert "¿Qué días y horas" in channels.text(sender, "2")[-1]  # 2 = Westport
    assert "en qué busca ayuda" in channels.text(sender, "los martes por la tarde")[-1]
    assert "se comunique con usted" in channels.text(sender, "omitir")[-1]
    [summary] = channels.text(sender, "sí")
    assert "Esta es su solicitud:" in summary and "Consultorio: Westport" in summary
    [done] = channels.text(sender, "1")  # 1 = Sí, envíela
    reference = REFERENCE.search(done).group(1)
    assert "Su solicitud ya está enviada" in done
    [row] = channels.rows(
        "SELECT channel, name, office, language FROM appointment_requests WHERE reference = :r", r=reference
    )
    assert tuple(row) == ("twilio", "Ana García", "Westport", "es")


@pytest.mark.parametrize(
    "message, says",
    [
        ("tomo litio todos los dias, puedo hacerme la infusion de ketamina?", "debe responderla un profesional"),
        ("I take lithium every day, can I still have a ketamine infusion?", "one a clinician should answer"),
    ],
)
def test_a_personal_medical_question_goes_to_a_clinician_in_the_visitors_language(
    channels: Channels, message: str, says: str
) -> None:
    assert says in joined(channels.text(new_number(), message))


@pytest.mark.parametrize(
    "message, says, language",
    [
        ("ya no quiero vivir, quisiera dormirme y no despertar", "marque 2", "es"),
        ("i don't want to live anymore, i wish i could sleep and not wake up", "988", "en"),
    ],
)
def test_a_crisis_gets_help_at_once_in_the_visitors_language_and_an_urgent_alert_saying_it(
    channels: Channels, message: str, says: str, language: str
) -> None:
    sender = new_number()
    reply = joined(channels.text(sender, message))
    assert "988" in reply and "911" in reply and says in reply
    [row] = channels.rows(
        "SELECT urgency, language FROM escalations WHERE sender_id = :s ORDER BY id DESC LIMIT 1", s=sender
    )
    assert tuple(row) == ("urgent", language)


def test_a_spanish_medical_question_by_sms_becomes_an_escalation_staff_see_as_spanish(channels: Channels) -> None:
    sender = new_number()
    channels.text(sender, "estoy embarazada, puedo hacerme la infusion de ketamina?")
    done = joined(channels.text(sender, "al 203 555 0188 por favor"))
    assert "le he pasado esto al equipo" in done and "(203) 555-0188" in done
    reference = re.search(r"referencia (E-[A-Z0-9]+)", done).group(1)
    [row] = channels.rows("SELECT kind, language, phone FROM escalations WHERE reference = :r", r=reference)
    assert tuple(row) == ("medical", "es", "+12035550188")


def test_a_spanish_medical_emergency_is_told_to_call_911_first(channels: Channels) -> None:
    reply = channels.text(new_number(), "mi esposo se desmayó después de la infusión y no responde")
    assert reply[0].startswith("Llame al 911 ahora")


def test_a_handoff_in_spanish_takes_contact_details_and_tells_staff_in_spanish(channels: Channels) -> None:
    sender = new_number()
    reply = joined(channels.text(sender, "quiero hablar con una persona del equipo, por favor"))
    assert "Por supuesto, le comunico con el equipo de la clínica." in reply and "Reply 1" not in reply


def test_a_crisis_in_the_middle_of_a_spanish_booking_gets_spanish_help_and_the_booking_stops(
    channels: Channels,
) -> None:
    sender = new_number()
    channels.text(sender, "buenas tardes, quiero sacar una cita")
    assert "teléfono o correo" in channels.text(sender, "Rosa Martínez")[-1]
    reply = joined(channels.text(sender, "la verdad ya no aguanto mas, me quiero matar"))
    assert "988" in reply and "marque 2" in reply and "teléfono o correo" not in reply
    [row] = channels.rows(
        "SELECT urgency, language FROM escalations WHERE sender_id = :s ORDER BY id DESC LIMIT 1", s=sender
    )
    assert tuple(row) == ("urgent", "es")
