#!/usr/bin/env bash
# Install what the test suite needs: the package with its [test] extra, and Debian's
# chromium for the browser tests (playwright drives it; its own browser download does
# not work offline). Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e '.[test]'
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
