"""How well and how fast the language of a message is told (docs/language.md).

On the labelled messages of tests/language/messages.yml: for English and Spanish ones, how many
get their language, how many the other one (wrong), how many no verdict; for the ones that should
decide nothing, how many do. Then the time to load the model, to detect one message, and to decide
the language of a 40-message conversation's last message, as action_validate_slot_mappings does.

    .venv/bin/python -m scripts.language_benchmark [--floors 0.8,0.9,0.95]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import yaml

from languages import detection
from languages.decision import Message, decide

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "language" / "messages.yml"
Labelled = List[Tuple[str, Optional[str]]]


def labelled() -> Labelled:
    """(text, language) from tests/language/messages.yml; its "none" list is labelled None."""
    lists = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    return [(str(text), None if label == "none" else label) for label, texts in lists.items() for text in texts]


def outcomes(messages: Labelled) -> Dict[str, Counter]:
    """Per label (en, es, none): how many messages got it right, wrong, or no verdict."""
    counts: Dict[str, Counter] = {}
    for text, language in messages:
        found = detection.detect(text)
        verdict = "right" if found == language else "none" if found is None else "wrong"
        counts.setdefault(language or "none", Counter())[verdict] += 1
    return counts


def report(messages: Labelled, floor: float) -> str:
    detection.MIN_CONFIDENCE = floor
    counts = outcomes(messages)
    lines = [f"confidence floor {floor}:"]
    for label in ("en", "es"):
        c = counts.get(label, Counter())
        total = sum(c.values())
        lines.append(f"  {label}: {c['right']}/{total} right, {c['wrong']} wrong, {c['none']} no verdict")
    c = counts.get("none", Counter())
    lines.append(f"  should decide nothing: {c['right']}/{sum(c.values())} decided nothing")
    return "\n".join(lines)


def timed(function: Callable[[], object], runs: int) -> List[float]:
    """Milliseconds per run."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(name: str, times: Sequence[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"  {name}: median {statistics.median(ordered):.3f} ms, p95 {p95:.3f} ms, max {ordered[-1]:.3f} ms"


def latency(messages: Labelled) -> str:
    texts = [text for text, _ in messages]
    started = time.perf_counter()
    detection.identifier.cache_clear()
    detection.identifier()
    loaded = (time.perf_counter() - started) * 1000
    per_message = [t for text in texts for t in timed(lambda text=text: detection.detect(text), 20)]
    conversation = [Message(text) for text, _ in messages[:40]]
    hostile = "quiero una cita para el martes " * 330
    return "\n".join(
        [
            "latency:",
            f"  model load: {loaded:.0f} ms (once, when the action server starts)",
            summary(f"detect one message ({len(texts)} messages x 20)", per_message),
            summary("detect a 10,000-character message", timed(lambda: detection.detect(hostile), 50)),
            summary("decide after a 40-message conversation", timed(lambda: decide("en", conversation), 200)),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floors", default=str(detection.MIN_CONFIDENCE), help="comma-separated confidence floors")
    floors = [float(floor) for floor in parser.parse_args().floors.split(",")]
    messages = labelled()
    chosen = detection.MIN_CONFIDENCE
    for floor in floors:
        print(report(messages, floor))
    detection.MIN_CONFIDENCE = chosen
    print(latency(messages))


if __name__ == "__main__":
    main()
