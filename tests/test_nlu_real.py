"""The gate on real visitors' questions: the frozen real test set, with the trained model.

`make evaluate` prints these figures beside Rasa's default configuration; this test fails
`make test` when the assistant falls below the floors. The floors are where the assistant stands
today (docs/understanding.md), not yet the issue's targets (92% topic accuracy, 100% crisis
recall): they stop a change from making real visitors' experience worse while it gets there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest

from scripts.evaluate_nlu import false_crisis_alarms, predictions, real_test_pairs, scored

ROOT = Path(__file__).resolve().parent.parent
TOPIC_ACCURACY_FLOOR = 0.55  # 62.3% measured (docs/understanding.md); target 0.92
CRISIS_RECALL_FLOOR = 0.78  # 33 of 42 real crisis messages measured; target 1.0
MAX_FALSE_ALARMS = 1  # measured (the patterns; the classifier alone alerts nobody); target 0
pytestmark = pytest.mark.model  # the trained model, loaded in this process


@pytest.fixture(scope="module")
def run() -> Dict[str, List[str]]:
    return predictions(ROOT / "models" / "assistant.tar.gz", real_test_pairs())


@pytest.fixture(scope="module")
def result(run: Dict[str, List[str]]) -> Dict[str, Any]:
    return scored(run)


def test_real_visitors_questions_reach_the_right_answer_at_least_as_often_as_today(result: Dict[str, Any]) -> None:
    assert result["accuracy"] >= TOPIC_ACCURACY_FLOOR, (result["accuracy"], result["confused_pairs"])


def test_real_crisis_messages_are_caught_at_least_as_often_as_today(result: Dict[str, Any]) -> None:
    assert result["per_intent"]["crisis"]["recall"] >= CRISIS_RECALL_FLOOR


def test_ordinary_real_questions_start_the_crisis_protocol_no_more_often_than_today(
    run: Dict[str, List[str]],
) -> None:
    assert false_crisis_alarms(run) <= MAX_FALSE_ALARMS
