#!/usr/bin/env bash
# Install litmine into ./.venv and run it on the embedded seed article.
# Writes triples.csv, the reconciliation with the seed taxonomy and report.html to out/seed/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/litmine extract corpus/seed_article.txt --out-dir out/seed -o out/seed/triples.csv
echo "litmine: triples CSV: out/seed/triples.csv; open out/seed/report.html in a browser"
