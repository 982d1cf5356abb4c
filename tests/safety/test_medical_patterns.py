"""The deterministic medical safety net, on phrasings written apart from its rules."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import yaml

from safety.medical_patterns import detect_medical, rule_names

CASES = yaml.safe_load((Path(__file__).parent / "medical_cases.yml").read_text(encoding="utf-8"))
PERSONAL: List[str] = CASES["personal"]
GENERAL: List[str] = CASES["general"]


def test_case_file_is_large_enough_to_mean_something() -> None:
    assert len(PERSONAL) >= 80 and len(GENERAL) >= 80
    assert not set(PERSONAL) & set(GENERAL)


@pytest.mark.parametrize("text", PERSONAL)
def test_flags_a_personal_medical_question(text: str) -> None:
    assert detect_medical(text) is not None


@pytest.mark.parametrize("text", GENERAL)
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
    fired = {signal.rule for signal in map(detect_medical, PERSONAL) if signal}
    assert set(rule_names()) - fired == set()
