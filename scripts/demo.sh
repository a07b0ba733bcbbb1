#!/usr/bin/env bash
# Sets up, then runs the main job on the embedded default over sample_scans/ (writes out/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/digitize run sample_scans/ --out out/ "$@"
