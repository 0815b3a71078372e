#!/usr/bin/env bash
# System packages the test suite needs beyond Node and npm: Debian's chromium for the playground's browser
# tests (no test tool may download a browser). Installed only where missing, so local runs stay fast.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "ci: installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "ci: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get)" >&2
    exit 1
  fi
fi
