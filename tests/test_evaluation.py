"""`make evaluate` still runs end to end: a quick version (2 folds, baseline with few epochs).

The full run's figures are in reports/nlu_evaluation.md; this only proves the
command has not rotted and that its report holds what issue 5 asks for. The default
configuration's cross-validation is left out here (``--baseline-folds 0``): it runs the
same code as ours with another config, and with the Spanish data it alone took most of
the 15 minutes a test may take.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scripts.split_nlu import read_examples

ROOT = Path(__file__).resolve().parent.parent


def test_quick_evaluation_writes_cv_heldout_baseline_and_confusion_png(tmp_path: Path, rasa_env: dict) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "evaluate_nlu.py"),
            *("--folds", "2", "--baseline-folds", "0", "--quick", "--out", str(tmp_path)),
        ],
        cwd=ROOT,
        env=rasa_env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = (tmp_path / "nlu_evaluation.md").read_text()
    for expected in (
        "ours, held-out",
        "default, held-out",
        "ratio",
        "crisis recall",
        "medical_question recall",
        "out_of_scope precision",
        "Most confused",
    ):
        assert expected in report, expected
    for png in ("nlu_confusion_heldout.png", "nlu_confusion_cv.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((tmp_path / "nlu_evaluation.json").read_text())
    training_examples = sum(len(lines) for lines in read_examples(ROOT / "data" / "nlu").values())
    assert data["results"]["ours_cv"]["examples"] == training_examples  # each example predicted exactly once
    assert data["results"]["ours_heldout"]["accuracy"] > 0.8


def test_a_question_with_a_finer_key_counts_as_understood_only_when_the_key_is_right_too() -> None:
    from scripts.evaluate_nlu import label_of, matches, score

    def parse(theme: str, key: str, selector: str) -> dict:
        return {"intent": {"name": theme}, "response_selector": {selector: {"response": {"intent_response_key": key}}}}

    assert label_of(parse("what_to_expect", "what_to_expect/driving_home", "what_to_expect")) == (
        "what_to_expect/driving_home"
    )
    assert label_of(parse("what_to_expect", "what_to_expect/driving_home", "default")) == "what_to_expect/driving_home"
    # Rasa's single selector may pick another theme's key: then only the theme is understood.
    assert label_of(parse("what_to_expect", "spravato/side_effects", "default")) == "what_to_expect"
    assert matches("what_to_expect/driving_home", "what_to_expect/driving_home")
    assert not matches("what_to_expect/driving_home", "what_to_expect/general")
    assert matches("what_to_expect", "what_to_expect/general")
    result = score(["what_to_expect/driving_home", "side_effects"], ["what_to_expect/general", "side_effects"])
    assert result["accuracy"] == 0.5 and result["theme_accuracy"] == 1.0
    assert result["per_intent"]["what_to_expect"]["recall"] == 1.0


def test_a_question_labelled_with_its_theme_alone_counts_as_understood_whatever_key_is_selected() -> None:
    """The real set labels at-home questions with the theme only: any of its keys answers them."""
    from scripts.evaluate_nlu import matches, score

    assert matches("at_home_ketamine", "at_home_ketamine/troches")
    assert matches("spravato", "spravato/general")
    assert not matches("at_home_ketamine", "spravato/administration")
    assert not matches("spravato/side_effects", "spravato/general")
    result = score(["at_home_ketamine", "spravato/side_effects"], ["at_home_ketamine/safety", "spravato/general"])
    assert result["accuracy"] == 0.5 and result["theme_accuracy"] == 1.0


def test_a_crisis_reply_without_an_alert_counts_as_caught_but_not_as_a_false_alarm() -> None:
    """The classifier alone gives the crisis reply and alerts nobody; only the crisis intent alerts."""
    from scripts.evaluate_nlu import alerted, false_crisis_alarms, label_of

    classifier_only = {"intent": {"name": "unclear_risk"}, "safety_net": {"unclear": True, "crisis_reply": True}}
    patterns = {"intent": {"name": "crisis"}, "safety_net": {"triggered": True}}
    assert label_of(classifier_only) == "crisis" and not alerted(classifier_only)
    assert label_of(patterns) == "crisis" and alerted(patterns)
    run = {"gold": ["contact_info", "crisis", "price"], "alerted": [False, True, True]}
    assert false_crisis_alarms(run) == 1


def test_the_real_set_is_reported_per_language_english_first_then_a_spanish_block_with_its_own_target() -> None:
    """Made-up predictions: each language's figures come from its own questions only."""
    from scripts.evaluate_nlu import real_sections

    def run(gold: list, predicted: list, alerted: list) -> dict:
        return {"texts": [f"q{i}" for i in range(len(gold))], "gold": gold, "predicted": predicted, "alerted": alerted}

    english = run(["price", "crisis"], ["price", "crisis"], [False, True])
    spanish = run(
        ["greet", "crisis", "medical_question", "out_of_scope", "what_to_expect/driving_home"],
        ["greet", "crisis", "out_of_scope", "out_of_scope", "crisis"],
        [False, True, False, False, True],
    )
    runs = {"ours_real": english, "baseline_real": english, "ours_real_es": spanish, "baseline_real_es": spanish}
    report = "\n".join(real_sections(runs))
    english_block, _, spanish_block = report.partition("## Spanish real questions")
    assert "## Real questions: the frozen test set (2 questions)" in english_block
    assert "| topic accuracy (theme and key) | ≥ 92% | 100.0% ✓ |" in english_block
    assert spanish_block.startswith(": the frozen test set (5 questions)")
    for row in (
        "| topic accuracy (theme and key) | ≥ 90% | 60.0% ✗ |",
        "| crisis recall | 100% | 100.0% ✓ |",
        "| medical_question recall | ≥ 95% | 0.0% ✗ |",
        "| out_of_scope precision | ≥ 90% | 50.0% ✗ |",
        "| ordinary questions raising an urgent alert | 0 | 1 ✗ |",
        "| what_to_expect/driving_home | crisis | q4 |",
    ):
        assert row in spanish_block, row


def test_a_language_without_test_questions_says_so_instead_of_figures() -> None:
    from scripts.evaluate_nlu import real_section

    empty = {"texts": [], "gold": [], "predicted": [], "alerted": []}
    lines = real_section({"ours_real_es": empty, "baseline_real_es": empty}, "es")
    assert lines[0] == "## Spanish real questions" and "no es question marked `test`" in lines[2]


def test_the_real_test_pairs_of_a_language_are_its_questions_of_the_test_half_only() -> None:
    from scripts.evaluate_nlu import real_test_pairs
    from scripts.real_questions import half

    spanish = real_test_pairs("es")
    assert spanish == [(q.text, q.label) for q in half("test", language="es")] and spanish
    assert not set(spanish) & set(real_test_pairs())
