"""Split the NLU training data into a seeded, stratified train/dev pair.

Pipeline choices are compared on the dev part (a split of our own training
data), so the held-out file stays a test that no choice was tuned on.

    .venv/bin/python scripts/split_nlu.py --out /tmp/split    # writes train.yml, dev.yml
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent


def read_examples(source: Path) -> Dict[str, List[str]]:
    """Examples by intent from one Rasa NLU YAML file, or every file under a folder and its subfolders
    (data/nlu holds one folder per language), with no entity annotations."""
    examples: Dict[str, List[str]] = {}
    for path in sorted(source.rglob("*.yml")) if source.is_dir() else [source]:
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            lines = [row.strip()[2:].strip() for row in block["examples"].splitlines() if row.strip().startswith("- ")]
            examples.setdefault(block["intent"], []).extend(lines)
    return examples


def write_examples(examples: Dict[str, List[str]], path: Path) -> None:
    out = ['version: "3.1"', "nlu:"]
    for intent, lines in examples.items():
        out += [f"- intent: {intent}", "  examples: |"] + [f"    - {line}" for line in lines]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dev-fraction", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    train: Dict[str, List[str]] = {}
    dev: Dict[str, List[str]] = {}
    for intent, lines in read_examples(ROOT / "data" / "nlu").items():
        lines = lines[:]
        rng.shuffle(lines)
        cut = max(1, int(len(lines) * args.dev_fraction))
        dev[intent], train[intent] = lines[:cut], lines[cut:]
    args.out.mkdir(parents=True, exist_ok=True)
    write_examples(train, args.out / "train.yml")
    write_examples(dev, args.out / "dev.yml")
    print(f"{sum(map(len, train.values()))} training and {sum(map(len, dev.values()))} dev examples in {args.out}")


if __name__ == "__main__":
    main()
