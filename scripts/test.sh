#!/usr/bin/env bash
# Set up with the test extras and run the whole test suite (slow and server tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
. .venv/bin/activate
export HF_HUB_OFFLINE=1
exec python -m pytest -q "$@"
