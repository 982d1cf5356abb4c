"""languages.decision: requests, client choices, the first clear message, two in a row."""

from __future__ import annotations

from typing import Optional, Sequence

import pytest

from languages.decision import Message, chosen_language, decide, requested


def conversation(*texts: str, current: str = "en", chosen: Optional[Sequence[Optional[str]]] = None) -> str:
    """The language after the visitor wrote texts, one decision per message as the assistant makes them.

    current is the language before the first text; chosen, the client's choice sent with each text.
    """
    choices = list(chosen) if chosen is not None else [None] * len(texts)
    messages = [Message(text, choice) for text, choice in zip(texts, choices)]
    for end in range(1, len(messages) + 1):
        current = decide(current, messages[:end])
    return current


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿habla español?", "es"),
        ("hablas espanol?", "es"),
        ("en español por favor", "es"),
        ("Español, por favor", "es"),
        ("do you speak Spanish?", "es"),
        ("Hi, can we speak Spanish please?", "es"),
        ("¿Hay alguien que hable español?", "es"),
        ("I don't speak English", "es"),
        ("no hablo inglés", "es"),
        ("Spanish?", "es"),
        ("English please", "en"),
        ("can we speak english", "en"),
        ("in English", "en"),
        ("¿habla inglés?", "en"),
        ("en inglés por favor", "en"),
        ("no hablo español", "en"),
        ("sorry I dont speak spanish", "en"),
        ("switch to english", "en"),
        ("Do you have Spanish-speaking staff?", "es"),
    ],
)
def test_an_explicit_request_names_the_language(text: str, language: str) -> None:
    assert requested(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "my mother speaks spanish",
        "English please, or Spanish please",
        "I need an appointment for my mother, she only reads Spanish and I want to know whether the "
        "consent form is available in Spanish too",
        "",
        "<b>spanish</b> " * 50,
        "quiero una cita",
    ],
)
def test_a_mention_a_long_message_or_both_languages_request_nothing(text: str) -> None:
    assert requested(text) is None


def test_a_request_decides_even_in_a_message_of_the_other_language() -> None:
    assert conversation("I need an appointment", "please can we continue in spanish") == "es"
    assert conversation("quiero una cita", "English please", current="es") == "en"


def test_a_request_wins_over_the_clients_choice_in_the_same_message() -> None:
    assert conversation("¿habla español?", chosen=["en"]) == "es"


def test_the_clients_first_choice_decides_before_the_first_message_is_read() -> None:
    assert conversation("I would like an appointment", chosen=["es"]) == "es"


def test_an_unchanged_client_choice_does_not_undo_what_the_visitors_writing_decided() -> None:
    texts = ("hola", "quiero hacer una cita", "para el martes por la tarde", "a las cuatro si se puede")
    assert conversation(*texts, chosen=["en"] * 4) == "es"


def test_a_changed_client_choice_is_the_visitor_flipping_the_switch() -> None:
    assert conversation("I would like an appointment", "I would like a consultation", chosen=["en", "es"]) == "es"


def test_the_first_clear_message_decides() -> None:
    assert conversation("ok", "hola", "quisiera información sobre el tratamiento") == "es"
    assert conversation("hola", "I would like some information", current="es") == "en"


def test_one_message_in_the_other_language_does_not_switch() -> None:
    assert conversation("I want to book a consultation", "quisiera información sobre el tratamiento") == "en"


def test_two_messages_in_a_row_in_the_other_language_switch() -> None:
    texts = ("I want to book a consultation", "perdón, mejor en mi idioma", "quisiera información sobre el precio")
    assert conversation(*texts) == "es"


def test_messages_that_tell_nothing_neither_count_nor_break_the_run() -> None:
    texts = ("I want to book a consultation", "quiero una cita", "ok", "María González", "para el martes por la tarde")
    assert conversation(*texts) == "es"


def test_button_payloads_tell_no_language() -> None:
    texts = ("quiero una cita para el martes", "/request_appointment", '/inform{"office": "Stamford"}')
    assert conversation(*texts) == "es"


def test_a_message_back_in_the_current_language_breaks_the_run() -> None:
    texts = ("I want to book a consultation", "quiero una cita", "sorry, I mean tuesday", "para el martes")
    assert conversation(*texts) == "en"


def test_a_request_starts_the_count_again() -> None:
    texts = ("quiero una cita", "English please", "para el martes por la tarde")
    assert conversation(*texts) == "en"
    assert conversation(*texts, "a las cuatro si se puede") == "es"


def test_a_client_choice_starts_the_count_again() -> None:
    texts = ("I want to book", "I would like an appointment", "for tuesday afternoon please")
    assert conversation(*texts, chosen=["en", "es", "es"]) == "es"
    assert conversation(*texts, "at four if possible", chosen=["en", "es", "es", "es"]) == "en"


@pytest.mark.parametrize("text", ["ok", "sí", "911", "", "María", "👍", "x" * 10_000, "<script>alert(1)</script>"])
def test_short_or_unsure_messages_never_switch(text: str) -> None:
    assert conversation("quiero una cita para el martes", text, current="es") == "es"
    assert conversation("I want to book for tuesday", text, current="en") == "en"


def test_no_messages_keep_the_current_language() -> None:
    assert decide("es", []) == "es"


@pytest.mark.parametrize(
    ("metadata", "language"),
    [
        ({"language": "es"}, "es"),
        ({"language": "es-MX"}, "es"),
        ({"language": "EN_us"}, "en"),
        ({"language": " en "}, "en"),
        ({"language": "fr"}, None),
        ({"language": ["es"]}, None),
        ({"language": None}, None),
        ({}, None),
        (None, None),
    ],
)
def test_the_clients_choice_is_read_from_a_language_tag(metadata: object, language: Optional[str]) -> None:
    assert chosen_language(metadata) == language  # type: ignore[arg-type]
