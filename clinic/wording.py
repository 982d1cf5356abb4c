"""The assistant's own words around the clinic's facts, in each language it speaks.

The facts themselves (a phone number, prices, hours) come from the profile; these are the
sentences that carry them, and what is said where the profile has nothing. A Spanish
conversation never falls back to English: a fact the clinic wrote only in English is, in
Spanish, one that "nuestro personal le confirmará".
"""

from __future__ import annotations

from typing import Dict

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = LANGUAGES[0]

PHRASES: Dict[str, Dict[str, str]] = {
    "en": {
        "and": " and ",
        "or": " or ",
        "addresses": "Addresses: {known}.",
        "addresses_unknown": "Our staff will confirm the exact address and directions when they contact you.",
        "call": "call {value}",
        "email": "e-mail {value}",
        "website": "request an appointment at {value}",
        "contact": "You can {ways}.",
        "contact_unknown": (
            "I don't have the clinic's phone number or e-mail on hand, but I can pass your "
            "details to the team and they'll reach out to you."
        ),
        "hours": " Office hours: {hours}.",
        "hours_unknown": " Our staff will confirm office hours when they get in touch.",
        "reach_us": "To reach the clinic yourself, {ways}.",
        "reach_us_website": "To reach the clinic yourself, see {website}.",
        "reach_us_unknown": "To reach the clinic yourself, use the phone number on its website.",
        "pricing_unknown": (
            "Our staff will confirm current prices with you directly; "
            "I don't want to quote a figure that might be out of date."
        ),
        "insurance_unknown": (
            "Insurance coverage for ketamine therapy varies, so staff will also confirm "
            "what your plan may cover and how payment works."
        ),
        "will_confirm": "Our staff will confirm {missing}.",
        "medical_team": "our medical team",
        "unlisted_channel": "this channel",
    },
    "es": {
        "and": " y ",
        "or": " o ",
        "addresses": "Direcciones: {known}.",
        "addresses_unknown": (
            "Nuestro personal le confirmará la dirección exacta y cómo llegar cuando se comunique con usted."
        ),
        "call": "llamar al {value}",
        "email": "escribir a {value}",
        "website": "pedir una cita en {value}",
        "contact": "Puede {ways}.",
        "contact_unknown": (
            "No tengo a mano el teléfono ni el correo de la clínica, pero puedo pasarle sus datos "
            "al equipo para que se comunique con usted."
        ),
        "hours": " Horario de atención: {hours}.",
        "hours_unknown": " Nuestro personal le confirmará el horario de atención cuando se comunique con usted.",
        "reach_us": "Para comunicarse usted con la clínica, puede {ways}.",
        "reach_us_website": "Para comunicarse usted con la clínica, consulte {website}.",
        "reach_us_unknown": "Para comunicarse usted con la clínica, use el teléfono que aparece en su sitio web.",
        "pricing_unknown": (
            "Nuestro personal le confirmará los precios actuales directamente; "
            "no quiero darle una cifra que pueda estar desactualizada."
        ),
        "insurance_unknown": (
            "La cobertura del seguro para la terapia con ketamina varía, así que el personal también le "
            "confirmará qué puede cubrir su plan y cómo funciona el pago."
        ),
        "will_confirm": "Nuestro personal le confirmará {missing}.",
        "medical_team": "nuestro equipo médico",
        "unlisted_channel": "este canal",
    },
}


def phrase(key: str, language: str, **values: str) -> str:
    """One of the phrases above, in ``language`` (English for a language the assistant does not speak)."""
    table = PHRASES.get(language, PHRASES[DEFAULT_LANGUAGE])
    return table[key].format(**values) if values else table[key]


def supported(language: object) -> str:
    """``language`` if the assistant speaks it, else the default: a slot or metadata value may be anything."""
    return language if isinstance(language, str) and language in LANGUAGES else DEFAULT_LANGUAGE
