#!/usr/bin/env bash
# The Debian programs the tests drive, installed when missing:
#   chromium  headless browser for the widget and console tests (Playwright's
#             own browser download needs a CDN these machines cannot reach);
#   nginx     the load balancer in front of two Rasa instances (production profile).
# CHROMIUM=/path or NGINX=/path point at binaries installed some other way.
set -euo pipefail

missing=()
if ! { [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; } && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! { [ -n "${NGINX:-}" ] && [ -x "$NGINX" ]; } && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi
[ ${#missing[@]} -eq 0 ] && exit 0

install=(apt-get install -y -q --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian's ${missing[*]} for the tests"
  DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing Debian's ${missing[*]} for the tests (sudo)"
  sudo DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
else
  cat >&2 <<MSG
The tests need ${missing[*]}. Install (Debian/Ubuntu: \`sudo apt-get install ${missing[*]}\`)
or point CHROMIUM / NGINX at the binaries, then run \`make test\` again.
MSG
  exit 1
fi
# Debian starts the nginx service on install; the tests run their own nginx on free ports.
if [[ " ${missing[*]} " == *" nginx "* ]]; then
  (service nginx stop || nginx -s quit) >/dev/null 2>&1 || true
fi
