"""The advisory register (docs/advisories.yml) describes the versions that are pinned and installed.

Its verdicts (reached or not, mitigated how, fixed where) hold for one version each: when a pin
or an installed package changes, these fail until its entry has been looked at again.
"""

from __future__ import annotations

import importlib.metadata
import re
from typing import Dict

import pytest

from scripts.advisories_doc import DOC, ROOT, pins, register, render

# The transitive packages issue 15 names, besides every direct pin.
NAMED = {"aiohttp", "sanic", "sanic-cors", "skops", "tensorflow", "protobuf", "jinja2", "python-engineio"}
NAMED |= {"python-socketio", "urllib3", "requests"}
REGISTER = register()
ENTRIES = {package["name"]: package for package in REGISTER["packages"]}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned() -> Dict[str, str]:
    return {canonical(name): version for name, version in pins().items()}


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_the_installed_version_is_the_registers(name: str) -> None:
    assert importlib.metadata.version(name) == ENTRIES[name]["version"]


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_the_pinned_version_is_the_registers(name: str) -> None:
    assert pinned().get(canonical(name)) == ENTRIES[name]["version"]


def test_every_pin_is_installed_at_its_version() -> None:
    """A pin nothing installs (constraints.txt once held five) would be a register entry about nothing."""
    installed = {}
    for name in pinned():
        try:
            installed[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed[name] = None
    assert installed == pinned()


def test_every_direct_pin_and_every_package_the_issue_names_has_an_entry() -> None:
    direct = set()
    for requirements in ("requirements.txt", "requirements-nodeps.txt"):
        for line in (ROOT / requirements).read_text().splitlines():
            if "==" in line and not line.lstrip().startswith("#"):
                direct.add(canonical(line.split("==")[0]))
    assert direct | NAMED <= {canonical(name) for name in ENTRIES}


def test_every_advisory_names_where_it_was_read() -> None:
    for package in REGISTER["packages"]:
        for advisory in package["advisories"]:
            assert advisory["source"].startswith("https://"), (package["name"], advisory["id"])


def test_the_advisory_page_is_written_from_the_register() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: .venv/bin/python -m scripts.advisories_doc"
