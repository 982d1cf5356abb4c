"""Deliver queued staff notifications by e-mail, webhook and on-call SMS, retrying until done.

Run by ``python -m worker`` (the run command starts it). A failed
delivery is retried with exponential backoff capped at an hour, so an SMTP
outage delays notifications but never drops them. Urgent (crisis) messages are
sent first. Targets are configured by environment (settings.py, docs/configuration.md):

- e-mail: ``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_USER``/``SMTP_PASSWORD``,
  ``SMTP_STARTTLS`` ("1" to upgrade), ``SMTP_FROM``, ``STAFF_EMAIL``
- webhook: ``STAFF_WEBHOOK_URL``, ``STAFF_WEBHOOK_SECRET`` (HMAC-SHA256 of the
  body in ``X-Clinic-Signature: sha256=<hex>``)
- on-call SMS for urgent escalations: ``ONCALL_PHONE``, ``ONCALL_BACKUP_PHONE``,
  ``ONCALL_ACK_MINUTES`` and the ``TWILIO_`` settings (``worker.oncall``)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Callable, Dict, Optional

import requests
from sqlalchemy import case, select

import settings
from records.models import OutboxMessage, utcnow
from records.store import Store
from worker.oncall import backup_needed, in_language, send_backup_page, send_page

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
BASE_BACKOFF = timedelta(seconds=30)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at an hour."""
    doublings = min(max(attempts - 1, 0), 16)  # past the cap anyway; keeps the number small
    return min(BASE_BACKOFF * (2**doublings), MAX_BACKOFF)


def _subject(payload: Dict[str, str]) -> str:
    reference = f"{payload['reference']}{in_language(payload)}"
    if payload.get("urgency") == "urgent":
        emergency = (payload.get("emergency") or "crisis").replace("_", " ")
        return f"URGENT: {emergency} escalation {reference}: open the staff console now"
    if payload.get("topic") == "escalation":
        kind = f"{payload['kind']} " if payload.get("kind") else ""
        return f"New {kind}escalation {reference}"
    return f"New appointment request {reference}"


def send_email(payload: Dict[str, str]) -> None:
    config = settings.get()
    message = EmailMessage()
    message["Subject"] = _subject(payload)
    message["From"] = config.SMTP_FROM
    message["To"] = config.required("STAFF_EMAIL")
    message.set_content(
        f"{_subject(payload)}.\n\nReference: {payload['reference']}\n"
        "Details are in the staff console; this e-mail carries no patient information.\n"
    )
    with smtplib.SMTP(config.required("SMTP_HOST"), config.SMTP_PORT, timeout=10) as smtp:
        if config.SMTP_STARTTLS:
            smtp.starttls()
        if config.SMTP_USER:
            smtp.login(config.SMTP_USER, config.SMTP_PASSWORD or "")
        smtp.send_message(message)


def send_webhook(payload: Dict[str, str]) -> None:
    body = json.dumps({**payload, "summary": _subject(payload)}).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    config = settings.get()
    secret = config.STAFF_WEBHOOK_SECRET
    if secret:
        digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        headers["X-Clinic-Signature"] = f"sha256={digest}"
    response = requests.post(config.required("STAFF_WEBHOOK_URL"), data=body, headers=headers, timeout=10)
    response.raise_for_status()


SENDERS: Dict[str, Callable[[Dict[str, str]], None]] = {
    "email": send_email,
    "webhook": send_webhook,
    "oncall": send_page,
    "oncall_backup": send_backup_page,
}
# Messages that are never sent again: the console's retry leaves them alone.
FINAL = ("delivered", "cancelled")


def deliver_due(store: Store, now: Optional[datetime] = None, limit: int = 50) -> int:
    """Try every pending message that is due; return how many were delivered."""
    now = now or utcnow()
    delivered = 0
    with store.session() as session:
        due = (
            session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
                .order_by(case((OutboxMessage.urgency == "urgent", 0), else_=1), OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            .scalars()
            .all()
        )
        for message in due:
            if message.target == "oncall_backup" and not backup_needed(session, message.reference):
                message.status = "cancelled"  # someone has it: the backup is not woken
                continue
            message.attempts += 1
            try:
                SENDERS[message.target](json.loads(message.payload))
            except Exception as error:  # any failure is retried later, never lost
                message.last_error = f"{type(error).__name__}: {error}"[:500]
                message.next_attempt_at = now + backoff(message.attempts)
                logger.warning("outbox %s to %s failed (attempt %d)", message.id, message.target, message.attempts)
            else:
                message.status = "delivered"
                message.delivered_at = now
                message.last_error = None
                delivered += 1
    return delivered


def retry_now(store: Store, message_id: int) -> None:
    """Make a waiting or held message due at once (the staff console's retry)."""
    with store.session() as session:
        message = session.get(OutboxMessage, message_id)
        if message is not None and message.status not in FINAL and message.target in SENDERS:
            message.status = "pending"
            message.next_attempt_at = utcnow()
