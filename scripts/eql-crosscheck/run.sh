#!/usr/bin/env bash
# Cross-check the EQL parser against the Python eql package, in a private venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${EQL_CROSSCHECK_VENV:-$here/.venv}"
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q eql==1.0.1; }
cd "$here/../.." && npx tsx scripts/eql-crosscheck/run.ts "$venv/bin/python"
