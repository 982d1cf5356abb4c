"""components/action_failure_policy.py speaks only after a custom action that failed in a live conversation."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.action_failure_policy import ActionFailurePolicy

ROOT = Path(__file__).resolve().parent.parent
RESUMABLE = ["action_submit_appointment", "action_submit_escalation", "action_escalate_crisis"]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture
def policy(tmp_path: Path) -> ActionFailurePolicy:
    config = {**ActionFailurePolicy.get_default_config(), "resumable_actions": RESUMABLE}
    return ActionFailurePolicy.create(
        config, LocalModelStorage(tmp_path), Resource("policy"), ExecutionContext(GraphSchema({}), "test")
    )


def predicted(
    policy: ActionFailurePolicy, domain: Domain, events: List[Event], source: Optional[str] = None
) -> Optional[str]:
    tracker = DialogueStateTracker.from_events("visitor", events, domain.slots, sender_source=source)
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0:
        return None
    assert prediction.is_no_user_prediction  # it must outrank the rule policy's loop predictions
    return domain.action_names_or_texts[prediction.max_confidence_index]


TURN = [ActionExecuted("action_listen"), UserUttered("yes send it", {"name": "affirm", "confidence": 1.0})]


def test_a_failed_booking_submission_gets_the_promise(policy, domain) -> None:
    assert (
        predicted(policy, domain, [*TURN, ActionExecuted("action_submit_appointment")]) == "utter_action_failed_pending"
    )


def test_a_failed_faq_answer_asks_to_send_it_again(policy, domain) -> None:
    assert predicted(policy, domain, [*TURN, ActionExecuted("action_answer_faq")]) == "utter_action_failed_retry"


def test_after_its_apology_it_listens(policy, domain) -> None:
    events = [
        *TURN,
        ActionExecuted("action_answer_faq"),
        ActionExecuted("utter_action_failed_retry"),
        BotUttered("I'm sorry..."),
    ]
    assert predicted(policy, domain, events) == "action_listen"


def test_a_custom_action_that_worked_is_left_to_the_other_policies(policy, domain) -> None:
    worked = [
        *TURN,
        ActionExecuted("action_submit_appointment"),
        SlotSet("appointment_reference", "A-23456Z"),
        BotUttered("Your reference number is A-23456Z"),
    ]
    assert predicted(policy, domain, worked) is None
    assert predicted(policy, domain, [*TURN, ActionExecuted("utter_crisis")]) is None  # a response, not custom


def test_story_tests_replaying_actions_from_a_file_are_not_failures(policy, domain) -> None:
    events = [*TURN, ActionExecuted("action_submit_appointment")]
    assert predicted(policy, domain, events, source="tests/test_stories.yml") is None


def test_the_outbox_worker_looks_for_the_response_this_policy_promises_with() -> None:
    """worker/recovery.py finds pending work by this response's name; config.yml must not rename it apart."""
    import yaml

    from worker.recovery import PENDING_RESPONSE

    [configured] = [
        policy
        for policy in yaml.safe_load((ROOT / "config.yml").read_text())["policies"]
        if policy["name"].endswith("ActionFailurePolicy")
    ]
    assert (
        configured.get("pending_response", ActionFailurePolicy.get_default_config()["pending_response"])
        == PENDING_RESPONSE
    )
