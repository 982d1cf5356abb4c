"""Delete what is older than N days from every store: ``python -m console.retention --days N``.

Conversations go whole (every event of a sender whose last event is older
than the cutoff), so Rasa never reloads half a conversation. Appointment
requests and escalations go by when they arrived, with their notifications and
work history; the console's audit log, sign-in attempts and expired sessions
go by their own dates. ``RETENTION_DAYS`` sets the default, and the console
applies it once a day while it runs.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from typing import Dict, List, Optional

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

import settings
from console.timeutil import epoch
from records.models import (
    AppointmentRequest,
    Escalation,
    OutboxMessage,
    StatusChange,
    audit_log,
    events,
    login_attempts,
    staff_sessions,
    tracker_exists,
    utcnow,
)
from records.store import Store


def retention_days() -> Optional[int]:
    return settings.get().RETENTION_DAYS


def purge(engine: Engine, days: int, now: Optional[datetime] = None) -> Dict[str, int]:
    """Delete everything older than ``days``; return how many rows went, per kind."""
    if days < 1:
        raise ValueError("days must be 1 or more")
    cutoff = (now or utcnow()) - timedelta(days=days)
    deleted: Dict[str, int] = {}
    with engine.begin() as connection:
        if tracker_exists(engine):
            stale = (
                select(events.c.sender_id)
                .group_by(events.c.sender_id)
                .having(func.max(events.c.timestamp) < epoch(cutoff))
            )
            senders = connection.execute(stale).scalars().all()
            deleted["conversations"] = len(senders)
            deleted["conversation events"] = sum(
                connection.execute(delete(events).where(events.c.sender_id.in_(chunk))).rowcount
                for chunk in _chunks(senders)
            )
        deleted["notifications"] = deleted["work history entries"] = 0
        for label, model in (("appointment requests", AppointmentRequest), ("escalations", Escalation)):
            references = connection.execute(select(model.reference).where(model.created_at < cutoff)).scalars().all()
            for chunk in _chunks(references):
                deleted["work history entries"] += connection.execute(
                    delete(StatusChange).where(StatusChange.reference.in_(chunk))
                ).rowcount
                deleted["notifications"] += connection.execute(
                    delete(OutboxMessage).where(OutboxMessage.reference.in_(chunk))
                ).rowcount
            deleted[label] = connection.execute(delete(model).where(model.created_at < cutoff)).rowcount
        deleted["notifications"] += connection.execute(
            delete(OutboxMessage).where(OutboxMessage.created_at < cutoff)
        ).rowcount
        deleted["audit entries"] = connection.execute(delete(audit_log).where(audit_log.c.at < cutoff)).rowcount
        deleted["sign-in attempts"] = connection.execute(
            delete(login_attempts).where(login_attempts.c.at < cutoff)
        ).rowcount
        deleted["expired sessions"] = connection.execute(
            delete(staff_sessions).where(staff_sessions.c.expires_at < utcnow())
        ).rowcount
    return deleted


def _chunks(values: List[str], size: int = 500) -> List[List[str]]:
    """IN lists small enough for SQLite's parameter limit."""
    return [values[i : i + size] for i in range(0, len(values), size)]


def report(deleted: Dict[str, int], days: int) -> str:
    lines = [f"Deleted what was older than {days} days:"]
    lines += [f"  {label}: {count}" for label, count in deleted.items()]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.retention", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--days", type=int, default=retention_days(), help="keep this many days (default: RETENTION_DAYS)"
    )
    args = parser.parse_args(argv)
    if args.days is None:
        parser.error("give --days N or set RETENTION_DAYS")
    if args.days < 1:
        parser.error("--days must be 1 or more")
    engine = Store().engine
    try:
        print(report(purge(engine, args.days), args.days))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
