"""Facebook Messenger, with every inbound request's ``X-Hub-Signature-256`` checked.

credentials.yml: ``channels.facebook.SignedFacebookInput`` with verify,
secret (the app secret) and page-access-token. Webhook (callback URL):
``<PUBLIC_BASE_URL>/webhooks/facebook/webhook``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import requests
from fbmessenger import MessengerClient
from fbmessenger.sender_actions import SenderAction
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import settings
from channels.options import button_or_text, language_of, numbered
from channels.webhooks import required, webhook_blueprint

logger = logging.getLogger(__name__)

# Messenger's quick replies: at most 13, titles of at most 20 characters.
MAX_QUICK_REPLIES, MAX_TITLE = 13, 20


class _TimeoutSession(requests.Session):
    """fbmessenger sends without a timeout; a slow Graph API must not hang the server."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = kwargs.get("timeout") or 15
        return super().request(*args, **kwargs)


def graph_client(page_access_token: str) -> MessengerClient:
    """A Send API client for ``FACEBOOK_GRAPH_URL`` (a stand-in in tests) and ``FACEBOOK_API_VERSION``."""
    config = settings.get()
    version = config.FACEBOOK_API_VERSION
    client = MessengerClient(page_access_token, api_version=version, session=_TimeoutSession())
    client.graph_url = f"{config.FACEBOOK_GRAPH_URL.rstrip('/')}/v{version}"
    return client


def signed_by_meta(app_secret: str, body: bytes, headers: Any) -> bool:
    """``X-Hub-Signature-256: sha256=<HMAC of the body>``, or the older sha1 ``X-Hub-Signature``."""
    for header, algorithm in (("X-Hub-Signature-256", "sha256"), ("X-Hub-Signature", "sha1")):
        value = headers.get(header)
        if value:
            expected = f"{algorithm}=" + hmac.new(app_secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()
            return hmac.compare_digest(value.encode(), expected.encode())
    return False


class QuickReplyMessengerBot(MessengerBot):
    """Buttons as quick replies (Rasa's button template drops more than three); numbered when they don't fit.

    fbmessenger posts with blocking calls, so they are made in a worker thread:
    other conversations go on while the Graph API answers.
    """

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await asyncio.to_thread(asyncio.run, super().send_response(recipient_id, message))

    async def send_action(self, recipient_id: Text, sender_action: Text) -> None:
        await asyncio.to_thread(self.messenger_client.send_action, SenderAction(sender_action).to_dict(), recipient_id)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) <= MAX_QUICK_REPLIES and all(len(b["title"]) <= MAX_TITLE for b in buttons):
            await self.send_quick_replies(recipient_id, text, buttons)
        else:
            await self.send_text_message(recipient_id, numbered(text, buttons, language_of(kwargs)))


class SignedMessenger(Messenger):
    """Every event of a webhook call (Meta batches them), each as its own message."""

    def __init__(
        self, page_access_token: Text, on_new_message: Callable[[UserMessage], Awaitable[Any]], request: Request
    ) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = graph_client(page_access_token)
        self.request = request

    async def handle(self, payload: Dict, metadata: Optional[Dict[Text, Any]]) -> None:
        for entry in payload.get("entry") or []:
            for event in entry.get("messaging") or []:
                self.last_message = event
                if event.get("message"):
                    await self.message(event, metadata)
                elif event.get("postback"):
                    await self.postback(event, metadata)

    async def _handle_user_message(self, text: Text, sender_id: Text, metadata: Optional[Dict[Text, Any]]) -> None:
        out_channel = QuickReplyMessengerBot(self.client)
        text = await button_or_text(self.request, sender_id, text)
        await out_channel.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(
                UserMessage(text, out_channel, sender_id, input_channel=self.name(), metadata=metadata)
            )
        except Exception:
            logger.exception("Messenger webhook: the message could not be handled")
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")


class SignedFacebookInput(FacebookInput):
    """Messenger's webhook: the verify-token handshake, and signed events only."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(*required(credentials, cls.name(), "verify", "secret", "page-access-token"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("fb_webhook")

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            """Meta's subscription check: echo hub.challenge only for our verify token."""
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.fb_verify.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Messenger webhook: verification refused, the verify token does not match")
            return response.text("invalid verify token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not signed_by_meta(self.fb_secret, request.body, request.headers):
                logger.warning("Messenger webhook: request refused, its signature does not match")
                return response.text("invalid signature", status=403)
            payload = request.json
            if not isinstance(payload, dict):
                return response.text("not a Messenger event", status=400)
            messenger = SignedMessenger(self.fb_access_token, on_new_message, request)
            await messenger.handle(payload, self.get_metadata(request))
            return response.text("EVENT_RECEIVED")

        return webhook

    def get_output_channel(self) -> QuickReplyMessengerBot:
        return QuickReplyMessengerBot(graph_client(self.fb_access_token))
