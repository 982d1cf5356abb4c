"""CSV exports for a date range, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) would run as a
formula in Excel or LibreOffice; patients write free text, so such cells get a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Iterable, List

from sqlalchemy import select
from sqlalchemy.engine import Engine

from console.conversations import messages_between
from console.timeutil import shown
from records.models import AppointmentRequest

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: List[str], rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def appointments_csv(engine: Engine, start: datetime, end: datetime) -> str:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AppointmentRequest)
            .where(AppointmentRequest.created_at >= start, AppointmentRequest.created_at < end)
            .order_by(AppointmentRequest.created_at)
        ).all()
    return to_csv(
        [
            "reference",
            "received",
            "status",
            "name",
            "phone",
            "email",
            "office",
            "preferred times",
            "reason",
            "consent",
            "channel",
            "conversation",
        ],
        (
            [
                r.reference,
                shown(r.created_at),
                r.status,
                r.name,
                r.phone,
                r.email,
                r.office,
                r.preferred_times,
                r.reason,
                "yes" if r.consent else "no",
                r.channel,
                r.sender_id,
            ]
            for r in rows
        ),
    )


def conversations_csv(engine: Engine, start: datetime, end: datetime) -> str:
    """One row per message, grouped by conversation."""
    return to_csv(
        ["conversation", "time", "from", "text", "intent", "confidence", "channel"],
        (
            [
                m["sender_id"],
                shown(m["timestamp"]),
                "visitor" if m["kind"] == "user" else "assistant",
                m["text"],
                m["intent"],
                "" if m["confidence"] is None else f"{m['confidence']:.2f}",
                m["channel"],
            ]
            for m in messages_between(engine, start, end)
        ),
    )
