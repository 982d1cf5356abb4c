"""scripts/train.py retrains exactly when something that shapes the model changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts import train

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("config.yml", "constraints.txt", "requirements-nodeps.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "domain", tmp_path / "domain")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "components", tmp_path / "components", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(train, "ROOT", tmp_path)
    return tmp_path


def test_fingerprint_is_stable_and_changes_with_data_config_or_component_code(project: Path) -> None:
    config = project / "config.yml"
    first = train.fingerprint(config)
    assert train.fingerprint(config) == first
    for path in (
        project / "data" / "nlu" / "en" / "booking.yml",
        project / "config.yml",
        project / "components" / "intent_classifier.py",
    ):
        original = path.read_text()
        path.write_text(original + "\n# changed\n")
        assert train.fingerprint(config) != first, path
        path.write_text(original)
    assert train.fingerprint(config) == first
