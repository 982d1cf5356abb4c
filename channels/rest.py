"""Rasa's REST channel, answering a malformed body with 400 and a reason instead of 500 or silence.

Rasa 3.6's ``RestInput`` calls ``request.json.get(...)``: an empty body, a JSON
list or a number is a 500; a message that is not a string, or metadata that is
not an object, fails inside the turn and the caller gets ``[]`` with no reason.
This subclass reads the same fields through ``channels.validation`` (which
also caps the message's length) and refuses such bodies with a 400 that says
what to send. The channel still calls itself ``rest`` (same URL, same name in
the stored conversation), and a caller can no longer claim another channel
through ``input_channel``: the clinic profile decides by channel what may be
asked (docs/channels.md, "Health information stays off channels that cannot carry it").
credentials.yml names it as ``channels.rest.CheckedRestInput``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Text, TypeVar

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from channels.validation import InvalidMessage, checked_message, checked_metadata, checked_sender

USAGE = 'send a JSON object such as {"sender": "some-id", "message": "hello"}'
Checked = TypeVar("Checked")


def field(request: Request, name: str, check: Callable[[Any], Checked]) -> Checked:
    """One field of the JSON object in the body, checked; a 400 saying what is wrong otherwise.

    Sanic itself answers 400 when the body is no JSON at all.
    """
    body = request.json
    if not isinstance(body, dict):
        raise InvalidUsage(f"The body is not a JSON object: {USAGE}")
    try:
        return check(body.get(name))
    except InvalidMessage as problem:
        raise InvalidUsage(f"{problem}: {USAGE}") from None


class CheckedRestInput(RestInput):
    """``POST /webhooks/rest/webhook`` with the body checked before Rasa reads it."""

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return field(req, "sender", checked_sender)

    def _extract_message(self, req: Request) -> Optional[Text]:
        return field(req, "message", checked_message)

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return field(request, "metadata", checked_metadata)
