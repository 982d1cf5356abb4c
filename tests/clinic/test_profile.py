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


def test_spanish_conversation_gets_the_facts_the_clinic_wrote_in_spanish() -> None:
    profile = parse_profile(
        {
            "name": "Clinic",
            "offices": [{"name": "Stamford"}, {"name": "Westport"}],
            "contact": {"phone": "(203) 555-0100", "hours": {"en": "Mon-Fri 9-5", "es": "lunes a viernes, 9 a 5"}},
            "pricing": {"en": "A consultation is $100.", "es": "Una consulta cuesta $100."},
        }
    )
    values = profile.template_vars("es")
    assert values["offices"] == "Stamford y Westport"
    assert values["contact_sentence"] == "Puede llamar al (203) 555-0100. Horario de atención: lunes a viernes, 9 a 5."
    assert values["pricing_sentence"].startswith("Una consulta cuesta $100. La cobertura del seguro")
    assert values["doctor"] == "nuestro equipo médico"


def test_a_fact_written_only_in_english_is_one_staff_will_confirm_in_spanish() -> None:
    profile = parse_profile(
        {
            "name": "Clinic",
            "offices": [{"name": "Stamford"}],
            "contact": {"hours": "Mon-Fri 9-5"},
            "treatments": "IV ketamine infusions.",
            "visit": {"aftercare": "Someone drives you home."},
        }
    )
    values = profile.template_vars("es")
    assert "Mon-Fri" not in values["contact_sentence"] and "le confirmará el horario" in values["contact_sentence"]
    assert values["treatments_sentence"] == "Nuestro personal le confirmará qué tratamientos ofrece la clínica."
    assert values["aftercare_sentence"].startswith("Nuestro personal le confirmará cómo volver a casa")
    assert not any("ketamine infusions" in text or "drives you" in text for text in values.values())
    for placeholder in FACT_SENTENCES:
        assert values[placeholder].startswith("Nuestro personal le confirmará "), placeholder


def test_a_fact_in_a_language_the_assistant_does_not_speak_is_refused() -> None:
    with pytest.raises(ValueError, match="pricing"):
        parse_profile({"name": "Clinic", "offices": [{"name": "Stamford"}], "pricing": {"fr": "Cent dollars."}})
