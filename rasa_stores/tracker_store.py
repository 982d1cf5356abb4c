"""Rasa's SQL tracker store, made faster to read back and patient with a restarting database.

Three changes to Rasa's ``SQLTrackerStore``, everything else (tables, queries,
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
- Length. To answer a message Rasa reads a long conversation as its last
  turns and the slot values before them (``rasa_stores/recent_window.py``), so a
  turn does not get slower as a conversation grows; reads of whole
  conversations (the tracker API, all sessions) still get every event, and
  saving stores each new event once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Text, Type, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from sqlalchemy.exc import DBAPIError, OperationalError

import settings
from rasa_stores import recent_window

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


def read_events(rows: List[Any]) -> List[Event]:
    """Events from rows of the ``events`` table (their ``data`` column)."""
    return deserialise([json.loads(row.data) for row in rows])


def retry_seconds() -> float:
    return settings.get().DATABASE_RETRY_SECONDS


def is_connection_error(error: Exception) -> bool:
    """A lost or refused connection, as opposed to a bad query that no retry can fix."""
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and bool(error.connection_invalidated))


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
            logger.warning(
                "Tracker store unreachable while trying to %s; retrying in %.1fs: %s", what, delay, error.orig
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def sqlite_options() -> Dict[str, Any]:
    """Keep SQLite connections open: SQLAlchemy 1.4 opens and closes a file connection per session."""
    return {"poolclass": sa.pool.QueuePool, "connect_args": {"check_same_thread": False, "timeout": 10}}


def tune_sqlite_connection(connection: Any, _record: Any) -> None:
    """Write-ahead log, synced at checkpoints rather than at every commit.

    SQLite's own advice for WAL: a commit can no longer be half-written, and
    only a power cut or an operating system crash (not a crash of Rasa) can undo
    the last turns' events. Under 20 visitors at once, committing each turn was
    9% of the Rasa server's time. The appointment requests and escalations the
    action server writes keep SQLite's full sync.
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def store_engine(url: Any, **options: Any) -> Any:
    """An engine for the Rasa server's stores: pooled connections checked before use
    (they may be stale after a database restart) and, on SQLite, kept open and tuned."""
    sqlite = sa.engine.make_url(url).get_backend_name() == "sqlite"
    engine = sa.create_engine(url, pool_pre_ping=True, **options, **(sqlite_options() if sqlite else {}))
    if sqlite:
        sa.event.listen(engine, "connect", tune_sqlite_connection)
    return engine


class FastSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with one class lookup per event type, surviving database restarts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa's engine reuses pooled connections blindly (after a database restart each
        # would fail once) and, on SQLite, reconnects for every session: replace it.
        url = self.engine.url
        self.engine.dispose()
        self.engine = store_engine(url, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        async def attempt() -> List[Any]:
            columns = self.SQLEvent.__table__.c
            query = sa.select(columns.type_name, columns.action_name, columns.timestamp, columns.data)
            with self.session_scope() as session:
                return session.execute(
                    self._conversation(query, sender_id, fetch_events_from_all_sessions).order_by(columns.id)
                ).all()

        rows = await with_retry("read a conversation", attempt)
        if not (self.domain and rows):
            return None
        turns = 0 if fetch_events_from_all_sessions else recent_window.recent_turns()
        return self._recent(sender_id, rows, turns) or DialogueStateTracker.from_events(
            sender_id, read_events(rows), self.domain.slots
        )

    def _recent(self, sender_id: Text, rows: List[Any], turns: int) -> Optional[DialogueStateTracker]:
        """The last ``turns`` turns in full and the slot values before them; None for a short conversation."""
        starts = recent_window.turn_starts([(row.type_name, row.action_name) for row in rows])
        if not turns or len(starts) <= turns or any(row.type_name not in event_classes() for row in rows):
            return None
        latest, slots = starts[-turns], self.domain.slots
        if any(row.type_name in recent_window.POSITIONAL for row in rows[:latest]):
            events = [
                recent_window.content_free(row.type_name, row.action_name, row.timestamp)
                if index < latest and row.type_name in recent_window.CONTENT_FREE
                else read_events([row])[0]
                for index, row in enumerate(rows)
            ]
            found = recent_window.choose_start(sender_id, events, slots, starts, latest)
        else:
            state = [
                (index, read_events([row])[0])
                for index, row in enumerate(rows[:latest])
                if row.type_name not in recent_window.CONTENT_FREE
            ]
            found = recent_window.scan_start(state, slots, starts, latest)
        if found is None:
            return None
        start, carried = found
        return recent_window.recent_tracker(
            sender_id, read_events(rows[start:]), slots, start, carried, rows[0].timestamp
        )

    def _conversation(self, query: Any, sender_id: Text, all_sessions: bool) -> Any:
        """``query`` narrowed to one conversation's events, from its latest session start unless ``all_sessions``.

        The same rows as Rasa's ``_event_query``, as an SQL expression: Rasa's ORM
        query, counted the ORM's way, cost 2 ms of each turn under load.
        """
        columns = self.SQLEvent.__table__.c
        query = query.where(columns.sender_id == sender_id)
        if all_sessions:
            return query
        start = (
            sa.select(sa.func.max(columns.timestamp))
            .where(columns.sender_id == sender_id, columns.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        return query.where(sa.or_(columns.timestamp >= start, start.is_(None)))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events not stored yet; a tracker read as its recent part stands for more stored events."""
        counted = self._conversation(
            sa.select(sa.func.count()).select_from(self.SQLEvent.__table__), tracker.sender_id, all_sessions=False
        )
        stored = session.execute(counted).scalar()
        return itertools.islice(tracker.events, stored - recent_window.hidden_events(tracker), len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Rasa's save counts the stored events and appends the rest in one
        # transaction, so repeating it after a failure stores each event once.
        # (An event broker may see an event twice if the database fails between
        # publishing and committing; the conversation itself never does.)
        await with_retry("store a conversation", lambda: super(FastSQLTrackerStore, self).save(tracker))
