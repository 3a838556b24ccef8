#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Debian's chromium for the
# browser tests. Idempotent; skips apt when chromium is already there.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
