"""`make evaluate` still runs end to end: a quick version (2 folds, baseline with few epochs).

The full run's figures are in reports/nlu_evaluation.md; this only proves the
command has not rotted and that its report holds what issue 5 asks for.
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
        [sys.executable, str(ROOT / "scripts" / "evaluate_nlu.py"), "--folds", "2", "--quick", "--out", str(tmp_path)],
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
