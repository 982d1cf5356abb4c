"""The project's own tables on a real SQLite file: once-only, verbatim, with outbox."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from records.store import ACKNOWLEDGED, Store
from tests.records.appointments import DETAILS


def test_appointment_is_stored_with_a_readable_reference(store: Store) -> None:
    result = store.submit_appointment("visitor-1", "rest", DETAILS)
    assert result.created and result.reference.startswith("A-") and len(result.reference) == 8
    row = store.appointment(result.reference)
    assert row.name == "Maria Lopez" and row.office == "Westport" and row.status == "new"
    assert not set(result.reference[2:]) & set("01OIL")


def test_the_same_request_sent_twice_is_stored_once(store: Store) -> None:
    first = store.submit_appointment("visitor-1", "rest", DETAILS)
    second = store.submit_appointment("visitor-1", "rest", dict(DETAILS))
    assert second.reference == first.reference and not second.created
    assert store.counts()[0] == 1


def test_double_click_from_many_threads_still_stores_once(store: Store) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: store.submit_appointment("visitor-2", "rest", DETAILS), range(16)))
    assert len({r.reference for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert store.counts()[0] == 1


def test_a_changed_request_is_a_new_request(store: Store) -> None:
    first = store.submit_appointment("visitor-1", "rest", DETAILS)
    second = store.submit_appointment("visitor-1", "rest", {**DETAILS, "office": "Stamford"})
    assert first.reference != second.reference and store.counts()[0] == 2


@pytest.mark.parametrize(
    "name",
    [
        "Robert'); DROP TABLE appointment_requests;--",
        "<script>alert('x')</script>",
        "名前 🙂 Ünïcødé",
        "x" * 5000,
    ],
)
def test_hostile_or_odd_text_is_stored_verbatim_and_executes_nothing(store: Store, name: str) -> None:
    result = store.submit_appointment("visitor-3", "rest", {**DETAILS, "name": name})
    assert store.appointment(result.reference).name == name
    assert store.counts()[0] == 1


def test_without_notification_settings_the_notice_is_held_for_the_console(store: Store) -> None:
    result = store.submit_appointment("visitor-1", "rest", DETAILS)
    [message] = store.outbox(result.reference)
    assert message.target == "console" and message.status == "held"
    payload = json.loads(message.payload)
    assert payload == {
        "topic": "appointment_request",
        "reference": result.reference,
        "urgency": "normal",
        "office": "Westport",
        "language": "en",
    }


def test_a_spanish_request_is_stored_and_announced_as_spanish(store: Store) -> None:
    result = store.submit_appointment("visitor-es", "twilio", DETAILS, language="es")
    assert store.appointment(result.reference).language == "es"
    [message] = store.outbox(result.reference)
    assert json.loads(message.payload)["language"] == "es"


def test_notifications_queue_one_message_per_configured_target(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("STAFF_EMAIL", "staff@example.com")
    monkeypatch.setenv("STAFF_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    result = store.submit_appointment("visitor-1", "rest", DETAILS)
    assert sorted(m.target for m in store.outbox(result.reference)) == ["email", "webhook"]
    assert all(m.status == "pending" for m in store.outbox(result.reference))


def test_crisis_escalation_is_urgent_and_keeps_question_and_transcript(store: Store) -> None:
    transcript = [{"sender": "user", "text": "i don't want to be here anymore", "intent": "crisis"}]
    result = store.submit_escalation(
        "visitor-4",
        "socketio",
        "crisis",
        "msg-1",
        "i don't want to be here anymore",
        transcript,
        {"name": None, "phone": None, "email": None},
    )
    row = store.escalation(result.reference)
    assert row.kind == "crisis" and row.urgency == "urgent" and row.question == "i don't want to be here anymore"
    assert json.loads(row.transcript) == transcript
    assert store.outbox(result.reference)[0].urgency == "urgent"


def test_an_escalation_retried_for_the_same_message_is_stored_once(store: Store) -> None:
    args = (
        "visitor-5",
        "rest",
        "medical",
        "msg-9",
        "can I take this with lithium",
        [],
        {"name": None, "phone": None, "email": None},
    )
    assert store.submit_escalation(*args).reference == store.submit_escalation(*args).reference
    assert store.counts()[1] == 1


def test_store_creates_the_database_folder(tmp_path) -> None:
    nested = tmp_path / "a" / "b" / "db.sqlite"
    Store(f"sqlite:///{nested}").engine.dispose()
    assert nested.exists()


def test_status_change_moves_the_record_and_logs_who_when_and_why(store: Store) -> None:
    reference = store.submit_appointment("visitor-1", "rest", DETAILS).reference
    assert store.set_status(reference, "in_progress", "alice", "calling back")
    assert store.set_status(reference, "done", "bob")
    assert store.appointment(reference).status == "done"
    steps = [(c.status, c.changed_by, c.note) for c in store.status_changes(reference)]
    assert steps == [("in_progress", "alice", "calling back"), ("done", "bob", None)]
    assert all(c.changed_at is not None for c in store.status_changes(reference))


def test_status_change_refuses_unknown_statuses_and_records(store: Store) -> None:
    reference = store.submit_appointment("visitor-1", "rest", DETAILS).reference
    with pytest.raises(ValueError):
        store.set_status(reference, "deleted", "alice")
    assert not store.set_status("A-ZZZZZZ", "done", "alice")
    assert not store.set_status("X-1", "done", "alice")
    assert store.status_changes(reference) == [] and store.appointment(reference).status == "new"


def test_the_first_acknowledgement_is_kept_with_who_and_when_and_starts_the_work(store: Store) -> None:
    reference = store.submit_escalation(
        "v1", "rest", "crisis", "m1", "help", [], {"name": None, "phone": None, "email": None}
    ).reference
    assert store.acknowledge(reference, "bob")
    assert not store.acknowledge(reference, "alice")  # a second click, or someone else a moment later
    row = store.escalation(reference)
    assert (row.acknowledged_by, row.status) == ("bob", "in_progress") and row.acknowledged_at is not None
    assert [(c.status, c.changed_by, c.note) for c in store.status_changes(reference)] == [
        ("in_progress", "bob", ACKNOWLEDGED)
    ]
    assert not store.acknowledge("E-NOSUCH", "bob")
