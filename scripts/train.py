"""Train the model into models/ unless it already matches the data and config.

`rasa train --fixed-model-name` re-packs the model on every call, even when
nothing changed. This records a fingerprint of everything that shapes the
model (config, domain, training data, our NLU components, pinned packages)
beside it, and skips training when the fingerprint and the model are there.

    .venv/bin/python scripts/train.py [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "assistant.tar.gz"
FINGERPRINT = ROOT / "models" / "assistant.fingerprint"


def model_inputs() -> Iterable[Path]:
    yield from (ROOT / name for name in ("config.yml", "domain.yml", "constraints.txt", "requirements-nodeps.txt"))
    yield from sorted((ROOT / "data").rglob("*.yml"))
    yield from sorted((ROOT / "components").glob("*.py"))


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in model_inputs():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if the model is up to date")
    args = parser.parse_args()
    current = fingerprint()
    if not args.force and MODEL.exists() and FINGERPRINT.exists() and FINGERPRINT.read_text().strip() == current:
        print(f"The model is up to date: {MODEL.relative_to(ROOT)}")
        return 0
    rasa = Path(sys.executable).parent / "rasa"
    command = [str(rasa), "train", "--fixed-model-name", "assistant", "--out", str(MODEL.parent)]
    result = subprocess.run(command + (["--force"] if args.force else []), cwd=ROOT)
    if result.returncode == 0:
        FINGERPRINT.write_text(current + "\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
