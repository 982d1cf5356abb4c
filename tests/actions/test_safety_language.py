"""The safety actions speak the conversation's language: they send responses by name, which the
Rasa server renders from the `language` slot, and their own buttons follow the slot."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import next_steps
from actions.safety import ActionCheckRisk, ActionEscalateCrisis
from nlg.crisis_followup import CrisisFollowUpNLG
from records.store import Store
from tests.actions.helpers import tracker

ROOT = Path(__file__).resolve().parents[2]
SAFETY_RESPONSES = yaml.safe_load((ROOT / "domain" / "safety.yml").read_text(encoding="utf-8"))["responses"]
UNCLEAR_WITH_A_QUESTION = {"safety_net": {"triggered": False, "unclear": True, "answer": "conditions_treated"}}
CLASSIFIER_SURE = {"safety_net": {"triggered": False, "unclear": True, "answer": None, "crisis_reply": True}}


def messages(action: Any, language: Optional[str], domain: DomainDict, **kwargs: Any) -> list:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker(slots={"language": language}, **kwargs), domain))
    return dispatcher.messages


def test_an_answer_before_the_caring_question_in_spanish_has_spanish_buttons_with_the_same_payloads(
    domain: DomainDict,
) -> None:
    [answer, _] = messages(ActionCheckRisk(), "es", domain, intent="unclear_risk", extra_parse=UNCLEAR_WITH_A_QUESTION)
    assert answer["buttons"] == next_steps("es")
    assert [b["payload"] for b in answer["buttons"]] == [b["payload"] for b in next_steps("en")]


@pytest.mark.parametrize("language", ["en", None])
def test_in_english_or_with_no_language_the_buttons_are_the_faqs_own(
    domain: DomainDict, language: Optional[str]
) -> None:
    [answer, _] = messages(
        ActionCheckRisk(), language, domain, intent="unclear_risk", extra_parse=UNCLEAR_WITH_A_QUESTION
    )
    assert answer["buttons"] == next_steps("en")


# --- rendered as the Rasa server renders what the actions send (endpoints.yml's nlg)

DOMAIN = Domain.load(str(ROOT / "domain"))
NLG = CrisisFollowUpNLG(domain=DOMAIN)


def rendered(message: Dict[str, Any], language: Optional[str], emergency: Optional[str]) -> str:
    t = DialogueStateTracker.from_events("visitor", [UserUttered("...", {"name": "crisis"})], slots=DOMAIN.slots)
    t.update(SlotSet("language", language))
    t.update(SlotSet("emergency", emergency))
    return asyncio.run(NLG.generate(message["response"], t, "rest"))["text"]


def condition_on(variant: Dict[str, Any], slot: str) -> Optional[str]:
    return next((c["value"] for c in variant.get("condition") or [] if c["name"] == slot), None)


def spanish(name: str, emergency: Optional[str]) -> str:
    """The Spanish variation of a safety response for the kind of emergency, else its Spanish default."""
    kinds = {condition_on(v, "emergency"): v for v in SAFETY_RESPONSES[name] if condition_on(v, "language") == "es"}
    return (kinds.get(emergency) or kinds[None])["text"]


@pytest.mark.parametrize("emergency", [None, "overdose", "medical_emergency", "someone_else_at_risk"])
def test_what_the_crisis_actions_send_the_server_renders_in_spanish(
    store: Store, domain: DomainDict, emergency: Optional[str]
) -> None:
    sent = messages(ActionEscalateCrisis(), "es", domain, text="ya no puedo más", intent="crisis")
    sent += messages(ActionCheckRisk(), "es", domain, intent="unclear_risk", extra_parse=CLASSIFIER_SURE)
    assert all(m.get("response") and not m.get("text") for m in sent), "only responses by name, never text"
    safety = [m for m in sent if m["response"] in SAFETY_RESPONSES]
    assert [m["response"] for m in safety] == ["utter_crisis_check_in", "utter_crisis", "utter_crisis_confirm"]
    for message in safety:
        assert rendered(message, "es", emergency) == spanish(message["response"], emergency)
