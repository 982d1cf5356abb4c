"""Reads and writes the project's records: appointment requests, escalations, the outbox.

Each record and its staff notification are written in the same transaction (a
transactional outbox): a request is never stored without its notification,
nor the reverse. Submissions carry an idempotency key, so a retried action or
a double click stores one record and returns the same reference. The tables
themselves are in ``records.models``; the migrations that make and upgrade
them run through ``records.schema``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from sqlalchemy import create_engine, event, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import settings
from records import schema
from records.models import (
    WORKFLOW,
    AppointmentRequest,
    Escalation,
    OutboxMessage,
    StatusChange,
    record_model,
    utcnow,
)

# No 0/O or 1/I/L: a reference is read aloud over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# The note an acknowledgement leaves in the status history, as the console's button says it.
ACKNOWLEDGED = "Acknowledged: I have it"


def new_reference(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def idempotency_key(*parts: Any) -> str:
    """A stable digest of what makes two submissions "the same one"."""
    canonical = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Submitted:
    """The outcome of a submission: its reference, and whether it is new."""

    reference: str
    created: bool


def notification_targets() -> List[str]:
    """Where staff notifications go, from the environment; "console" if nowhere."""
    config, targets = settings.get(), []
    if config.SMTP_HOST and config.STAFF_EMAIL:
        targets.append("email")
    if config.STAFF_WEBHOOK_URL:
        targets.append("webhook")
    return targets or ["console"]


def paging_configured() -> bool:
    """An urgent escalation pages on-call by SMS: a number to page, and Twilio to send it through."""
    config = settings.get()
    return bool(config.ONCALL_PHONE) and not config.twilio_unset()


def urgent_pages(now: datetime) -> List[Tuple[str, datetime]]:
    """The on-call pages an urgent escalation queues, with when each is due: the backup's after the wait.

    Both are rows of the outbox from the start, so a restart or a second worker neither loses
    nor repeats them; the worker drops the backup page if someone acknowledged first.
    """
    if not paging_configured():
        return []
    config = settings.get()
    pages = [("oncall", now)]
    if config.ONCALL_BACKUP_PHONE:
        pages.append(("oncall_backup", now + timedelta(minutes=config.ONCALL_ACK_MINUTES)))
    return pages


def _enable_sqlite_concurrency(engine: Engine) -> None:
    """Rasa and the action server write the same SQLite file: wait, don't fail."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


class Store:
    """Reads and writes the project's tables through one SQLAlchemy engine."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or schema.database_url()
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            Path(self.url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            _enable_sqlite_concurrency(self.engine)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)
        schema.upgrade(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            with session.begin():
                yield session

    def submit_appointment(
        self, sender_id: str, channel: str, details: Dict[str, Any], language: str = "en"
    ) -> Submitted:
        """Store an appointment request once and queue its staff notification (which says the language)."""
        key = idempotency_key("appointment", sender_id, details)
        return self._insert_once(
            AppointmentRequest,
            key,
            prefix="A",
            fields=dict(sender_id=sender_id, channel=channel, language=language, **details),
            topic="appointment_request",
            urgency="normal",
            summary={"office": details.get("office"), "language": language},
        )

    def submit_escalation(
        self,
        sender_id: str,
        channel: str,
        kind: str,
        trigger_id: str,
        question: Optional[str],
        transcript: List[Dict[str, Any]],
        contact: Dict[str, Optional[str]],
        emergency: Optional[str] = None,
        language: str = "en",
    ) -> Submitted:
        """Store an escalation once per triggering message and alert staff, saying the conversation's language."""
        urgency = "urgent" if kind == "crisis" else "normal"
        key = idempotency_key("escalation", sender_id, kind, trigger_id)
        return self._insert_once(
            Escalation,
            key,
            prefix="E",
            fields=dict(
                sender_id=sender_id,
                channel=channel,
                kind=kind,
                emergency=emergency,
                language=language,
                urgency=urgency,
                question=question,
                transcript=json.dumps(transcript, ensure_ascii=False),
                **contact,
            ),
            topic="escalation",
            urgency=urgency,
            summary={"kind": kind, "language": language, **({"emergency": emergency} if emergency else {})},
        )

    def _insert_once(
        self,
        model: type,
        key: str,
        prefix: str,
        fields: Dict[str, Any],
        topic: str,
        urgency: str,
        summary: Dict[str, Any],
    ) -> Submitted:
        existing = self._reference_for(model, key)
        if existing:
            return Submitted(existing, created=False)
        for _ in range(5):
            reference = new_reference(prefix)
            try:
                with self.session() as session:
                    session.add(model(reference=reference, idempotency_key=key, **fields))
                    self._enqueue(session, topic, reference, urgency, summary)
                return Submitted(reference, created=True)
            except IntegrityError:
                # Either a concurrent duplicate (same key) or a reference clash.
                existing = self._reference_for(model, key)
                if existing:
                    return Submitted(existing, created=False)
        raise RuntimeError("could not allocate a unique reference")

    def _reference_for(self, model: type, key: str) -> Optional[str]:
        with self.session() as session:
            return session.execute(select(model.reference).where(model.idempotency_key == key)).scalar_one_or_none()

    @staticmethod
    def _enqueue(session: Session, topic: str, reference: str, urgency: str, summary: Dict[str, Any]) -> None:
        """Queue one notification per configured target; held for the console if none.

        The payload names the record, never its content: e-mail and webhooks are
        not the place for patients' health information, the console is.
        """
        payload = json.dumps({"topic": topic, "reference": reference, "urgency": urgency, **summary})
        now = utcnow()
        rows = [(target, "held" if target == "console" else "pending", now) for target in notification_targets()]
        if urgency == "urgent":
            rows += [(target, "pending", due) for target, due in urgent_pages(now)]
        for target, status, due in rows:
            session.add(
                OutboxMessage(
                    topic=topic,
                    reference=reference,
                    urgency=urgency,
                    target=target,
                    payload=payload,
                    status=status,
                    next_attempt_at=due,
                )
            )

    def appointment(self, reference: str) -> Optional[AppointmentRequest]:
        with self.session() as session:
            return session.execute(
                select(AppointmentRequest).where(AppointmentRequest.reference == reference)
            ).scalar_one_or_none()

    def escalation(self, reference: str) -> Optional[Escalation]:
        with self.session() as session:
            return session.execute(select(Escalation).where(Escalation.reference == reference)).scalar_one_or_none()

    def outbox(self, reference: Optional[str] = None) -> List[OutboxMessage]:
        with self.session() as session:
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if reference:
                query = query.where(OutboxMessage.reference == reference)
            return list(session.execute(query).scalars())

    def set_status(self, reference: str, status: str, changed_by: str, note: Optional[str] = None) -> bool:
        """Move a record along the workflow and log the step, together; False if no such record."""
        if status not in WORKFLOW:
            raise ValueError(f"unknown status {status!r}")
        model = record_model(reference)
        if model is None:
            return False
        with self.session() as session:
            record = session.execute(select(model).where(model.reference == reference)).scalar_one_or_none()
            if record is None:
                return False
            record.status = status
            session.add(StatusChange(reference=reference, status=status, changed_by=changed_by, note=note or None))
        return True

    def acknowledge(self, reference: str, by: str, now: Optional[datetime] = None) -> bool:
        """Record who has an escalation ("I have it") and when, once: False if it was already acknowledged.

        A new escalation moves to in progress; the step goes in its status history either way.
        """
        now = now or utcnow()
        with self.session() as session:
            claimed = session.execute(
                update(Escalation)
                .where(Escalation.reference == reference, Escalation.acknowledged_at.is_(None))
                .values(acknowledged_by=by, acknowledged_at=now)
            ).rowcount
            if not claimed:
                return False
            session.execute(
                update(Escalation)
                .where(Escalation.reference == reference, Escalation.status == "new")
                .values(status="in_progress")
            )
            status = session.execute(select(Escalation.status).where(Escalation.reference == reference)).scalar_one()
            session.add(
                StatusChange(reference=reference, status=status, changed_by=by, note=ACKNOWLEDGED, changed_at=now)
            )
        return True

    def status_changes(self, reference: str) -> List[StatusChange]:
        with self.session() as session:
            query = select(StatusChange).where(StatusChange.reference == reference).order_by(StatusChange.id)
            return list(session.execute(query).scalars())

    def counts(self) -> Tuple[int, int, int]:
        """(appointment requests, escalations, outbox messages), for tests and tools."""
        with self.session() as session:
            return tuple(  # type: ignore[return-value]
                session.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (AppointmentRequest, Escalation, OutboxMessage)
            )


_default_store: Optional[Store] = None


def default_store() -> Store:
    """The process-wide store, created on first use from ``DATABASE_URL``."""
    global _default_store
    if _default_store is None:
        _default_store = Store()
    return _default_store
