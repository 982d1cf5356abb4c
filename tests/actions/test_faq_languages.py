"""A FAQ answer comes in the conversation's language: its text, the clinic's facts in it and its next-step buttons."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import ActionAnswerFaq
from clinic.profile import load_profile
from tests.actions.helpers import tracker

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ["/request_appointment", "/ask_another_question", "/human_handoff"]


def answer(
    domain: DomainDict, language: Optional[str], intent: str = "cost_insurance", key: Optional[str] = None
) -> List[Dict[str, Any]]:
    """What action_answer_faq sends for ``intent`` (and retrieval ``key``) in a conversation in ``language``."""
    selected = {"response_selector": {intent: {"response": {"intent_response_key": key}}}} if key else {}
    dispatcher = CollectingDispatcher()
    asked = tracker("question", intent=intent, slots={"language": language}, extra_parse=selected)
    asyncio.run(ActionAnswerFaq().run(dispatcher, asked, domain))
    return dispatcher.messages


def shown(messages: List[Dict[str, Any]], language: Optional[str]) -> List[Dict[str, Any]]:
    """The messages as the Rasa server renders them for the visitor: the domain's variation for the language slot."""
    rasa_domain = Domain.load(str(ROOT / "domain"))
    events = [SlotSet("language", language)] if language else []
    conversation = DialogueStateTracker.from_events("visitor", events, slots=rasa_domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(rasa_domain.responses)
    uttered = asyncio.run(RemoteAction._utter_responses(messages, CollectingOutputChannel(), nlg, conversation))
    return [{"text": bot.text, **bot.data} for bot in uttered]


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("es", ["Pedir una consulta", "Hacer otra pregunta", "Hablar con el personal"]),
        ("en", ["Book a consultation", "Ask another question", "Talk to staff"]),
        (None, ["Book a consultation", "Ask another question", "Talk to staff"]),
    ],
)
def test_next_step_buttons_are_titled_in_the_conversations_language_with_the_same_payloads(
    domain: DomainDict, language: Optional[str], titles: List[str]
) -> None:
    [message] = answer(domain, language)
    assert [b["title"] for b in message["buttons"]] == titles
    assert [b["payload"] for b in message["buttons"]] == PAYLOADS


def test_a_spanish_conversation_is_shown_the_spanish_answer_with_the_clinics_facts_in_spanish(
    domain: DomainDict,
) -> None:
    [message] = shown(answer(domain, "es"), "es")
    assert message["text"] == load_profile().template_vars("es")["pricing_sentence"]
    assert message["text"] != load_profile().template_vars("en")["pricing_sentence"]
    assert message["buttons"][0] == {"title": "Pedir una consulta", "payload": "/request_appointment"}


def test_an_answer_chosen_by_its_retrieval_key_is_shown_in_spanish_and_an_unset_language_in_english(
    domain: DomainDict,
) -> None:
    [spanish] = shown(answer(domain, "es", intent="spravato", key="spravato/cost_and_access"), "es")
    [english] = shown(answer(domain, None, intent="spravato", key="spravato/cost_and_access"), None)
    profile = load_profile()
    assert spanish["text"].startswith("SPRAVATO solo está disponible")
    assert profile.template_vars("es")["pricing_sentence"] in spanish["text"]
    assert english["text"].startswith("SPRAVATO is only available")
    assert profile.template_vars("en")["pricing_sentence"] in english["text"]
