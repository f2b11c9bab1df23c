#!/usr/bin/env bash
# Install litmine with its development tools into ./.venv and run the whole test suite,
# slow tests included (real Prefect server, Dask cluster, headless Chromium, full corpora).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # the report test renders report.html in headless Chromium
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
    || echo "test.sh: chromium could not be installed; the report browser test will be skipped"
fi
.venv/bin/ruff check src tests flows scripts benchmarks
.venv/bin/python -m pytest -m "slow or not slow" "$@"
