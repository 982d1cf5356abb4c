"""Conversations as Rasa's tracker store keeps them: one row per event in ``events``.

Lists are computed in SQL (one group per sender) so they stay quick as the
table grows; message text lives in each event's JSON ``data``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.engine import Engine

from console.timeutil import epoch
from records.models import LANGUAGE_NAMES, LANGUAGE_SLOT, AppointmentRequest, Escalation, events, tracker_exists

PAGE_SIZE = 50
# What the assistant did not understand: staff pass these on to whoever teaches it.
UNANSWERED_INTENTS = ("nlu_fallback", "out_of_scope")
FLAGS = {
    "appointment": "appointment requested",
    "escalated": "escalated",
    "crisis": "crisis",
    "fallback": "fallback",
    "handoff": "handoff",
}
CHANNELS = ("rest", "socketio", "twilio", "facebook", "telegram", "cmdline")


@dataclass
class ConversationRow:
    sender_id: str
    started: float
    last: float
    messages: int
    channel: str
    first_message: str
    flags: List[str]
    language: Optional[str] = None  # the language slot's last value; None: never set (English)

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.language or "en", str(self.language))


@dataclass
class Filters:
    q: str = ""
    flag: str = ""
    channel: str = ""
    start: Optional[datetime] = None  # naive UTC, inclusive
    end: Optional[datetime] = None  # naive UTC, exclusive
    page: int = 1


def event_data(raw: Optional[str]) -> Dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _as_stored(text: str) -> str:
    """Text as it appears inside Rasa's JSON ``data`` (json.dumps escapes quotes and non-ASCII)."""
    return json.dumps(text)[1:-1]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _summary():  # type: ignore[no-untyped-def]
    is_user = events.c.type_name == "user"
    is_language = and_(events.c.type_name == "slot", events.c.action_name == LANGUAGE_SLOT)
    unanswered = or_(events.c.intent_name.in_(UNANSWERED_INTENTS), events.c.action_name == "action_default_fallback")
    flag = lambda condition: func.max(case((condition, 1), else_=0))  # noqa: E731
    return (
        select(
            events.c.sender_id,
            func.min(events.c.timestamp).label("started"),
            func.max(events.c.timestamp).label("last"),
            func.sum(case((is_user, 1), else_=0)).label("messages"),
            flag(events.c.intent_name == "crisis").label("crisis_intent"),
            flag(unanswered).label("fallback"),
            flag(events.c.intent_name == "human_handoff").label("handoff_intent"),
            func.min(case((is_user, events.c.id))).label("first_user_id"),
            func.max(case((is_language, events.c.id))).label("language_id"),
        )
        .group_by(events.c.sender_id)
        .subquery("conversation")
    )


def _flag_columns(summary) -> Dict[str, Any]:  # type: ignore[no-untyped-def]
    escalated = lambda *where: exists().where(Escalation.sender_id == summary.c.sender_id, *where)  # noqa: E731
    return {
        "appointment": exists().where(AppointmentRequest.sender_id == summary.c.sender_id),
        "escalated": escalated(),
        "crisis": or_(summary.c.crisis_intent == 1, escalated(Escalation.kind == "crisis")),
        "fallback": summary.c.fallback == 1,
        "handoff": or_(summary.c.handoff_intent == 1, escalated(Escalation.kind == "handoff")),
    }


def list_conversations(engine: Engine, filters: Filters) -> Tuple[List[ConversationRow], bool]:
    """One page of conversations, most recent first, and whether there is another page."""
    if not tracker_exists(engine):
        return [], False
    summary = _summary()
    first = events.alias("first_event")
    language = events.alias("language_event")
    flags = _flag_columns(summary)
    query = select(
        summary,
        first.c.data.label("first_data"),
        language.c.data.label("language_data"),
        *[case((condition, 1), else_=0).label(f"is_{name}") for name, condition in flags.items()],
    ).select_from(
        summary.outerjoin(first, first.c.id == summary.c.first_user_id).outerjoin(
            language, language.c.id == summary.c.language_id
        )
    )
    if filters.flag in flags:
        query = query.where(flags[filters.flag])
    if filters.channel:
        query = query.where(first.c.data.like(_like(f'"input_channel": {json.dumps(filters.channel)}'), escape="\\"))
    if filters.start:
        query = query.where(summary.c.last >= epoch(filters.start))
    if filters.end:
        query = query.where(summary.c.started < epoch(filters.end))
    if filters.q.strip():
        match = events.alias("match")
        query = query.where(
            exists().where(
                match.c.sender_id == summary.c.sender_id,
                match.c.type_name.in_(("user", "bot")),
                match.c.data.ilike(_like(_as_stored(filters.q.strip())), escape="\\"),
            )
        )
    page = max(filters.page, 1)
    query = query.order_by(summary.c.last.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    result = []
    for row in rows[:PAGE_SIZE]:
        data = event_data(row.first_data)
        result.append(
            ConversationRow(
                sender_id=row.sender_id,
                started=row.started,
                last=row.last,
                messages=row.messages or 0,
                channel=data.get("input_channel") or "",
                first_message=data.get("text") or "",
                flags=[name for name in flags if getattr(row, f"is_{name}")],
                language=event_data(row.language_data).get("value") if row.language_data else None,
            )
        )
    return result, len(rows) > PAGE_SIZE


@dataclass(frozen=True)
class Source:
    """Where an answer's facts come from, as its response's ``metadata.sources`` in domain/ says."""

    label: str
    url: str = ""


def sources_of(metadata: Dict[str, Any]) -> List[Source]:
    """The sources of a bot message: Rasa keeps the response's ``metadata`` in the event's metadata."""
    found = []
    for source in ((metadata.get("metadata") or {}) if isinstance(metadata, dict) else {}).get("sources") or []:
        if source == "article":
            found.append(Source("the clinic's article"))
        elif isinstance(source, dict) and source.get("profile"):
            found.append(Source(f"clinic profile: {source['profile']}"))
        elif isinstance(source, dict) and source.get("public"):
            url = str(source.get("url") or "")
            found.append(Source(str(source["public"]), url if url.startswith("https://") else ""))
    return found


@dataclass
class Turn:
    kind: str  # user | bot | action | session | language (the conversation's language is set: text names it)
    timestamp: float
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    buttons: List[str] = field(default_factory=list)
    channel: str = ""
    key: Optional[str] = None  # the finer answer selected inside the theme (retrieval key)
    response: Optional[str] = None  # the domain response the assistant sent
    sources: List[Source] = field(default_factory=list)


def selected_key(parse: Dict[str, Any]) -> Optional[str]:
    theme = (parse.get("intent") or {}).get("name")
    selected = ((parse.get("response_selector") or {}).get(theme) or {}).get("response") or {}
    return selected.get("intent_response_key")


def transcript(engine: Engine, sender_id: str) -> List[Turn]:
    """Every message of one conversation, both sides, with the intent the assistant read."""
    if not tracker_exists(engine):
        return []
    with engine.connect() as connection:
        rows = connection.execute(
            select(events.c.type_name, events.c.timestamp, events.c.action_name, events.c.data)
            .where(events.c.sender_id == sender_id)
            .order_by(events.c.id)
        ).all()
    turns: List[Turn] = []
    for row in rows:
        data = event_data(row.data)
        if row.type_name == "user":
            parse = data.get("parse_data") or {}
            intent = parse.get("intent") or {}
            turns.append(
                Turn(
                    "user",
                    row.timestamp,
                    data.get("text") or "",
                    intent.get("name"),
                    intent.get("confidence"),
                    channel=data.get("input_channel") or "",
                    key=selected_key(parse),
                )
            )
        elif row.type_name == "bot":
            buttons = [b.get("title", "") for b in (data.get("data") or {}).get("buttons") or [] if isinstance(b, dict)]
            metadata = data.get("metadata") or {}
            response = metadata.get("utter_action") if isinstance(metadata, dict) else None
            turns.append(
                Turn(
                    "bot",
                    row.timestamp,
                    data.get("text") or "",
                    buttons=buttons,
                    response=response,
                    sources=sources_of(metadata),
                )
            )
        elif row.type_name == "slot" and row.action_name == LANGUAGE_SLOT:
            # When the conversation changed language, so staff read (and call back) in the right one.
            name = LANGUAGE_NAMES.get(str(data.get("value")), str(data.get("value")))
            if not turns or turns[-1].kind != "language" or turns[-1].text != name:
                turns.append(Turn("language", row.timestamp, name))
        elif row.type_name == "action" and row.action_name not in (None, "action_listen", "action_session_start"):
            turns.append(Turn("action", row.timestamp, row.action_name))
        elif row.type_name == "session_started":
            turns.append(Turn("session", row.timestamp))
    return turns


def records_for(engine: Engine, sender_id: str) -> Dict[str, list]:
    """The requests and escalations this conversation produced."""
    with engine.connect() as connection:
        return {
            "appointments": connection.execute(
                select(AppointmentRequest.reference, AppointmentRequest.status, AppointmentRequest.created_at)
                .where(AppointmentRequest.sender_id == sender_id)
                .order_by(AppointmentRequest.id)
            ).all(),
            "escalations": connection.execute(
                select(Escalation.reference, Escalation.kind, Escalation.status, Escalation.created_at)
                .where(Escalation.sender_id == sender_id)
                .order_by(Escalation.id)
            ).all(),
        }


def messages_between(engine: Engine, start: datetime, end: datetime) -> List[Dict[str, Any]]:
    """Every user and bot message in [start, end), for the CSV export."""
    if not tracker_exists(engine):
        return []
    with engine.connect() as connection:
        rows = connection.execute(
            select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
            .where(
                events.c.type_name.in_(("user", "bot")),
                and_(events.c.timestamp >= epoch(start), events.c.timestamp < epoch(end)),
            )
            .order_by(events.c.sender_id, events.c.id)
        ).all()
    result = []
    for row in rows:
        data = event_data(row.data)
        intent = (data.get("parse_data") or {}).get("intent") or {}
        result.append(
            {
                "sender_id": row.sender_id,
                "kind": row.type_name,
                "timestamp": row.timestamp,
                "text": data.get("text") or "",
                "intent": intent.get("name") or "",
                "confidence": intent.get("confidence"),
                "channel": data.get("input_channel") or "",
            }
        )
    return result
