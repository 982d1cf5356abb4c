"""The clinic's own facts, from the one profile a clinic edits (clinic/profile.yml).

Responses in domain/ never hard-code a phone number, hours, prices or
insurance: they use placeholders such as ``{contact_sentence}`` that this module
fills from the profile. Where the profile has no value, the sentence says that
staff will confirm it, so the assistant cannot invent a fact.

Free-text facts may be written per language (``pricing: {en: ..., es: ...}``); a plain string
is English. A conversation in a language the fact lacks is told staff will confirm it, in that
language, never the English text (clinic/wording.py holds the sentences around the facts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

import settings
from clinic.hours import OpeningHours, parse_opening_hours
from clinic.wording import DEFAULT_LANGUAGE, LANGUAGES, phrase

Text = Dict[str, str]  # a free-text fact by language: {"en": ..., "es": ...}

DEFAULT_PROFILE = Path(settings.default("CLINIC_PROFILE"))  # clinic/profile.yml


@dataclass(frozen=True)
class Office:
    name: str
    state: str = ""
    address: Optional[str] = None


@dataclass(frozen=True)
class Channel:
    """A channel patients write on, and whether health information may travel over it."""

    label: Text
    carries_health_information: bool = False

    def label_in(self, language: str) -> str:
        """The channel's name as a visitor in ``language`` calls it."""
        return self.label.get(language) or phrase("unlisted_channel", language)


# Placeholder -> (profile attribute, what staff will confirm when the profile leaves it empty).
FACT_SENTENCES: Dict[str, tuple] = {
    "payment_options_sentence": (
        "payment_options",
        {
            "en": "which payment options the clinic accepts, such as HSA or FSA cards",
            "es": "qué formas de pago acepta la clínica, como tarjetas HSA o FSA",
        },
    ),
    "treatments_sentence": (
        "treatments",
        {"en": "which treatments the clinic offers", "es": "qué tratamientos ofrece la clínica"},
    ),
    "session_length_sentence": (
        "session_length",
        {"en": "how long a visit takes at the clinic", "es": "cuánto dura una visita en la clínica"},
    ),
    "preparation_sentence": (
        "preparation",
        {
            "en": "how to prepare for your visit, such as eating beforehand and what to bring",
            "es": "cómo prepararse para su visita, por ejemplo si puede comer antes y qué traer",
        },
    ),
    "aftercare_sentence": (
        "aftercare",
        {
            "en": "the arrangements for getting home and for the rest of the day",
            "es": "cómo volver a casa y qué tener en cuenta el resto del día",
        },
    ),
    "response_time_sentence": (
        "response_time",
        {"en": "how soon they will get back to you", "es": "en cuánto tiempo le responderán"},
    ),
}

# Which profile fields each placeholder quotes: an answer using one names that field as its source.
PLACEHOLDER_FIELDS = {
    "clinic_name": ["name"],
    "doctor": ["doctor.name"],
    "doctor_bio": ["doctor.bio"],
    "offices": ["offices"],
    "addresses_sentence": ["offices"],
    "contact_sentence": ["contact"],
    "reach_us_sentence": ["contact"],
    "pricing_sentence": ["pricing", "insurance"],
    "payment_options_sentence": ["payment_options"],
    "treatments_sentence": ["treatments"],
    "session_length_sentence": ["visit.session_length"],
    "preparation_sentence": ["visit.preparation"],
    "aftercare_sentence": ["visit.aftercare"],
    "response_time_sentence": ["response_time"],
    # Filled by actions/alerts.py from the structured opening hours, not by template_vars.
    "closes": ["contact.opening_hours"],
    "opens": ["contact.opening_hours"],
}

# How a channel missing from the profile is treated: named plainly, and kept
# free of health information, because nobody said its provider may carry it.
UNLISTED_CHANNEL = Channel(label={}, carries_health_information=False)


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    doctor: Optional[str] = None
    doctor_bio: Text = field(default_factory=dict)
    offices: List[Office] = field(default_factory=list)
    phone: Optional[str] = None
    email: Optional[str] = None
    website: Optional[str] = None
    hours: Text = field(default_factory=dict)
    opening_hours: Optional[OpeningHours] = None  # None: not known
    pricing: Text = field(default_factory=dict)
    insurance: Text = field(default_factory=dict)
    payment_options: Text = field(default_factory=dict)
    treatments: Text = field(default_factory=dict)
    session_length: Text = field(default_factory=dict)
    preparation: Text = field(default_factory=dict)
    aftercare: Text = field(default_factory=dict)
    response_time: Text = field(default_factory=dict)
    channels: Dict[str, Channel] = field(default_factory=dict)

    def channel(self, name: Optional[str]) -> Channel:
        """The rule for one input channel (``twilio``, ``facebook``...); unlisted ones carry no PHI."""
        return self.channels.get(name or "", UNLISTED_CHANNEL)

    @property
    def office_names(self) -> List[str]:
        return [office.name for office in self.offices]

    def offices_phrase(self, language: str = DEFAULT_LANGUAGE) -> str:
        """ "Stamford and Westport, Connecticut" """
        names = self.office_names
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + phrase("and", language) + names[-1]
        states = {office.state for office in self.offices if office.state}
        return f"{joined}, {states.pop()}" if len(states) == 1 else joined

    def addresses_sentence(self, language: str = DEFAULT_LANGUAGE) -> str:
        known = [f"{o.name}: {o.address}" for o in self.offices if o.address]
        if len(known) == len(self.offices) and known:
            return phrase("addresses", language, known="; ".join(known))
        return phrase("addresses_unknown", language)

    def contact_sentence(self, language: str = DEFAULT_LANGUAGE) -> str:
        ways = self._ways(language, call=self.phone, email=self.email, website=self.website)
        sentence = phrase("contact", language, ways=ways) if ways else phrase("contact_unknown", language)
        hours = self.hours.get(language)
        return sentence + (phrase("hours", language, hours=hours) if hours else phrase("hours_unknown", language))

    @staticmethod
    def _ways(language: str, **contacts: Optional[str]) -> str:
        """ "call (203) 555-0100 or e-mail hi@example.com": the ways the profile knows, in order."""
        return phrase("or", language).join(phrase(kind, language, value=v) for kind, v in contacts.items() if v)

    def reach_us_sentence(self, language: str = DEFAULT_LANGUAGE) -> str:
        """How a person reaches the clinic themselves, for when the assistant can't help further."""
        ways = self._ways(language, call=self.phone, email=self.email)
        if ways:
            return phrase("reach_us", language, ways=ways)
        if self.website:
            return phrase("reach_us_website", language, website=self.website)
        return phrase("reach_us_unknown", language)

    def pricing_sentence(self, language: str = DEFAULT_LANGUAGE) -> str:
        pricing = self.pricing.get(language) or phrase("pricing_unknown", language)
        insurance = self.insurance.get(language) or phrase("insurance_unknown", language)
        return f"{pricing} {insurance}"

    def fact_sentences(self, language: str = DEFAULT_LANGUAGE) -> Dict[str, str]:
        """One sentence per profile fact an answer may quote; a missing fact says staff will confirm it."""
        return {
            placeholder: getattr(self, attribute).get(language)
            or phrase("will_confirm", language, missing=missing[language])
            for placeholder, (attribute, missing) in FACT_SENTENCES.items()
        }

    def template_vars(self, language: str = DEFAULT_LANGUAGE) -> Dict[str, str]:
        """Every placeholder a response may use, filled for this clinic in ``language``."""
        bio = self.doctor_bio.get(language)
        return {
            "clinic_name": self.name,
            "doctor": self.doctor or phrase("medical_team", language),
            "doctor_bio": f" {bio}" if bio else "",
            "offices": self.offices_phrase(language),
            "addresses_sentence": self.addresses_sentence(language),
            "contact_sentence": self.contact_sentence(language),
            "reach_us_sentence": self.reach_us_sentence(language),
            "pricing_sentence": self.pricing_sentence(language),
            **self.fact_sentences(language),
        }


def _text(raw: Any, where: str) -> Text:
    """A free-text fact: a plain string is English; a mapping gives it per language."""
    if raw is None or raw == "":
        return {}
    if isinstance(raw, dict):
        unknown = set(raw) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"{where}: unknown language {sorted(unknown)} (the assistant speaks {list(LANGUAGES)})")
        return {str(language): str(value) for language, value in raw.items() if value}
    return {DEFAULT_LANGUAGE: str(raw)}


def _office(raw: Dict[str, Any]) -> Office:
    return Office(name=str(raw["name"]), state=str(raw.get("state") or ""), address=raw.get("address"))


def _channel(name: str, raw: Dict[str, Any]) -> Channel:
    carries = raw.get("carries_health_information", False)
    if not isinstance(carries, bool):
        raise ValueError(f"channels.{name}.carries_health_information must be true or false")
    return Channel(label=_text(raw.get("label") or name, f"channels.{name}.label"), carries_health_information=carries)


def parse_profile(raw: Dict[str, Any]) -> ClinicProfile:
    """Build a profile from YAML data, refusing one without a name or an office."""
    if not raw.get("name") or not raw.get("offices"):
        raise ValueError("the clinic profile needs a name and at least one office")
    doctor = raw.get("doctor") or {}
    contact = raw.get("contact") or {}
    visit = raw.get("visit") or {}
    return ClinicProfile(
        name=str(raw["name"]),
        doctor=str(doctor["name"]) if doctor.get("name") else None,
        doctor_bio=_text(doctor.get("bio"), "doctor.bio"),
        offices=[_office(o) for o in raw["offices"]],
        phone=contact.get("phone"),
        email=contact.get("email"),
        website=contact.get("website"),
        hours=_text(contact.get("hours"), "contact.hours"),
        opening_hours=parse_opening_hours(contact.get("opening_hours")),
        pricing=_text(raw.get("pricing"), "pricing"),
        insurance=_text(raw.get("insurance"), "insurance"),
        payment_options=_text(raw.get("payment_options"), "payment_options"),
        treatments=_text(raw.get("treatments"), "treatments"),
        session_length=_text(visit.get("session_length"), "visit.session_length"),
        preparation=_text(visit.get("preparation"), "visit.preparation"),
        aftercare=_text(visit.get("aftercare"), "visit.aftercare"),
        response_time=_text(raw.get("response_time"), "response_time"),
        channels={str(name): _channel(str(name), spec or {}) for name, spec in (raw.get("channels") or {}).items()},
    )


@lru_cache(maxsize=4)
def _load(path: str) -> ClinicProfile:
    with open(path, encoding="utf-8") as handle:
        return parse_profile(yaml.safe_load(handle) or {})


def load_profile() -> ClinicProfile:
    """The profile named by ``CLINIC_PROFILE``, else clinic/profile.yml."""
    return _load(settings.get().CLINIC_PROFILE)
