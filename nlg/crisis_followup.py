"""Domain responses, and after a crisis, a line that keeps help in view in every later reply.

Every response also carries the conversation's language in its metadata, for the channels.

A disclosure is not closed by a retraction ("jk", "I'm fine") or a change of
subject. Once this conversation had a crisis reply (``utter_crisis``), the first
later reply that is not the answer to the safety check-in carries a gentle
reassessment (``utter_crisis_reassess``), and every reply after that one short
line with 988 (``utter_crisis_reminder``). Both texts are domain responses with
their sources. Doing it here, where Rasa renders every response (its own and
the action server's), covers every reply of every channel without a rule per
intent. A turn gets the line once: the first response of the turn carries it.

Rasa picks at random among all the conditional variations that match. A crisis
reply in Spanish for an overdose matches three (Spanish and overdose, Spanish,
overdose), so here the ones with the most conditions win: the Spanish overdose
reply. With one condition each (language only), this is Rasa's own choice.
The line is generated the same way, so it comes in the conversation's language.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.constants import RESPONSE_CONDITION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.wording import supported
from components.crisis_safety_net import CRISIS_INTENT

CRISIS = "utter_crisis"
REASSESS = "utter_crisis_reassess"
REMINDER = "utter_crisis_reminder"
# Responses that already give the crisis resources, or that the line itself is made of.
_RESOURCES_GIVEN = frozenset({CRISIS, "utter_crisis_safe", "utter_crisis_not_safe", REASSESS, REMINDER})
# The answer to the check-in right after a crisis reply is the check-in's own (utter_crisis_safe / _not_safe).
_CHECK_IN_ANSWERS = frozenset({"affirm", "deny"})
_TURNS_REMEMBERED = 10_000


class CrisisFollowUpNLG(TemplatedNaturalLanguageGenerator):
    """Rasa's templated responses, with the reassessment or the 988 line added after a crisis."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)
        # Turns that already carry the line: one worker handles a conversation's turn at a time.
        self._done: "OrderedDict[Tuple[str, str], None]" = OrderedDict()

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        line = self._line_for(utter_action, tracker, response)
        if line is not None:
            extra = await super().generate(line, tracker, output_channel, **kwargs)
            if extra and response:
                response = _joined(response, extra, line)
        return _in_language(response, tracker)

    def _random_response_for(
        self, utter_action: Text, output_channel: Text, filled_slots: Dict[Text, Any]
    ) -> Optional[Dict[Text, Any]]:
        """Rasa's choice of variation, narrowed to those whose conditions match the most slots."""
        if utter_action not in self.responses:
            return None
        suitable = ResponseVariationFilter(self.responses).responses_for_utter_action(
            utter_action, output_channel, filled_slots
        )
        most = max((_conditions(r) for r in suitable), default=0)
        best = [r for r in suitable if _conditions(r) == most]
        return random.choice(best) if best else None

    def _line_for(
        self, utter_action: Text, tracker: DialogueStateTracker, response: Optional[Dict[Text, Any]]
    ) -> Optional[str]:
        latest = tracker.latest_message
        # The cheap checks first: this runs for every response of every conversation.
        if not response or utter_action in _RESOURCES_GIVEN or latest is None or "988" in (response.get("text") or ""):
            return None
        events = list(tracker.events)
        crisis_replies = [i for i, e in enumerate(events) if isinstance(e, ActionExecuted) and e.action_name == CRISIS]
        last_user = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=-1)
        # No crisis yet, or this very turn is one (its replies give the resources themselves).
        if not crisis_replies or crisis_replies[-1] > last_user or _intent(latest) == CRISIS_INTENT:
            return None
        turn = (tracker.sender_id, str(latest.message_id or len(events)))
        if turn in self._done:
            return None
        self._remember(turn)
        since = events[crisis_replies[-1] :]
        reassessed = any(isinstance(e, BotUttered) and _safety_line(e) == REASSESS for e in since)
        answering_check_in = _intent(latest) in _CHECK_IN_ANSWERS and _users(since) == 1
        return REMINDER if reassessed or answering_check_in else REASSESS

    def _remember(self, turn: Tuple[str, str]) -> None:
        self._done[turn] = None
        while len(self._done) > _TURNS_REMEMBERED:
            self._done.popitem(last=False)


def _conditions(variation: Dict[Text, Any]) -> int:
    return len(variation.get(RESPONSE_CONDITION) or [])


def _intent(event: UserUttered) -> Optional[str]:
    return (event.intent or {}).get("name")


def _users(events: List[Any]) -> int:
    return sum(isinstance(e, UserUttered) for e in events)


def _safety_line(event: BotUttered) -> Optional[str]:
    return ((event.metadata or {}).get("metadata") or {}).get("safety_line")


def _in_language(response: Optional[Dict[Text, Any]], tracker: DialogueStateTracker) -> Optional[Dict[Text, Any]]:
    """The response with the conversation's language in its metadata.

    Channels that turn buttons into text ("Reply 1 for ...", "Responda 1 para ...") read it there:
    an output channel sees the message, never the tracker.
    """
    if not response:
        return response
    stamped = dict(response)
    stamped["metadata"] = {**(response.get("metadata") or {}), "language": supported(tracker.get_slot("language"))}
    return stamped


def _joined(response: Dict[Text, Any], extra: Dict[Text, Any], line: str) -> Dict[Text, Any]:
    """The response with the line after its text, and the line's sources beside its own."""
    joined = dict(response)
    joined["text"] = f"{response.get('text') or ''}\n\n{extra.get('text') or ''}".strip()
    metadata = dict(response.get("metadata") or {})
    sources = list(metadata.get("sources") or [])
    sources += [s for s in (extra.get("metadata") or {}).get("sources") or [] if s not in sources]
    metadata.update(sources=sources, safety_line=line)
    joined["metadata"] = metadata
    buttons = list(response.get("buttons") or []) + list(extra.get("buttons") or [])
    if buttons:
        joined["buttons"] = buttons
    return joined
