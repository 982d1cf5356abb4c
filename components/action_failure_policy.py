"""Dialogue policy: when a custom action fails (the action server is down), say so instead of going silent.

Rasa logs a custom action whose call failed as executed, drops its events and
carries on, so a patient who just confirmed a booking would hear nothing.
Every custom action and form of this assistant returns at least one event
when it works, so "the last event is one of them, with nothing after it"
means the call failed. This policy then answers first, with one of two
responses that Rasa renders itself (no action server needed):

- ``pending_response`` after an action the outbox worker will finish when the
  action server is back (``resumable_actions``: submitting a booking or an
  escalation, alerting staff to a crisis; see ``worker/recovery.py``);
- ``retry_response`` after any other, asking the person to send it again.

It outranks the other policies only on those turns, then hands back to them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class ActionFailurePolicy(Policy):
    """Predicts an apology after a failed custom action, then listening."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "priority": 7,  # above RulePolicy (6): wins the turns it speaks on
            "resumable_actions": [],
            "pending_response": "utter_action_failed_pending",
            "retry_response": "utter_action_failed_retry",
        }

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self._next_action(tracker, domain)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)

    def _next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        last = tracker.events[-1] if tracker.events else None
        # Story tests (`rasa test`) replay stories without running actions; their
        # trackers name the story file in ``sender_source``. Those are not failures.
        live = tracker.sender_source is None
        custom = (set(domain.user_actions) - set(domain.responses)) | set(domain.form_names)  # not utter_*
        if live and isinstance(last, ActionExecuted) and last.action_name in custom:
            resumable = last.action_name in self.config["resumable_actions"]
            return self.config["pending_response" if resumable else "retry_response"]
        responses = (self.config["pending_response"], self.config["retry_response"])
        if tracker.latest_action_name in responses:
            return ACTION_LISTEN_NAME
        return None

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ActionFailurePolicy":
        """Rasa trains and loads every policy; Policy.load would look for a featurizer never persisted."""
        return cls(config, model_storage, resource, execution_context)
