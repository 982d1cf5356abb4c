"""Every response of a file listed below speaks Spanish too, and says no less than in English.

A file is listed once its responses have their Spanish variations: each English variation has a
Spanish twin, conditioned on ``language: es`` and on the same other slots, placed before the
English ones; the English default stays last, with no condition. The twin cites what the English
one cites, plus only sources that are specific to Spanish, which say so in their name ("... in
Spanish ..."), and keeps the English one's placeholders and button payloads, so it leaves out no
fact and no next step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from tests.domain_responses import responses_in

ROOT = Path(__file__).resolve().parent.parent
FILES_IN_SPANISH = (
    "domain/safety.yml",
    "domain/faq_at_home.yml",
    "domain/faq_clinic.yml",
    "domain/faq_myths.yml",
    "domain/faq_spravato.yml",
    "domain/faq_treatment.yml",
    "domain/booking.yml",
    "domain/conversation.yml",
    "domain/alerts.yml",
)
SPANISH = {"type": "slot", "name": "language", "value": "es"}

Variant = Dict[str, Any]


def responses() -> List[Any]:
    return [
        pytest.param(name, variants, id=f"{Path(path).name}:{name}")
        for path in FILES_IN_SPANISH
        for name, variants in responses_in(ROOT / path).items()
    ]


def in_spanish(variant: Variant) -> bool:
    return SPANISH in (variant.get("condition") or [])


def key(variant: Variant) -> Tuple[Any, ...]:
    """What a variation is for besides its language: its other conditions and its channel."""
    others = sorted((c["name"], str(c["value"])) for c in variant.get("condition") or [] if c["name"] != "language")
    return (tuple(others), variant.get("channel"))


def twins(variants: List[Variant]) -> List[Tuple[Variant, Variant]]:
    """(English variation, its Spanish twin) for every English variation of a response."""
    spanish = {key(v): v for v in variants if in_spanish(v)}
    return [(v, spanish.get(key(v), {})) for v in variants if not in_spanish(v)]


def sources(variant: Variant) -> List[Any]:
    return list((variant.get("metadata") or {}).get("sources") or [])


def placeholders(variant: Variant) -> set:
    return set(re.findall(r"\{(\w+)\}", variant.get("text") or ""))


def payloads(variant: Variant) -> List[str]:
    return [button["payload"] for button in variant.get("buttons") or []]


def test_the_files_in_spanish_have_responses_to_check() -> None:
    assert all(responses_in(ROOT / path) for path in FILES_IN_SPANISH)


@pytest.mark.parametrize(("name", "variants"), responses())
def test_every_english_variation_has_a_spanish_twin_placed_before_the_english_ones(
    name: str, variants: List[Variant]
) -> None:
    assert [english.get("text") for english, spanish in twins(variants) if not spanish] == [], name
    languages = [in_spanish(v) for v in variants]
    assert languages == sorted(languages, reverse=True), f"{name}: the Spanish variations come first"
    assert not variants[-1].get("condition"), f"{name}: the English default stays last, with no condition"


@pytest.mark.parametrize(("name", "variants"), responses())
def test_a_spanish_variation_cites_what_the_english_one_cites_plus_only_spanish_sources(
    name: str, variants: List[Variant]
) -> None:
    for english, spanish in twins(variants):
        assert sources(spanish)[: len(sources(english))] == sources(english), name
        added = sources(spanish)[len(sources(english)) :]
        assert [s for s in added if not (isinstance(s, dict) and "Spanish" in s.get("public", ""))] == [], name


@pytest.mark.parametrize(("name", "variants"), responses())
def test_a_spanish_variation_keeps_the_english_ones_placeholders_and_buttons(
    name: str, variants: List[Variant]
) -> None:
    for english, spanish in twins(variants):
        assert placeholders(spanish) == placeholders(english), name
        assert payloads(spanish) == payloads(english), name
