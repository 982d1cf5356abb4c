"""What someone is told after an urgent escalation: who has been told, and when the clinic will see it.

Only what is true at that moment: the lines are chosen from the escalation's own outbox rows (an
on-call page, e-mail, a webhook, or only the console queue) and the profile's opening hours, never
promised ahead. The responses are in domain/alerts.yml.
"""

from __future__ import annotations

from datetime import datetime
from typing import Collection, Dict, List, Optional, Tuple

from clinic.hours import OpeningHours, clinic_time, spoken_opening, spoken_time
from clinic.wording import DEFAULT_LANGUAGE, phrase, supported

# How the team hears of it, per outbox target, in the order they are said, in each language.
TEAM = {
    "en": {
        "email": "e-mailing the clinic's team",
        "webhook": "alerting the clinic's team through its alert system",
        "console": "putting this at the top of the clinic's team's urgent list",
    },
    "es": {
        "email": "avisando por correo electrónico al equipo de la clínica",
        "webhook": "avisando al equipo de la clínica por su sistema de alertas",
        "console": "poniendo esto en primer lugar en la lista de casos urgentes del equipo de la clínica",
    },
}

Line = Tuple[str, Dict[str, str]]  # a response and the values it is filled with


def alert_lines(
    targets: Collection[str], hours: Optional[OpeningHours], now: datetime, language: str = DEFAULT_LANGUAGE
) -> List[Line]:
    """Who is being told (the on-call person by SMS first), then when the team will see it; ``now`` is naive UTC.

    The values are in ``language``, the conversation's: the responses' variations are chosen by the same slot.
    """
    language = supported(language)
    team = phrase("and", language).join(text for target, text in TEAM[language].items() if target in targets)
    who = "utter_alert_oncall" if "oncall" in targets else "utter_alert_team"
    return [(who, {"team": team}), when_seen(hours, clinic_time(now), language)]


def when_seen(hours: Optional[OpeningHours], moment: datetime, language: str = DEFAULT_LANGUAGE) -> Line:
    """Open now (until when), closed (until when), or hours not known: then only "when it opens"."""
    if hours is None:
        return ("utter_alert_hours_unknown", {})
    closes = hours.closes_at(moment)
    if closes:
        return ("utter_alert_open", {"closes": spoken_time(closes, language)})
    return ("utter_alert_closed", {"opens": spoken_opening(hours.opens_next(moment), moment, language)})
