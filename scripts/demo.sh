#!/usr/bin/env bash
# The quickstart: a virtual environment (.venv), the gateway installed in it, and the demo
# run on the embedded SQLite database: sample orders in, orders and replies out.
# Usage: bash scripts/demo.sh [DIR]   (default: demo-workspace, made anew)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

"$PY" -m pip install --quiet --disable-pip-version-check -e .
"$PY" -m gateway demo "${1:-demo-workspace}"
echo
echo "order-gateway is installed in .venv: \`. .venv/bin/activate\` puts it on your PATH"
