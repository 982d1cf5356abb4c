"""Only an archive our training made is served: its sha256 is recorded at training and checked at the start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

from scripts import train
from serve import model_integrity
from serve.run import free_port, preflight

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = b"\x1f\x8b a stand-in for a trained model archive"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    model = tmp_path / "assistant.tar.gz"
    model.write_bytes(ARCHIVE)
    model_integrity.record(model)
    return model


def test_the_record_is_sha256sums_line_beside_the_archive(archive: Path) -> None:
    line = (archive.parent / "assistant.sha256").read_text()
    assert line == f"{model_integrity.sha256(archive)}  assistant.tar.gz\n"


def test_an_archive_that_matches_its_record_may_be_served(archive: Path) -> None:
    assert model_integrity.problem(archive) is None


def test_an_archive_changed_after_training_is_refused(archive: Path) -> None:
    archive.write_bytes(ARCHIVE + b"\0")
    assert "does not match the sha256 recorded" in (model_integrity.problem(archive) or "")


def test_an_archive_without_a_record_is_refused(archive: Path) -> None:
    model_integrity.record_path(archive).unlink()
    assert "has no recorded sha256" in (model_integrity.problem(archive) or "")


def test_the_check_on_its_own_fails_for_a_changed_archive_and_passes_a_matching_one(archive: Path) -> None:
    """What `make shell` runs before `rasa shell` loads the model."""
    check = [sys.executable, "-m", "serve.model_integrity", str(archive)]
    assert subprocess.run(check, cwd=ROOT, capture_output=True).returncode == 0
    archive.write_bytes(b"someone else's archive")
    refused = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 1 and "does not match" in refused.stderr


def test_run_refuses_to_start_a_rasa_server_on_a_tampered_archive(archive: Path) -> None:
    env = {"RASA_MODEL": str(archive), "RASA_PORT": str(free_port()), "ACTION_HOST": "127.0.0.1"}
    archive.write_bytes(b"someone else's archive")
    assert "Refusing to serve it" in (preflight(env, ["rasa"]) or "")


@pytest.fixture
def fake_rasa_train(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> List[Any]:
    """scripts/train.py with models/ in tmp_path and `rasa train` writing a stand-in archive."""
    calls: List[Any] = []
    monkeypatch.setattr(train, "ROOT", tmp_path)
    monkeypatch.setattr(train, "MODELS", tmp_path)
    monkeypatch.setattr(train, "fingerprint", lambda config: "the same inputs")

    def rasa_train(command: List[str], **kwargs: Any) -> subprocess.CompletedProcess:
        calls.append(command)
        (tmp_path / "assistant.tar.gz").write_bytes(ARCHIVE)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(train.subprocess, "run", rasa_train)
    return calls


def test_training_records_the_archive_and_retrains_one_that_no_longer_matches(
    fake_rasa_train: List[Any], tmp_path: Path
) -> None:
    model = tmp_path / "assistant.tar.gz"
    assert train.train(tmp_path / "config.yml", "assistant") == 0
    assert model_integrity.problem(model) is None and len(fake_rasa_train) == 1
    assert train.train(tmp_path / "config.yml", "assistant") == 0
    assert len(fake_rasa_train) == 1  # up to date: not trained again
    model.write_bytes(b"replaced")
    assert train.train(tmp_path / "config.yml", "assistant") == 0
    assert len(fake_rasa_train) == 2 and model_integrity.problem(model) is None
