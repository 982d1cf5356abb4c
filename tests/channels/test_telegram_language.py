"""Telegram passes the sender's language_code on as the message's metadata ``language`` (issue 14)."""

from __future__ import annotations

import json
import time
from typing import Any, Dict, List, Optional

import pytest
from aiogram.types import Update
from sqlalchemy import create_engine, text as sql

from channels.telegram import language_metadata
from tests.channels.conftest import Channels, new_id


def sender(chat_id: int, language_code: Optional[str]) -> Dict[str, Any]:
    """The ``from`` object of an update, as Telegram sends it (language_code is optional there)."""
    user: Dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "Lucía"}
    if language_code is not None:
        user["language_code"] = language_code
    return user


def message_update(chat_id: int, text: str, language_code: Optional[str]) -> Dict[str, Any]:
    chat = {"id": chat_id, "first_name": "Lucía", "type": "private"}
    message = {"message_id": 7, "from": sender(chat_id, language_code), "chat": chat, "date": int(time.time())}
    return {"update_id": int(time.time() * 1000) % 10**9, "message": {**message, "text": text}}


def button_update(chat_id: int, payload: str, language_code: str) -> Dict[str, Any]:
    chat = {"id": chat_id, "first_name": "Lucía", "type": "private"}
    bot = {"id": 123456789, "is_bot": True, "first_name": "Clinic"}
    return {
        "update_id": int(time.time() * 1000) % 10**9,
        "callback_query": {
            "id": "4382bfdwdsb323b2d9",
            "from": sender(chat_id, language_code),
            "chat_instance": "-5551212",
            "data": payload,
            "message": {"message_id": 8, "from": bot, "chat": chat, "date": int(time.time()), "text": "(question)"},
        },
    }


@pytest.mark.parametrize(("code", "metadata"), [("es", {"language": "es"}), ("es-MX", {"language": "es-MX"})])
def test_a_messages_language_code_becomes_its_language(code: str, metadata: Dict[str, str]) -> None:
    update = Update(**message_update(1, "hola", code))
    assert language_metadata(update.message.from_user) == metadata


def test_a_button_press_carries_the_pressers_language_code() -> None:
    update = Update(**button_update(1, "/request_appointment", "es"))
    assert language_metadata(update.callback_query.from_user) == {"language": "es"}


def test_without_a_language_code_or_a_sender_nothing_is_added() -> None:
    assert language_metadata(Update(**message_update(1, "hola", None)).message.from_user) == {}
    assert language_metadata(None) == {}


def stored(channels: Channels, chat_id: int, kind: str) -> List[Dict[str, Any]]:
    """This chat's events of one kind ('user', 'slot') in the assistant's tracker store, oldest first."""
    engine = create_engine(f"sqlite:///{channels.assistant.db}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sql("SELECT data FROM events WHERE sender_id = :s AND type_name = :k ORDER BY id"),
                {"s": str(chat_id), "k": kind},
            )
            return [json.loads(data) for (data,) in rows]
    finally:
        engine.dispose()


def test_a_spanish_telegram_app_starts_the_conversation_in_spanish(channels: Channels) -> None:
    chat = new_id()
    response = channels.telegram_post(message_update(chat, "I want to book a consultation", "es-MX"))
    assert response.status_code == 200
    assert [event["metadata"].get("language") for event in stored(channels, chat, "user")] == ["es-MX"]
    languages = [event["value"] for event in stored(channels, chat, "slot") if event["name"] == "language"]
    assert languages == ["es"]
