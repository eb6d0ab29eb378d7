# Sourced by scripts/demo.sh and scripts/test.sh: this clone's own virtual environment.
#
# Makes .venv beside the sources when it is not there (Debian and Ubuntu refuse pip
# installs into their own Python: "externally-managed-environment"), installing Python
# and its venv module from the distribution's packages when they are missing, and sets
# PY to the environment's python. Needs Python >= 3.11 (Debian 12, Ubuntu 24.04 or later).

VENV="${ORDER_GATEWAY_VENV:-.venv}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  echo "installing Debian packages: $*" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v python3 >/dev/null 2>&1; then
  apt_install python3 python3-venv
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "order-gateway needs Python 3.11 or later; python3 is $(python3 --version 2>&1)" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
    # Debian and Ubuntu ship the venv module's pip in a package of its own.
    rm -rf "$VENV"
    apt_install python3-venv
    python3 -m venv "$VENV"
  fi
fi
PY="$VENV/bin/python"
