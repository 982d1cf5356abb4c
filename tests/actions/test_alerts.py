"""After an urgent escalation the person is told what is true then: who has been told (the on-call
person paged, e-mail, a webhook, or only the console queue) and when the clinic will see it, from
the profile's opening hours, with 988 (911 for a medical emergency) for help now."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.alerts import alert_lines
from actions.safety import ActionEscalateCrisis
from clinic.hours import parse_opening_hours
from clinic.profile import DEFAULT_PROFILE, _load
from records.store import Store
from tests.actions.helpers import rendered, tracker
from tests.providers import StandIn

HOURS = parse_opening_hours({day: "09:00-17:00" for day in ("monday", "tuesday", "wednesday", "thursday", "friday")})
THURSDAY_NOON = datetime(2026, 12, 3, 17, 0)  # naive UTC, as the records store it: noon in Connecticut
THURSDAY_EVENING = datetime(2026, 12, 3, 23, 30)
SATURDAY = datetime(2026, 12, 5, 15, 0)


def said(
    domain: DomainDict, response: str, values: Dict[str, Any], emergency: Optional[str] = None, language: str = "en"
) -> str:
    """The text the Rasa server sends for a response: the variation for the emergency and language, filled in."""
    return rendered(domain, response, values, {"emergency": emergency, "language": language})["text"]


def reply(domain: DomainDict, dispatcher: CollectingDispatcher, emergency: Optional[str] = None) -> List[str]:
    return [
        said(domain, m["response"], m, emergency)
        for m in dispatcher.messages
        if m["response"] != "utter_crisis_check_in"
    ]


def escalate(emergency: Optional[str] = None) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    t = tracker("i want to end it all", intent="crisis", slots={"emergency": emergency})
    asyncio.run(ActionEscalateCrisis().run(dispatcher, t, {}))
    return dispatcher


@pytest.fixture
def opening_hours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped profile with opening hours filled in, Monday to Friday 9 to 5."""
    profile = yaml.safe_load(DEFAULT_PROFILE.read_text())
    profile["contact"]["opening_hours"] = {day: "09:00-17:00" for day in ("monday", "tuesday", "friday")}
    (tmp_path / "profile.yml").write_text(yaml.safe_dump(profile))
    monkeypatch.setenv("CLINIC_PROFILE", str(tmp_path / "profile.yml"))
    _load.cache_clear()
    yield
    _load.cache_clear()


def test_with_an_oncall_phone_the_person_hears_it_is_being_texted_and_the_team_told(
    store: Store, oncall: StandIn, domain: DomainDict
) -> None:
    dispatcher = escalate()
    assert [m["response"] for m in dispatcher.messages][-1] == "utter_crisis_check_in"
    assert reply(domain, dispatcher) == [
        "I'm texting the clinic's on-call staff member about this right now, and putting this at the top of the "
        "clinic's team's urgent list.",
        "The team will see this when the clinic opens. For help now, call or text 988.",
    ]


def test_without_an_oncall_phone_the_person_hears_only_the_queue_has_it(store: Store, domain: DomainDict) -> None:
    assert reply(domain, escalate()) == [
        "I'm putting this at the top of the clinic's team's urgent list now, so they know you reached out for help.",
        "The team will see this when the clinic opens. For help now, call or text 988.",
    ]


def test_e_mail_and_a_webhook_are_named_as_such(
    store: Store, domain: DomainDict, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "SMTP_HOST": "127.0.0.1",
        "STAFF_EMAIL": "s@example.com",
        "STAFF_WEBHOOK_URL": "http://x",
    }.items():
        monkeypatch.setenv(name, value)
    assert reply(domain, escalate())[0] == (
        "I'm e-mailing the clinic's team and alerting the clinic's team through its alert system now, "
        "so they know you reached out for help."
    )


def test_the_action_reads_the_opening_hours_from_the_clinic_profile(
    store: Store, domain: DomainDict, opening_hours: None
) -> None:
    # The action's own clock says now; which of the profile's two lines it gets is pinned below.
    line = reply(domain, escalate())[1]
    assert line.startswith(("The clinic is open until 5 pm today", "The clinic is closed now: the team will see this"))
    assert line.endswith("call or text 988.")


@pytest.mark.parametrize(
    "now, expected",
    [
        (
            THURSDAY_NOON,
            "The clinic is open until 5 pm today, so the team should see it soon. If you need help "
            "before they reach you, call or text 988.",
        ),
        (
            THURSDAY_EVENING,
            "The clinic is closed now: the team will see this when it opens, tomorrow at 9 am. "
            "For help now, call or text 988.",
        ),
        (
            SATURDAY,
            "The clinic is closed now: the team will see this when it opens, on Monday at 9 am. "
            "For help now, call or text 988.",
        ),
    ],
    ids=["open", "closed-overnight", "closed-weekend"],
)
def test_when_the_clinic_will_see_it_follows_its_opening_hours(
    domain: DomainDict, now: datetime, expected: str
) -> None:
    [_, (response, values)] = alert_lines({"console"}, HOURS, now)
    assert said(domain, response, values) == expected


def test_a_medical_emergency_is_told_to_call_911_not_988(store: Store, domain: DomainDict) -> None:
    [_, when] = reply(domain, escalate("medical_emergency"), "medical_emergency")
    assert when == "The team will see this when the clinic opens. For help now, call 911."
    for now in (THURSDAY_NOON, THURSDAY_EVENING):
        [_, (response, values)] = alert_lines({"oncall", "console"}, HOURS, now)
        assert "988" not in said(domain, response, values, "medical_emergency")


SPANISH_988 = "llame al 988 (marque 2 para español) o envíe AYUDA por mensaje de texto al 988."


@pytest.mark.parametrize(
    "targets, expected",
    [
        (
            {"oncall", "console"},
            "Ahora mismo le estoy enviando un mensaje de texto a la persona de guardia de la clínica, y también "
            "estoy poniendo esto en primer lugar en la lista de casos urgentes del equipo de la clínica.",
        ),
        (
            {"email", "webhook"},
            "Ahora mismo estoy avisando por correo electrónico al equipo de la clínica y avisando al equipo de la "
            "clínica por su sistema de alertas, para que sepan que usted pidió ayuda.",
        ),
    ],
    ids=["oncall", "team-only"],
)
def test_in_spanish_the_person_hears_who_has_been_told_in_spanish(
    domain: DomainDict, targets: set, expected: str
) -> None:
    [(response, values), _] = alert_lines(targets, None, THURSDAY_NOON, "es")
    assert said(domain, response, values, language="es") == expected


@pytest.mark.parametrize(
    "hours, now, expected",
    [
        (
            HOURS,
            THURSDAY_NOON,
            "La clínica está abierta hoy hasta las 5 p. m., así que el equipo debería verlo pronto. Si necesita "
            "ayuda antes de que se comuniquen con usted, " + SPANISH_988,
        ),
        (
            HOURS,
            SATURDAY,
            "La clínica está cerrada en este momento. Vuelve a abrir el lunes a las 9 a. m., y el equipo lo "
            "verá entonces. Si necesita ayuda ahora, " + SPANISH_988,
        ),
        (None, THURSDAY_NOON, "El equipo lo verá cuando abra la clínica. Si necesita ayuda ahora, " + SPANISH_988),
    ],
    ids=["open", "closed", "hours-unknown"],
)
def test_in_spanish_when_the_clinic_will_see_it_is_said_in_spanish(
    domain: DomainDict, hours: Any, now: datetime, expected: str
) -> None:
    [_, (response, values)] = alert_lines({"console"}, hours, now, "es")
    assert said(domain, response, values, language="es") == expected


@pytest.mark.parametrize("hours, now", [(HOURS, THURSDAY_NOON), (HOURS, THURSDAY_EVENING), (None, SATURDAY)])
def test_in_spanish_a_medical_emergency_is_told_to_call_911_not_988(
    domain: DomainDict, hours: Any, now: datetime
) -> None:
    [_, (response, values)] = alert_lines({"console"}, hours, now, "es")
    line = said(domain, response, values, "medical_emergency", "es")
    assert line.endswith("llame al 911.") and "988" not in line and "clínica" in line


def test_in_spanish_a_failed_alert_says_not_to_wait_in_spanish(domain: DomainDict) -> None:
    line = said(domain, "utter_alert_failed", {}, language="es")
    assert line.startswith("No he podido pasarle esto al equipo de la clínica") and "911" in line and "988" in line
