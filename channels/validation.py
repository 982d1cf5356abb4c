"""What a web channel checks in a message before Rasa sees it.

Rasa's REST and socket.io channels pass whatever JSON arrives straight on: a
list instead of an object, a number as the message or a dict as the sender
crash the request (a 500 for REST) or are stored as text like "{'a': 1}". Text
with a NUL or an unpaired surrogate gets past JSON parsing but fails later (spaCy
cannot encode a lone surrogate; PostgreSQL refuses NUL in text columns), after
part of the turn may already be stored. And a 250 KB message keeps the server
busy for seconds (spaCy tokenises all of it, in the event loop), while the
providers cap theirs at a few thousand characters (SMS 1,600, Messenger 2,000,
Telegram 4,096; the widget 1,000). Metadata nested a few hundred levels deep
passes the JSON parser but not Python's json.dumps when Rasa stores the turn or
calls the action server, so the turn is lost. These checks refuse all of that first.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

# Rasa's SQL tracker store keeps the sender in a VARCHAR(255); PostgreSQL refuses longer ones.
MAX_SENDER_LENGTH = 255
# Characters; about 0.3 s of language processing on this machine.
MAX_MESSAGE_LENGTH = 10_000
# Levels of objects and lists in metadata; the project reads none of it, a frontend might send a few.
MAX_METADATA_DEPTH = 32


class InvalidMessage(ValueError):
    """A message no channel should hand to Rasa; the text says what is wrong, for the sender."""


def checked_text(value: Any, field: str) -> str:
    """``value`` if it is text that every store and component can take."""
    if not isinstance(value, str):
        raise InvalidMessage(f"'{field}' must be a string")
    if "\x00" in value:
        raise InvalidMessage(f"'{field}' must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidMessage(f"'{field}' is not valid Unicode text (unpaired surrogate)") from None
    return value


def checked_message(value: Any) -> str:
    """What the visitor wrote: text no longer than any channel delivers."""
    message = checked_text(value, "message")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvalidMessage(f"'message' is longer than {MAX_MESSAGE_LENGTH:,} characters")
    return message


def checked_sender(value: Any) -> str:
    """A conversation id: non-empty text that fits Rasa's tracker store."""
    sender = checked_text(value, "sender")
    if not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
        raise InvalidMessage(f"'sender' must be 1 to {MAX_SENDER_LENGTH} characters")
    return sender


def checked_metadata(value: Any) -> Optional[Dict[str, Any]]:
    """Absent, or a JSON object (Rasa's socket.io channel also takes one encoded as a string)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise InvalidMessage("'metadata' must be a JSON object") from None
    if not isinstance(value, dict):
        raise InvalidMessage("'metadata' must be a JSON object")
    if nesting_depth(value) > MAX_METADATA_DEPTH:
        raise InvalidMessage(f"'metadata' is nested more than {MAX_METADATA_DEPTH} levels deep")
    return value


def nesting_depth(value: Any) -> int:
    """Levels of objects and lists in ``value``, counted without recursion (the point is very deep values)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > MAX_METADATA_DEPTH:
                break
            pending.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest
