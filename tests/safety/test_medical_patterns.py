"""The deterministic medical safety net, on phrasings written apart from its rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

import pytest
import yaml

from safety import medical_patterns_es
from safety.medical_patterns import detect_medical, rule_names

CASES = yaml.safe_load((Path(__file__).parent / "medical_cases.yml").read_text(encoding="utf-8"))
PERSONAL: List[str] = CASES["personal"]
GENERAL: List[str] = CASES["general"]
SPANISH_PERSONAL: List[str] = CASES["spanish_personal"]
SPANISH_GENERAL: List[str] = CASES["spanish_general"]


def test_case_file_is_large_enough_to_mean_something() -> None:
    assert len(PERSONAL) >= 80 and len(GENERAL) >= 80
    assert not set(PERSONAL) & set(GENERAL)
    assert len(SPANISH_PERSONAL) >= 30 and len(SPANISH_GENERAL) >= 30
    assert not set(SPANISH_PERSONAL) & set(SPANISH_GENERAL)


@pytest.mark.parametrize("text", PERSONAL + SPANISH_PERSONAL)
def test_flags_a_personal_medical_question(text: str) -> None:
    assert detect_medical(text) is not None


@pytest.mark.parametrize("text", GENERAL + SPANISH_GENERAL)
def test_leaves_general_questions_bookings_and_crises_alone(text: str) -> None:
    assert detect_medical(text) is None


@pytest.mark.parametrize("text", ["", None, "   ", "🙂", "<script>alert(1)</script>", "x" * 20000, "i " * 10000])
def test_empty_odd_and_huge_input_is_handled(text: str) -> None:
    assert detect_medical(text) is None


def test_case_and_curly_quotes_do_not_hide_it() -> None:
    assert detect_medical("I’M ON LITHIUM, CAN I HAVE KETAMINE?") is not None


def test_signal_names_category_and_rule_but_never_the_text() -> None:
    signal = detect_medical("I take lithium, can I have ketamine?")
    assert signal is not None and (signal.category, signal.rule) == ("medication", "takes_medication")
    assert "lithium" not in repr(signal)


def test_a_crisis_is_never_reported_as_a_medical_question() -> None:
    """The crisis net owns these: a medical verdict here would only blur why the intent was set."""
    assert detect_medical("I'm going to take all my lithium tonight to end it") is None


def test_every_rule_fires_on_some_message() -> None:
    """A rule whose pattern can never match (a typo in a regex) would fail silently without this."""
    fired = {signal.rule for signal in map(detect_medical, PERSONAL + SPANISH_PERSONAL) if signal}
    assert set(rule_names()) - fired == set()


def test_spanish_states_the_person_with_the_verb() -> None:
    """Spanish drops the pronoun: "tomo litio" is the writer's own medication, in the English category."""
    signal = detect_medical("tomo litio, ¿puedo hacerme la infusión?")
    assert signal is not None and (signal.category, signal.rule) == ("medication", "es_takes_medication")


def test_a_spanish_crisis_is_never_reported_as_a_medical_question() -> None:
    assert detect_medical("voy a tomarme todas mis pastillas de litio esta noche") is None


def test_no_spanish_rule_lost_a_regex_repeat_to_f_string_formatting() -> None:
    """In an rf-string "{0,2}" becomes the Python set "{0, 2}", which silently matches nothing."""
    patterns = [pattern.pattern for _, rules in medical_patterns_es.CATEGORIES for _, pattern in rules]
    assert not [pattern for pattern in patterns if re.search(r"\{\d+, \d+\}", pattern)]
