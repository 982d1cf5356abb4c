#!/usr/bin/env bash
# Headless Chromium for the browser tests (widget, staff console).
# Debian's chromium package is used because Playwright's own browser download
# (`playwright install`) needs a CDN these machines cannot reach.
set -euo pipefail

if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi

install=(apt-get install -y -q --no-install-recommends chromium)
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian's chromium for the browser tests"
  DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing Debian's chromium for the browser tests (sudo)"
  sudo DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
else
  cat >&2 <<'MSG'
The browser tests need Chromium. Install it (Debian/Ubuntu: `sudo apt-get install chromium`)
or point CHROMIUM at a Chromium binary, then run `make test` again.
MSG
  exit 1
fi
