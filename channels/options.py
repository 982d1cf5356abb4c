"""Buttons on channels that show only text: numbered options, and a number back to its button.

The options a number refers to are read from the conversation itself (the
buttons of the assistant's last message, in Rasa's tracker store), not kept in
this process: the mapping survives a restart and holds when several Rasa
instances share one tracker store, with nothing else to keep in step.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.shared.core.events import BotUttered, UserUttered
from sanic.request import Request

from clinic.wording import supported

_NUMBER = re.compile(r"^\s*#?(\d{1,2})[.)]?\s*$")


# "Reply 1 for Stamford; 2 for Westport." in each language the assistant speaks.
_REPLY = {"en": ("Reply", "for"), "es": ("Responda", "para")}


def numbered(text: str, buttons: List[Dict[str, Any]], language: Optional[str] = None) -> str:
    """ "Shall I send it?" + "Reply 1 for Yes, send it; 2 for Change something; 3 for Cancel." """
    reply, for_ = _REPLY[supported(language)]
    options = "; ".join(f"{number} {for_} {button['title']}" for number, button in enumerate(buttons, start=1))
    return f"{text}\n{reply} {options}."


def language_of(message: Dict[str, Any]) -> Optional[str]:
    """The language a response was written in, which the assistant's NLG puts in its metadata."""
    metadata = message.get("metadata")
    return metadata.get("language") if isinstance(metadata, dict) else None


async def payload_for_number(request: Request, sender_id: str, text: str) -> Optional[str]:
    """The payload of the button numbered ``text`` in the assistant's last message, if it had buttons."""
    match = _NUMBER.match(text or "")
    if not match:
        return None
    tracker = await request.app.ctx.agent.tracker_store.retrieve(sender_id)
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, UserUttered):
            return None  # the options shown were already answered
        if isinstance(event, BotUttered):
            buttons = event.data.get("buttons") or []
            number = int(match.group(1))
            return buttons[number - 1]["payload"] if 1 <= number <= len(buttons) else None
    return None


async def button_or_text(request: Request, sender_id: str, text: str) -> str:
    """What to hand Rasa: the chosen button's payload for a bare option number, else the text."""
    return await payload_for_number(request, sender_id, text) or text
