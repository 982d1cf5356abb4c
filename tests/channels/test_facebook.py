"""Facebook Messenger, against the running assistant and a stand-in for Meta's Send API."""

from __future__ import annotations

import hashlib
import hmac

import requests

from tests.channels.conftest import FB_SECRET, FB_VERIFY, Channels, messenger_event, new_id


def texts(messages: list) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def test_meta_subscription_check_is_answered_only_for_the_verify_token(channels: Channels) -> None:
    ok = requests.get(
        channels.webhook("facebook"),
        timeout=10,
        params={"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "1158201444"},
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = requests.get(
        channels.webhook("facebook"),
        timeout=10,
        params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"},
    )
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_a_myth_question_on_messenger_is_answered_with_quick_replies(channels: Channels) -> None:
    psid = str(new_id())
    mark = channels.graph_api.mark()
    [answer] = channels.messenger(psid, "is ketamine safe?")
    calls = [r.json for r in channels.graph_api.accepted_since(mark)]
    assert [c.get("sender_action") for c in calls] == ["typing_on", None, "typing_off"]  # typing shown meanwhile
    assert "safety profile is well understood" in answer["text"]
    assert [q["title"] for q in answer["quick_replies"]] == [
        "Book a consultation",
        "Ask another question",
        "Talk to staff",
    ]
    assert all(q["content_type"] == "text" for q in answer["quick_replies"])


def test_a_quick_reply_sends_its_payload(channels: Channels) -> None:
    psid = str(new_id())
    channels.messenger(psid, "what is ketamine")
    reply = channels.messenger(psid, "Book a consultation", quick_reply="/request_appointment")
    assert "what name should they use" in texts(reply)


def test_a_forged_or_unsigned_event_is_refused_and_answers_nobody(channels: Channels) -> None:
    psid = str(new_id())
    body = messenger_event(psid, {"mid": "m_1", "text": "hi"})
    wrong_key = "sha256=" + hmac.new(b"not-the-app-secret", body, hashlib.sha256).hexdigest()
    right_key_other_body = "sha256=" + hmac.new(FB_SECRET.encode(), body + b" ", hashlib.sha256).hexdigest()
    mark = channels.graph_api.mark()
    assert channels.messenger_post(body, {"X-Hub-Signature-256": wrong_key}).status_code == 403
    assert channels.messenger_post(body, {"X-Hub-Signature-256": right_key_other_body}).status_code == 403
    assert channels.messenger_post(body, {}).status_code == 403
    assert channels.graph_api.since(mark) == []
    assert channels.input_channels(psid) == set()


def test_the_older_sha1_signature_is_accepted_when_it_is_right(channels: Channels) -> None:
    psid = str(new_id())
    body = messenger_event(psid, {"mid": "m_2", "text": "how does ketamine work?"})
    signature = "sha1=" + hmac.new(FB_SECRET.encode(), body, hashlib.sha1).hexdigest()
    mark = channels.graph_api.mark()
    assert channels.messenger_post(body, {"X-Hub-Signature": signature}).status_code == 200
    assert any(
        "glutamate" in r.json.get("message", {}).get("text", "") for r in channels.graph_api.accepted_since(mark)
    )


def test_booking_on_messenger_never_asks_the_reason_and_says_why(channels: Channels) -> None:
    psid = str(new_id())
    channels.messenger(psid, "can I book an appointment")
    channels.messenger(psid, "Maria Lopez")
    channels.messenger(psid, "203 555 0147")
    channels.messenger(psid, "Westport", quick_reply='/inform{"office": "Westport"}')
    after_times = channels.messenger(psid, "tuesdays after 4")
    said = texts(after_times)
    assert "Facebook Messenger isn't covered by a privacy agreement" in said and "won't ask about your health" in said
    assert "hoping to get help with" not in said
    assert "May the clinic's team contact you" in after_times[-1]["text"]
    [summary] = channels.messenger(psid, "Yes", quick_reply="/affirm")
    assert "Reason: Not asked on this channel" in summary["text"]
    done = channels.messenger(psid, "Yes, send it", quick_reply="/affirm")
    assert "reference number is A-" in texts(done)


def test_a_medical_question_on_messenger_gets_a_call_back_and_the_reason_why(channels: Channels) -> None:
    psid = str(new_id())
    said = texts(channels.messenger(psid, "can I take ketamine if I'm on lithium?"))
    assert "Facebook Messenger isn't covered by a privacy agreement" in said and "call you back" in said
    assert "phone number" in said
