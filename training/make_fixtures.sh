#!/usr/bin/env bash
# Regenerates tests/fixtures/tiny: a tiny decoder (1 layer, d_ff 256, 256-id shortlist) over the real ArcticXs encoder,
# 60 CPU steps on the first 512 cached training rows, exported with parity fixtures from the cached validation rows, and a
# tiny sentence selector with its own.
# Needs the cache (training/encode, see training/README.md). Usage: training/make_fixtures.sh   (env: PYTHON, CACHE, OUT)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
CACHE="${CACHE:-$ROOT/training/data/cache/arcticxs-384}"
OUT="${FIXTURE_OUT:-$ROOT/tests/fixtures/tiny}"
WORK="$ROOT/training/runs/tiny-fixture"
cd "$ROOT"
rm -rf "$WORK"
"$PYTHON" -m training.train --cache "$CACHE" --out "$WORK" --preset tiny --steps 60 --minutes 30 --rows 512 \
    --batch-size 16 --lr 2e-3 --warmup 10 --dropout 0 --val-rows 32 --threads 1 --seed 1234
rm -rf "$OUT" && mkdir -p "$OUT"
"$PYTHON" -m training.export --checkpoint "$WORK/checkpoint.pt" --out "$OUT" --name tiny-arcticxs --fp16 \
    --data-note "tiny CPU fixture: 512 cnndm train rows, 60 steps; for tests only, its summaries are meaningless" \
    --num-beams 4 --max-length 24 --min-length 4 --no-repeat-ngram-size 3 \
    --parity-cache "$CACHE/val" --parity-cases 3 --parity-src-len 40 --parity-steps 12
ls -la "$OUT"
# The tiny selector (2 sentence positions, so the parity cases share the last one) and its parity fixtures; needs the
# sentence labels beside the cache (encode-cache --label-sentences, training/README.md).
SEL="$ROOT/training/runs/tiny-selector"
rm -rf "$SEL"
"$PYTHON" -m training.train_selector train --cache "$CACHE" --out "$SEL" --rows 512 --dev-rows 64 --epochs 2 \
    --d-model 64 --heads 2 --layers 2 --d-attn 32 --max-sentences 2 --threads 1 --warmup 10 --dropout 0 --seed 1234
"$PYTHON" -m training.train_selector parity --checkpoint "$SEL/selector.pt" --cache "$CACHE/val" --src-len 64 --count 2 \
    --out "$OUT/selector-parity.json"
"$PYTHON" -m training.train_selector export --checkpoint "$SEL/selector.pt" --out "$OUT" --fp16
# The ONNX Runtime step comparator's fixture (tests/fixtures/step-onnx, KBs): a random micro decoder and its step graphs,
# for the C# ORT-vs-native test; needs no data.
"$PYTHON" -m training.export_step_onnx --fixture "$ROOT/tests/fixtures/step-onnx"
