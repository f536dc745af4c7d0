#!/usr/bin/env bash
# Set up, ingest the shipped corpus and serve the API and web page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
policykg ingest corpus
exec policykg serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
