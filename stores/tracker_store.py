"""Rasa's SQL tracker store, made faster to read back and patient with a restarting database.

Two changes to Rasa's ``SQLTrackerStore``, everything else (tables, queries,
sessions) is Rasa's own:

- Speed. Each turn Rasa reads the conversation back and turns every stored
  event into an object with ``Event.resolve_by_type``, which walks all
  subclasses of ``Event`` for every single event. In a profile of a 200-turn
  conversation that walk was a quarter of the Rasa server's time, and it is
  why each turn got slower as a conversation grew. The event classes do not
  change while the server runs, so this store looks them up once.
- Database restarts. Rasa wraps its tracker store in ``FailSafeTrackerStore``:
  when a read fails it carries on with an *empty* conversation, and when a
  write fails it keeps the events in memory only, so a PostgreSQL restart
  would silently cost a patient their booking in progress. This store checks
  pooled connections before use (``pool_pre_ping``) and retries a read or a
  write for up to ``DATABASE_RETRY_SECONDS`` (30 s by default, longer than a
  restart takes) before giving up.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Type, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

logger = logging.getLogger(__name__)
T = TypeVar("T")


@lru_cache(maxsize=1)
def event_classes() -> Dict[Text, Type[Event]]:
    """Event type name to class, first match winning as in ``Event.resolve_by_type``."""
    classes: Dict[Text, Type[Event]] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)
    return classes


def deserialise(serialised: List[Dict[Text, Any]]) -> List[Event]:
    """Stored events back to objects, skipping what Rasa itself would skip (e.g. old "topic" events)."""
    classes = event_classes()
    events = []
    for parameters in serialised:
        cls = classes.get(parameters.get("event"))  # type: ignore[arg-type]
        event = cls._from_parameters(parameters) if cls else None
        if event is not None:
            events.append(event)
    return events


def retry_seconds() -> float:
    return float(os.getenv("DATABASE_RETRY_SECONDS", "30"))


def is_connection_error(error: Exception) -> bool:
    """A lost or refused connection, as opposed to a bad query that no retry can fix."""
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and bool(error.connection_invalidated)
    )


async def with_retry(what: str, attempt: Callable[[], Awaitable[T]]) -> T:
    """Run ``attempt`` again while the database is unreachable, up to the retry window."""
    deadline = time.monotonic() + retry_seconds()
    delay = 0.2
    while True:
        try:
            return await attempt()
        except DBAPIError as error:
            if not is_connection_error(error) or time.monotonic() + delay > deadline:
                raise
            logger.warning("Tracker store unreachable while trying to %s; retrying in %.1fs: %s",
                           what, delay, error.orig)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


class FastSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with one class lookup per event type, surviving database restarts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa's engine reuses pooled connections blindly: after a database
        # restart each of them would fail once. Check before use instead.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        async def attempt() -> List[Dict[Text, Any]]:
            with self.session_scope() as session:
                rows = self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
                ).all()
                return [json.loads(row.data) for row in rows]

        serialised = await with_retry("read a conversation", attempt)
        if not (self.domain and serialised):
            return None
        return DialogueStateTracker.from_events(sender_id, deserialise(serialised), self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Rasa's save counts the stored events and appends the rest in one
        # transaction, so repeating it after a failure stores each event once.
        # (An event broker may see an event twice if the database fails between
        # publishing and committing; the conversation itself never does.)
        await with_retry("store a conversation", lambda: super(FastSQLTrackerStore, self).save(tracker))
