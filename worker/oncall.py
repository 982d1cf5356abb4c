"""Page the on-call person by SMS through Twilio's Messages API, and the backup if nobody has it.

An urgent escalation queues its pages in the outbox (``records.store.urgent_pages``), so they
are sent, retried and claimed like e-mail: one worker sends each, and a restart repeats none
that was recorded as sent. The backup page is due ``ONCALL_ACK_MINUTES`` after the escalation;
the worker drops it when someone has acknowledged the escalation, or started or closed it.

An SMS is no place for health information: the page names the kind of escalation, its
reference and where to open it in the console, nothing the person said.
"""

from __future__ import annotations

from typing import Dict

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

import settings
from records.models import Escalation, language_badge


def in_language(payload: Dict[str, str]) -> str:
    """ " (in Spanish)" for a conversation not in English, so the person is called back in their language."""
    name = language_badge(payload.get("language"))
    return f" (in {name})" if name else ""


def page_text(payload: Dict[str, str]) -> str:
    """ "URGENT crisis escalation E-7KQ2MX, open https://console.example.com/queues#E-7KQ2MX" """
    reference = payload["reference"]
    console = settings.get().CONSOLE_PUBLIC_URL
    where = f"{console}/queues#{reference}" if console else "the staff console"
    return f"URGENT {payload['kind']} escalation {reference}{in_language(payload)}, open {where}"


def send_sms(to: str, body: str) -> None:
    """One message through Twilio's REST API: POST .../Accounts/{SID}/Messages.json, form-encoded, Basic auth."""
    config = settings.get()
    sid = config.required("TWILIO_ACCOUNT_SID")
    response = requests.post(
        f"{config.TWILIO_API_URL.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json",
        data={"To": to, "From": config.required("TWILIO_NUMBER"), "Body": body},
        auth=(sid, config.required("TWILIO_AUTH_TOKEN")),
        timeout=10,
    )
    response.raise_for_status()


def send_page(payload: Dict[str, str]) -> None:
    send_sms(settings.get().required("ONCALL_PHONE"), page_text(payload))


def send_backup_page(payload: Dict[str, str]) -> None:
    send_sms(settings.get().required("ONCALL_BACKUP_PHONE"), page_text(payload))


def backup_needed(session: Session, reference: str) -> bool:
    """Nobody has the escalation yet: not acknowledged, and still new (starting or closing it counts too)."""
    escalation = session.execute(
        select(Escalation.acknowledged_at, Escalation.status).where(Escalation.reference == reference)
    ).first()
    return escalation is not None and escalation.acknowledged_at is None and escalation.status == "new"
