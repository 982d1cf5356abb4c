"""The on-call page end to end: the worker texts the first contact through a loopback Twilio, staff
acknowledge in the real console ("I have it"), and the backup is then never paged; without an
acknowledgement it is, once, after ONCALL_ACK_MINUTES (the worker's clock, not a sleep)."""

from __future__ import annotations

from datetime import timedelta

from records.models import utcnow
from records.store import ACKNOWLEDGED, Store
from tests.conftest import ONCALL_BACKUP_PHONE, ONCALL_PHONE
from tests.console.conftest import PASSWORD, ConsoleServer, Staff, audits, escalate
from tests.providers import StandIn
from worker.outbox import deliver_due

WAIT = timedelta(minutes=10)  # ONCALL_ACK_MINUTES in the `oncall` fixture


def paged(twilio: StandIn) -> list:
    return [request.form["To"] for request in twilio.accepted_since(0)]


def test_an_acknowledgement_from_the_console_stops_the_backup_page(
    oncall: StandIn, console_store: Store, console: ConsoleServer
) -> None:
    reference = escalate(console_store, "v-c", "crisis", "I want to end my life")
    now = utcnow()
    assert deliver_due(console_store, now) == 1
    assert paged(oncall) == [ONCALL_PHONE]
    bob = Staff(console.url)
    bob.sign_in("bob", PASSWORD)
    page = bob.get_page("/queues").text
    assert "On-call page:\n" in page and "sent " in page
    assert "unless someone acknowledges first" in page and "Acknowledge: I have it" in page

    assert bob.submit(f"/items/{reference}/acknowledge").status_code == 302
    page = bob.get_page("/queues").text
    assert "Acknowledged by <b>bob</b>" in page and "Acknowledge: I have it" not in page
    assert "not needed, someone has it" in page
    assert deliver_due(console_store, now + WAIT + timedelta(seconds=1)) == 0
    assert paged(oncall) == [ONCALL_PHONE]

    escalation = console_store.escalation(reference)
    assert (escalation.acknowledged_by, escalation.status) == ("bob", "in_progress")
    assert [(c.changed_by, c.note) for c in console_store.status_changes(reference)] == [("bob", ACKNOWLEDGED)]
    assert [(row.username, row.target) for row in audits(console_store, "acknowledge")] == [("bob", reference)]
    alice = Staff(console.url)
    alice.sign_in("alice", PASSWORD)
    assert alice.submit(f"/items/{reference}/acknowledge").status_code == 302  # too late: bob has it
    assert console_store.escalation(reference).acknowledged_by == "bob"
    assert len(audits(console_store, "acknowledge")) == 1


def test_without_an_acknowledgement_the_backup_is_paged_after_the_wait(
    oncall: StandIn, console_store: Store, alice: Staff
) -> None:
    reference = escalate(console_store, "v-c", "crisis", "I want to end my life")
    now = utcnow()
    deliver_due(console_store, now)
    assert deliver_due(console_store, now + WAIT + timedelta(seconds=1)) == 1
    assert paged(oncall) == [ONCALL_PHONE, ONCALL_BACKUP_PHONE]
    page = alice.get_page("/queues").text
    assert page.count("sent ") >= 2 and "Acknowledge: I have it" in page and reference in page


def test_an_acknowledgement_needs_the_sessions_csrf_token_and_an_escalation(
    oncall: StandIn, console_store: Store, alice: Staff
) -> None:
    reference = escalate(console_store, "v-c", "crisis", "I want to end my life")
    forged = alice.post(f"{alice.base}/items/{reference}/acknowledge", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and console_store.escalation(reference).acknowledged_by is None
    assert alice.submit("/items/A-ZZZZZZ/acknowledge").status_code == 400
    assert alice.submit("/items/E-ZZZZZZ/acknowledge").status_code == 404
