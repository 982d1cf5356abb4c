"""Conversation flows in tests/test_stories.yml, checked by `rasa test core`.

Each story's user messages go through the trained NLU model and each next
action through the policies, so a story fails if either is wrong.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
