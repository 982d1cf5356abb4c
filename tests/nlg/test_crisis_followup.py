"""After a crisis, a retraction or a change of subject is reassessed, and 988 stays in view."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from nlg.crisis_followup import REASSESS, REMINDER, CrisisFollowUpNLG

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain"))


@pytest.fixture(scope="module")
def nlg() -> CrisisFollowUpNLG:
    return CrisisFollowUpNLG(domain=DOMAIN)


def user(text: str, intent: str, message_id: str) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0}, message_id=message_id)


def tracker(*events: Event) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("visitor", list(events))


def reply(nlg: CrisisFollowUpNLG, action: str, t: DialogueStateTracker) -> Dict[str, Any]:
    return asyncio.run(nlg.generate(action, t, "rest"))


def said(response: Dict[str, Any]) -> BotUttered:
    """The reply as Rasa stores it (rasa.core.actions.action.create_bot_utterance)."""
    message = dict(response)
    return BotUttered(message.pop("text"), data={"buttons": message.pop("buttons", None)}, metadata=message)


CRISIS = [
    user("i want to end my life", "crisis", "m1"),
    ActionExecuted("utter_crisis"),
    ActionExecuted("action_escalate_crisis"),
]


def line_of(response: Dict[str, Any]) -> Optional[str]:
    return (response.get("metadata") or {}).get("safety_line")


def test_a_conversation_without_a_crisis_gets_the_responses_unchanged(nlg: CrisisFollowUpNLG) -> None:
    t = tracker(user("hi", "greet", "m1"))
    assert line_of(reply(nlg, "utter_goodbye", t)) is None


def test_the_crisis_turn_itself_gets_only_the_crisis_reply(nlg: CrisisFollowUpNLG) -> None:
    t = tracker(user("i want to end my life", "crisis", "m1"))
    response = reply(nlg, "utter_crisis", t)
    assert line_of(response) is None and "988" in response["text"]


def test_a_retraction_is_reassessed_once_and_every_later_reply_keeps_988(nlg: CrisisFollowUpNLG) -> None:
    events: List[Event] = [*CRISIS, user("jk lol how much does it cost", "cost_insurance", "m2")]
    first = reply(nlg, "utter_goodbye", tracker(*events))
    assert line_of(first) == REASSESS and "988" in first["text"]
    assert {"title": "I need help now", "payload": "/crisis"} in first["buttons"]
    assert any("988lifeline.org" in str(source) for source in first["metadata"]["sources"])
    # a second response in the same turn is not repeated
    assert line_of(reply(nlg, "utter_goodbye", tracker(*events))) is None
    events += [said(first), user("where are you located", "locations", "m3")]
    later = reply(nlg, "utter_goodbye", tracker(*events))
    assert line_of(later) == REMINDER and later["text"].endswith(
        "If things get hard, you can call or text 988 any time."
    )


def test_the_answer_to_the_safety_check_in_is_not_reassessed_but_keeps_988(nlg: CrisisFollowUpNLG) -> None:
    t = tracker(*CRISIS, user("yes", "affirm", "m2"))
    assert line_of(reply(nlg, "utter_crisis_safe", t)) is None  # it gives the resources itself
    assert line_of(reply(nlg, "utter_goodbye", tracker(*CRISIS, user("yes", "affirm", "m4")))) == REMINDER


def test_every_response_carries_the_conversations_language_for_the_channels(nlg: CrisisFollowUpNLG) -> None:
    assert reply(nlg, "utter_goodbye", tracker(user("hi", "greet", "m1")))["metadata"]["language"] == "en"
    spanish = tracker(SlotSet("language", "es"), user("hola", "greet", "m1"))
    assert reply(nlg, "utter_goodbye", spanish)["metadata"]["language"] == "es"
    after_crisis = tracker(SlotSet("language", "es"), *CRISIS, user("jk", "chitchat", "m2"))
    assert reply(nlg, "utter_goodbye", after_crisis)["metadata"]["language"] == "es"


def in_language(language: Optional[str], *events: Event) -> DialogueStateTracker:
    """A tracker with the domain's slots, the conversation's language set as the language action would."""
    t = DialogueStateTracker.from_events("visitor", list(events), slots=DOMAIN.slots)
    t.update(SlotSet("language", language))
    return t


def test_in_spanish_the_reassessment_and_the_988_line_are_spanish_and_cite_988_in_spanish(
    nlg: CrisisFollowUpNLG,
) -> None:
    events: List[Event] = [*CRISIS, user("es broma, cuánto cuesta", "cost_insurance", "es-2")]
    first = reply(nlg, "utter_goodbye", in_language("es", *events))
    assert line_of(first) == REASSESS and "marque 2 para español" in first["text"]
    assert {"title": "Necesito ayuda ahora", "payload": "/crisis"} in first["buttons"]
    assert any("988lifeline.org/get-help/what-to-expect" in str(source) for source in first["metadata"]["sources"])
    events += [said(first), user("dónde están", "locations", "es-3")]
    later = reply(nlg, "utter_goodbye", in_language("es", *events))
    assert line_of(later) == REMINDER and later["text"].endswith(
        "puede llamar al 988 (marque 2 para español) o enviar AYUDA por mensaje de texto al 988 en cualquier momento."
    )


@pytest.mark.parametrize("language", ["en", None])
def test_in_english_or_with_no_language_the_line_is_english(nlg: CrisisFollowUpNLG, language: Optional[str]) -> None:
    events: List[Event] = [*CRISIS, user("jk lol how much does it cost", "cost_insurance", f"{language}-2")]
    first = reply(nlg, "utter_goodbye", in_language(language, *events))
    assert line_of(first) == REASSESS and "Before we go on" in first["text"]
    assert {"title": "I need help now", "payload": "/crisis"} in first["buttons"]
