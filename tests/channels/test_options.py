"""Buttons as numbered options, and a number mapped back from what Rasa stored."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any, List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.options import button_or_text, language_of, numbered

BUTTONS = [
    {"title": "Stamford", "payload": '/inform{"office": "Stamford"}'},
    {"title": "Westport", "payload": '/inform{"office": "Westport"}'},
]


def as_request(store: SQLTrackerStore) -> Any:
    """What the channels read the agent from: the Sanic request's app context."""
    return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store))))


def store_at(path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))


def save(path: Path, sender: str, events: List[Any]) -> None:
    asyncio.run(store_at(path).save(DialogueStateTracker.from_events(sender, events)))


def answer(path: Path, sender: str, text: str) -> Optional[str]:
    """Read back through a new store, as after a restart or on another Rasa instance."""
    return asyncio.run(button_or_text(as_request(store_at(path)), sender, text))


def test_buttons_are_listed_by_number_after_the_text() -> None:
    assert numbered("Which office?", BUTTONS) == "Which office?\nReply 1 for Stamford; 2 for Westport."


def test_a_number_is_read_back_as_its_button_from_the_stored_conversation(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    save(
        db,
        "+12035550147",
        [UserUttered("book"), BotUttered("Which office?", data={"buttons": BUTTONS}), ActionExecuted("action_listen")],
    )
    assert answer(db, "+12035550147", "2") == '/inform{"office": "Westport"}'
    assert answer(db, "+12035550147", " 1. ") == '/inform{"office": "Stamford"}'


def test_anything_but_a_listed_number_is_passed_on_as_typed(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    save(db, "+12035550147", [BotUttered("Which office?", data={"buttons": BUTTONS})])
    for typed in ("3", "0", "203 555 0147", "westport", ""):
        assert answer(db, "+12035550147", typed) == typed
    assert answer(db, "+19998887777", "1") == "1"  # a stranger: no conversation yet


def test_options_already_answered_no_longer_count(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    save(
        db,
        "+12035550147",
        [
            BotUttered("Which office?", data={"buttons": BUTTONS}),
            UserUttered("Westport"),
            BotUttered("Which days and times?"),
        ],
    )
    assert answer(db, "+12035550147", "1") == "1"


def test_options_are_numbered_in_the_language_of_the_response() -> None:
    buttons = [{"title": "Sí", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    assert numbered("¿Se lo envío?", buttons, "es") == "¿Se lo envío?\nResponda 1 para Sí; 2 para No."
    assert numbered("Which office?", BUTTONS, None) == "Which office?\nReply 1 for Stamford; 2 for Westport."
    assert language_of({"text": "x", "metadata": {"language": "es", "sources": []}}) == "es"
    assert language_of({"text": "x", "metadata": None}) is None
