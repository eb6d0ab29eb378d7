#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it all.
# Usage: bash scripts/test.sh [pytest args]   (e.g. -m "not slow" for a quick local run)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
# The web console's browser tests drive Debian's Chromium through Playwright; a browser
# build of Playwright's own is never downloaded (`playwright install` is not run).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if ! command -v pg_config >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
# What pytest does not see: lint, formatting, types (a missing function fails here first).
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
exec python3 -m pytest "$@"
