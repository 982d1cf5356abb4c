"""The work queues: crises first, then medical questions, hand-offs and appointment requests.

Open items come new-before-in-progress and oldest first, so what has waited
longest is at the top of each list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Dict, List, Optional

from sqlalchemy import case, func, or_, select

from records.models import (
    EMERGENCY_LABELS,
    AppointmentRequest,
    Escalation,
    OutboxMessage,
    StatusChange,
    language_badge,
    utcnow,
)
from records.store import Store
from worker.outbox import FINAL, SENDERS

DONE_SHOWN_FOR = timedelta(days=7)
PAGES = ("oncall", "oncall_backup")  # the outbox targets that text an on-call person


@dataclass
class Item:
    reference: str
    status: str
    created_at: datetime
    sender_id: str
    channel: str
    summary: str
    name: Optional[str]
    phone: Optional[str]  # E.164, as stored
    email: Optional[str]
    turns: List[Dict[str, str]] = field(default_factory=list)
    last_change: Optional[StatusChange] = None
    emergency: Optional[str] = None  # a crisis's kind: medical_emergency, overdose, ...
    acknowledged_by: Optional[str] = None  # who said "I have it" to an urgent escalation
    acknowledged_at: Optional[datetime] = None
    pages: List[OutboxMessage] = field(default_factory=list)  # its on-call SMS pages, first then backup
    language: Optional[str] = None  # the conversation's; None from before it was kept (English)

    @property
    def language_name(self) -> Optional[str]:
        """ "Spanish" for a conversation staff should answer in another language than English, else None."""
        return language_badge(self.language)

    @property
    def emergency_label(self) -> Optional[str]:
        if not self.emergency:
            return None
        return EMERGENCY_LABELS.get(self.emergency, self.emergency.replace("_", " ").capitalize())


@dataclass
class Section:
    key: str
    title: str
    items: List[Item]
    urgent: bool = False


def _escalation_item(row: Escalation) -> Item:
    try:
        turns = json.loads(row.transcript or "[]")[-6:]
    except ValueError:
        turns = []
    return Item(
        row.reference,
        row.status,
        row.created_at,
        row.sender_id,
        row.channel,
        row.question or "",
        row.name,
        row.phone,
        row.email,
        turns,
        emergency=row.emergency,
        language=row.language,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=row.acknowledged_at,
    )


def _appointment_item(row: AppointmentRequest) -> Item:
    summary = f"{row.office} · {row.preferred_times}" + (f" · {row.reason}" if row.reason else "")
    return Item(
        row.reference,
        row.status,
        row.created_at,
        row.sender_id,
        row.channel,
        summary,
        row.name,
        row.phone,
        row.email,
        language=row.language,
    )


def _open_first(model: type) -> tuple:
    return case((model.status == "new", 0), else_=1), model.created_at, model.id


def _attach_last_changes(store: Store, items: List[Item]) -> None:
    if not items:
        return
    with store.session() as session:
        latest = (
            select(func.max(StatusChange.id))
            .where(StatusChange.reference.in_([item.reference for item in items]))
            .group_by(StatusChange.reference)
        )
        changes = {
            c.reference: c for c in session.execute(select(StatusChange).where(StatusChange.id.in_(latest))).scalars()
        }
    for item in items:
        item.last_change = changes.get(item.reference)


def _attach_pages(store: Store, items: List[Item]) -> None:
    if not items:
        return
    with store.session() as session:
        pages = session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.reference.in_([item.reference for item in items]), OutboxMessage.target.in_(PAGES))
            .order_by(OutboxMessage.id)
        ).scalars()
        by_reference: Dict[str, List[OutboxMessage]] = {}
        for page in pages:
            by_reference.setdefault(page.reference, []).append(page)
    for item in items:
        item.pages = by_reference.get(item.reference, [])


def sections(store: Store) -> List[Section]:
    """Open work, in the order staff should do it."""
    with store.session() as session:
        escalations = (
            session.execute(select(Escalation).where(Escalation.status != "done").order_by(*_open_first(Escalation)))
            .scalars()
            .all()
        )
        appointments = (
            session.execute(
                select(AppointmentRequest)
                .where(AppointmentRequest.status != "done")
                .order_by(*_open_first(AppointmentRequest))
            )
            .scalars()
            .all()
        )
    by_kind = lambda kind: [_escalation_item(e) for e in escalations if e.kind == kind]  # noqa: E731
    result = [
        Section("urgent", "Urgent: crisis", by_kind("crisis"), urgent=True),
        Section("medical", "Medical questions", by_kind("medical")),
        Section("handoff", "Asked to talk to staff", by_kind("handoff")),
        Section("appointments", "Appointment requests", [_appointment_item(a) for a in appointments]),
    ]
    _attach_last_changes(store, [item for section in result for item in section.items])
    _attach_pages(store, result[0].items)
    return result


def recently_done(store: Store, limit: int = 30) -> List[Item]:
    """Items finished in the last week, newest first, with who closed them."""
    since = utcnow() - DONE_SHOWN_FOR
    with store.session() as session:
        done = session.execute(
            select(StatusChange.reference, func.max(StatusChange.changed_at).label("at"))
            .where(StatusChange.status == "done", StatusChange.changed_at >= since)
            .group_by(StatusChange.reference)
            .order_by(func.max(StatusChange.changed_at).desc())
            .limit(limit)
        ).all()
        references = [row.reference for row in done]
        records = {
            **{
                e.reference: _escalation_item(e)
                for e in session.execute(
                    select(Escalation).where(Escalation.reference.in_(references), Escalation.status == "done")
                ).scalars()
            },
            **{
                a.reference: _appointment_item(a)
                for a in session.execute(
                    select(AppointmentRequest).where(
                        AppointmentRequest.reference.in_(references), AppointmentRequest.status == "done"
                    )
                ).scalars()
            },
        }
    items = [records[reference] for reference in references if reference in records]
    _attach_last_changes(store, items)
    return items


@dataclass
class OutboxSummary:
    undelivered: List[OutboxMessage]
    held_for_console: int


def outbox(store: Store) -> OutboxSummary:
    """Notifications e-mail, webhook or an on-call page has not delivered yet (urgent first), and how many wait here.

    A backup page waiting for its time (nobody has tried it yet) is not late: it shows on its escalation.
    """
    with store.session() as session:
        undelivered = (
            session.execute(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status.notin_(FINAL),
                    OutboxMessage.target.in_(list(SENDERS)),
                    or_(OutboxMessage.attempts > 0, OutboxMessage.next_attempt_at <= utcnow()),
                )
                .order_by(case((OutboxMessage.urgency == "urgent", 0), else_=1), OutboxMessage.id)
            )
            .scalars()
            .all()
        )
        held = session.execute(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "held")
        ).scalar_one()
    return OutboxSummary(list(undelivered), held)
