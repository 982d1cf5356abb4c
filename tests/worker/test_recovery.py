"""worker/recovery.py finds what failed while the action server was down, and only that."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine

from records.models import events, tracker_metadata
from worker.recovery import PENDING_RESPONSE, Recovery, failed_actions

LISTEN = ("action", "action_listen")
FAILED_SUBMIT = [("action", "action_submit_appointment"), ("action", PENDING_RESPONSE), ("bot", None), LISTEN]


def test_an_action_followed_by_the_promise_is_pending() -> None:
    rows = [LISTEN, ("user", None), *FAILED_SUBMIT]
    assert failed_actions(rows) == ["action_submit_appointment"]


def test_a_pending_action_that_later_worked_is_done() -> None:
    rows = [*FAILED_SUBMIT, ("action", "action_submit_appointment"), ("slot", None), ("bot", None)]
    assert failed_actions(rows) == []


def test_a_rerun_that_failed_again_keeps_it_pending() -> None:
    # /execute logs the action even when the call fails; the next event is then the user's.
    rows = [*FAILED_SUBMIT, ("action", "action_submit_appointment"), ("user", None), LISTEN]
    assert failed_actions(rows) == ["action_submit_appointment"]


def test_actions_that_worked_or_failed_without_the_promise_are_left_alone() -> None:
    rows = [
        ("action", "action_answer_faq"),
        ("bot", None),
        ("action", "action_answer_faq"),
        ("action", "utter_action_failed_retry"),
        ("bot", None),
        LISTEN,
    ]
    assert failed_actions(rows) == []


def test_a_crisis_alert_and_a_booking_both_pending_are_both_found() -> None:
    rows = [
        ("action", "action_escalate_crisis"),
        ("action", PENDING_RESPONSE),
        ("bot", None),
        LISTEN,
        ("user", None),
        *FAILED_SUBMIT,
    ]
    assert failed_actions(rows) == ["action_escalate_crisis", "action_submit_appointment"]


def _add(engine, sender: str, rows) -> None:
    with engine.begin() as connection:
        for type_name, action_name in rows:
            connection.execute(
                events.insert().values(
                    sender_id=sender, type_name=type_name, action_name=action_name, timestamp=time.time(), data="{}"
                )
            )


def test_recovery_watches_new_promises_and_forgets_what_is_done(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'events.db'}", future=True)
    recovery = Recovery(engine)
    assert recovery.pending() == {}  # before Rasa has created its table
    tracker_metadata.create_all(engine)
    _add(engine, "visitor-1", [LISTEN, ("user", None), *FAILED_SUBMIT])
    assert recovery.pending() == {"visitor-1": ["action_submit_appointment"]}

    _add(engine, "visitor-2", [("action", "action_escalate_crisis"), ("action", PENDING_RESPONSE)])  # read by id
    _add(engine, "visitor-1", [("action", "action_submit_appointment"), ("slot", None), ("bot", None)])
    assert recovery.pending() == {"visitor-2": ["action_escalate_crisis"]}
    assert recovery.watched == {"visitor-2"}
