"""`make bench` still runs end to end: a quick version (short load, baseline with few epochs).

The full run's figures are in reports/bench.md; this proves the command has
not rotted, that it measures both configurations, and that the quick load
itself gets an answer to every turn.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_measures_ours_and_the_default_config_without_errors(rasa_env: dict) -> None:
    trained = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train.py"), "--baseline", "--quick"],
        cwd=ROOT,
        env=rasa_env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert trained.returncode == 0, trained.stderr[-3000:]
    bench = subprocess.run(
        [sys.executable, "-m", "scripts.bench", "--quick"],
        cwd=ROOT,
        env=rasa_env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert bench.returncode == 0, bench.stderr[-3000:]
    result = json.loads((ROOT / "reports" / "bench-quick.json").read_text())
    for config in ("ours", "default"):
        figures = result[config]
        assert figures["one_visitor"]["errors"] == 0 and figures["twenty_visitors"]["errors"] == 0, config
        assert figures["twenty_visitors"]["turns"] > 0 and len(figures["long_conversation"]["latencies_ms"]) == 40
        assert {"rasa server", "action server", "outbox worker"} <= set(figures["peak_rss_mib"]), figures[
            "peak_rss_mib"
        ]
    report = (ROOT / "reports" / "bench-quick.md").read_text()
    assert "ours / default" in report and "one visitor p50" in report
    assert (ROOT / "reports" / "bench-quick.png").read_bytes()[:4] == b"\x89PNG"
