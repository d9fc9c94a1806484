#!/usr/bin/env bash
# One device-tool call: wiki pretraining -> cnndm fine-tuning -> packed fp16 weights + metrics + logs in $OUT.
# Weights are packed BEFORE the (time-limited) Python ROUGE check, so a slow evaluation never costs the model.
# Usage and options: bash training/gpu_run.sh --help   (README.md "The real model on the GPU machine")
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash training/gpu_run.sh [options]        (run from the repository root)

  --out DIR            where the packed weights, metrics.json and logs go (default $OUT; required)
  --data DIR           prepared data directory (default training/data/base)
  --preset NAME        model preset for a fresh model (default base; ignored with --init)
  --pretrain-min M     wiki pretraining minutes (default 1.0; 0 = skip)
  --train-min M        cnndm fine-tuning minutes (default 6.5)
  --eval-rows N        Python ROUGE check on the first N val.jsonl rows (default 100; 0 = skip)
  --eval-seconds S     time limit of that check (default 45); over it, the run goes on without ROUGE
  --init DIR           start from earlier weights (a packed dir from a previous run, or an exported bundle:
                       weights rebuilt from encoder.onnx + decoder.safetensors); implies --skip-pretrain
  --skip-pretrain      no wiki phase (same as --pretrain-min 0)
  --work DIR           scratch directory for checkpoints (default /tmp/gpu_run; emptied first)
  --max-total-min M    refuse to start if the planned minutes exceed this (default 9.3; the call limit is 10)
  -h, --help           this text

Training settings come from the environment (defaults in brackets): BATCH_TOKENS [65536] MAX_BATCH [256]
LR [1e-3] PRE_WARMUP [100] WARMUP [100] DROPOUT [0.1] LOG_EVERY [50] SEED [1234]
EVAL_BEAMS [4] EVAL_MIN [40] EVAL_MAX [120] EVAL_NO_REPEAT [3] PY [python3] PART_MB [15] (fp16 part size, MiB).
Every option also reads an environment variable of the same name in capitals (PRESET, PRETRAIN_MIN, TRAIN_MIN,
EVAL_ROWS, EVAL_SECONDS, INIT, SKIP_PRETRAIN=1, WORK, DATA, OUT, MAX_TOTAL_MIN); options win.
EOF
}

die() { echo "gpu_run: error: $*" >&2; exit 2; }

OUT=${OUT:-}; DATA=${DATA:-training/data/base}; PRESET=${PRESET:-base}
PRETRAIN_MIN=${PRETRAIN_MIN:-1.0}; TRAIN_MIN=${TRAIN_MIN:-6.5}
EVAL_ROWS=${EVAL_ROWS:-100}; EVAL_SECONDS=${EVAL_SECONDS:-45}
INIT=${INIT:-}; SKIP_PRETRAIN=${SKIP_PRETRAIN:-0}; WORK=${WORK:-/tmp/gpu_run}; MAX_TOTAL_MIN=${MAX_TOTAL_MIN:-9.3}
BATCH_TOKENS=${BATCH_TOKENS:-65536}; MAX_BATCH=${MAX_BATCH:-256}; LR=${LR:-1e-3}
PRE_WARMUP=${PRE_WARMUP:-100}; WARMUP=${WARMUP:-100}; DROPOUT=${DROPOUT:-0.1}; LOG_EVERY=${LOG_EVERY:-50}
SEED=${SEED:-1234}; EVAL_BEAMS=${EVAL_BEAMS:-4}; EVAL_MIN=${EVAL_MIN:-40}; EVAL_MAX=${EVAL_MAX:-120}
EVAL_NO_REPEAT=${EVAL_NO_REPEAT:-3}; PY=${PY:-python3}; PART_MB=${PART_MB:-15}

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --skip-pretrain) SKIP_PRETRAIN=1; shift; continue ;;
    --out|--data|--preset|--pretrain-min|--train-min|--eval-rows|--eval-seconds|--init|--work|--max-total-min)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in
        --out) OUT=$2 ;; --data) DATA=$2 ;; --preset) PRESET=$2 ;; --pretrain-min) PRETRAIN_MIN=$2 ;;
        --train-min) TRAIN_MIN=$2 ;; --eval-rows) EVAL_ROWS=$2 ;; --eval-seconds) EVAL_SECONDS=$2 ;;
        --init) INIT=$2 ;; --work) WORK=$2 ;; --max-total-min) MAX_TOTAL_MIN=$2 ;;
      esac
      shift 2 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

is_num() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }
[ -n "$OUT" ] || die "--out (or \$OUT) is required"
for v in PRETRAIN_MIN TRAIN_MIN EVAL_SECONDS MAX_TOTAL_MIN; do is_num "${!v}" || die "$v must be a number, got '${!v}'"; done
[[ "$EVAL_ROWS" =~ ^[0-9]+$ ]] || die "EVAL_ROWS must be a whole number, got '$EVAL_ROWS'"
awk "BEGIN{exit !($TRAIN_MIN > 0)}" || die "--train-min must be > 0"
if [ -n "$INIT" ] || [ "$SKIP_PRETRAIN" = 1 ]; then PRETRAIN_MIN=0; fi
[ -z "$INIT" ] || [ -e "$INIT" ] || die "--init $INIT does not exist"
need="tokenizer.model train.npz val.npz val.jsonl"
awk "BEGIN{exit !($PRETRAIN_MIN > 0)}" && need="$need wiki.npz"
for f in $need; do [ -f "$DATA/$f" ] || die "$DATA/$f missing (stage it with training.prepare and carry $DATA)"; done
# Planned wall clock: budgets + ~0.2 min per Python start (CUDA init, data load, val loss) + the eval limit.
eval_min=$(awk "BEGIN{print ($EVAL_ROWS > 0) ? $EVAL_SECONDS / 60 : 0}")
planned=$(awk "BEGIN{printf \"%.2f\", $PRETRAIN_MIN + $TRAIN_MIN + $eval_min + 0.2 * 4}")
awk "BEGIN{exit !($planned <= $MAX_TOTAL_MIN)}" || \
  die "planned ${planned} min (pretrain $PRETRAIN_MIN + train $TRAIN_MIN + eval $eval_min + ~0.8 overhead) > --max-total-min $MAX_TOTAL_MIN"

mkdir -p "$OUT"
exec > >(tee -a "$OUT/console.log") 2>&1
export PYTHONUNBUFFERED=1
t_start=$(date +%s)
stamp() { echo "=== [$(( $(date +%s) - t_start ))s] $*"; }
stamp "gpu_run: preset=${INIT:+(from --init)}${INIT:-$PRESET} data=$DATA pretrain=${PRETRAIN_MIN}m train=${TRAIN_MIN}m eval=${EVAL_ROWS} rows/${EVAL_SECONDS}s init=${INIT:-none} planned=${planned}m out=$OUT"
"$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  # On the GPU machine a silent CPU fallback would spend the whole call for nothing.
  "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" || \
    { echo "gpu_run: error: nvidia-smi is here but $PY's torch sees no CUDA device" >&2; exit 1; }
else
  echo "(no nvidia-smi: CPU run)"
fi
rm -rf "$WORK"; mkdir -p "$WORK"

common=(--data "$DATA" --batch-tokens "$BATCH_TOKENS" --max-batch "$MAX_BATCH" --lr "$LR" --dropout "$DROPOUT"
        --log-every "$LOG_EVERY" --seed "$SEED" --no-eval)
start=()
if [ -n "$INIT" ]; then
  start=(--init "$INIT")
elif awk "BEGIN{exit !($PRETRAIN_MIN > 0)}"; then
  stamp "pretraining on wiki.npz for $PRETRAIN_MIN min"
  "$PY" -m training.train "${common[@]}" --out "$WORK/pre" --preset "$PRESET" --train-file wiki.npz \
      --minutes "$PRETRAIN_MIN" --warmup-steps "$PRE_WARMUP"
  start=(--init "$WORK/pre/checkpoint.pt")
else
  start=(--preset "$PRESET")
fi

stamp "fine-tuning on train.npz for $TRAIN_MIN min (${start[*]})"
"$PY" -m training.train "${common[@]}" --out "$WORK/run" "${start[@]}" --train-file train.npz \
    --minutes "$TRAIN_MIN" --warmup-steps "$WARMUP"

stamp "packing fp16 weights into $OUT"
"$PY" -m training.pack --checkpoint "$WORK/run/checkpoint.pt" --out "$OUT" --fp16 --part-mb "$PART_MB"
cp "$WORK/run/metrics.json" "$OUT/metrics.json"
cat "$WORK"/pre/log.txt "$WORK/run/log.txt" > "$OUT/log.txt" 2>/dev/null || cp "$WORK/run/log.txt" "$OUT/log.txt"

if [ "$EVAL_ROWS" -gt 0 ]; then
  stamp "Python ROUGE check: $EVAL_ROWS rows, limit ${EVAL_SECONDS}s"
  if ! timeout "$EVAL_SECONDS" "$PY" -m training.evaluate --checkpoint "$WORK/run/checkpoint.pt" --data "$DATA" \
      --metrics "$OUT/metrics.json" --rows "$EVAL_ROWS" --beams "$EVAL_BEAMS" --min-length "$EVAL_MIN" \
      --max-length "$EVAL_MAX" --no-repeat "$EVAL_NO_REPEAT"; then
    echo "gpu_run: WARNING: the ROUGE check failed or ran past ${EVAL_SECONDS}s; weights and val loss are in $OUT" >&2
  fi
fi

stamp "done; files in $OUT:"
ls -l "$OUT"
n=$(find "$OUT" -type f | wc -l)
[ "$n" -le 8 ] || echo "gpu_run: WARNING: $n files in $OUT; only 8 come back" >&2
big=$(find "$OUT" -type f -size +16777215c)
[ -z "$big" ] || { echo "gpu_run: error: over 16 MiB, will not come back: $big" >&2; exit 1; }
