"""Write docs/configuration.md from the declarations in settings.py.

    .venv/bin/python -m scripts.configuration_doc

Run it after changing settings.py: tests/test_settings.py fails while the file
differs from what this writes, so the list in the docs cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import settings

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "configuration.md"
# How each type in settings.py reads to someone setting a variable.
KINDS = {
    "str": "text",
    "Optional[str]": "text",
    "int": "whole number",
    "Optional[int]": "whole number",
    "float": "number",
    "bool": "`1` is on",
    "Tuple[str, ...]": "comma-separated list",
}
INTRO = """\
# Configuration

<!-- Written by `python -m scripts.configuration_doc` from settings.py; edit those declarations, not this file. -->

Everything has a safe local default; set environment variables to change it. Each is declared once, in
[`settings.py`](../settings.py), and read from there by the code. Secrets (tokens, passwords) have no
default in the repository: `serve/run.py` generates the two the servers share when they are unset.
A messaging channel is on only when every `${VAR}` of its entry in `credentials.yml` is set.
"""


def default_cell(spec: settings.Spec) -> str:
    if spec.shown:
        return spec.shown
    if spec.default is None:
        return "unset (secret)" if spec.secret else "unset"
    return f"`{spec.default}`"


def render() -> str:
    lines: List[str] = [INTRO]
    for group in settings.GROUPS:
        lines += [f"## {group.capitalize()}", "", "| variable | default | type | meaning |", "|---|---|---|---|"]
        for name, spec in settings.SPECS.items():
            if spec.group == group:
                kind = KINDS[settings.TYPES[name]]
                lines.append(f"| `{name}` | {default_cell(spec)} | {kind} | {spec.meaning} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
