"""Rasa's default configuration, for side-by-side figures against our config.yml.

`rasa init` writes a config.yml whose pipeline and policies are left to
Rasa's auto-configuration, which fills them from the installed Rasa's
``default_config.yml``. Reading that file (rather than a copy of it in this
repo) keeps the baseline exactly what this Rasa version would use. The quick
variant only cuts the training epochs, so CI can check the comparison still
runs without paying for a full baseline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUICK_EPOCHS = 5


def default_config() -> Dict[str, Any]:
    import rasa.engine.recipes.default_recipe as recipe

    path = Path(recipe.__file__).parent / "config_files" / "default_config.yml"
    return yaml.safe_load(path.read_text())


def write_config(quick: bool = False) -> Path:
    """The baseline config under var/baseline/, with epochs cut when quick."""
    config = default_config()
    config["assistant_id"] = "rasa-default-baseline"
    if quick:
        for part in config["pipeline"] + config["policies"]:
            if "epochs" in part:
                part["epochs"] = QUICK_EPOCHS
    path = ROOT / "var" / "baseline" / ("config-quick.yml" if quick else "config.yml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Rasa's default configuration (what `rasa init` trains with); written by scripts/baseline.py\n"
        + yaml.safe_dump(config, sort_keys=False)
    )
    return path
