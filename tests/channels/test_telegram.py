"""Telegram, against the running assistant and a stand-in for Telegram's Bot API."""

from __future__ import annotations

import json

from tests.channels.conftest import PUBLIC_BASE_URL, TG_SECRET, Channels, new_id


def texts(messages: list) -> str:
    return "\n".join(m["text"] for m in messages)


def test_the_webhook_is_registered_with_telegram_with_the_secret_token(channels: Channels) -> None:
    # Once by each Rasa worker process (RASA_WORKERS), the same registration: Telegram keeps one.
    registrations = [r.form for r in channels.bot_api.accepted_since(0) if r.path.endswith("/setWebhook")]
    assert registrations and all(other == registrations[0] for other in registrations)
    registration = registrations[0]
    assert registration["url"] == f"{PUBLIC_BASE_URL}/webhooks/telegram/webhook"
    assert registration["secret_token"] == TG_SECRET
    assert "callback_query" in json.loads(registration["allowed_updates"])


def test_a_myth_question_on_telegram_is_answered_with_inline_buttons(channels: Channels) -> None:
    [answer] = channels.telegram(new_id(), "will I get addicted to ketamine?")
    assert "addiction" in answer["text"]
    keyboard = json.loads(answer["reply_markup"])["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == [
        "/request_appointment",
        "/ask_another_question",
        "/human_handoff",
    ]


def test_pressing_a_button_sends_its_payload_and_is_acknowledged(channels: Channels) -> None:
    chat = new_id()
    channels.telegram(chat, "what is ketamine")
    mark = channels.bot_api.mark()
    reply = channels.telegram(chat, button="/request_appointment")
    assert "what name should they use" in texts(reply)
    assert any(r.path.endswith("/answerCallbackQuery") for r in channels.bot_api.accepted_since(mark))


def test_an_update_without_the_secret_token_is_refused_and_answers_nobody(channels: Channels) -> None:
    chat = new_id()
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "hi",
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "X"},
        },
    }
    mark = channels.bot_api.mark()
    assert channels.telegram_post(update, secret="a-guess").status_code == 403
    assert channels.telegram_post(update, secret=None).status_code == 403
    assert channels.bot_api.since(mark) == []
    assert channels.input_channels(str(chat)) == set()


def test_booking_on_telegram_never_asks_the_reason_and_says_why(channels: Channels) -> None:
    chat = new_id()
    channels.telegram(chat, "I want to book a consultation")
    channels.telegram(chat, "Dana Smith")
    channels.telegram(chat, "dana@example.com")
    channels.telegram(chat, button='/inform{"office": "Stamford"}')
    said = texts(channels.telegram(chat, "weekday mornings"))
    assert "Telegram isn't covered by a privacy agreement" in said and "hoping to get help with" not in said
    assert "May the clinic's team contact you" in said


def test_a_medical_question_on_telegram_gets_a_call_back_and_the_reason_why(channels: Channels) -> None:
    chat = new_id()
    said = texts(channels.telegram(chat, "I've had a headache since my infusion yesterday, is that normal?"))
    assert "Telegram isn't covered by a privacy agreement" in said and "call you back" in said
    assert "phone number" in said
    email_only = texts(channels.telegram(chat, "dana@example.com"))
    assert "what phone number can they reach you on" in email_only


def test_a_crisis_on_telegram_gets_988_911_and_741741_at_once(channels: Channels) -> None:
    said = texts(channels.telegram(new_id(), "i have pills saved and i'm going to take them all tonight"))
    assert all(number in said for number in ("988", "911", "741741"))
