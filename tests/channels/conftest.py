"""The running assistant with all three messaging channels on, and the providers' stand-ins.

Each stand-in (tests/providers.py) is a real HTTP server on loopback that answers like the
provider's API (Twilio's Messages API, Meta's Send API, Telegram's Bot API) and records what
the assistant sent it. The assistant is pointed at them by the channels' API-address settings;
one assistant serves every test here.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set

import pytest
import requests
from sqlalchemy import create_engine, text as sql
from twilio.request_validator import RequestValidator

from scripts.servers import LocalAssistant
from tests.providers import (
    CLINIC_NUMBER,
    FB_PAGE_TOKEN,
    FB_SECRET,
    FB_VERIFY,
    FB_VERSION,
    TG_SECRET,
    TG_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    StandIn,
    answer_like_meta,
    answer_like_telegram,
    answer_like_twilio,
)

# The public address the providers are given: a proxy in front of the local port.
PUBLIC_BASE_URL = "https://assistant.clinic.example"


def messenger_event(psid: str, message: Dict[str, Any]) -> bytes:
    """The body Messenger posts for one message from ``psid`` to the page, unsigned."""
    now = int(time.time() * 1000)
    entry = {
        "id": "1029384756",
        "time": now,
        "messaging": [
            {"sender": {"id": psid}, "recipient": {"id": "1029384756"}, "timestamp": now, "message": message}
        ],
    }
    return json.dumps({"object": "page", "entry": [entry]}).encode()


@dataclass
class Channels:
    """The running assistant and what each provider's stand-in received."""

    assistant: LocalAssistant
    twilio_api: StandIn
    graph_api: StandIn
    bot_api: StandIn

    def webhook(self, name: str) -> str:
        return f"{self.assistant.url}/webhooks/{name}/webhook"

    def input_channels(self, sender: str) -> Set[str]:
        """The channel Rasa recorded for each of this sender's messages (its tracker store, in SQLite)."""
        engine = create_engine(f"sqlite:///{self.assistant.db}")
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    sql("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'"), {"s": sender}
                )
                return {json.loads(data).get("input_channel") for (data,) in rows}
        finally:
            engine.dispose()

    def rows(self, query: str, **params: Any) -> List[Any]:
        """Rows of the assistant's database (SQLite). new_number() cycles through 100 numbers, so a
        number may have had an earlier conversation in this session: read a record by its reference,
        or the latest."""
        engine = create_engine(f"sqlite:///{self.assistant.db}")
        try:
            with engine.connect() as connection:
                return list(connection.execute(sql(query), params))
        finally:
            engine.dispose()

    # --- Twilio ------------------------------------------------------------------------------
    def twilio_post(self, params: Dict[str, str], signature: Optional[str] = None) -> requests.Response:
        """An inbound message as Twilio posts it, signed over the public URL unless ``signature`` is given."""
        public = f"{PUBLIC_BASE_URL}/webhooks/twilio/webhook"
        signed = (
            signature if signature is not None else RequestValidator(TWILIO_TOKEN).compute_signature(public, params)
        )
        return requests.post(self.webhook("twilio"), data=params, headers={"X-Twilio-Signature": signed}, timeout=60)

    def text(self, sender: str, body: str, to: str = CLINIC_NUMBER) -> List[str]:
        """Send an SMS (or WhatsApp message) and return the bodies of the replies to that sender."""
        params = {
            "ToCountry": "US",
            "ToState": "CT",
            "SmsMessageSid": "SM" + uuid.uuid4().hex,
            "NumMedia": "0",
            "ToCity": "STAMFORD",
            "FromZip": "06880",
            "SmsSid": "SM" + uuid.uuid4().hex,
            "FromState": "CT",
            "SmsStatus": "received",
            "FromCity": "WESTPORT",
            "Body": body,
            "FromCountry": "US",
            "To": to,
            "MessagingServiceSid": "",
            "ToZip": "06901",
            "NumSegments": "1",
            "MessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": TWILIO_SID,
            "From": sender,
            "ApiVersion": "2010-04-01",
        }
        mark = self.twilio_api.mark()
        response = self.twilio_post(params)
        assert response.status_code == 200, (response.status_code, response.text)
        assert "<Response>" in response.text
        return [r.form["Body"] for r in self.twilio_api.accepted_since(mark) if r.form.get("To") == sender]

    # --- Messenger ---------------------------------------------------------------------------
    def messenger_post(self, body: bytes, headers: Dict[str, str]) -> requests.Response:
        return requests.post(
            self.webhook("facebook"), data=body, headers={"Content-Type": "application/json", **headers}, timeout=60
        )

    def messenger(
        self, psid: str, text: Optional[str] = None, quick_reply: Optional[str] = None
    ) -> List[Dict[str, Any]]:
        """A Messenger event, signed with the app secret; returns the messages sent back to ``psid``."""
        message: Dict[str, Any] = {"mid": "m_" + uuid.uuid4().hex, "text": text or ""}
        if quick_reply is not None:
            message["quick_reply"] = {"payload": quick_reply}
        body = messenger_event(psid, message)
        signature = "sha256=" + hmac.new(FB_SECRET.encode(), body, hashlib.sha256).hexdigest()
        mark = self.graph_api.mark()
        response = self.messenger_post(body, {"X-Hub-Signature-256": signature})
        assert response.status_code == 200, (response.status_code, response.text)
        sent = [r.json for r in self.graph_api.accepted_since(mark)]
        return [s["message"] for s in sent if "message" in s and s["recipient"]["id"] == psid]

    # --- Telegram ----------------------------------------------------------------------------
    def telegram_post(self, update: Dict[str, Any], secret: Optional[str] = TG_SECRET) -> requests.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return requests.post(self.webhook("telegram"), json=update, headers=headers, timeout=60)

    def telegram(self, chat_id: int, text: Optional[str] = None, button: Optional[str] = None) -> List[Dict[str, str]]:
        """A Telegram update (a message, or a press on an inline button); returns sendMessage calls to the chat."""
        user = {"id": chat_id, "is_bot": False, "first_name": "Dana", "language_code": "en"}
        chat = {"id": chat_id, "first_name": "Dana", "type": "private"}
        update: Dict[str, Any] = {"update_id": int(time.time() * 1000) % 10**9}
        if button is None:
            update["message"] = {"message_id": 7, "from": user, "chat": chat, "date": int(time.time()), "text": text}
        else:
            update["callback_query"] = {
                "id": str(uuid.uuid4().int)[:18],
                "from": user,
                "chat_instance": "-5551212",
                "data": button,
                "message": {
                    "message_id": 8,
                    "from": {"id": 123456789, "is_bot": True, "first_name": "Clinic"},
                    "chat": chat,
                    "date": int(time.time()),
                    "text": "(the bot's question)",
                },
            }
        mark = self.bot_api.mark()
        response = self.telegram_post(update)
        assert response.status_code == 200, (response.status_code, response.text)
        return [
            r.form
            for r in self.bot_api.accepted_since(mark)
            if r.path.endswith("/sendMessage") and r.form.get("chat_id") == str(chat_id)
        ]


@contextmanager
def running_channels(workdir: Path) -> Iterator[Channels]:
    """A LocalAssistant with all three channels on, pointed at the providers' stand-ins; stopped after.

    The channel tests' fixture and the safety suite (scripts/safety_suite, its SMS conversations) use it.
    """
    twilio, graph, telegram = (
        StandIn(answer_like_twilio).start(),
        StandIn(answer_like_meta).start(),
        StandIn(answer_like_telegram).start(),
    )
    assistant = LocalAssistant(
        workdir,
        {
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "TWILIO_ACCOUNT_SID": TWILIO_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TWILIO_NUMBER": CLINIC_NUMBER,
            "TWILIO_API_URL": twilio.url,
            "FACEBOOK_VERIFY_TOKEN": FB_VERIFY,
            "FACEBOOK_APP_SECRET": FB_SECRET,
            "FACEBOOK_PAGE_ACCESS_TOKEN": FB_PAGE_TOKEN,
            "FACEBOOK_GRAPH_URL": graph.url,
            "FACEBOOK_API_VERSION": FB_VERSION,
            "TELEGRAM_BOT_TOKEN": TG_TOKEN,
            "TELEGRAM_SECRET_TOKEN": TG_SECRET,
            "TELEGRAM_API_URL": telegram.url,
        },
    )
    try:
        assistant.wait_until_up()
        yield Channels(assistant, twilio, graph, telegram)
    finally:
        assistant.stop()
        for stand_in in (twilio, graph, telegram):
            stand_in.server.shutdown()


@pytest.fixture(scope="session")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Channels]:
    with running_channels(tmp_path_factory.mktemp("channels")) as running:
        yield running


_people = itertools.count(1)


def new_number() -> str:
    """A fresh phone number (555-01xx, reserved for fiction), so each test is its own conversation."""
    return f"+1203555{next(_people) % 100 + 100:04d}"


def new_id() -> int:
    """A fresh Messenger PSID or Telegram chat id."""
    return 7_000_000_000 + next(_people)
