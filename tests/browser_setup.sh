#!/usr/bin/env bash
# Installs what tests/test_browser.py needs, idempotently: Debian's chromium (/usr/bin/chromium)
# and the Python playwright package in .venv, which drives that chromium. It never runs
# `playwright install`: no browser build is downloaded. Without them the browser test skips.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
chromium --version 2>/dev/null | sed -n 1p || true

PYTHON="${PYTHON:-.venv/bin/python}"
if ! "$PYTHON" -c "import playwright.sync_api" >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet "playwright>=1.45,<2"
fi
"$PYTHON" -c "from importlib.metadata import version; print('playwright', version('playwright'))"
