"""The on-call page: an urgent escalation texts ONCALL_PHONE through Twilio's real Messages API (a
stand-in on loopback), and the backup once if nobody has it after ONCALL_ACK_MINUTES; the clock is
the worker's ``now``, not a sleep."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Dict, List, Optional

import pytest

from records.models import utcnow
from records.store import Store
from tests.conftest import ONCALL_BACKUP_PHONE, ONCALL_PHONE
from tests.providers import CLINIC_NUMBER, TWILIO_SID, StandIn, answer_like_twilio
from worker.outbox import deliver_due

NO_CONTACT = {"name": None, "phone": None, "email": None}
WAIT = timedelta(minutes=10)  # ONCALL_ACK_MINUTES in the `oncall` fixture


def crisis(
    store: Store,
    question: str = "i want to end it all",
    contact: Dict[str, Optional[str]] = NO_CONTACT,
    emergency: Optional[str] = None,
) -> str:
    transcript = [{"sender": "user", "text": question}]
    return store.submit_escalation("v1", "twilio", "crisis", "m1", question, transcript, contact, emergency).reference


def texts(twilio: StandIn) -> List[Dict[str, str]]:
    """The SMS Twilio accepted, as (To, From, Body) forms."""
    return [request.form for request in twilio.accepted_since(0)]


def test_the_page_says_when_the_person_writes_in_spanish(store: Store, oncall: StandIn) -> None:
    reference = store.submit_escalation(
        "v1", "twilio", "crisis", "m1", "me quiero morir", [], NO_CONTACT, language="es"
    ).reference
    deliver_due(store)
    assert texts(oncall)[0]["Body"].startswith(f"URGENT crisis escalation {reference} (in Spanish), open ")


def test_an_urgent_escalation_pages_the_oncall_phone_through_twilios_messages_api(
    store: Store, oncall: StandIn
) -> None:
    reference = crisis(store)
    assert deliver_due(store) == 1
    [request] = oncall.received
    assert request.accepted and request.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.form == {
        "To": ONCALL_PHONE,
        "From": CLINIC_NUMBER,
        "Body": f"URGENT crisis escalation {reference}, open https://console.clinic.example/queues#{reference}",
    }
    assert {m.target: m.status for m in store.outbox(reference)} == {
        "console": "held",
        "oncall": "delivered",
        "oncall_backup": "pending",
    }


def test_the_page_carries_no_health_details(store: Store, oncall: StandIn) -> None:
    contact = {**NO_CONTACT, "name": "Sam Patient", "phone": "+12035550147"}
    crisis(store, "I took all my lithium pills", contact, emergency="overdose")
    deliver_due(store)
    [sms] = texts(oncall)
    for detail in ("lithium", "pills", "Sam", "Patient", "555", "0147", "overdose"):
        assert detail not in sms["Body"], detail


def test_without_a_console_address_the_page_says_to_open_the_staff_console(
    store: Store, oncall: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONSOLE_PUBLIC_URL")
    reference = crisis(store)
    deliver_due(store)
    assert texts(oncall)[0]["Body"] == f"URGENT crisis escalation {reference}, open the staff console"


def test_nobody_acknowledges_so_the_backup_is_paged_once_after_the_wait_even_across_a_restart(
    store: Store, oncall: StandIn
) -> None:
    reference = crisis(store)
    now = utcnow()
    assert deliver_due(store, now) == 1
    assert deliver_due(store, now + WAIT - timedelta(minutes=1)) == 0
    assert [sms["To"] for sms in texts(oncall)] == [ONCALL_PHONE]
    assert deliver_due(store, now + WAIT + timedelta(seconds=1)) == 1
    assert [sms["To"] for sms in texts(oncall)] == [ONCALL_PHONE, ONCALL_BACKUP_PHONE]
    assert reference in texts(oncall)[1]["Body"]
    restarted = Store(store.url)  # the worker again, after a restart
    try:
        assert deliver_due(restarted, now + 3 * WAIT) == 0
    finally:
        restarted.engine.dispose()
    assert len(oncall.received) == 2


def test_an_acknowledgement_before_the_wait_stops_the_backup_page(store: Store, oncall: StandIn) -> None:
    reference = crisis(store)
    now = utcnow()
    deliver_due(store, now)
    assert store.acknowledge(reference, "bob", now + timedelta(minutes=3))
    assert deliver_due(store, now + WAIT + timedelta(seconds=1)) == 0
    assert [sms["To"] for sms in texts(oncall)] == [ONCALL_PHONE]
    assert {m.target: m.status for m in store.outbox(reference)}["oncall_backup"] == "cancelled"


def test_starting_work_on_the_escalation_stops_the_backup_page_too(store: Store, oncall: StandIn) -> None:
    reference = crisis(store)
    now = utcnow()
    deliver_due(store, now)
    store.set_status(reference, "in_progress", "alice", "calling her now")
    deliver_due(store, now + WAIT + timedelta(seconds=1))
    assert [sms["To"] for sms in texts(oncall)] == [ONCALL_PHONE]


def test_a_page_twilio_refuses_is_retried_like_email(
    store: Store, oncall: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "not-the-token")
    reference = crisis(store)
    now = utcnow()
    assert deliver_due(store, now) == 0
    [page] = [m for m in store.outbox(reference) if m.target == "oncall"]
    assert page.status == "pending" and page.attempts == 1 and "401" in page.last_error
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "twilio-auth-token-for-tests")
    assert deliver_due(store, now + timedelta(seconds=31)) == 1
    assert [sms["To"] for sms in texts(oncall)] == [ONCALL_PHONE]


def test_only_urgent_escalations_page(store: Store, oncall: StandIn) -> None:
    store.submit_escalation("v2", "rest", "medical", "m1", "can I take it with lithium?", [], NO_CONTACT)
    deliver_due(store, utcnow() + 2 * WAIT)
    assert oncall.received == []


@pytest.mark.parametrize("unset", ["ONCALL_PHONE", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER"])
def test_no_page_is_queued_without_an_oncall_phone_and_twilio(
    store: Store, oncall: StandIn, monkeypatch: pytest.MonkeyPatch, unset: str
) -> None:
    monkeypatch.delenv(unset)
    reference = crisis(store)
    assert [m.target for m in store.outbox(reference)] == ["console"]


def test_several_workers_send_each_page_once(
    database_url: str, oncall: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several workers run on PostgreSQL (the production profile); make run starts one")
    sending, release = threading.Event(), threading.Event()

    def slow_twilio(request):  # the first worker is mid-send while the second looks
        sending.set()
        release.wait(10)
        return answer_like_twilio(request)

    slow = StandIn(slow_twilio).start()
    monkeypatch.setenv("TWILIO_API_URL", slow.url)
    store = Store(database_url)
    try:
        crisis(store)
        first = threading.Thread(target=deliver_due, args=(store,))
        first.start()
        assert sending.wait(10)
        assert deliver_due(store) == 0  # the page is claimed: skipped, not sent twice
        release.set()
        first.join(10)
        assert [sms["To"] for sms in texts(slow)] == [ONCALL_PHONE]
    finally:
        release.set()
        slow.server.shutdown()
        store.engine.dispose()
