"""The deterministic crisis safety net, on phrasings written apart from its rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest
import yaml

from safety import crisis_patterns_es as es
from safety.crisis_patterns import EMERGENCIES, detect_crisis, normalise, rule_names
from safety.crisis_patterns_es import normalise_es

CASES = yaml.safe_load((Path(__file__).parent / "crisis_cases.yml").read_text(encoding="utf-8"))
BY_KIND: Dict[str, List[str]] = CASES["crisis_by_kind"]
SPANISH_BY_KIND: Dict[str, List[str]] = CASES["spanish_crisis_by_kind"]
SPANISH_HELD_OUT: Dict[str, List[str]] = CASES["spanish_held_out"]["crisis_by_kind"]
SPANISH_HELD_OUT_NOT_CRISIS: List[str] = CASES["spanish_held_out"]["not_crisis"]
TRAIN_HALF: Dict[str, List[str]] = CASES["train_half"]
CRISIS: List[str] = (
    CASES["crisis"]
    + [text for texts in BY_KIND.values() for text in texts]
    + [text for texts in SPANISH_BY_KIND.values() for text in texts]
    + CASES["spanish_crisis"]
    + TRAIN_HALF["crisis"]
)
NOT_CRISIS: List[str] = (
    CASES["not_crisis"] + CASES["not_crisis_more"] + CASES["spanish_not_crisis"] + TRAIN_HALF["not_crisis"]
)

# Each kind gets its own reply later, so a case must land in a category that reply can use, in
# English and Spanish alike. An overdose may be someone else's, or already a medical emergency.
CATEGORIES_FOR_KIND: Dict[str, Set[str]] = {
    "suicidal_thoughts": {"suicide"},
    "self_harm": {"self_harm"},
    "overdose": {"means", "someone_else_at_risk", "medical_emergency"},
    "danger_from_others": {"danger_from_others", "immediate_danger"},
    "someone_else_at_risk": {"someone_else_at_risk"},
    "medical_emergency": {"medical_emergency"},
}
KIND_CASES: List[Tuple[str, str, Set[str]]] = [
    (kind, text, CATEGORIES_FOR_KIND[kind])
    for cases in (BY_KIND, SPANISH_BY_KIND)
    for kind, texts in cases.items()
    for text in texts
]


def test_case_file_is_large_enough_to_mean_something() -> None:
    assert len(CRISIS) >= 60 and len(NOT_CRISIS) >= 60
    assert not set(CRISIS) & set(NOT_CRISIS)
    assert set(BY_KIND) == set(SPANISH_BY_KIND) == set(CATEGORIES_FOR_KIND)
    assert all(len(texts) >= 15 for texts in BY_KIND.values())
    assert len(CASES["not_crisis_more"]) >= 40


def test_spanish_cases_cover_every_kind_as_the_issue_asks() -> None:
    """Issue 14: at least 80 Spanish crisis phrasings (10 or more of each kind) and 80 look-alikes."""
    assert set(SPANISH_HELD_OUT) == set(SPANISH_BY_KIND)
    by_kind = {kind: SPANISH_BY_KIND[kind] + SPANISH_HELD_OUT[kind] for kind in SPANISH_BY_KIND}
    assert all(len(texts) >= 10 for texts in by_kind.values())
    assert sum(map(len, by_kind.values())) >= 80
    assert len(CASES["spanish_not_crisis"]) + len(SPANISH_HELD_OUT_NOT_CRISIS) >= 80
    spanish_crisis = {text for texts in by_kind.values() for text in texts}
    assert not spanish_crisis & set(CASES["spanish_not_crisis"] + SPANISH_HELD_OUT_NOT_CRISIS)


# The reply each kind of case gets (utter_crisis's variations). Saving pills up is a plan, not an
# overdose yet; "I don't feel safe" alone gets the suicide reply, which has 911 too.
EMERGENCIES_FOR_KIND: Dict[str, Set[str]] = {
    "suicidal_thoughts": {"suicide"},
    "self_harm": {"suicide"},
    "overdose": {"overdose", "suicide"},
    "danger_from_others": {"danger_from_others", "suicide"},
    "someone_else_at_risk": {"someone_else_at_risk"},
    "medical_emergency": {"medical_emergency"},
}
TAKEN = [
    "I took all my pills",
    "my friend swallowed a bottle of Tylenol",
    "my brother overdosed",
    "tomé todas mis pastillas",
]


@pytest.mark.parametrize("kind,text", [(kind, text) for kind, text, _ in KIND_CASES])
def test_each_kind_of_risk_gets_the_reply_for_its_kind_of_emergency(kind: str, text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and signal.emergency in EMERGENCIES_FOR_KIND[kind], (kind, signal)
    assert signal.emergency in EMERGENCIES


@pytest.mark.parametrize("text", TAKEN)
def test_pills_already_taken_get_the_overdose_reply(text: str) -> None:
    assert detect_crisis(text).emergency == "overdose"


def test_most_overdose_cases_get_poison_help_and_every_medical_emergency_gets_911_first() -> None:
    overdoses = [detect_crisis(text).emergency for text in BY_KIND["overdose"] + SPANISH_BY_KIND["overdose"]]
    assert overdoses.count("overdose") >= 0.75 * len(overdoses)
    medical = BY_KIND["medical_emergency"] + SPANISH_BY_KIND["medical_emergency"]
    assert {detect_crisis(text).emergency for text in medical} == {"medical_emergency"}


@pytest.mark.parametrize("kind,text,categories", KIND_CASES)
def test_each_kind_of_risk_lands_in_a_category_its_reply_can_use(kind: str, text: str, categories: Set[str]) -> None:
    signal = detect_crisis(text)
    assert signal is not None and signal.category in categories, (kind, signal)


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


HELD_OUT_CASES = [(kind, text) for kind, texts in SPANISH_HELD_OUT.items() for text in texts]


@pytest.mark.parametrize("kind,text", HELD_OUT_CASES)
def test_held_out_spanish_crisis_gets_the_reply_for_its_kind(kind: str, text: str) -> None:
    """Phrasings no rule was written on: the rules generalise, not just remember the train half."""
    signal = detect_crisis(text)
    assert signal is not None and signal.category in CATEGORIES_FOR_KIND[kind], (kind, signal)


@pytest.mark.parametrize("text", SPANISH_HELD_OUT_NOT_CRISIS)
def test_held_out_spanish_look_alikes_are_not_flagged(text: str) -> None:
    assert detect_crisis(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "KIERO MORIRMEEE",
        "ya no kiero bibir",
        "me qiero matar x todo",
        "nooo puedo maaas",
        "tengo ganas d matarme",
        "kiero mtarme",
        "quiero matarmee",
        "pienso en suisidarme",
        "me quiero morime",
    ],
)
def test_spanish_texting_typos_and_missing_accents_do_not_hide_risk(text: str) -> None:
    assert detect_crisis(text) is not None


def test_spanish_texting_is_spelled_out_before_the_spanish_rules() -> None:
    assert normalise_es(normalise("Kiero morirmeee x q ya no")) == "quiero morirme por que ya no"


@pytest.mark.parametrize(
    "text",
    [
        "¿La ketamina ayuda con los pensamientos suicidas?",
        "¿el tratamiento sirve para personas con ideas suicidas?",
        "¿la ketamina sirve para los pensamientos suicidas?",
    ],
)
def test_a_spanish_question_about_treatment_and_suicide_is_informational(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and signal.informational


@pytest.mark.parametrize(
    "text", ["tengo pensamientos suicidas, ¿la ketamina ayuda?", "mi hijo tiene ideas suicidas, ¿la ketamina le sirve?"]
)
def test_spanish_suicidal_thoughts_of_ones_own_or_a_sons_are_not_informational(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and not signal.informational


def test_no_spanish_rule_lost_a_regex_repeat_to_f_string_formatting() -> None:
    """In an rf-string "{0,2}" becomes the Python set "{0, 2}", which silently matches nothing."""
    patterns = [pattern.pattern for rules in es.RULES.values() for _, pattern in rules]
    assert not [pattern for pattern in patterns if re.search(r"\{\d+, \d+\}", pattern)]
