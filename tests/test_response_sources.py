"""Every answer says where it comes from: the clinic's article, a field of the clinic profile,
or a named public source; a response that states no fact says so (``conversation``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import pytest

from clinic.profile import PLACEHOLDER_FIELDS
from tests.domain_responses import response_variations

ROOT = Path(__file__).resolve().parent.parent
PROFILE_FIELDS = {field for fields in PLACEHOLDER_FIELDS.values() for field in fields}
PLAIN_SOURCES = {"article", "conversation"}


VARIATIONS = list(response_variations())


def sources(variant: Dict[str, Any]) -> List[Any]:
    return list((variant.get("metadata") or {}).get("sources") or [])


def test_the_domain_has_responses_to_check() -> None:
    assert len(VARIATIONS) >= 50


@pytest.mark.parametrize(("name", "variant"), VARIATIONS, ids=[name for name, _ in VARIATIONS])
def test_every_response_names_its_sources(name: str, variant: Dict[str, Any]) -> None:
    listed = sources(variant)
    assert listed, f"{name} has no metadata.sources"
    for source in listed:
        if isinstance(source, str):
            assert source in PLAIN_SOURCES, (name, source)
        elif "profile" in source:
            assert source["profile"] in PROFILE_FIELDS, (name, source)
        else:
            assert set(source) == {"public", "url", "shown_as"}, (name, source)
            assert source["url"].startswith("https://"), (name, source)
            # The visitor sees where a general fact comes from, not only staff.
            assert source["shown_as"] in variant["text"], (name, source)
    if "conversation" in listed:
        assert listed == ["conversation"], f"{name}: a response that states no fact cites nothing else"


@pytest.mark.parametrize(("name", "variant"), VARIATIONS, ids=[name for name, _ in VARIATIONS])
def test_an_answer_quoting_the_clinic_profile_names_the_fields_it_quotes(name: str, variant: Dict[str, Any]) -> None:
    quoted = {
        field for ph in re.findall(r"\{(\w+)\}", variant.get("text") or "") for field in PLACEHOLDER_FIELDS.get(ph, [])
    }
    named = {source["profile"] for source in sources(variant) if isinstance(source, dict) and "profile" in source}
    assert quoted <= named, f"{name} quotes {sorted(quoted - named)} without naming them"


NEW_TREATMENTS = ("utter_spravato/", "utter_at_home_ketamine/")


def test_whether_the_clinic_offers_spravato_or_at_home_ketamine_comes_only_from_its_profile() -> None:
    """No answer about SPRAVATO or at-home ketamine says the clinic offers it: {treatments_sentence} does."""
    answers = {name: variant["text"] for name, variant in VARIATIONS if name.startswith(NEW_TREATMENTS)}
    assert len(answers) >= 15
    claims = re.compile(r"\b(we|our clinic|our team|here at)\b", re.IGNORECASE)
    assert {name for name, text in answers.items() if claims.search(text)} == set()
    must_say = ["utter_spravato/general", "utter_spravato/what_is_spravato", "utter_spravato/cost_and_access"]
    must_say += [name for name in answers if name.startswith("utter_at_home_ketamine/")]
    assert [name for name in must_say if "{treatments_sentence}" not in answers[name]] == []
    assert "{pricing_sentence}" in answers["utter_spravato/cost_and_access"]
