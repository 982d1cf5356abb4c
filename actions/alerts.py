"""What someone is told after an urgent escalation: who has been told, and when the clinic will see it.

Only what is true at that moment: the lines are chosen from the escalation's own outbox rows (an
on-call page, e-mail, a webhook, or only the console queue) and the profile's opening hours, never
promised ahead. The responses are in domain/alerts.yml.
"""

from __future__ import annotations

from datetime import datetime
from typing import Collection, Dict, List, Optional, Tuple

from clinic.hours import OpeningHours, clinic_time, spoken_opening, spoken_time

# How the team hears of it, per outbox target, in the order they are said.
TEAM = {
    "email": "e-mailing the clinic's team",
    "webhook": "alerting the clinic's team through its alert system",
    "console": "putting this at the top of the clinic's team's urgent list",
}

Line = Tuple[str, Dict[str, str]]  # a response and the values it is filled with


def alert_lines(targets: Collection[str], hours: Optional[OpeningHours], now: datetime) -> List[Line]:
    """Who is being told (the on-call person by SMS first), then when the team will see it; ``now`` is naive UTC."""
    team = " and ".join(phrase for target, phrase in TEAM.items() if target in targets)
    who = "utter_alert_oncall" if "oncall" in targets else "utter_alert_team"
    return [(who, {"team": team}), when_seen(hours, clinic_time(now))]


def when_seen(hours: Optional[OpeningHours], moment: datetime) -> Line:
    """Open now (until when), closed (until when), or hours not known: then only "when it opens"."""
    if hours is None:
        return ("utter_alert_hours_unknown", {})
    closes = hours.closes_at(moment)
    if closes:
        return ("utter_alert_open", {"closes": spoken_time(closes)})
    return ("utter_alert_closed", {"opens": spoken_opening(hours.opens_next(moment), moment)})
