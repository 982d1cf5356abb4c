"""Clinic facts come only from the profile; missing ones are never invented."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clinic.profile import DEFAULT_PROFILE, FACT_SENTENCES, _load, load_profile, parse_profile


def test_shipped_profile_is_the_clinic_from_its_article() -> None:
    profile = parse_profile(yaml.safe_load(DEFAULT_PROFILE.read_text()))
    assert profile.name == "Ki_Ketamine"
    assert profile.office_names == ["Stamford", "Westport"]
    assert profile.offices_phrase() == "Stamford and Westport, Connecticut"
    assert "McAllister" in profile.doctor


def test_unknown_facts_say_staff_will_confirm_and_contain_no_numbers() -> None:
    profile = parse_profile({"name": "Clinic", "offices": [{"name": "Stamford"}]})
    values = profile.template_vars()
    assert "staff will confirm" in values["pricing_sentence"]
    assert "staff will confirm" in values["addresses_sentence"].lower()
    assert "hours" in values["contact_sentence"] and "confirm" in values["contact_sentence"]
    assert values["reach_us_sentence"] == "To reach the clinic yourself, use the phone number on its website."
    assert not any(ch.isdigit() for text in values.values() for ch in text)
    for placeholder in FACT_SENTENCES:
        assert values[placeholder].startswith("Our staff will confirm "), placeholder


def test_known_facts_are_quoted_from_the_profile() -> None:
    profile = parse_profile(
        {
            "name": "Clinic",
            "offices": [{"name": "Stamford", "address": "1 Main St"}],
            "contact": {"phone": "(203) 555-0100", "email": "hi@example.com", "hours": "Mon-Fri 9-5"},
            "pricing": "A consultation is $100.",
            "insurance": "We are out of network.",
            "treatments": "IV ketamine infusions.",
            "visit": {"session_length": "About two hours.", "aftercare": "Someone drives you home."},
            "response_time": "Within one business day.",
        }
    )
    values = profile.template_vars()
    assert values["treatments_sentence"] == "IV ketamine infusions."
    assert values["session_length_sentence"] == "About two hours."
    assert values["aftercare_sentence"] == "Someone drives you home."
    assert values["response_time_sentence"] == "Within one business day."
    assert values["preparation_sentence"].startswith("Our staff will confirm how to prepare")
    assert "(203) 555-0100" in values["contact_sentence"] and "hi@example.com" in values["contact_sentence"]
    assert "Mon-Fri 9-5" in values["contact_sentence"]
    assert values["pricing_sentence"] == "A consultation is $100. We are out of network."
    assert values["addresses_sentence"] == "Addresses: Stamford: 1 Main St."
    assert values["reach_us_sentence"] == "To reach the clinic yourself, call (203) 555-0100 or e-mail hi@example.com."


def test_profile_without_name_or_office_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_profile({"name": "Clinic"})


def test_clinic_profile_env_var_selects_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "profile.yml"
    other.write_text("name: Other Clinic\noffices:\n  - name: Hartford\n    state: Connecticut\n")
    monkeypatch.setenv("CLINIC_PROFILE", str(other))
    _load.cache_clear()
    try:
        assert load_profile().name == "Other Clinic"
    finally:
        _load.cache_clear()
