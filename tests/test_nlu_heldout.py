"""NLU on examples it never saw in training (tests/nlu/heldout.yml).

Writes reports/nlu_heldout.md with per-intent precision, recall and F1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.evaluate_nlu import evaluate

ROOT = Path(__file__).resolve().parent.parent
ACCURACY_FLOOR = 0.90
pytestmark = pytest.mark.model  # the trained model, loaded in this process


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluate(ROOT / "models" / "assistant.tar.gz", ROOT / "tests" / "nlu" / "heldout.yml", ROOT / "reports")


def test_intent_accuracy_on_unseen_wording_is_at_least_90_percent(result: dict) -> None:
    assert result["accuracy"] >= ACCURACY_FLOOR, (result["accuracy"], result["confused_pairs"])


def test_no_held_out_crisis_message_is_missed(result: dict) -> None:
    assert result["per_intent"]["crisis"]["recall"] == 1.0


def test_report_is_written() -> None:
    report = (ROOT / "reports" / "nlu_heldout.md").read_text()
    assert "| crisis |" in report and "Intent accuracy" in report
