"""The recent part of a long conversation: all Rasa needs to answer its next message.

Each turn Rasa reads the conversation back from the database, then its
policies, its copies of the tracker and its call to the action server each
walk every event of it. So turn 40 of one conversation took 1.4 to 1.7 times
as long as turn 1 (reports/bench.md). None of them needs to look back far:
the memoization policy looks at its last 4 dialogue states, a rule at one
user message and what followed, the fallback action at the last two user
messages, an escalation's transcript at the last 20 messages.

So the tracker Rasa works on holds the last ``TRACKER_RECENT_TURNS`` user turns
(10 by default; 0 turns this off) in full. Before them it holds only what
those turns left behind, the slot values, as ``SlotSet`` events after the
session start: the shape a new session with carried-over slots has. The
database keeps every event, and the staff console, the tracker API
(``GET /conversations/<id>/tracker``) and every read of whole conversations
see them all.

Where the recent part starts matters:
- at an ``action_listen`` right before a user message, so that undoing a
  user message inside it never reaches before it;
- where no form is active, so that Rasa's form bookkeeping (which looks back
  to the form's previous run) sees what it would see in the whole
  conversation. A form active for longer moves the start back to before it began.

Events before the start are read without their content where it cannot
matter (user and bot messages, actions: most of a conversation); only events
that change slots or forms are read in full, and followed in order. Where a
message or action was undone before the start, what it undid depends on the
events around it, so Rasa's own replay of the whole session decides instead.
"""

from __future__ import annotations

import itertools
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

import settings

WINDOW_KEY = "recent_window"
# Event types read without content before the recent part: they change neither slots nor forms.
CONTENT_FREE = ("user", "bot", "action")
# Event types whose effect depends on the events before them (undo, rewind, restart).
POSITIONAL = ("undo", "rewind", "restart")


def recent_turns() -> int:
    return max(0, settings.get().TRACKER_RECENT_TURNS)


def turn_starts(kinds: Sequence[Tuple[str, Optional[str]]]) -> List[int]:
    """Index of the ``action_listen`` right before each user message, from (type, action name) pairs."""
    return [
        i - 1 for i in range(1, len(kinds)) if kinds[i][0] == "user" and kinds[i - 1] == ("action", ACTION_LISTEN_NAME)
    ]


def content_free(kind: str, action_name: Optional[str], timestamp: Optional[float]) -> Event:
    """A stand-in for an event whose content cannot change slots or forms."""
    if kind == "user":
        return UserUttered(timestamp=timestamp)
    if kind == "bot":
        return BotUttered(timestamp=timestamp)
    return ActionExecuted(action_name, timestamp=timestamp)


def scan_start(
    state_events: Sequence[Tuple[int, Event]], slots: Sequence[Slot], starts: Sequence[int], latest: int
) -> Optional[Tuple[int, Dict[str, Any]]]:
    """Like ``choose_start``, from only the events that change slots or forms, by position.

    For a session with nothing undone before ``latest``, where following those
    events in order gives what Rasa's replay gives.
    """
    initial = {slot.name: slot.initial_value for slot in slots}
    values: Dict[str, Any] = {}
    active: Optional[str] = None
    found: Optional[Tuple[int, Dict[str, Any]]] = None
    pending = iter(state_events)
    upcoming = next(pending, None)
    for index in sorted(i for i in starts if i <= latest):
        while upcoming is not None and upcoming[0] < index:
            event = upcoming[1]
            if isinstance(event, SlotSet) and event.key in initial:
                values[event.key] = event.value
            elif isinstance(event, AllSlotsReset):
                values = {}
            elif isinstance(event, SessionStarted):
                values, active = {}, None
            elif isinstance(event, ActiveLoop):
                active = event.name
            upcoming = next(pending, None)
        if active is None:
            found = index, {name: value for name, value in values.items() if value != initial[name]}
    return found


def choose_start(
    sender_id: str, events: List[Event], slots: Sequence[Slot], starts: Sequence[int], latest: int
) -> Optional[Tuple[int, Dict[str, Any]]]:
    """The last turn start at or before ``latest`` with no form active, and the slot values there,
    by Rasa's own replay of ``events``. ``None`` when a form is active at every one of them.
    """
    tracker = DialogueStateTracker(sender_id, slots)
    candidates = {index for index in starts if index <= latest}
    found: Optional[Tuple[int, Dict[str, Any]]] = None
    for index, event in enumerate(events[: latest + 1]):
        if index in candidates and tracker.active_loop_name is None:
            found = (
                index,
                {name: slot.value for name, slot in tracker.slots.items() if slot.value != slot.initial_value},
            )
        tracker.update(event)
    return found


def recent_tracker(
    sender_id: str,
    recent: List[Event],
    slots: Sequence[Slot],
    start: int,
    carried: Dict[str, Any],
    timestamp: Optional[float],
) -> DialogueStateTracker:
    """The session start (at ``timestamp``), the carried slot values, then the ``recent`` events from ``start`` on."""
    # How many stored events the prefix (these two and the slot values) stands for, net: what saving must skip.
    hidden = start - 2 - len(carried)
    prefix: List[Event] = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=timestamp),
        SessionStarted(timestamp=timestamp, metadata={WINDOW_KEY: {"hidden_events": hidden}}),
    ]
    prefix += [SlotSet(name, value, timestamp=timestamp) for name, value in carried.items()]
    return DialogueStateTracker.from_events(sender_id, prefix + recent, slots)


def hidden_events(tracker: DialogueStateTracker) -> int:
    """How many more events the database holds for this session than the tracker, as read."""
    for event in itertools.islice(tracker.events, 2):
        if isinstance(event, SessionStarted):
            return int((event.metadata or {}).get(WINDOW_KEY, {}).get("hidden_events", 0))
    return 0
