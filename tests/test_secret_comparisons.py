"""Every secret the project compares is compared in constant time (hmac.compare_digest), never with ``==``.

``==`` on strings stops at the first differing character, so how long a refusal takes tells a
caller how much of a guessed token was right. The check reads the syntax tree of the project's
Python (not its tests, whose assertions no caller can time) and reports ``==``, ``!=``, ``in`` and
``not in`` where a side is named like a secret. Three comparisons are not the project comparing a
secret: one with a literal (``token == ""`` tells nothing about the token), a SQLAlchemy
column (``table.c.token_hash == ...`` builds SQL: the database looks a row up by a hash), and a new
password looked up in the public list of common ones (``in common_passwords()``: the list is
public and the password is the caller's own).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, List

ROOT = Path(__file__).resolve().parent.parent
NOT_PROJECT = {".venv", "node_modules", "var", "models", "tests", ".git"}
SECRET = re.compile(r"(?:^|_)(?:token|secret|password|passwd|signature|digest|hmac|api_?key)s?(?:$|_)", re.IGNORECASE)
COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


def names(side: ast.expr) -> Iterator[str]:
    """The names a side of a comparison goes by: a variable, an attribute, a string key, a function called."""
    if isinstance(side, ast.Name):
        yield side.id
    elif isinstance(side, ast.Attribute):
        yield side.attr
    elif isinstance(side, ast.Subscript) and isinstance(side.slice, ast.Constant) and isinstance(side.slice.value, str):
        yield side.slice.value
    elif isinstance(side, ast.Call):
        yield from names(side.func)


def sql_column(side: ast.expr) -> bool:
    """``table.c.column``: SQLAlchemy turns a comparison with it into SQL."""
    return isinstance(side, ast.Attribute) and isinstance(side.value, ast.Attribute) and side.value.attr == "c"


def public_list(side: ast.expr) -> bool:
    """``common_passwords()``: the published list a new password must not be in."""
    return isinstance(side, ast.Call) and "common_passwords" in names(side)


def secret_comparisons(source: str, filename: str = "<source>") -> List[str]:
    """``file:line: code`` of each comparison of a secret that is not constant-time."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for operator, left, right in zip(node.ops, sides, sides[1:]):
            pair = (left, right)
            if not isinstance(operator, COMPARISONS) or any(isinstance(side, ast.Constant) for side in pair):
                continue
            if any(sql_column(side) or public_list(side) for side in pair):
                continue
            if any(SECRET.search(name) for side in pair for name in names(side)):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def project_python() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if not NOT_PROJECT.intersection(path.relative_to(ROOT).parts):
            yield path


def test_no_secret_in_the_project_is_compared_with_equality() -> None:
    found = [
        comparison
        for path in project_python()
        for comparison in secret_comparisons(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert found == [], "compare secrets with hmac.compare_digest:\n" + "\n".join(found)


def test_the_check_reads_the_servers_and_channels() -> None:
    checked = {str(path.relative_to(ROOT)) for path in project_python()}
    assert {"serve/rasa_server.py", "serve/action_server.py", "channels/socketio.py", "console/auth.py"} <= checked


def test_the_check_finds_a_secret_compared_with_equality() -> None:
    source = (
        "if sent_token == expected: pass\n"
        "ok = request.headers['X-Signature'] != signature\n"
        "ok = self.api_key == key\n"
        "ok = digest(body) == sent\n"
        "ok = provided in session_secrets\n"
    )
    assert [line.split(":")[1] for line in secret_comparisons(source)] == ["1", "2", "3", "4", "5"]


def test_the_check_lets_constant_time_literal_and_sql_comparisons_pass() -> None:
    source = (
        "ok = hmac.compare_digest(sent_token.encode(), expected.encode())\n"
        "if token == '' or token is None or password != None: pass\n"
        "query = select(sessions).where(sessions.c.token_hash == digest_of(token))\n"
        "same = len(tokens) == 3 and tokenizer == other\n"
        "common = password.lower() in common_passwords()\n"
    )
    assert secret_comparisons(source) == []
    assert secret_comparisons("leaked = password in stored_passwords\n") != []  # any other list still counts
