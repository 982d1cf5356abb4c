"""The action tests run the actions with the assistant's real domain, as the Rasa server sends it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk.types import DomainDict

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> DomainDict:
    """domain/ as a dict, the shape the Rasa server posts to the action server with every call."""
    return Domain.load(str(ROOT / "domain")).as_dict()
