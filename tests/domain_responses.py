"""Every response variation in domain/, for the tests that check a property of each one."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import yaml

DOMAIN = Path(__file__).resolve().parent.parent / "domain"


def responses_in(path: Path) -> Dict[str, List[Dict[str, Any]]]:
    """The responses one domain file defines: name -> its variations, in the file's order."""
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}


def response_variations() -> Iterator[Tuple[str, Dict[str, Any]]]:
    """(response name, variation) for every variation of every response, file by file."""
    for path in sorted(DOMAIN.glob("*.yml")):
        for name, variants in responses_in(path).items():
            for variant in variants:
                yield name, variant
