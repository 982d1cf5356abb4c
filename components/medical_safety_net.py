"""NLU component: the deterministic medical safety net beside the classifier.

A personal medical question ("I take lithium, can I have ketamine?") must reach
a clinician, even when the classifier leans to a general FAQ answer about the
same topic. When ``safety.medical_patterns`` matches, the intent becomes
``medical_question`` (confidence 1.0), which the escalation answers.

It overrides only answers that would send the FAQ, the fallback or the
out-of-scope reply (and sets a classified ``medical_question`` to 1.0).
Intents that carry a conversation's own step (booking form data, yes/no, stop,
asking for a person, greetings) are kept, as is a crisis: the form needs them,
and a crisis verdict is never downgraded. It runs before CrisisSafetyNet, which
stays last so nothing can undo a crisis. Every parse result carries a
``medical_net`` entry saying whether it fired and why.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from safety.medical_patterns import detect_medical

MEDICAL_INTENT = "medical_question"
MEDICAL_NET_KEY = "medical_net"
# Intents a medical pattern never overrides. Every other intent (the FAQ themes,
# nlu_fallback, out_of_scope) is an answer a personal medical question must not get;
# tests/test_components.py checks this list against the domain.
KEPT_INTENTS = frozenset(
    {
        "crisis",
        "unclear_risk",
        "human_handoff",
        "request_appointment",
        "inform",
        "correct_booking",
        "ask_another_question",
        "stop",
        "affirm",
        "deny",
        "greet",
        "goodbye",
        "thank",
        "bot_challenge",
        "ask_privacy",  # "will my doctor see that I take lithium?" asks who reads the chat
    }
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MedicalSafetyNet(GraphComponent, IntentClassifier):
    """Overrides an FAQ, fallback or out-of-scope intent with ``medical_question`` when the patterns match."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MedicalSafetyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._check(message)
        return messages

    def _check(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        signal = None if intent in KEPT_INTENTS else detect_medical(message.get(TEXT))
        if signal is None:
            message.set(MEDICAL_NET_KEY, {"triggered": False}, add_to_output=True)
            return
        medical = {INTENT_NAME_KEY: MEDICAL_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get(INTENT_NAME_KEY) != MEDICAL_INTENT]
        message.set(INTENT, medical, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [medical] + ranking, add_to_output=True)
        message.set(
            MEDICAL_NET_KEY, {"triggered": True, "category": signal.category, "rule": signal.rule}, add_to_output=True
        )
