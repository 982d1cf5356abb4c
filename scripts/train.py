"""Train a model into models/ unless it already matches the data and config.

`rasa train --fixed-model-name` re-packs the model on every call, even when
nothing changed. This records a fingerprint of everything that shapes the
model (config, domain, training data, our NLU components, pinned packages)
beside it, and skips training when the fingerprint and the model are there.
It also records the archive's sha256 (models/<name>.sha256), which serve/run.py
checks before serving it (serve/model_integrity.py); an archive that no longer
matches its record is trained again rather than kept.
`--baseline` trains Rasa's default configuration on the same data
(models/baseline.tar.gz), for the benchmark's side-by-side figures.

    .venv/bin/python scripts/train.py [--force] [--baseline [--quick]]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODELS = ROOT / "models"

from serve import model_integrity  # noqa: E402


def model_inputs(config: Path) -> Iterable[Path]:
    yield from (config, *(ROOT / name for name in ("constraints.txt", "requirements-nodeps.txt")))
    yield from sorted((ROOT / "domain").rglob("*.yml"))
    yield from sorted((ROOT / "data").rglob("*.yml"))
    if "components." in config.read_text():  # Rasa's default config (the baseline) uses none of them
        yield from sorted((ROOT / "components").glob("*.py"))


def fingerprint(config: Path) -> str:
    digest = hashlib.sha256()
    for path in model_inputs(config):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def train(config: Path, name: str, force: bool = False) -> int:
    model, stamp = MODELS / f"{name}.tar.gz", MODELS / f"{name}.fingerprint"
    current = fingerprint(config)
    if (
        not force
        and model.exists()
        and stamp.exists()
        and stamp.read_text().strip() == current
        and model_integrity.problem(model) is None
    ):
        print(f"The model is up to date: {model.relative_to(ROOT)}")
        return 0
    rasa = Path(sys.executable).parent / "rasa"
    command = [
        str(rasa),
        "train",
        "--config",
        str(config),
        "--domain",
        "domain",
        "--fixed-model-name",
        name,
        "--out",
        str(MODELS),
    ]
    result = subprocess.run(command + (["--force"] if force else []), cwd=ROOT)
    if result.returncode == 0:
        stamp.write_text(current + "\n")
        model_integrity.record(model)
    return result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if the model is up to date")
    parser.add_argument("--baseline", action="store_true", help="Rasa's default configuration instead of ours")
    parser.add_argument("--quick", action="store_true", help="with --baseline: few epochs, to check it runs")
    args = parser.parse_args()
    if args.baseline:
        from scripts.baseline import write_config

        name = "baseline-quick" if args.quick else "baseline"
        return train(write_config(args.quick), name, args.force)
    return train(ROOT / "config.yml", "assistant", args.force)


if __name__ == "__main__":
    sys.exit(main())
