#!/usr/bin/env bash
# Install everything the tests need on a Debian/Ubuntu machine, then run all three test layers.
set -euo pipefail
cd "$(dirname "$0")/.."
# Chromium for the browser tests; redis-server and nginx for the lecture-hall tests (started by the tests themselves)
if [ ! -x /usr/bin/chromium ] || ! command -v redis-server >/dev/null || [ ! -x /usr/sbin/nginx ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk redis-server nginx >/dev/null
fi
python3 -m pip install -q -r requirements-dev.txt
python3 -m ruff check .  # lint first: ruff.toml has the rules and the 120-character line length
# pytest exits 5 when it collected no tests; set -e turns that (and any failure) into a failed run.
python3 -m pytest "$@"
