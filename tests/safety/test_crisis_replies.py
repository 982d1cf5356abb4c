"""Each kind of emergency gets its own resources, in the conversation's language, and every number
names its official source."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from nlg.crisis_followup import CrisisFollowUpNLG
from safety.crisis_patterns import EMERGENCIES
from tests.domain_responses import response_variations

ROOT = Path(__file__).resolve().parents[2]
SAFETY = yaml.safe_load((ROOT / "domain" / "safety.yml").read_text(encoding="utf-8"))
CRISIS_RESPONSES = ("utter_crisis", "utter_crisis_check_in", "utter_crisis_safe", "utter_crisis_not_safe")
LANGUAGES = ("es", "en")
# Each number a visitor may be given, and the official source that must stand beside it.
NUMBERS = {
    "911": "https://www.911.gov/",
    "988": "https://988lifeline.org/",
    "741741": "https://www.crisistextline.org/",
    "442-AYUDAME": "https://crisistextline.org/blog/2021/10/15/hola-crisis-text-line-is-now-available-in-spanish",
    "1-800-222-1222": "https://poisonhelp.hrsa.gov/",
    "1-800-799-7233": "https://www.thehotline.org/",
    "88788": "https://www.thehotline.org/",
}
# In Spanish, a number comes with its Spanish option, and the official page that states that option.
SPANISH_OPTIONS = {
    "988": (
        r"marque 2 para español.*AYUDA por mensaje de texto al 988",
        "https://988lifeline.org/get-help/what-to-expect",
    ),
    "741741": (r"AYUDA\b[^.]*\b741741", NUMBERS["442-AYUDAME"]),
    "1-800-222-1222": (r"intérpretes", "https://poisonhelp.hrsa.gov/es/about-us"),
}
# What the first reply to each kind must give, and what it must not put before 911.
MUST_GIVE = {
    "suicide": {"988", "911", "741741"},
    "medical_emergency": {"911"},
    "overdose": {"911", "1-800-222-1222", "988"},
    "danger_from_others": {"911", "1-800-799-7233", "88788"},
    "someone_else_at_risk": {"911", "988"},
}
# Spanish speakers also get the Crisis Text Line's WhatsApp number with the suicide reply.
MUST_GIVE_IN_SPANISH = {**MUST_GIVE, "suicide": MUST_GIVE["suicide"] | {"442-AYUDAME"}}


def condition_on(variant: Dict[str, Any], slot: str) -> Optional[str]:
    return next((c["value"] for c in variant.get("condition") or [] if c["name"] == slot), None)


def kind_of(variant: Dict[str, Any]) -> str:
    return condition_on(variant, "emergency") or EMERGENCIES[0]


def language_of(variant: Dict[str, Any]) -> str:
    return condition_on(variant, "language") or "en"


def by_kind(name: str, language: str = "en") -> Dict[str, Dict[str, Any]]:
    return {kind_of(v): v for v in SAFETY["responses"][name] if language_of(v) == language}


def every_response() -> List[Any]:
    return [
        pytest.param(variant, id=f"{name}:{language_of(variant)}:{kind_of(variant)}")
        for name, variant in response_variations()
    ]


def numbers_in(text: str) -> set:
    return {number for number in NUMBERS if re.search(rf"(?<![\d-]){re.escape(number)}(?![\d-])", text)}


def urls_of(variant: Dict[str, Any]) -> set:
    return {source.get("url") for source in variant["metadata"]["sources"] if isinstance(source, dict)}


def test_the_kinds_are_the_slots_values() -> None:
    assert SAFETY["slots"]["emergency"]["values"] == list(EMERGENCIES)


@pytest.mark.parametrize("name", CRISIS_RESPONSES)
def test_every_crisis_response_has_one_variation_per_kind_and_language_and_one_without_a_condition(
    name: str,
) -> None:
    variants = SAFETY["responses"][name]
    keys = [(language_of(v), kind_of(v)) for v in variants]
    assert len(keys) == len(set(keys)), name
    assert sum(not variant.get("condition") for variant in variants) == 1, name
    assert set(by_kind(name, "es")) == set(by_kind(name, "en")) <= set(EMERGENCIES), name
    if name != "utter_crisis_check_in":  # danger from others asks the same safety question as the default
        assert set(by_kind(name)) == set(EMERGENCIES), name


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", EMERGENCIES)
def test_the_first_reply_to_each_kind_gives_its_resources(kind: str, language: str) -> None:
    text = by_kind("utter_crisis", language)[kind]["text"]
    must = MUST_GIVE_IN_SPANISH if language == "es" else MUST_GIVE
    assert must[kind] <= numbers_in(text), (kind, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_medical_emergency_is_told_to_call_911_and_nothing_else_first(language: str) -> None:
    for name in CRISIS_RESPONSES:
        text = by_kind(name, language).get("medical_emergency", {}).get("text", "")
        assert numbers_in(text) <= {"911"}, (name, text)
    assert by_kind("utter_crisis", language)["medical_emergency"]["text"].index("911") < 60


def test_every_check_in_keeps_yes_and_no_for_the_rules_that_follow_it() -> None:
    for variant in SAFETY["responses"]["utter_crisis_check_in"]:
        assert [b["payload"] for b in variant["buttons"]] == ["/affirm", "/deny"]


@pytest.mark.parametrize("variant", every_response())
def test_every_number_given_names_its_official_source(variant: Dict[str, Any]) -> None:
    for number in numbers_in(variant["text"]):
        assert NUMBERS[number] in urls_of(variant), (number, variant["text"])


@pytest.mark.parametrize("variant", every_response())
def test_in_spanish_every_number_comes_with_its_spanish_option_and_the_page_that_states_it(
    variant: Dict[str, Any],
) -> None:
    if language_of(variant) != "es":
        return
    for number in numbers_in(variant["text"]) & set(SPANISH_OPTIONS):
        option, url = SPANISH_OPTIONS[number]
        assert re.search(option, variant["text"], re.DOTALL), (number, variant["text"])
        assert url in urls_of(variant), (number, variant["text"])


# --- what the Rasa server sends: its response generator (endpoints.yml's nlg) picks the variation.


DOMAIN = Domain.load(str(ROOT / "domain"))


@pytest.fixture(scope="module")
def nlg() -> CrisisFollowUpNLG:
    return CrisisFollowUpNLG(domain=DOMAIN)


def sent(nlg: CrisisFollowUpNLG, name: str, kind: str, language: Optional[str]) -> set:
    """Every text the server sent for the response, asked 30 times (Rasa picks among matches at random)."""
    tracker = DialogueStateTracker.from_events("visitor", [UserUttered("...", {"name": "crisis"})], slots=DOMAIN.slots)
    tracker.update(SlotSet("emergency", kind))
    tracker.update(SlotSet("language", language))
    return {asyncio.run(nlg.generate(name, tracker, "rest"))["text"] for _ in range(30)}


@pytest.mark.parametrize("name", CRISIS_RESPONSES)
@pytest.mark.parametrize("kind", EMERGENCIES)
def test_a_conversation_in_spanish_gets_the_spanish_reply_for_its_kind(
    nlg: CrisisFollowUpNLG, kind: str, name: str
) -> None:
    expected = by_kind(name, "es").get(kind) or by_kind(name, "es")[EMERGENCIES[0]]
    [text] = sent(nlg, name, kind, "es")
    assert text == expected["text"]
    if name == "utter_crisis":
        assert MUST_GIVE_IN_SPANISH[kind] <= numbers_in(text), text


@pytest.mark.parametrize("language", ["en", None])
@pytest.mark.parametrize("name", CRISIS_RESPONSES)
@pytest.mark.parametrize("kind", EMERGENCIES)
def test_a_conversation_in_english_or_with_no_language_gets_the_english_reply_for_its_kind(
    nlg: CrisisFollowUpNLG, kind: str, name: str, language: Optional[str]
) -> None:
    expected = by_kind(name).get(kind) or by_kind(name)[EMERGENCIES[0]]
    assert sent(nlg, name, kind, language) == {expected["text"]}
