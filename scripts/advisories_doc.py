"""Write docs/advisories.md from the advisory register, docs/advisories.yml.

    .venv/bin/python -m scripts.advisories_doc

The register is data so that tests/test_advisories.py can compare its versions with what is pinned
and installed; this page is how a person reads it. The test fails while the page differs from what
this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "docs" / "advisories.yml"
DOC = ROOT / "docs" / "advisories.md"
PIN_FILES = ("requirements.txt", "requirements-nodeps.txt", "constraints.txt")


def register() -> Dict[str, Any]:
    return yaml.safe_load(REGISTER.read_text(encoding="utf-8"))


def pins() -> Dict[str, str]:
    """name -> version of every ``name==version`` line of the requirement files (constraints.txt last)."""
    found: Dict[str, str] = {}
    for name in PIN_FILES:
        for line in (ROOT / name).read_text().splitlines():
            requirement = line.split("#", 1)[0].strip()
            if "==" in requirement:
                package, version = requirement.split("==", 1)
                found[package.strip()] = version.strip()
    return found


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def advisory_rows(package: Dict[str, Any]) -> List[str]:
    rows = ["| advisory | what | fixed in | source |", "|---|---|---|---|"]
    for advisory in package["advisories"]:
        rows.append(
            f"| {cell(advisory['id'])} | {cell(advisory['summary'])} | {cell(advisory['fixed'])} "
            f"| {cell(advisory['source'])} |"
        )
    return rows


def section(package: Dict[str, Any]) -> List[str]:
    lines = [f"### {package['name']} {package['version']}", "", f"Allowed: {cell(package['allowed'])}.", ""]
    if package["advisories"]:
        lines += advisory_rows(package) + [""]
    if package.get("advisories_note"):
        lines += [cell(package["advisories_note"]), ""]
    for label in ("reached", "mitigation", "upgrade"):
        lines += [f"- **{label.capitalize()}:** {cell(package[label])}"]
    return lines + [""]


def render() -> str:
    data = register()
    listed = [package for package in data["packages"] if package["advisories"] or package.get("advisories_note")]
    quiet = [package for package in data["packages"] if package not in listed]
    named = {package["name"].lower() for package in data["packages"]}
    others = sorted((name, version) for name, version in pins().items() if name.lower() not in named)
    lines = [
        "# Advisory register",
        "",
        "<!-- Written by `python -m scripts.advisories_doc` from docs/advisories.yml; edit that, not this. -->",
        "",
        f"The known security advisories of the packages the assistant pins, as looked up on {data['checked']}: "
        "whether our code reaches each, what mitigates it, and the upgrade the pins allow. How it was made, and "
        "why pip-audit's answer proves nothing here, is at the top of "
        "[`advisories.yml`](advisories.yml); `tests/test_advisories.py` fails when an installed or pinned "
        "version differs from the register's. The summary is on the [Security](security.md#advisories) page.",
        "",
        "| package | pinned | advisories | reached | fixed within the pins |",
        "|---|---|---:|---|---|",
    ]
    for package in listed:
        lines.append(
            f"| [{package['name']}](#{anchor(package)}) | {package['version']} | {len(package['advisories'])} "
            f"| {cell(first_clause(package['reached']))} | {cell(package['upgrade'])} |"
        )
    lines += ["", "## By package", ""]
    for package in listed:
        lines += section(package)
    lines += [
        "## Direct pins with no advisory found",
        "",
        "| package | pinned | reached | mitigation |",
        "|---|---|---|---|",
    ]
    lines += [f"| {p['name']} | {p['version']} | {cell(p['reached'])} | {cell(p['mitigation'])} |" for p in quiet]
    lines += [
        "",
        "## Every other pin",
        "",
        "Transitive pins of `constraints.txt` not looked up one by one, so nothing is known of them here "
        "either way: " + ", ".join(f"{name} {version}" for name, version in others) + ".",
        "",
    ]
    return "\n".join(lines)


def anchor(package: Dict[str, Any]) -> str:
    """The heading's anchor as GitHub makes it: lower case, dots dropped, spaces to dashes."""
    return f"{package['name']} {package['version']}".lower().replace(".", "").replace(" ", "-")


def first_clause(text: str) -> str:
    """The short answer before the colon that starts each ``reached`` text (Yes, No, Only at set-up, ...)."""
    return " ".join(text.split()).split(": ", 1)[0]


def main() -> int:
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
