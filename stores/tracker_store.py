"""Rasa's SQL tracker store, rebuilding a conversation without a class search per event.

Each turn Rasa reads the conversation back from the database and turns every
stored event into an object with ``Event.resolve_by_type``, which walks all
subclasses of ``Event`` for every single event. In a profile of a 200-turn
conversation that walk was a quarter of the Rasa server's time, and it is
why each turn got slower as a conversation grew. The event classes do not
change while the server runs, so this store looks them up once. Everything
else (tables, queries, sessions) is Rasa's own ``SQLTrackerStore``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Type

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses


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


class FastSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with one class lookup per event type instead of per event."""

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            serialised = [json.loads(row.data) for row in rows]
        if not (self.domain and serialised):
            return None
        return DialogueStateTracker.from_events(sender_id, deserialise(serialised), self.domain.slots)
