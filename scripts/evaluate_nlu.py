"""Score the trained model on the held-out NLU file (never used for training).

Each example's label is its intent (FAQ topics are intents of their own). Writes per-intent precision, recall and F1
to reports/nlu_heldout.md and .json, and prints the headline figures.

    .venv/bin/python scripts/evaluate_nlu.py [--model models/assistant.tar.gz] [--data tests/nlu/heldout.yml]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def load_examples(path: Path) -> List[Tuple[str, str]]:
    """(text, label) pairs from a Rasa NLU YAML file without entity annotations."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((line[2:].strip(), block["intent"]))
    return pairs


def label_of(parse: Dict[str, Any]) -> str:
    return (parse.get("intent") or {}).get("name") or "none"


async def predict(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug events would print every message

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def score(gold: List[str], predicted: List[str]) -> Dict[str, Any]:
    labels = sorted(set(gold) | set(predicted))
    per_intent = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        fp = sum(p == label != g for g, p in zip(gold, predicted))
        fn = sum(g == label != p for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    confusions = Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)
    return {
        "examples": len(gold),
        "accuracy": accuracy,
        "per_intent": per_intent,
        "confused_pairs": [{"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common(15)],
    }


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def write_report(result: Dict[str, Any], errors: List[Dict[str, str]], out: Path, data: Path, model: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "nlu_heldout.json").write_text(json.dumps({**result, "errors": errors}, indent=2, ensure_ascii=False))
    lines = [
        "# NLU on the held-out file",
        "",
        f"Command: `.venv/bin/python scripts/evaluate_nlu.py` (model `{model.name}`, data `{shown(data)}`).",
        f"Examples never used in training, written in different words from `data/nlu/`.",
        "",
        f"**Intent accuracy: {result['accuracy']:.1%}** on {result['examples']} examples.",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, m in sorted(result["per_intent"].items()):
        lines.append(f"| {label} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | {m['support']} |")
    lines += ["", "## Most confused pairs", "", "| expected | predicted | count |", "|---|---|---:|"]
    lines += [f"| {c['gold']} | {c['predicted']} | {c['count']} |" for c in result["confused_pairs"]]
    lines += ["", "## Every miss", "", "| expected | predicted | text |", "|---|---|---|"]
    lines += [f"| {e['gold']} | {e['predicted']} | {e['text'].replace('|', '/')} |" for e in errors]
    (out / "nlu_heldout.md").write_text("\n".join(lines) + "\n")


def evaluate(model: Path, data: Path, out: Path) -> Dict[str, Any]:
    examples = load_examples(data)
    parses = asyncio.run(predict(model, [text for text, _ in examples]))
    gold = [label for _, label in examples]
    predicted = [label_of(p) for p in parses]
    result = score(gold, predicted)
    errors = [{"text": t, "gold": g, "predicted": p} for (t, g), p in zip(examples, predicted) if g != p]
    write_report(result, errors, out, data, model)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "nlu" / "heldout.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    result = evaluate(args.model, args.data.resolve(), args.out)
    crisis = result["per_intent"].get("crisis", {})
    print(f"held-out intent accuracy {result['accuracy']:.1%} on {result['examples']} examples; "
          f"crisis recall {crisis.get('recall', 0):.0%}; report in {args.out}/nlu_heldout.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
