"""The project's own records: every table of its database, in one place.

One database URL (``DATABASE_URL``, SQLite file by default) holds these tables
beside Rasa's tracker store, so staff tools, retention and backups read one
place. The action server, the outbox worker, the console and the migrations in
``migrations/`` all import them from here. Rasa's own ``events`` table is
described too, as the console and the worker read it; Rasa creates it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> datetime:
    """Naive UTC, as every timestamp column stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class AppointmentRequest(Base):
    __tablename__ = "appointment_requests"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), unique=True, nullable=False)
    idempotency_key = Column(String(64), unique=True, nullable=False)
    sender_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(64), nullable=False, default="unknown")
    name = Column(Text, nullable=False)
    phone = Column(String(32))
    email = Column(String(320))
    office = Column(String(64), nullable=False)
    preferred_times = Column(Text, nullable=False)
    reason = Column(Text)
    consent = Column(Boolean, nullable=False)
    status = Column(String(16), nullable=False, default="new")
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    language = Column(String(8))  # the conversation's language: staff call back in it (LANGUAGE_NAMES)


# The languages the assistant speaks, as staff screens and notifications name them (None: English,
# a record from before the language was kept).
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
LANGUAGE_SLOT = "language"  # the tracker slot that holds a conversation's language (domain/language.yml)


def language_badge(language: Optional[str]) -> Optional[str]:
    """What staff screens show beside a conversation in another language than English ("Spanish"), else None."""
    if not language or language == "en":
        return None
    return LANGUAGE_NAMES.get(language, language)


# How staff screens name each kind of emergency: plain words, not a shouted code.
EMERGENCY_LABELS = {
    "suicide": "Risk of suicide or self-harm",
    "medical_emergency": "Medical emergency",
    "overdose": "Possible overdose",
    "danger_from_others": "In danger from another person",
    "someone_else_at_risk": "Someone else at risk",
}


class Escalation(Base):
    __tablename__ = "escalations"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), unique=True, nullable=False)
    idempotency_key = Column(String(64), unique=True, nullable=False)
    kind = Column(String(16), nullable=False)  # crisis | medical | handoff
    # For a crisis, the kind of emergency (safety.crisis_patterns.EMERGENCIES); null otherwise.
    emergency = Column(String(32))
    urgency = Column(String(16), nullable=False)  # urgent | normal
    sender_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(64), nullable=False, default="unknown")
    question = Column(Text)
    transcript = Column(Text, nullable=False, default="[]")  # JSON list of turns
    name = Column(Text)
    phone = Column(String(32))
    email = Column(String(320))
    status = Column(String(16), nullable=False, default="new")
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    language = Column(String(8))  # the conversation's language: staff call back in it (LANGUAGE_NAMES)
    # The staff member who said "I have it" to an urgent escalation, and when: that stops the backup page.
    acknowledged_by = Column(String(64))
    acknowledged_at = Column(DateTime)


class OutboxMessage(Base):
    """A staff notification waiting to be delivered, retried until it is."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    topic = Column(String(32), nullable=False)  # appointment_request | escalation
    reference = Column(String(16), nullable=False, index=True)
    urgency = Column(String(16), nullable=False)
    target = Column(String(16), nullable=False)  # email | webhook | console | oncall | oncall_backup
    payload = Column(Text, nullable=False)
    # pending | delivered | held (for the console) | cancelled (a backup page nobody needed)
    status = Column(String(16), nullable=False, default="pending")
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    last_error = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    delivered_at = Column(DateTime)


# How staff work a request or escalation (the ``status`` column of each).
WORKFLOW = ("new", "in_progress", "done")


class StatusChange(Base):
    """One step of staff work on a record: who moved it, when, to what, and why."""

    __tablename__ = "status_changes"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, index=True)
    status = Column(String(16), nullable=False)
    changed_by = Column(String(64), nullable=False)
    note = Column(Text)
    changed_at = Column(DateTime, nullable=False, default=utcnow, index=True)


def record_model(reference: str) -> Optional[type]:
    """The table a reference belongs to: its prefix says which (A- request, E- escalation)."""
    return {"A": AppointmentRequest, "E": Escalation}.get(reference.split("-", 1)[0])


# The console's own tables: staff accounts, their sessions, sign-in attempts and the audit log.
staff_metadata = MetaData()

staff_users = Table(
    "staff_users",
    staff_metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), unique=True, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),  # admin | staff
    Column("created_at", DateTime, nullable=False, default=utcnow),
    # The authenticator app's TOTP secret once a code from it was checked; None until then.
    Column("totp_secret", String(64)),
    # The last TOTP time step accepted: a code is good once (no replay within its 30 seconds).
    Column("totp_last_step", Integer, nullable=False, default=0, server_default="0"),
    # 1 when the password given at sign-in is one now refused (set before the check, or newly breached):
    # the account may then only choose a new one.
    Column("must_change_password", Integer, nullable=False, default=0, server_default="0"),
)

# One-time recovery codes, salted SHA-256 (each code has 50 random bits): a lost phone is not a lost account.
staff_recovery_codes = Table(
    "staff_recovery_codes",
    staff_metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, nullable=False, index=True),
    Column("code_hash", String(128), nullable=False),
)

staff_sessions = Table(
    "staff_sessions",
    staff_metadata,
    Column("id", Integer, primary_key=True),
    # Only a digest of the cookie is stored: a leaked database opens no session.
    Column("token_hash", String(64), unique=True, nullable=False),
    Column("user_id", Integer, nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Column("expires_at", DateTime, nullable=False, index=True),
    # 1 once the second factor was given; a password alone opens only the code and enrolment pages.
    Column("verified", Integer, nullable=False, default=0, server_default="0"),
    # A TOTP secret being enrolled, until a code from it is checked.
    Column("totp_pending", String(64)),
    # Shown on the account page, so staff can tell their other sessions apart.
    Column("ip", String(64)),
    Column("last_seen_at", DateTime),
)

login_attempts = Table(
    "login_attempts",
    staff_metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("ip", String(64), nullable=False, index=True),
    Column("succeeded", Integer, nullable=False),
    Column("at", DateTime, nullable=False, default=utcnow, index=True),
)

audit_log = Table(
    "audit_log",
    staff_metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, default=utcnow, index=True),
    Column("username", String(64), nullable=False, index=True),
    Column("action", String(32), nullable=False, index=True),
    Column("target", String(255)),
    Column("detail", Text),
    Column("ip", String(64)),
)

# Rasa's SQL tracker store (rasa.core.tracker_store.SQLTrackerStore.SQLEvent):
# one row per event. Rasa creates it; the console only reads and prunes it.
tracker_metadata = MetaData()
events = Table(
    "events",
    tracker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def tracker_exists(engine: Engine) -> bool:
    """Rasa creates ``events`` on its first start; before that there are no conversations."""
    return inspect(engine).has_table("events")


# What the migrations create and compare: the records and the console's tables.
PROJECT_METADATA = (Base.metadata, staff_metadata)
