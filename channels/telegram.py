"""Telegram, with every inbound update's ``X-Telegram-Bot-Api-Secret-Token`` checked.

credentials.yml: ``channels.telegram.SecretTokenTelegramInput`` with
access_token (from @BotFather) and secret_token (any 1-256 characters of
A-Z, a-z, 0-9, _ and -). With ``PUBLIC_BASE_URL`` set, the webhook
``<PUBLIC_BASE_URL>/webhooks/telegram/webhook`` is registered with Telegram,
secret included, when the server starts. The sender's ``language_code`` (their Telegram app's
language, "es", "es-MX") goes with each message as metadata ``language``: the client's choice
that languages/decision.py weighs.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import Update, User
from aiogram.utils.exceptions import TelegramAPIError
from aiohttp import ClientError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

import settings
from channels.options import button_or_text
from channels.webhooks import public_base_url, required, webhook_blueprint

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATES = ["message", "edited_message", "callback_query"]


def language_metadata(sender: Optional[User]) -> Dict[Text, Any]:
    """{"language": the sender's language_code} when Telegram sent one, else nothing."""
    code = sender.language_code if sender is not None else None
    return {"language": code} if isinstance(code, str) and code else {}


class TelegramApiOutput(TelegramOutput):
    """Replies through the Bot API at ``TELEGRAM_API_URL`` (a stand-in in tests)."""

    def __init__(self, access_token: str) -> None:
        base = settings.get().TELEGRAM_API_URL
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(base))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """One button per row beyond two, so longer titles stay readable on a phone."""
        kwargs.setdefault("button_type", "inline" if len(buttons) <= 2 else "vertical")
        await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)


class SecretTokenTelegramInput(TelegramInput):
    """Telegram's webhook, refusing any update without our secret token."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(*required(credentials, cls.name(), "access_token", "secret_token"), None, debug_mode=False)

    @property
    def secret_token(self) -> str:
        return self.verify

    def from_telegram(self, request: Request) -> bool:
        sent = request.headers.get(SECRET_HEADER) or ""
        return bool(sent) and hmac.compare_digest(sent.encode(), self.secret_token.encode())

    async def register_webhook(self, out_channel: TelegramApiOutput) -> None:
        """Tell Telegram where to send updates, and the secret to send with them."""
        base = public_base_url()
        if base is None:
            logger.info("Telegram: PUBLIC_BASE_URL is not set, so the webhook is not registered")
            return
        try:
            await out_channel.request(
                "setWebhook",
                {
                    "url": f"{base}/webhooks/{self.name()}/webhook",
                    "secret_token": self.secret_token,
                    "allowed_updates": json.dumps(UPDATES),
                },
            )
            logger.info("Telegram: webhook registered")
        except (TelegramAPIError, ClientError) as error:
            logger.error("Telegram: the webhook could not be registered: %r", error)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("telegram_webhook")
        out_channel = self.get_output_channel()

        @webhook.listener("after_server_start")
        async def register(_app: Sanic, _loop: Any) -> None:
            await self.register_webhook(out_channel)

        @webhook.listener("before_server_stop")
        async def close(_app: Sanic, _loop: Any) -> None:
            await out_channel.session.close()  # aiogram's HTTP session

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.from_telegram(request):
                logger.warning("Telegram webhook: update refused, the secret token does not match")
                return response.text("invalid secret token", status=403)
            update = Update(**(request.json or {}))
            if update.callback_query and update.callback_query.message:  # a button under one of our messages
                try:  # stops the button's spinner; the answer itself follows as a message
                    await out_channel.answer_callback_query(update.callback_query.id)
                except (TelegramAPIError, ClientError) as error:
                    logger.warning("Telegram: could not acknowledge a button: %r", error)
                chat, text = update.callback_query.message.chat, update.callback_query.data
                sender_user = update.callback_query.from_user
            else:
                msg = update.message or update.edited_message
                if msg is None or msg.text is None:
                    return response.text("ok")  # stickers, photos, joins: nothing to answer
                chat, text, sender_user = msg.chat, msg.text, msg.from_user
            sender = str(chat.id)
            metadata = {**(self.get_metadata(request) or {}), **language_metadata(sender_user)} or None
            text = await button_or_text(request, sender, text)
            try:
                await on_new_message(
                    UserMessage(text, out_channel, sender, input_channel=self.name(), metadata=metadata)
                )
            except Exception:
                logger.exception("Telegram webhook: the update could not be handled")
            return response.text("ok")

        return webhook

    def get_output_channel(self) -> TelegramApiOutput:
        return TelegramApiOutput(self.access_token)
