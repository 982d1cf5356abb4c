"""Each kind of emergency gets its own resources, and every number names its official source."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from safety.crisis_patterns import EMERGENCIES
from tests.domain_responses import response_variations

ROOT = Path(__file__).resolve().parents[2]
SAFETY = yaml.safe_load((ROOT / "domain" / "safety.yml").read_text(encoding="utf-8"))
CRISIS_RESPONSES = ("utter_crisis", "utter_crisis_check_in", "utter_crisis_safe", "utter_crisis_not_safe")
# Each number a visitor may be given, and the official source that must stand beside it.
NUMBERS = {
    "911": "https://www.911.gov/",
    "988": "https://988lifeline.org/",
    "741741": "https://www.crisistextline.org/",
    "1-800-222-1222": "https://poisonhelp.hrsa.gov/",
    "1-800-799-7233": "https://www.thehotline.org/",
    "88788": "https://www.thehotline.org/",
}
# What the first reply to each kind must give, and what it must not put before 911.
MUST_GIVE = {
    "suicide": {"988", "911", "741741"},
    "medical_emergency": {"911"},
    "overdose": {"911", "1-800-222-1222", "988"},
    "danger_from_others": {"911", "1-800-799-7233", "88788"},
    "someone_else_at_risk": {"911", "988"},
}


def kind_of(variant: Dict[str, Any]) -> str:
    conditions = variant.get("condition") or []
    return conditions[0]["value"] if conditions else EMERGENCIES[0]


def by_kind(name: str) -> Dict[str, Dict[str, Any]]:
    return {kind_of(variant): variant for variant in SAFETY["responses"][name]}


def every_response() -> List[Any]:
    return [pytest.param(variant, id=f"{name}:{kind_of(variant)}") for name, variant in response_variations()]


def numbers_in(text: str) -> set:
    return {number for number in NUMBERS if re.search(rf"(?<![\d-]){re.escape(number)}(?![\d-])", text)}


def test_the_kinds_are_the_slots_values() -> None:
    assert SAFETY["slots"]["emergency"]["values"] == list(EMERGENCIES)


@pytest.mark.parametrize("name", CRISIS_RESPONSES)
def test_every_crisis_response_has_one_variation_per_kind_and_one_without_a_condition(name: str) -> None:
    variants = SAFETY["responses"][name]
    kinds = [kind_of(variant) for variant in variants]
    assert len(kinds) == len(set(kinds)), name
    assert sum(not variant.get("condition") for variant in variants) == 1, name
    assert set(kinds) <= set(EMERGENCIES)
    if name != "utter_crisis_check_in":  # danger from others asks the same safety question as the default
        assert set(kinds) == set(EMERGENCIES), name


@pytest.mark.parametrize("kind", EMERGENCIES)
def test_the_first_reply_to_each_kind_gives_its_resources(kind: str) -> None:
    text = by_kind("utter_crisis")[kind]["text"]
    assert MUST_GIVE[kind] <= numbers_in(text), (kind, text)


def test_a_medical_emergency_is_told_to_call_911_and_nothing_else_first() -> None:
    for name in CRISIS_RESPONSES:
        text = by_kind(name).get("medical_emergency", {}).get("text", "")
        assert numbers_in(text) <= {"911"}, (name, text)
    assert by_kind("utter_crisis")["medical_emergency"]["text"].index("911") < 60


def test_every_check_in_keeps_yes_and_no_for_the_rules_that_follow_it() -> None:
    for variant in SAFETY["responses"]["utter_crisis_check_in"]:
        assert [b["payload"] for b in variant["buttons"]] == ["/affirm", "/deny"]


@pytest.mark.parametrize("variant", every_response())
def test_every_number_given_names_its_official_source(variant: Dict[str, Any]) -> None:
    urls = {source.get("url") for source in variant["metadata"]["sources"] if isinstance(source, dict)}
    for number in numbers_in(variant["text"]):
        assert NUMBERS[number] in urls, (number, variant["text"])
