"""Parse and normalise the ways a person can be reached, as people type them.

Staff call back from what is stored here, so a phone number is kept in one
unambiguous form (E.164, "+12035550147") and shown in the national form; an
e-mail address is lower-cased in its domain only. Anything that is not a
plausible phone or e-mail is rejected with a reason the assistant can repeat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import phonenumbers

import settings

DEFAULT_REGION = settings.get().CLINIC_PHONE_REGION

# Deliberately permissive on the local part (people have odd addresses) but
# strict on shape: one @, a dot in the domain, no spaces.
_EMAIL = re.compile(
    r"(?<![\w.+-])"  # not inside a longer word
    r"([A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})"
    r"(?![\w-])"
)
_NAME_PREFIX = re.compile(
    r"^(?:hi|hello|hey)?[\s,!.]*"
    r"(?:my name is|my names|my name's|name is|name's|this is|i am|i'm|im|it's|its|call me)\s+",
    re.IGNORECASE,
)
_NAME_ALLOWED = re.compile(r"^[^\d@<>]+$")


@dataclass(frozen=True)
class ContactDetails:
    """What a message gave us: a normalised phone, an e-mail, or neither."""

    phone: Optional[str] = None
    email: Optional[str] = None

    @property
    def found(self) -> bool:
        return bool(self.phone or self.email)

    def describe(self, joiner: str = " and ") -> str:
        """One line for a summary, in the form people read best (``joiner`` in the conversation's language)."""
        parts = []
        if self.phone:
            parts.append(display_phone(self.phone))
        if self.email:
            parts.append(self.email)
        return joiner.join(parts)


def normalise_email(raw: str) -> Optional[str]:
    """Return the first plausible e-mail address in ``raw``, domain lower-cased."""
    match = _EMAIL.search(raw or "")
    if not match:
        return None
    local, domain = match.group(1).rsplit("@", 1)
    if ".." in local or local.startswith(".") or local.endswith("."):
        return None
    return f"{local}@{domain.lower()}"


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> Optional[str]:
    """Return the first valid phone number in ``raw`` as E.164, else None."""
    text = _EMAIL.sub(" ", raw or "")
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def display_phone(e164: str, region: str = DEFAULT_REGION) -> str:
    """Show a stored number the way a person in the clinic's country writes it."""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def parse_contact(raw: str) -> ContactDetails:
    """Find a phone number and/or an e-mail address anywhere in a message."""
    return ContactDetails(phone=normalise_phone(raw), email=normalise_email(raw))


def normalise_name(raw: str) -> Optional[str]:
    """Turn "hi, my name is maria lopez" into "maria lopez"; None if it is no name.

    Names are stored exactly as the person wrote them, apart from the lead-in
    and outer whitespace: no re-casing ("DeShawn", "van der Berg"), and text
    that looks like SQL stays text. Digits, e-mail signs and markup are refused
    because they mean the answer was something else (a phone number, an
    e-mail address, a tag).
    """
    text = re.sub(r"\s+", " ", (raw or "").strip())
    text = _NAME_PREFIX.sub("", text).strip(" .,!")
    if not text or len(text) > 80 or not _NAME_ALLOWED.match(text):
        return None
    if not any(ch.isalpha() for ch in text) or len(text.split()) > 6:
        return None
    return text
