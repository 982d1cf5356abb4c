"""Phone, e-mail and name parsing as people actually type them."""

from __future__ import annotations

import pytest

from records.contact import display_phone, normalise_email, normalise_name, normalise_phone, parse_contact


@pytest.mark.parametrize(
    "raw",
    [
        "203-555-0147",
        "(203) 555 0147",
        "+1 203 555 0147",
        "call me at 2035550147",
        "203.555.0147 after 5pm",
        "1-203-555-0147",
    ],
)
def test_us_numbers_in_any_format_normalise_to_e164(raw: str) -> None:
    assert normalise_phone(raw) == "+12035550147"


@pytest.mark.parametrize("raw", ["555", "12345", "my number is secret", "203-555", "0000000000", ""])
def test_non_numbers_are_rejected(raw: str) -> None:
    assert normalise_phone(raw) is None


def test_international_number_kept_and_shown_internationally() -> None:
    e164 = normalise_phone("+44 20 7946 0958")
    assert e164 == "+442079460958"
    assert display_phone(e164).startswith("+44")


def test_display_uses_national_format_for_local_numbers() -> None:
    assert display_phone("+12035550147") == "(203) 555-0147"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("jane.doe@Example.COM", "jane.doe@example.com"),
        ("u can email me at Maria_L+clinic@gmail.com thx", "Maria_L+clinic@gmail.com"),
        ("o'brien@example.org", "o'brien@example.org"),
    ],
)
def test_email_found_and_domain_lowercased(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize("raw", ["jane@", "@example.com", "jane..doe@example.com", "jane@example", "no email"])
def test_bad_emails_rejected(raw: str) -> None:
    assert normalise_email(raw) is None


def test_phone_and_email_in_one_message() -> None:
    details = parse_contact("203 555 0147 or jane@example.com")
    assert details.phone == "+12035550147" and details.email == "jane@example.com"
    assert details.describe() == "(203) 555-0147 and jane@example.com"


def test_digits_inside_an_email_are_not_a_phone_number() -> None:
    assert parse_contact("jane2035550147@example.com").phone is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Maria Lopez", "Maria Lopez"),
        ("my name is dave o'neil", "dave o'neil"),
        ("hi, I'm DeShawn van der Berg", "DeShawn van der Berg"),
        ("Robert'); DROP TABLE appointment_requests;--", "Robert'); DROP TABLE appointment_requests;--"),
        ("José Núñez", "José Núñez"),
    ],
)
def test_names_are_kept_as_written(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "203-555-0147", "jane@example.com", "<script>alert(1)</script>", "x" * 200, "!!!"])
def test_things_that_are_not_names_are_refused(raw: str) -> None:
    assert normalise_name(raw) is None
