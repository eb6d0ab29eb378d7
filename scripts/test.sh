#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian/Ubuntu machine, then run it all:
# Debian packages openssh-server and postgresql when missing, the `test` extra into this
# clone's virtual environment (.venv, made when missing), then lint, types and pytest.
# Usage: bash scripts/test.sh [pytest args]   (e.g. -m "not slow" for a quick local run)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

need_apt=()
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
# The web console's browser tests drive Debian's Chromium through Playwright; a browser
# build of Playwright's own is never downloaded (`playwright install` is not run).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if ! command -v pg_config >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  apt_install "${need_apt[@]}"
fi

"$PY" -m pip install --quiet --disable-pip-version-check -e '.[test]'
# What pytest does not see: lint, formatting, types (a missing function fails here first).
"$PY" -m ruff check .
"$PY" -m ruff format --check .
"$PY" -m mypy
# Two test processes on two cores (pytest-xdist): many tests wait on a server, a browser or
# a clock rather than compute. At most four, as each process starts its own servers. Work
# stealing: a process that runs out takes the other's queued tests, which would otherwise wait
# behind the one long fresh-clone test. A later option wins: `-n 0` runs them in one process.
workers=$(nproc 2>/dev/null || echo 2)
if (( workers > 4 )); then workers=4; fi
exec "$PY" -m pytest -n "$workers" --dist worksteal "$@"
