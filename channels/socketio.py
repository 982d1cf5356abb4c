"""The Rasa side of the chat widget: Rasa 3.6's socket.io channel, with persistent sessions that work.

Rasa 3.6.21 calls `AsyncServer.enter_room()` without awaiting it, but python-socketio 5.x
made it a coroutine, so a socket never joins its session's room and, with
`session_persistence: true`, every reply is sent to an empty room (RasaHQ/rasa#13027,
still open; the fix was never released for 3.6). This channel replaces the
`session_request` handler, checks each `user_uttered` payload before Rasa's own
handler sees it (a list, a number as the message or a dict as the session id
would otherwise fail inside the turn or be stored as text), and caps a socket.io
message at the same size as any request to the Rasa server (`MAX_REQUEST_BYTES`;
engine.io would take 1 MB). credentials.yml names it as `channels.socketio.SocketIOInput`.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

import settings
from channels.validation import InvalidMessage, checked_message, checked_metadata

logger = logging.getLogger(__name__)

# The widget sends 32 hex digits; anything else (a dict, a huge string) gets a fresh id instead of a room.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io input channel whose sockets really join their session's room."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        sio.eio.max_http_buffer_size = settings.get().MAX_REQUEST_BYTES
        namespace = self.namespace or "/"
        rasa_handle_message = sio.handlers[namespace][self.user_message_evt]

        async def session_request(sid: str, data: Optional[Any]) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = (
                requested if isinstance(requested, str) and SESSION_ID.fullmatch(requested) else uuid.uuid4().hex
            )
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def handle_message(sid: str, data: Any = None, *_extra: Any) -> None:
            try:
                message = self.checked_payload(data)
            except InvalidMessage as problem:
                logger.warning("socket.io message from %s dropped: %s", sid, problem)  # the reason, never the text
                return
            await rasa_handle_message(sid, message)

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return blueprint

    def checked_payload(self, data: Any) -> Dict[str, Any]:
        """The payload as Rasa's handler expects it, or InvalidMessage saying what is wrong."""
        if not isinstance(data, dict):
            raise InvalidMessage("the payload must be an object")
        message = {
            "message": checked_message(data.get("message")),
            self.metadata_key: checked_metadata(data.get(self.metadata_key)),
        }
        if self.session_persistence:
            session_id = data.get("session_id")
            if not (isinstance(session_id, str) and SESSION_ID.fullmatch(session_id)):
                raise InvalidMessage("'session_id' must be the id the session_request answered with")
            message["session_id"] = session_id
        return message
