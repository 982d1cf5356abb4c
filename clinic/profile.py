"""The clinic's own facts, from the one profile a clinic edits (clinic/profile.yml).

Responses in domain/ never hard-code a phone number, hours, prices or
insurance: they use placeholders such as ``{contact_sentence}`` that this module
fills from the profile. Where the profile has no value, the sentence says that
staff will confirm it, so the assistant cannot invent a fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

import settings
from clinic.hours import OpeningHours, parse_opening_hours

DEFAULT_PROFILE = Path(settings.default("CLINIC_PROFILE"))  # clinic/profile.yml


@dataclass(frozen=True)
class Office:
    name: str
    state: str = ""
    address: Optional[str] = None


@dataclass(frozen=True)
class Channel:
    """A channel patients write on, and whether health information may travel over it."""

    label: str
    carries_health_information: bool = False


# Placeholder -> (profile attribute, what staff will confirm when the profile leaves it empty).
FACT_SENTENCES = {
    "payment_options_sentence": (
        "payment_options",
        "which payment options the clinic accepts, such as HSA or FSA cards",
    ),
    "treatments_sentence": ("treatments", "which treatments the clinic offers"),
    "session_length_sentence": ("session_length", "how long a visit takes at the clinic"),
    "preparation_sentence": (
        "preparation",
        "how to prepare for your visit, such as eating beforehand and what to bring",
    ),
    "aftercare_sentence": ("aftercare", "the arrangements for getting home and for the rest of the day"),
    "response_time_sentence": ("response_time", "how soon they will get back to you"),
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
UNLISTED_CHANNEL = Channel(label="this channel", carries_health_information=False)


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    doctor: str
    doctor_bio: Optional[str] = None
    offices: List[Office] = field(default_factory=list)
    phone: Optional[str] = None
    email: Optional[str] = None
    website: Optional[str] = None
    hours: Optional[str] = None
    opening_hours: Optional[OpeningHours] = None  # None: not known
    pricing: Optional[str] = None
    insurance: Optional[str] = None
    payment_options: Optional[str] = None
    treatments: Optional[str] = None
    session_length: Optional[str] = None
    preparation: Optional[str] = None
    aftercare: Optional[str] = None
    response_time: Optional[str] = None
    channels: Dict[str, Channel] = field(default_factory=dict)

    def channel(self, name: Optional[str]) -> Channel:
        """The rule for one input channel (``twilio``, ``facebook``...); unlisted ones carry no PHI."""
        return self.channels.get(name or "", UNLISTED_CHANNEL)

    @property
    def office_names(self) -> List[str]:
        return [office.name for office in self.offices]

    def offices_phrase(self) -> str:
        """ "Stamford and Westport, Connecticut" """
        names = self.office_names
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        states = {office.state for office in self.offices if office.state}
        return f"{joined}, {states.pop()}" if len(states) == 1 else joined

    def addresses_sentence(self) -> str:
        known = [f"{o.name}: {o.address}" for o in self.offices if o.address]
        if len(known) == len(self.offices) and known:
            return "Addresses: " + "; ".join(known) + "."
        return "Our staff will confirm the exact address and directions when they contact you."

    def contact_sentence(self) -> str:
        ways = []
        if self.phone:
            ways.append(f"call {self.phone}")
        if self.email:
            ways.append(f"e-mail {self.email}")
        if self.website:
            ways.append(f"request an appointment at {self.website}")
        if not ways:
            sentence = (
                "I don't have the clinic's phone number or e-mail on hand, but I can pass your "
                "details to the team and they'll reach out to you."
            )
        else:
            sentence = "You can " + " or ".join(ways) + "."
        hours = (
            f" Office hours: {self.hours}."
            if self.hours
            else " Our staff will confirm office hours when they get in touch."
        )
        return sentence + hours

    def reach_us_sentence(self) -> str:
        """How a person reaches the clinic themselves, for when the assistant can't help further."""
        ways = [w for w in (self.phone and f"call {self.phone}", self.email and f"e-mail {self.email}") if w]
        if ways:
            return "To reach the clinic yourself, " + " or ".join(ways) + "."
        if self.website:
            return f"To reach the clinic yourself, see {self.website}."
        return "To reach the clinic yourself, use the phone number on its website."

    def pricing_sentence(self) -> str:
        pricing = (
            self.pricing
            or "Our staff will confirm current prices with you directly; "
            "I don't want to quote a figure that might be out of date."
        )
        insurance = (
            self.insurance
            or "Insurance coverage for ketamine therapy varies, so staff will also confirm "
            "what your plan may cover and how payment works."
        )
        return f"{pricing} {insurance}"

    def fact_sentences(self) -> Dict[str, str]:
        """One sentence per profile fact an answer may quote; a missing fact says staff will confirm it."""
        return {
            placeholder: getattr(self, attribute) or f"Our staff will confirm {missing}."
            for placeholder, (attribute, missing) in FACT_SENTENCES.items()
        }

    def template_vars(self) -> Dict[str, str]:
        """Every placeholder a response may use, filled for this clinic."""
        return {
            "clinic_name": self.name,
            "doctor": self.doctor,
            "doctor_bio": f" {self.doctor_bio}" if self.doctor_bio else "",
            "offices": self.offices_phrase(),
            "addresses_sentence": self.addresses_sentence(),
            "contact_sentence": self.contact_sentence(),
            "reach_us_sentence": self.reach_us_sentence(),
            "pricing_sentence": self.pricing_sentence(),
            **self.fact_sentences(),
        }


def _office(raw: Dict[str, Any]) -> Office:
    return Office(name=str(raw["name"]), state=str(raw.get("state") or ""), address=raw.get("address"))


def _channel(name: str, raw: Dict[str, Any]) -> Channel:
    carries = raw.get("carries_health_information", False)
    if not isinstance(carries, bool):
        raise ValueError(f"channels.{name}.carries_health_information must be true or false")
    return Channel(label=str(raw.get("label") or name), carries_health_information=carries)


def parse_profile(raw: Dict[str, Any]) -> ClinicProfile:
    """Build a profile from YAML data, refusing one without a name or an office."""
    if not raw.get("name") or not raw.get("offices"):
        raise ValueError("the clinic profile needs a name and at least one office")
    doctor = raw.get("doctor") or {}
    contact = raw.get("contact") or {}
    visit = raw.get("visit") or {}
    return ClinicProfile(
        name=str(raw["name"]),
        doctor=str(doctor.get("name") or "our medical team"),
        doctor_bio=doctor.get("bio"),
        offices=[_office(o) for o in raw["offices"]],
        phone=contact.get("phone"),
        email=contact.get("email"),
        website=contact.get("website"),
        hours=contact.get("hours"),
        opening_hours=parse_opening_hours(contact.get("opening_hours")),
        pricing=raw.get("pricing"),
        insurance=raw.get("insurance"),
        payment_options=raw.get("payment_options"),
        treatments=raw.get("treatments"),
        session_length=visit.get("session_length"),
        preparation=visit.get("preparation"),
        aftercare=visit.get("aftercare"),
        response_time=raw.get("response_time"),
        channels={str(name): _channel(str(name), spec or {}) for name, spec in (raw.get("channels") or {}).items()},
    )


@lru_cache(maxsize=4)
def _load(path: str) -> ClinicProfile:
    with open(path, encoding="utf-8") as handle:
        return parse_profile(yaml.safe_load(handle) or {})


def load_profile() -> ClinicProfile:
    """The profile named by ``CLINIC_PROFILE``, else clinic/profile.yml."""
    return _load(settings.get().CLINIC_PROFILE)
