"""languages.detection: a clear message gets its language, one that cannot tell gets None."""

from __future__ import annotations

import time
from typing import Optional

import pytest

from languages.detection import detect
from scripts.language_benchmark import labelled


@pytest.mark.parametrize(("text", "language"), labelled())
def test_the_labelled_messages_get_their_language_or_none(text: str, language: Optional[str]) -> None:
    assert detect(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hello, quiero una cita", "es"),
        ("can I get una cita para mañana", "es"),
        ("necesito un refill de mi prescription", "es"),
        ("ok thanks", "en"),
    ],
)
def test_code_switching_goes_to_the_language_that_carries_the_sentence(text: str, language: str) -> None:
    assert detect(text) == language


@pytest.mark.parametrize(
    "text",
    ["my appointment es el lunes", "Spanglish: I need una cita", "ok gracias", "si claro", "lol ok"],
)
def test_an_even_mix_or_a_two_word_reply_decides_nothing(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("cuanto cuesta una sesion", "es"),
        ("que pasa si falto a una cita", "es"),
        ("donde estan ubicados", "es"),
        ("hablas espanol", "es"),
        ("i dont understand how this works", "en"),
    ],
)
def test_missing_accents_and_apostrophes_do_not_matter(text: str, language: str) -> None:
    assert detect(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [("NECESITO HABLAR CON ALGUIEN AHORA", "es"), ("CAN I SPEAK TO SOMEONE NOW", "en")],
)
def test_capitals_are_read_as_words_not_as_names(text: str, language: str) -> None:
    assert detect(text) == language


@pytest.mark.parametrize("text", ["María González", "Dr. Ramírez", "Los Angeles", "ok ok ok ok", "hola hola hola"])
def test_names_and_repeated_words_decide_nothing(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01", "🙂🙂🙂", "<script>alert('hola')</script>", "<b></b><i></i>", "a" * 10_000, "12345 67890"],
)
def test_hostile_input_decides_nothing(text: str) -> None:
    assert detect(text) is None


def test_markup_is_ignored_and_the_words_inside_still_count() -> None:
    assert detect("<p>Quisiera una <b>cita</b></p>") == "es"


def test_a_ten_thousand_character_message_is_judged_on_its_start_in_a_few_milliseconds() -> None:
    text = "quiero una cita para el martes " * 330 + "I would like an appointment on tuesday " * 5
    detect(text)
    started = time.perf_counter()
    assert detect(text) == "es"
    assert time.perf_counter() - started < 0.05
