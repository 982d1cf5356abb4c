"""NLU component: the deterministic crisis safety net around the classifier.

It runs last in the pipeline, after FallbackClassifier, so nothing downstream
can undo it. A message becomes ``crisis`` (confidence 1.0) when the patterns of
``safety.crisis_patterns`` match, whatever the classifier said. The classifier
alone starts the crisis protocol (and an urgent staff alert) only when it is
confident, at ``classifier_confident`` or more: on real visitors' questions a
0.25 floor raised alarms for "how do I reach the clinic". Even then it alerts
nobody by itself: the intent becomes ``unclear_risk`` with ``crisis_reply`` in
``safety_net``, the person gets the crisis resources at once and the caring
question, and a yes raises the urgent alert. A crisis the
classifier ranks first with less confidence, or a mention of suicide in a
question about treatment ("can ketamine help with suicidal thoughts?"), is an
unclear signal: the intent becomes ``unclear_risk`` (or ``medical_question``
when it names the person's own medication, condition or symptom) and
``safety_net`` says ``unclear`` and which answer the question would have had.
action_check_risk answers it and asks one caring question with 988 in view;
nobody is alerted unless the answer is yes. Every parse result carries a
``safety_net`` entry saying which path fired, so tests and staff can see why.

A crisis also carries the kind of emergency as an ``emergency`` entity (suicide,
medical_emergency, overdose, danger_from_others, someone_else_at_risk). Rasa
fills the ``emergency`` slot from it, and the crisis responses' conditional
variations pick the right resources, so the Rasa server still sends them
itself, without the action server.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from safety.crisis_patterns import EMERGENCIES, detect_crisis, is_idiom
from safety.medical_patterns import detect_medical

CRISIS_INTENT = "crisis"
FALLBACK_INTENT = "nlu_fallback"
MEDICAL_INTENT = "medical_question"
UNCLEAR_INTENT = "unclear_risk"
SAFETY_NET_KEY = "safety_net"
EMERGENCY_ENTITY = "emergency"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisSafetyNet(GraphComponent, IntentClassifier):
    """Overrides the intent with ``crisis`` when patterns or the classifier see risk."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # answer_confident: an unclear message's question is answered only when the classifier's
        # next intent is at least this sure (the FallbackClassifier's threshold): no answer beats a wrong one.
        return {"classifier_confident": 0.8, "answer_confident": 0.3}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.classifier_confident = float(config.get("classifier_confident", 0.8))
        self.answer_confident = float(config.get("answer_confident", 0.3))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisSafetyNet":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._check(message)
        return messages

    def _classifier_crisis_confidence(self, message: Message) -> Optional[float]:
        for entry in message.get(INTENT_RANKING_KEY) or []:
            if entry.get(INTENT_NAME_KEY) == CRISIS_INTENT:
                return float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        return None

    def _check(self, message: Message) -> None:
        signal = detect_crisis(message.get(TEXT))
        classifier_confidence = self._classifier_crisis_confidence(message)
        idiom = signal is None and is_idiom(message.get(TEXT))
        if idiom:  # "bored to death of waiting": the classifier's crisis is a figure of speech
            classifier_confidence = None
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == CRISIS_INTENT:
                self._next_best(message)
        if signal and not signal.informational:
            verdict = {"triggered": True, "source": "patterns", "category": signal.category, "rule": signal.rule}
            confidence, emergency = 1.0, signal.emergency
        elif signal is None and (classifier_confidence or 0.0) >= self.classifier_confident:
            self._unclear(message, "classifier", crisis_reply=True)
            return
        elif signal or (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == CRISIS_INTENT:
            self._unclear(message, "patterns" if signal else "classifier")
            return
        else:
            message.set(SAFETY_NET_KEY, {"triggered": False, **({"idiom": True} if idiom else {})}, add_to_output=True)
            return
        crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
        ranking = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get(INTENT_NAME_KEY) != CRISIS_INTENT]
        message.set(INTENT, crisis, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [crisis] + ranking, add_to_output=True)
        message.set(SAFETY_NET_KEY, {**verdict, "emergency": emergency}, add_to_output=True)
        self._set_emergency(message, emergency)

    def _unclear(self, message: Message, source: str, crisis_reply: bool = False) -> None:
        """Risk asked about, not assumed: the question is answered and one caring question follows.

        With ``crisis_reply`` (the classifier alone, and sure) the crisis resources come first
        instead of an answer; staff are alerted once the person confirms, as the classifier
        alone must never raise a false alarm.
        """
        if crisis_reply:
            verdict = {"triggered": False, "unclear": True, "source": source, "answer": None, "crisis_reply": True}
            message.set(INTENT, {INTENT_NAME_KEY: UNCLEAR_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
            message.set(SAFETY_NET_KEY, {**verdict, "emergency": EMERGENCIES[0]}, add_to_output=True)
            self._set_emergency(message, EMERGENCIES[0])
            return
        if detect_medical(message.get(TEXT)):
            # A personal medical question the classifier misread as risk still reaches a clinician.
            message.set(INTENT, {INTENT_NAME_KEY: MEDICAL_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
            message.set(SAFETY_NET_KEY, {"triggered": False, "unclear": True, "source": source}, add_to_output=True)
            return
        best = self._best_other(message)
        answer = best.get(INTENT_NAME_KEY) if best else None
        message.set(INTENT, {INTENT_NAME_KEY: UNCLEAR_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
        verdict = {"triggered": False, "unclear": True, "source": source, "answer": answer}
        message.set(SAFETY_NET_KEY, verdict, add_to_output=True)

    def _best_other(self, message: Message) -> Optional[Dict[str, Any]]:
        """The classifier's best intent besides crisis and the fallback, if it is sure enough to answer."""
        others = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get(INTENT_NAME_KEY) != CRISIS_INTENT]
        best = next((e for e in others if e.get(INTENT_NAME_KEY) != FALLBACK_INTENT), {})
        return best if float(best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.answer_confident else None

    def _next_best(self, message: Message) -> None:
        """The intent the message would have had without crisis: the next answer, or the fallback."""
        best = self._best_other(message) or {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, dict(best), add_to_output=True)

    @staticmethod
    def _set_emergency(message: Message, emergency: str) -> None:
        """One ``emergency`` entity over the whole message, replacing any earlier one."""
        kept = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) != EMERGENCY_ENTITY]
        entity = {
            ENTITY_ATTRIBUTE_TYPE: EMERGENCY_ENTITY,
            ENTITY_ATTRIBUTE_VALUE: emergency,
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: len(message.get(TEXT) or ""),
            EXTRACTOR: "CrisisSafetyNet",
        }
        message.set(ENTITIES, kept + [entity], add_to_output=True)
