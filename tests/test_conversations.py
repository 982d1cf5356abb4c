"""Conversation flows in tests/test_stories.yml, checked by `rasa test core`.

`rasa test core` (without --e2e) predicts each next action from the intents the
stories name; it does not parse the user messages. So a second test parses every
story message with the trained NLU model and checks the intent the story names:
together, a story fails if either the understanding or the next action is wrong.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "assistant.tar.gz"


def test_every_test_story_is_followed_exactly(tmp_path: Path, rasa_env: dict) -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            str(ROOT / "tests" / "test_stories.yml"),
            "--out",
            str(tmp_path),
            "--no-plot",
        ],
        cwd=ROOT,
        env=rasa_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed


def story_messages() -> List[Tuple[str, str]]:
    """(message, intent) for every user step of tests/test_stories.yml that has its words."""
    stories = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    return [
        (step["user"].strip(), step["intent"])
        for story in stories
        for step in story["steps"]
        if "user" in step and "intent" in step
    ]


@pytest.mark.model  # the trained model, loaded in this process
def test_every_story_message_is_understood_as_the_intent_the_story_names() -> None:
    from scripts.evaluate_nlu import predict

    pairs = story_messages()
    parses = asyncio.run(predict(MODEL, [text for text, _ in pairs]))
    misread = [
        (text, intent, parse["intent"]["name"])
        for (text, intent), parse in zip(pairs, parses)
        if parse["intent"]["name"] != intent
    ]
    assert misread == []
