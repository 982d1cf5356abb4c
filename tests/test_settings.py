"""settings.py is the one list of environment variables: the docs are written from it, and no code reads past it."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import yaml

import settings
from scripts.configuration_doc import DOC, render
from serve.run import PORT_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"node_modules", "models", "var", "results"}
# Where the code builds a child process's environment from its own: the launchers.
COPIES_ALLOWED = {"serve/run.py", "scripts/servers.py"}
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def python_files() -> Iterator[Tuple[str, ast.AST]]:
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [name for name in dirs if not name.startswith(".") and name not in SKIPPED_DIRS]
        for name in files:
            if name.endswith(".py"):
                path = Path(folder) / name
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def is_environ(node: ast.AST) -> bool:
    """``os.environ``, or ``environ`` imported from os."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name)) or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def literal(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else "?"


def environment_reads(tree: ast.AST) -> List[Tuple[int, str, str]]:
    """(line, variable or "?", how) for every read of the environment; a setdefault for a library is no read."""
    reads, seen = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            getenv = (isinstance(func, ast.Attribute) and func.attr == "getenv") or (
                isinstance(func, ast.Name) and func.id == "getenv"
            )
            if getenv or (isinstance(func, ast.Attribute) and is_environ(func.value) and func.attr in ("get", "pop")):
                reads.append((node.lineno, literal(node.args[0]) if node.args else "?", "get"))
                seen.add(id(func.value if isinstance(func, ast.Attribute) else func))
            elif isinstance(func, ast.Attribute) and is_environ(func.value) and func.attr == "setdefault":
                seen.add(id(func.value))
        elif isinstance(node, ast.Subscript) and is_environ(node.value) and isinstance(node.ctx, ast.Load):
            reads.append((node.lineno, literal(node.slice), "get"))
            seen.add(id(node.value))
    for node in ast.walk(tree):
        if is_environ(node) and id(node) not in seen and not isinstance(node, ast.Name):
            reads.append((node.lineno, "*", "copy"))
    return reads


def test_the_configuration_doc_is_written_from_settings() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: .venv/bin/python -m scripts.configuration_doc"


def test_only_settings_reads_the_environment_outside_the_tests() -> None:
    """The code takes every value from settings.get(); the launchers copy the environment whole for their children."""
    found = [
        f"{path}:{line} {name}"
        for path, tree in python_files()
        if path != "settings.py" and not path.startswith("tests/")
        for line, name, how in environment_reads(tree)
        if not (how == "copy" and path in COPIES_ALLOWED)
    ]
    assert found == []


def test_the_tests_read_only_declared_variables() -> None:
    found = [
        f"{path}:{line} {name}"
        for path, tree in python_files()
        if path.startswith("tests/")
        for line, name, how in environment_reads(tree)
        if how == "get" and name not in settings.SPECS
    ]
    assert found == []


def test_the_drift_check_sees_each_way_of_reading() -> None:
    tree = ast.parse(
        "import os\nfrom os import environ, getenv\n"
        "a = os.getenv('A')\nb = os.environ['B']\nc = os.environ.get('C', '')\nd = getenv('D')\n"
        "e = environ.get(name)\nf = dict(os.environ)\nos.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')\n"
    )
    assert sorted(environment_reads(tree)) == [
        (3, "A", "get"),
        (4, "B", "get"),
        (5, "C", "get"),
        (6, "D", "get"),
        (7, "?", "get"),
        (8, "*", "copy"),
    ]


def test_every_default_serve_run_fills_in_is_declared() -> None:
    tree = ast.parse((ROOT / "serve" / "run.py").read_text())
    names = [
        literal(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "default"
    ]
    named = [name for name in names if name != "?"]  # default(setting) for a port: PORT_SETTINGS, checked below
    assert named and [name for name in named if name not in settings.SPECS] == []
    assert all(settings.default(name) for name in named + list(PORT_SETTINGS.values()))


def test_every_placeholder_in_the_rasa_configuration_is_declared() -> None:
    configs = [ROOT / "credentials.yml", *sorted(ROOT.glob("endpoints*.yml"))]
    named = {
        name for config in configs for name in PLACEHOLDER.findall(yaml.safe_dump(yaml.safe_load(config.read_text())))
    }
    assert named and sorted(named - set(settings.SPECS)) == []


def test_secrets_have_no_default_and_stay_out_of_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    looks_secret = re.compile(r"TOKEN|SECRET|PASSWORD")
    secret = {name for name, spec in settings.SPECS.items() if spec.secret}
    assert {name for name in settings.SPECS if looks_secret.search(name)} <= secret
    assert [name for name in secret if settings.SPECS[name].default is not None] == []
    monkeypatch.setenv("SMTP_PASSWORD", "hunter2-in-the-environment")
    assert "hunter2" not in repr(settings.get())


def test_every_setting_has_a_group_a_type_and_a_one_line_meaning() -> None:
    for name, spec in settings.SPECS.items():
        assert spec.group in settings.GROUPS, name
        assert spec.meaning and "\n" not in spec.meaning and "|" not in spec.meaning, name
        assert settings.TYPES[name] in (
            "str",
            "Optional[str]",
            "int",
            "Optional[int]",
            "float",
            "bool",
            "Tuple[str, ...]",
        ), name


def test_monkeypatched_environment_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    before = settings.get()
    assert settings.get() is before  # read once
    monkeypatch.setenv("RASA_PORT", "7001")
    assert settings.get().RASA_PORT == 7001
    monkeypatch.delenv("RASA_PORT")
    assert settings.get().RASA_PORT == 5005


def test_values_are_parsed_as_the_code_parsed_them() -> None:
    unset = settings.read({})
    assert (unset.RASA_PORT, unset.DATABASE_URL, unset.RASA_URL, unset.RETENTION_DAYS) == (
        5005,
        "sqlite:///var/assistant.db",
        None,
        None,
    )
    assert unset.SMTP_STARTTLS is False and unset.MAX_REQUEST_BYTES == 256 * 1024
    given = settings.read(
        {
            "PUBLIC_BASE_URL": " https://assistant.example.com/ ",
            "RETENTION_DAYS": " 30 ",
            "SMTP_STARTTLS": "yes",
            "CONSOLE_SECURE_COOKIES": "1",
            "DATABASE_URL": "",
            "MAX_REQUEST_BYTES": " ",
        }
    )
    assert given.PUBLIC_BASE_URL == "https://assistant.example.com" and given.RETENTION_DAYS == 30
    assert given.SMTP_STARTTLS is False and given.CONSOLE_SECURE_COOKIES is True
    assert given.DATABASE_URL == "" and given.MAX_REQUEST_BYTES == 256 * 1024  # set but empty, as before
    assert settings.read({"PUBLIC_BASE_URL": " "}).PUBLIC_BASE_URL is None
    paging = settings.read({"ONCALL_PHONE": " +12035550123 ", "ONCALL_BACKUP_PHONE": ""})
    assert (paging.ONCALL_PHONE, paging.ONCALL_BACKUP_PHONE, paging.ONCALL_ACK_MINUTES) == ("+12035550123", None, 10)


def test_the_pages_allowed_to_chat_are_the_widget_servers_unless_allowed_origins_names_them() -> None:
    assert settings.read({}).browser_origins() == ("http://127.0.0.1:8080", "http://localhost:8080")
    assert settings.read({"HOST": "chat.example.com", "WIDGET_PORT": "80"}).browser_origins() == (
        "http://chat.example.com:80",
    )
    given = settings.read({"ALLOWED_ORIGINS": " https://www.example.com/ , https://example.com:8443"})
    assert given.browser_origins() == ("https://www.example.com", "https://example.com:8443")


@pytest.mark.parametrize(
    "origin",
    ["*", "https://*.example.com", "https://example.com/chat", "example.com", "https://ex ample.com", "ftp://x"],
)
def test_an_allowed_origin_that_is_a_pattern_a_path_or_no_origin_is_refused(origin: str) -> None:
    with pytest.raises(ValueError, match="ALLOWED_ORIGINS"):
        settings.read({"ALLOWED_ORIGINS": f"https://ok.example.com,{origin}"})


@pytest.mark.parametrize(
    "name, value", [("SMTP_PORT", "twenty-five"), ("MAX_REQUEST_BYTES", "lots"), ("ONCALL_PHONE", "203-555-0100")]
)
def test_a_malformed_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        settings.read({name: value})
