"""SMS and WhatsApp through Twilio, with every inbound request's signature checked.

credentials.yml: ``channels.twilio.TwilioSignedInput`` with account_sid,
auth_token, twilio_number. Webhook: ``<PUBLIC_BASE_URL>/webhooks/twilio/webhook``.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs

from aiohttp import ClientError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator

import settings
from channels.options import button_or_text, language_of, numbered
from channels.webhooks import public_url, required, webhook_blueprint

logger = logging.getLogger(__name__)

WHATSAPP = "whatsapp:"
# Replies go out through the REST API, so the webhook answers with empty TwiML.
NO_TWIML_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def twilio_api_url() -> str:
    """``TWILIO_API_URL``: Twilio's REST API, or a stand-in for it in tests."""
    return settings.get().TWILIO_API_URL.rstrip("/")


class TwilioApiOutput(TwilioOutput):
    """Replies through Twilio's Messages API without blocking the server while Twilio answers."""

    def __init__(self, account_sid: str, auth_token: str, from_number: str) -> None:
        super().__init__(account_sid, auth_token, from_number)
        self.http_client = AsyncTwilioHttpClient(pool_connections=False, timeout=15)
        self.api.base_url = twilio_api_url()

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        try:
            return await self.messages.create_async(**message_data)
        except TwilioRestException as error:
            logger.error("Twilio refused a reply (HTTP %s, code %s)", error.status, error.code)
        except (ClientError, TimeoutError) as error:
            logger.error("Twilio could not be reached: %r", error)
        return None

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """SMS and WhatsApp show text only: the buttons become numbered options."""
        await self.send_text_message(recipient_id, numbered(text, buttons, language_of(kwargs)))


class TwilioSignedInput(TwilioInput):
    """Twilio's webhook, refusing any request without a valid ``X-Twilio-Signature``."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(*required(credentials, cls.name(), "account_sid", "auth_token", "twilio_number"), debug_mode=False)

    def signed_by_twilio(self, request: Request) -> bool:
        """HMAC-SHA1 of the URL Twilio called plus the sorted POST parameters, keyed with the auth token."""
        signature = request.headers.get("X-Twilio-Signature", "")
        # Twilio signs empty parameters too, which Sanic's request.form drops.
        params = RequestParameters(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        return bool(signature) and RequestValidator(self.auth_token).validate(public_url(request), params, signature)

    def output_for(self, sender: str) -> TwilioApiOutput:
        """WhatsApp replies go from the WhatsApp sender (``TWILIO_WHATSAPP_NUMBER``, else the SMS number)."""
        if sender.startswith(WHATSAPP):
            number = settings.get().TWILIO_WHATSAPP_NUMBER or self.twilio_number
            return TwilioApiOutput(self.account_sid, self.auth_token, WHATSAPP + number.removeprefix(WHATSAPP))
        return TwilioApiOutput(self.account_sid, self.auth_token, self.twilio_number)

    def get_output_channel(self) -> TwilioApiOutput:
        return self.output_for("")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("twilio_webhook")

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.signed_by_twilio(request):
                logger.warning("Twilio webhook: request refused, its signature does not match")
                return response.text("invalid signature", status=403)
            sender, text = request.form.get("From"), request.form.get("Body")
            if not sender or text is None:
                return response.text(NO_TWIML_REPLY, content_type="text/xml")
            # Told apart so the clinic profile can rule on each (health information, labels).
            channel = "whatsapp" if sender.startswith(WHATSAPP) else self.name()
            text = await button_or_text(request, sender, text.replace("¡", "@"))  # some carriers garble @
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        self.output_for(sender),
                        sender,
                        input_channel=channel,
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception:
                logger.exception("Twilio webhook: the message could not be handled")
            return response.text(NO_TWIML_REPLY, content_type="text/xml")

        return webhook
