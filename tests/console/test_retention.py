"""Retention deletes what is older than N days from every store, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update

from records.models import (
    AppointmentRequest,
    Escalation,
    OutboxMessage,
    StatusChange,
    audit_log,
    events,
    login_attempts,
    utcnow,
)
from records.store import Store
from tests.console.conftest import bot_says, user_says, write_conversation

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400
DETAILS = {
    "name": "Old Patient",
    "phone": None,
    "email": "o@example.com",
    "office": "Stamford",
    "preferred_times": "evenings",
    "reason": None,
    "consent": True,
}


def age(store: Store, model: type, reference: str, days: int) -> None:
    with store.session() as session:
        session.execute(
            update(model).where(model.reference == reference).values(created_at=utcnow() - timedelta(days=days))
        )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.reference == reference)
            .values(created_at=utcnow() - timedelta(days=days))
        )


def count(store: Store, table) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_retention_deletes_old_records_from_every_store_and_reports_it(database_url: str) -> None:
    store = Store(database_url)
    now = time.time()
    write_conversation(
        store.engine, "old", [user_says("hello", "greet", 0.9, now - 40 * DAY), bot_says("Hi!", now - 40 * DAY + 1)]
    )
    write_conversation(
        store.engine,
        "ongoing",
        [
            user_says("started long ago", "greet", 0.9, now - 40 * DAY),
            user_says("and came back", "greet", 0.9, now - DAY),
        ],
    )
    write_conversation(store.engine, "new", [user_says("hi today", "greet", 0.9, now)])
    old_request = store.submit_appointment("old", "rest", DETAILS).reference
    new_request = store.submit_appointment("new", "rest", {**DETAILS, "name": "New Patient"}).reference
    old_crisis = store.submit_escalation(
        "old", "rest", "crisis", "t1", "help", [], {"name": None, "phone": None, "email": None}
    ).reference
    new_crisis = store.submit_escalation(
        "new", "rest", "crisis", "t2", "help", [], {"name": None, "phone": None, "email": None}
    ).reference
    store.set_status(old_request, "done", "alice", "called")
    store.set_status(new_request, "done", "alice", "called")
    age(store, AppointmentRequest, old_request, 40)
    age(store, Escalation, old_crisis, 31)
    with store.engine.begin() as connection:
        connection.execute(
            insert(audit_log).values(
                username="alice", action="open transcript", target="old", at=utcnow() - timedelta(days=45)
            )
        )
        connection.execute(insert(audit_log).values(username="alice", action="open transcript", target="new"))
        connection.execute(
            insert(login_attempts).values(
                username="alice", ip="127.0.0.1", succeeded=0, at=utcnow() - timedelta(days=45)
            )
        )
    store.engine.dispose()

    result = subprocess.run(
        [sys.executable, "-m", "console.retention", "--days", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    reported = dict(re.findall(r"^  ([a-z -]+): (\d+)$", result.stdout, re.M))
    assert reported == {
        "conversations": "1",
        "conversation events": "2",
        "appointment requests": "1",
        "escalations": "1",
        "notifications": "2",
        "work history entries": "1",
        "audit entries": "1",
        "sign-in attempts": "1",
        "expired sessions": "0",
    }

    store = Store(database_url)
    try:
        with store.engine.connect() as connection:
            senders = connection.execute(select(events.c.sender_id).distinct()).scalars().all()
        assert sorted(senders) == ["new", "ongoing"] and count(store, events) == 3  # "ongoing" kept whole
        assert store.appointment(old_request) is None and store.appointment(new_request) is not None
        assert store.escalation(old_crisis) is None and store.escalation(new_crisis) is not None
        assert store.outbox(old_request) == [] and len(store.outbox(new_request)) == 1
        assert store.status_changes(old_request) == [] and len(store.status_changes(new_request)) == 1
        assert count(store, audit_log) == 1 and count(store, login_attempts) == 0
        assert count(store, StatusChange.__table__) == 1
    finally:
        store.engine.dispose()


def test_retention_needs_a_number_of_days(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "RETENTION_DAYS"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'r.db'}"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "console.retention", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )

    assert "give --days N or set RETENTION_DAYS" in run().stderr
    assert "--days must be 1 or more" in run("--days", "0").stderr
    env["RETENTION_DAYS"] = "365"
    assert "older than 365 days" in run().stdout


@pytest.mark.slow  # a console process of its own
def test_the_console_applies_retention_days_while_it_runs(tmp_path: Path, no_notify_targets: None) -> None:
    from tests.console.conftest import ConsoleServer

    url = f"sqlite:///{tmp_path / 'running.db'}"
    store = Store(url)
    write_conversation(store.engine, "old", [user_says("hello", "greet", 0.9, time.time() - 10 * DAY)])
    write_conversation(store.engine, "new", [user_says("hello", "greet", 0.9, time.time())])
    server = ConsoleServer(url, {"RETENTION_DAYS": "7"})
    try:
        deadline = time.monotonic() + 20
        while count(store, events) != 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        with store.engine.connect() as connection:
            assert connection.execute(select(events.c.sender_id)).scalars().all() == ["new"]
    finally:
        server.stop()
        store.engine.dispose()
