"""The console's own tables, and Rasa's ``events`` table as the console reads it.

They live in the project's database (``DATABASE_URL``) beside the records the
assistant writes, so retention and backups cover one place.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, Text, inspect
from sqlalchemy.engine import Engine

from actions.storage import utcnow

metadata = MetaData()

staff_users = Table(
    "staff_users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), unique=True, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),  # admin | staff
    Column("created_at", DateTime, nullable=False, default=utcnow),
)

staff_sessions = Table(
    "staff_sessions", metadata,
    Column("id", Integer, primary_key=True),
    # Only a digest of the cookie is stored: a leaked database opens no session.
    Column("token_hash", String(64), unique=True, nullable=False),
    Column("user_id", Integer, nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Column("expires_at", DateTime, nullable=False, index=True),
)

login_attempts = Table(
    "login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("ip", String(64), nullable=False, index=True),
    Column("succeeded", Integer, nullable=False),
    Column("at", DateTime, nullable=False, default=utcnow, index=True),
)

audit_log = Table(
    "audit_log", metadata,
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
    "events", tracker_metadata,
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
