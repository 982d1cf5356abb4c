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

A conversation belongs to the browser it was issued to. Rasa would put any
socket into the room of whatever session id it names, and take its messages as
that session's, so a second client that learnt an id (from a log, a console URL)
could read a patient's replies and write as them. Here the server issues each id
with an HMAC signature (``SESSION_SECRET``, shared by every worker); a socket
resumes an id only with its signature, else it gets a new, empty conversation,
and it speaks and listens only as the session it was issued.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

import settings
from channels.validation import InvalidMessage, checked_message, checked_metadata

logger = logging.getLogger(__name__)

# The widget sends 32 hex digits; anything else (a dict, a huge string) gets a fresh id instead of a room.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def session_signature(session_id: str, secret: str) -> str:
    """The proof that this server issued ``session_id``: HMAC-SHA256 under the session secret."""
    return hmac.new(secret.encode(), session_id.encode(), hashlib.sha256).hexdigest()


def issued(session_id: Any, signature: Any, secret: str) -> bool:
    """Whether the pair is one this server issued, compared in constant time."""
    if not (isinstance(session_id, str) and SESSION_ID.fullmatch(session_id) and isinstance(signature, str)):
        return False
    return hmac.compare_digest(session_signature(session_id, secret), signature)


def allowed_origin(origins: Tuple[str, ...]) -> Callable[[Optional[str], Dict[str, Any]], bool]:
    """engine.io's origin check: the configured pages exactly, and the server's own origin.

    Its own origin is what a non-browser client (python-socketio, websocket-client) sends;
    no page on another site can claim it.
    """
    allowed = {origin.lower() for origin in origins}

    def check(origin: Optional[str], request: Dict[str, Any]) -> bool:  # engine.io's WSGI-style request dict
        own = f"{request.get('wsgi.url_scheme', 'http')}://{request.get('HTTP_HOST', '')}".lower()
        return origin is not None and origin.lower() in allowed | {own}

    return check


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io input channel whose sockets really join their session's room, and only their own."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        sio.eio.max_http_buffer_size = settings.get().MAX_REQUEST_BYTES
        # Rasa passes an empty list, which turns engine.io's origin check off: any web page could chat.
        sio.eio.cors_allowed_origins = allowed_origin(settings.get().browser_origins())
        namespace = self.namespace or "/"
        rasa_handle_message = sio.handlers[namespace][self.user_message_evt]
        secret = settings.get().SESSION_SECRET or uuid.uuid4().hex  # unset (a bare `rasa run`): this process only
        bound: Dict[str, str] = {}  # socket id -> the session it was issued; a socket lives in one process

        async def session_request(sid: str, data: Optional[Any]) -> None:
            asked = data if isinstance(data, dict) else {}
            session_id = asked.get("session_id")
            if not issued(session_id, asked.get("signature"), secret):
                session_id = uuid.uuid4().hex  # someone else's id, or none: a new, empty conversation
            previous = bound.get(sid)
            if self.session_persistence and previous and previous != session_id:
                await sio.leave_room(sid, previous, namespace=self.namespace)
            bound[sid] = session_id
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            confirm = {"session_id": session_id, "signature": session_signature(session_id, secret)}
            await sio.emit("session_confirm", confirm, room=sid, namespace=self.namespace)

        async def handle_message(sid: str, data: Any = None, *_extra: Any) -> None:
            try:
                message = self.checked_payload(data, bound.get(sid))
            except InvalidMessage as problem:
                logger.warning("socket.io message from %s dropped: %s", sid, problem)  # the reason, never the text
                return
            await rasa_handle_message(sid, message)

        async def disconnect(sid: str) -> None:
            bound.pop(sid, None)

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        return blueprint

    def checked_payload(self, data: Any, session_id: Optional[str] = None) -> Dict[str, Any]:
        """The payload as Rasa's handler expects it, or InvalidMessage saying what is wrong.

        ``session_id`` is the session the socket was issued; a message naming any other is refused.
        """
        if not isinstance(data, dict):
            raise InvalidMessage("the payload must be an object")
        message = {
            "message": checked_message(data.get("message")),
            self.metadata_key: checked_metadata(data.get(self.metadata_key)),
        }
        if self.session_persistence:
            if session_id is None or data.get("session_id") != session_id:
                raise InvalidMessage("'session_id' must be the id the session_request answered with")
            message["session_id"] = session_id
        return message
