"""The Rasa side of the chat widget: Rasa 3.6's socket.io channel, with persistent sessions that work.

Rasa 3.6.21 calls `AsyncServer.enter_room()` without awaiting it, but python-socketio 5.x
made it a coroutine, so a socket never joins its session's room and, with
`session_persistence: true`, every reply is sent to an empty room (RasaHQ/rasa#13027,
still open; the fix was never released for 3.6). This channel
replaces only the `session_request` handler; everything else is Rasa's own.
credentials.yml names it as `channels.socketio.SocketIOInput`.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

# The widget sends 32 hex digits; anything else (a dict, a huge string) gets a fresh id instead of a room.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io input channel whose sockets really join their session's room."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        async def session_request(sid: str, data: Optional[Any]) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.fullmatch(requested) else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        sio.on("session_request", session_request, namespace=self.namespace)
        return blueprint
