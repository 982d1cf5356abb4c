"""The deterministic crisis safety net, on phrasings written apart from its rules."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import yaml

from safety.crisis_patterns import detect_crisis, normalise, rule_names

CASES = yaml.safe_load((Path(__file__).parent / "crisis_cases.yml").read_text(encoding="utf-8"))
CRISIS: List[str] = CASES["crisis"]
NOT_CRISIS: List[str] = CASES["not_crisis"]


def test_case_file_is_large_enough_to_mean_something() -> None:
    assert len(CRISIS) >= 60 and len(NOT_CRISIS) >= 60
    assert not set(CRISIS) & set(NOT_CRISIS)


@pytest.mark.parametrize("text", CRISIS)
def test_flags_risk_of_suicide_self_harm_or_danger(text: str) -> None:
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_does_not_flag_idioms_and_ordinary_questions(text: str) -> None:
    assert detect_crisis(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I WANT TO KILL MYSELF",
        "i   want\tto kill   myself!!!",
        "I don’t want to live anymore",
        "i dont want to live anymore",
    ],
)
def test_case_spacing_and_curly_quotes_do_not_hide_risk(text: str) -> None:
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", ["", None, "   ", "🙂", "<script>alert(1)</script>", "x" * 20000])
def test_empty_odd_and_huge_input_is_handled(text: str) -> None:
    assert detect_crisis(text) is None


def test_signal_names_category_and_rule_but_never_the_text() -> None:
    signal = detect_crisis("I have been saving up my pills")
    assert signal is not None and signal.category == "means"
    assert "pills" not in repr(signal)


def test_normalise_folds_punctuation_and_apostrophes() -> None:
    assert normalise("I’m  NOT okay!!") == "im not okay"


SPANISH_CRISIS = [
    "Quiero morir",
    "no quiero vivir más",
    "me voy a matar esta noche",
    "quiero hacerme daño",
    "pienso en quitarme la vida",
]


@pytest.mark.parametrize("text", SPANISH_CRISIS)
def test_spanish_crisis_messages_are_flagged(text: str) -> None:
    assert detect_crisis(text) is not None


def test_every_rule_fires_on_some_message() -> None:
    """A rule whose pattern can never match (a typo in a regex) would fail silently without this."""
    extra = ["kms", "im going to hurt him if he comes back tonight"]
    fired = {detect_crisis(text).rule for text in CRISIS + SPANISH_CRISIS + extra}
    assert set(rule_names()) - fired == set()


@pytest.mark.parametrize(
    "text", ["¿La ketamina es segura?", "quiero hacer una cita en Stamford", "me duele la espalda"]
)
def test_ordinary_spanish_messages_are_not_flagged(text: str) -> None:
    assert detect_crisis(text) is None


def test_accents_are_folded() -> None:
    assert normalise("Daño, MÁS") == "dano mas"
