"""A model archive's sha256, recorded when scripts/train.py trains it and checked before it is served.

Loading a Rasa model unpickles and deserialises what the archive holds (TensorFlow graphs,
scikit-learn objects through skops and pickle), which runs code. The assistant serves only
archives its own training made: training records the archive's sha256 beside it
(``models/assistant.sha256``, in ``sha256sum``'s format, so ``sha256sum -c`` checks it too), and
serve/run.py refuses to start a Rasa server on an archive that has no record or does not match it.
``make shell`` checks the same before ``rasa shell`` loads it: ``python -m serve.model_integrity ARCHIVE``.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Optional

SUFFIX = ".tar.gz"
CHUNK = 1 << 20


def record_path(model: Path) -> Path:
    """models/assistant.tar.gz -> models/assistant.sha256."""
    name = model.name[: -len(SUFFIX)] if model.name.endswith(SUFFIX) else model.name
    return model.with_name(name + ".sha256")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as archive:
        for chunk in iter(lambda: archive.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record(model: Path) -> None:
    """Write the archive's sha256 beside it, as ``sha256sum`` prints it."""
    record_path(model).write_text(f"{sha256(model)}  {model.name}\n")


def recorded(model: Path) -> Optional[str]:
    """The sha256 recorded for the archive, or None when there is no record."""
    path = record_path(model)
    fields = path.read_text().split() if path.exists() else []
    return fields[0] if fields else None


def problem(model: Path) -> Optional[str]:
    """Why the archive must not be served (no record, or changed since training), or None when it matches."""
    expected, record_file = recorded(model), record_path(model)
    trust = (
        f"Train it with `make train` or, for an archive you trust, record it: "
        f"cd {model.parent} && sha256sum {model.name} > {record_file.name}"
    )
    if expected is None:
        return f"{model} has no recorded sha256 ({record_file}), so nothing shows our training made it. {trust}"
    if sha256(model) != expected:  # both are public digests of the archive, not secrets
        return (
            f"{model} does not match the sha256 recorded when it was trained ({record_file}): it was changed "
            f"or replaced since. Refusing to serve it. {trust}"
        )
    return None


def main() -> int:
    refused = problem(Path(sys.argv[1]))
    if refused:
        print(refused, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
