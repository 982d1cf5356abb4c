"""Staff notifications reach real SMTP and HTTP servers on loopback, retried until delivered."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Iterator, List

import pytest
from aiosmtpd.controller import Controller

from records.models import Escalation, utcnow
from records.store import Store
from serve.run import free_port
from worker.outbox import backoff, deliver_due, retry_now

DETAILS = {
    "name": "Sam Patient",
    "phone": "+12035550147",
    "email": None,
    "office": "Stamford",
    "preferred_times": "mornings",
    "reason": "depression",
    "consent": True,
}


class WebhookStandIn(BaseHTTPRequestHandler):
    """A staff webhook that fails the first ``failures`` calls, then accepts."""

    failures = 0
    received: List[dict] = []
    signatures: List[str] = []
    bodies: List[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if WebhookStandIn.failures > 0:
            WebhookStandIn.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        WebhookStandIn.received.append(json.loads(body))
        WebhookStandIn.signatures.append(self.headers.get("X-Clinic-Signature", ""))
        WebhookStandIn.bodies.append(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), WebhookStandIn)
    WebhookStandIn.received, WebhookStandIn.signatures, WebhookStandIn.bodies = [], [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/staff-hook"
    monkeypatch.setenv("STAFF_WEBHOOK_URL", url)
    monkeypatch.setenv("STAFF_WEBHOOK_SECRET", "test-secret")
    yield url
    server.shutdown()


class Inbox:
    def __init__(self) -> None:
        self.messages: List[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8"))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("STAFF_EMAIL", "staff@example.com")
    yield inbox
    controller.stop()


def test_backoff_doubles_and_is_capped_at_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(50) == timedelta(hours=1)


def test_webhook_delivery_is_signed(store: Store, webhook: str) -> None:
    result = store.submit_appointment("v1", "rest", DETAILS)
    assert deliver_due(store) == 1
    [payload] = WebhookStandIn.received
    assert payload["reference"] == result.reference and payload["topic"] == "appointment_request"
    expected = hmac.new(b"test-secret", WebhookStandIn.bodies[0], hashlib.sha256).hexdigest()
    assert WebhookStandIn.signatures == [f"sha256={expected}"]
    assert store.outbox(result.reference)[0].status == "delivered"


def test_failed_delivery_is_retried_after_backoff_until_delivered(store: Store, webhook: str) -> None:
    WebhookStandIn.failures = 2
    result = store.submit_appointment("v1", "rest", DETAILS)
    now = utcnow()
    assert deliver_due(store, now) == 0
    [message] = store.outbox(result.reference)
    assert message.status == "pending" and message.attempts == 1 and "HTTPError" in message.last_error
    assert deliver_due(store, now + timedelta(seconds=5)) == 0  # not due yet: nothing is tried
    assert store.outbox(result.reference)[0].attempts == 1
    assert deliver_due(store, now + timedelta(seconds=31)) == 0  # second failure
    assert deliver_due(store, now + timedelta(minutes=5)) == 1
    [message] = store.outbox(result.reference)
    assert message.status == "delivered" and message.attempts == 3 and message.last_error is None
    assert len(WebhookStandIn.received) == 1


def test_unreachable_webhook_is_kept_not_lost(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_WEBHOOK_URL", "http://127.0.0.1:9/nothing-listens-here")
    result = store.submit_appointment("v1", "rest", DETAILS)
    deliver_due(store)
    [message] = store.outbox(result.reference)
    assert message.status == "pending" and message.attempts == 1 and message.last_error


def test_email_reaches_a_real_smtp_server_without_patient_details(store: Store, smtp: Inbox) -> None:
    result = store.submit_escalation(
        "v2", "rest", "crisis", "m1", "i want to end it all", [], {"name": "Sam Patient", "phone": None, "email": None}
    )
    assert deliver_due(store) == 1
    [mail] = smtp.messages
    assert f"URGENT: crisis escalation {result.reference}" in mail and "To: staff@example.com" in mail
    assert "Sam Patient" not in mail and "end it all" not in mail


def test_an_emergency_of_another_kind_says_its_kind_to_staff_and_is_stored(store: Store, smtp: Inbox) -> None:
    result = store.submit_escalation(
        "v3",
        "rest",
        "crisis",
        "m1",
        "he can't breathe",
        [],
        {"name": None, "phone": None, "email": None},
        emergency="medical_emergency",
    )
    assert deliver_due(store) == 1
    assert f"URGENT: medical emergency escalation {result.reference}" in smtp.messages[0]
    with store.session() as session:
        assert session.query(Escalation.emergency).filter_by(reference=result.reference).scalar() == "medical_emergency"


def test_a_spanish_speakers_escalation_tells_staff_to_call_back_in_spanish(store: Store, smtp: Inbox) -> None:
    result = store.submit_escalation(
        "v4",
        "twilio",
        "crisis",
        "m1",
        "no quiero despertar",
        [],
        {"name": None, "phone": None, "email": None},
        language="es",
    )
    assert deliver_due(store) == 1
    assert f"URGENT: crisis escalation {result.reference} (in Spanish): open the staff console now" in smtp.messages[0]
    with store.session() as session:
        assert session.query(Escalation.language).filter_by(reference=result.reference).scalar() == "es"


def test_urgent_messages_are_delivered_first(store: Store, webhook: str) -> None:
    store.submit_appointment("v1", "rest", DETAILS)
    crisis = store.submit_escalation(
        "v2", "rest", "crisis", "m1", "help", [], {"name": None, "phone": None, "email": None}
    )
    deliver_due(store, limit=1)
    assert [p["reference"] for p in WebhookStandIn.received] == [crisis.reference]


def test_retry_now_makes_a_waiting_message_due(store: Store, webhook: str) -> None:
    WebhookStandIn.failures = 1
    result = store.submit_appointment("v1", "rest", DETAILS)
    deliver_due(store)
    [message] = store.outbox(result.reference)
    retry_now(store, message.id)
    assert deliver_due(store) == 1
