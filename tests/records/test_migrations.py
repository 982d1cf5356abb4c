"""The migrations in ``migrations/`` on real SQLite and PostgreSQL.

The migrated schema must equal the models (so a model changed without a
migration fails here), a database made by an earlier version of the project
(``create_all``, no ``alembic_version``) must keep its rows, processes starting
together must all succeed, every migration must be reversible, and Rasa's
``events`` table is never touched.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Set

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, insert, inspect, select, text

from records import schema
from records.models import (
    AppointmentRequest,
    Base,
    Escalation,
    OutboxMessage,
    events,
    staff_metadata,
    tracker_metadata,
    utcnow,
)
from records.store import Store

ROOT = Path(__file__).resolve().parents[2]
PROJECT_TABLES = set(Base.metadata.tables) | set(staff_metadata.tables)
# What the project's database held before the staff console (and status history) came.
BEFORE_THE_CONSOLE = [model.__table__ for model in (AppointmentRequest, Escalation, OutboxMessage)]
HEAD = ScriptDirectory.from_config(schema.alembic_config()).get_current_head()


def differences(url: str) -> List[Any]:
    """What autogenerate would write for this database: nothing when it matches the models."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": schema.include_object})
            return compare_metadata(context, [Base.metadata, staff_metadata])  # type: ignore[arg-type]
    finally:
        engine.dispose()


def tables(url: str) -> Set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_fresh_database_migrates_to_exactly_what_the_models_describe(database_url: str) -> None:
    schema.upgrade(database_url)
    assert schema.current_revision(database_url) == HEAD
    assert tables(database_url) == PROJECT_TABLES | {"alembic_version"}
    assert differences(database_url) == []


@pytest.mark.parametrize("old_tables", [None, BEFORE_THE_CONSOLE], ids=["all-eight", "before-the-console"])
def test_a_database_made_by_an_earlier_version_keeps_its_rows_and_reaches_head(
    database_url: str, old_tables: Any
) -> None:
    engine = create_engine(database_url)
    Base.metadata.create_all(engine, tables=old_tables)
    if old_tables is None:
        staff_metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(AppointmentRequest.__table__).values(
                reference="A-OLD234",
                idempotency_key="k" * 64,
                sender_id="visitor-1",
                channel="rest",
                name="Maria Lopez",
                office="Stamford",
                preferred_times="mornings",
                consent=True,
                status="in_progress",
                created_at=utcnow(),
            )
        )
    engine.dispose()

    store = Store(database_url)
    try:
        kept = store.appointment("A-OLD234")
        assert kept.name == "Maria Lopez" and kept.status == "in_progress"
        assert store.submit_appointment(
            "visitor-2",
            "rest",
            dict(
                name="Ann",
                phone="+12035550100",
                email=None,
                office="Westport",
                preferred_times="noon",
                reason=None,
                consent=True,
            ),
        ).created
        assert store.set_status("A-OLD234", "done", "alice")
        assert store.counts()[0] == 2
    finally:
        store.engine.dispose()
    assert schema.current_revision(database_url) == HEAD
    assert differences(database_url) == []


def test_a_database_at_0002_keeps_its_escalations_and_can_record_who_acknowledged_them(database_url: str) -> None:
    config = schema.alembic_config(database_url)
    command.upgrade(config, "0002")
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO escalations (reference, idempotency_key, kind, emergency, urgency, sender_id, channel, "
                "transcript, status, created_at) VALUES ('E-OLD234', :key, 'crisis', 'suicide', 'urgent', 'v1', "
                "'rest', '[]', 'new', :now)"
            ),
            {"key": "k" * 64, "now": utcnow()},
        )
    engine.dispose()
    store = Store(database_url)  # upgrades to head, as every process does on start
    try:
        kept = store.escalation("E-OLD234")
        assert (kept.emergency, kept.acknowledged_by, kept.acknowledged_at) == ("suicide", None, None)
        assert store.acknowledge("E-OLD234", "alice")
        assert store.escalation("E-OLD234").acknowledged_by == "alice"
    finally:
        store.engine.dispose()
    assert schema.current_revision(database_url) == HEAD
    assert differences(database_url) == []


def test_a_database_at_0003_keeps_its_staff_whose_sessions_then_need_the_second_factor(database_url: str) -> None:
    command.upgrade(schema.alembic_config(database_url), "0003")
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO staff_users (username, password_hash, role, created_at) "
                "VALUES ('alice', 'x', 'admin', :now)"
            ),
            {"now": utcnow()},
        )
        connection.execute(
            text(
                "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
                "VALUES (:digest, 1, 'csrf', :now, :now)"
            ),
            {"digest": "d" * 64, "now": utcnow()},
        )
    engine.dispose()
    Store(database_url).engine.dispose()  # upgrades to head
    engine = create_engine(database_url)
    with engine.connect() as connection:
        user = connection.execute(text("SELECT username, totp_secret, totp_last_step FROM staff_users")).one()
        verified = connection.execute(text("SELECT verified FROM staff_sessions")).scalar_one()
    engine.dispose()
    assert tuple(user) == ("alice", None, 0) and verified == 0  # enrols at the next request
    assert differences(database_url) == []


def open_store_when_all_are_ready(url: str, ready: Any) -> None:
    """One process starting: wait for the others, then open the store as every server does."""
    ready.wait()
    Store(url).engine.dispose()


@pytest.mark.slow  # starts several Python processes
def test_processes_starting_together_all_open_the_same_fresh_database(database_url: str) -> None:
    processes = 5
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(processes)
    workers = [
        spawn.Process(target=open_store_when_all_are_ready, args=(database_url, ready), daemon=True)
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0] * processes
    assert schema.current_revision(database_url) == HEAD
    assert differences(database_url) == []
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    engine.dispose()


def test_every_migration_can_be_undone_and_done_again(database_url: str) -> None:
    config = schema.alembic_config(database_url)
    upward = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
    for revision in upward:
        command.upgrade(config, revision.revision)
        command.downgrade(config, revision.down_revision or "base")
        command.upgrade(config, revision.revision)
    command.downgrade(config, "base")
    assert schema.current_revision(database_url) is None
    assert tables(database_url) == {"alembic_version"}
    schema.upgrade(database_url)
    assert differences(database_url) == []


def test_rasas_events_table_is_left_alone_by_upgrade_downgrade_and_comparison(database_url: str) -> None:
    engine = create_engine(database_url)
    tracker_metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(events).values(sender_id="visitor-1", type_name="user", timestamp=1.0, data="{}"))
    schema.upgrade(database_url)
    assert differences(database_url) == []  # autogenerate would not drop it
    command.downgrade(schema.alembic_config(database_url), "base")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(events)).scalar_one() == 1
    engine.dispose()


def test_the_commands_upgrade_database_url_from_any_folder(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'assistant.db'}"}
    made = subprocess.run(
        [sys.executable, "-m", "records.schema"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith(f"at migration {HEAD}")

    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'other.db'}"
    alembic = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"), "upgrade", "head"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert alembic.returncode == 0, alembic.stderr
    assert "Running upgrade  -> 0001" in alembic.stderr
    assert schema.current_revision(env["DATABASE_URL"]) == HEAD
    assert tables(env["DATABASE_URL"]) == PROJECT_TABLES | {"alembic_version"}
