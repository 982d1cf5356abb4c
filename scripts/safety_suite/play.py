"""Play a conversation against the running assistant and record what each turn got.

Web conversations go through the REST channel, SMS ones through the Twilio webhook with
the loopback stand-in for Twilio's API (tests/channels/conftest.py). What was said back
is read three ways: the texts the person got, the names of the responses behind them
(the tracker's bot events, including the safety line the Rasa server added), and the
escalations stored for the person during the turn.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

import requests
from sqlalchemy import create_engine, text

from scripts.safety_suite.conversations import Conversation
from serve.rasa_api import api_headers
from tests.channels.conftest import Channels, new_number
from tests.chat import say

Escalation = Tuple[str, str, Optional[str]]  # kind, urgency, emergency


@dataclass(frozen=True)
class Observed:
    """What one turn got: the texts sent back, the responses they came from, the escalations stored."""

    texts: Tuple[str, ...]
    replies: Tuple[str, ...]
    escalations: Tuple[Escalation, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


class Player:
    """Talks to one running assistant (a ``running_channels``) as many people, one conversation each."""

    def __init__(self, channels: Channels) -> None:
        self.channels = channels
        self.assistant = channels.assistant
        self.engine = create_engine(f"sqlite:///{self.assistant.db}")

    def play(self, conversation: Conversation) -> List[Observed]:
        sender = new_number() if conversation.channel == "sms" else f"safety-{conversation.id}-{uuid.uuid4().hex[:6]}"
        seen_events, seen_rows, observed = 0, 0, []
        for turn in conversation.turns:
            texts = self._send(conversation.channel, sender, turn.say)
            events = self._events(sender)
            rows = self._escalations(sender)
            observed.append(Observed(tuple(texts), _reply_names(events[seen_events:]), tuple(rows[seen_rows:])))
            seen_events, seen_rows = len(events), len(rows)
        return observed

    def close(self) -> None:
        self.engine.dispose()

    def _send(self, channel: str, sender: str, message: str) -> List[str]:
        if channel == "sms":
            return self.channels.text(sender, message)
        return [reply.get("text", "") for reply in say(self.assistant.url, sender, message, timeout=60)]

    def _events(self, sender: str) -> List[Dict[str, Any]]:
        response = requests.get(
            f"{self.assistant.url}/conversations/{quote(sender, safe='+:')}/tracker",
            headers=api_headers(self.assistant.token),
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["events"]

    def _escalations(self, sender: str) -> List[Escalation]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT kind, urgency, emergency FROM escalations WHERE sender_id = :s ORDER BY id"), {"s": sender}
            )
            return [tuple(row) for row in rows]


def _reply_names(events: List[Dict[str, Any]]) -> Tuple[str, ...]:
    """The response behind each bot message, and the safety line nlg/crisis_followup.py joined to it."""
    names: List[str] = []
    for event in events:
        if event.get("event") != "bot":
            continue
        metadata = event.get("metadata") or {}
        line = (metadata.get("metadata") or {}).get("safety_line")
        names += [name for name in (metadata.get("utter_action"), line) if name]
    return tuple(names)
