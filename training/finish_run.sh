#!/usr/bin/env bash
# After a gpu_run.sh device call, here on CPU: packed weights -> bundle -> C# Eval CLI ROUGE -> lines for RUNS.md.
# Usage and options: bash training/finish_run.sh --help   (README.md "The real model on the GPU machine")
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash training/finish_run.sh RETURNED_DIR NAME [options]     (run from the repository root)

  RETURNED_DIR        the folder the device call returned (files_at): checkpoint.json, model.safetensors.partNN,
                      metrics.json, log.txt, console.log
  NAME                the model's name (config.json "name")
  --dest DIR          bundle directory (default models/NAME)
  --rows N            validation rows for the C# Eval CLI (default 1000; 0 = skip the evaluation)
  --data FILE         evaluation rows (default ../shared/data/cnndm/val.jsonl.xz)
  --tokenizer FILE    the tokenizer the run was trained with (default training/data/base/tokenizer.model)
  --keep-benchmark-onnx   keep decoder.onnx + cross_kv.onnx (benchmarks only; ~56 MB for base: they break the
                      100 MB budget of models/, so they are dropped by default and removed from config.json)
  -h, --help          this text

Decoding defaults written into config.json (environment): NUM_BEAMS [4] MIN_LENGTH [40] MAX_LENGTH [120]
NO_REPEAT [3] LENGTH_PENALTY [1.0] EARLY_STOPPING [false].  Others: PY [/usr/bin/python3],
ARTIFACTS [/tmp/build-finish-run] (dotnet --artifacts-path), MODELS_LIMIT_BYTES [100000000].
Also written: training/out/NAME-packed/ (a copy of the packed weights: `--init` for the next GPU run) and
training/out/NAME-eval/ (predictions.jsonl, report.txt). The bundle itself is resumable too: train.py --init DEST
rebuilds its weights from encoder.onnx + decoder.safetensors (training/README.md "Resuming and continuing").
EOF
}

die() { echo "finish_run: error: $*" >&2; exit 2; }

IN=""; NAME=""; DEST=""; ROWS=1000; DATA=../shared/data/cnndm/val.jsonl.xz
TOKENIZER=training/data/base/tokenizer.model; KEEP_ONNX=0
NUM_BEAMS=${NUM_BEAMS:-4}; MIN_LENGTH=${MIN_LENGTH:-40}; MAX_LENGTH=${MAX_LENGTH:-120}; NO_REPEAT=${NO_REPEAT:-3}
LENGTH_PENALTY=${LENGTH_PENALTY:-1.0}; EARLY_STOPPING=${EARLY_STOPPING:-false}
PY=${PY:-/usr/bin/python3}; ARTIFACTS=${ARTIFACTS:-/tmp/build-finish-run}; MODELS_LIMIT_BYTES=${MODELS_LIMIT_BYTES:-100000000}

positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --keep-benchmark-onnx) KEEP_ONNX=1; shift ;;
    --dest|--rows|--data|--tokenizer)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in --dest) DEST=$2 ;; --rows) ROWS=$2 ;; --data) DATA=$2 ;; --tokenizer) TOKENIZER=$2 ;; esac
      shift 2 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -eq 2 ] || die "expected RETURNED_DIR and NAME (see --help)"
IN=${positional[0]}; NAME=${positional[1]}
[[ "$NAME" =~ ^[A-Za-z0-9._-]+$ ]] || die "NAME must be letters, digits, '.', '_' or '-', got '$NAME'"
[[ "$ROWS" =~ ^[0-9]+$ ]] || die "--rows must be a whole number, got '$ROWS'"
DEST=${DEST:-models/$NAME}
[ -f "$IN/checkpoint.json" ] || die "$IN/checkpoint.json missing: not a packed directory from gpu_run.sh"
ls "$IN"/model.safetensors* >/dev/null 2>&1 || die "no model.safetensors(.partNN) in $IN"
[ -f "$TOKENIZER" ] || die "tokenizer $TOKENIZER not found"
[ "$ROWS" -eq 0 ] || [ -f "$DATA" ] || die "evaluation data $DATA not found"
METRICS=()
[ -f "$IN/metrics.json" ] && METRICS=(--metrics "$IN/metrics.json") || echo "finish_run: WARNING: no metrics.json in $IN" >&2

t_start=$(date +%s)
stamp() { echo "=== [$(( $(date +%s) - t_start ))s] $*"; }

PACKED=training/out/$NAME-packed
stamp "keeping the packed weights in $PACKED (git-ignored; --init for the next GPU run)"
if [ "$(realpath -m "$IN")" != "$(realpath -m "$PACKED")" ]; then
  rm -rf "$PACKED"; mkdir -p "$PACKED"; cp "$IN"/* "$PACKED"/; chmod -R u+w "$PACKED"
fi

stamp "exporting $DEST (fp16 decoder weights)"
rm -rf "$DEST"
"$PY" -m training.export --checkpoint "$PACKED" --tokenizer "$TOKENIZER" "${METRICS[@]}" --out "$DEST" \
    --name "$NAME" --fp16 --num-beams "$NUM_BEAMS" --min-length "$MIN_LENGTH" --max-length "$MAX_LENGTH" \
    --no-repeat-ngram-size "$NO_REPEAT" --length-penalty "$LENGTH_PENALTY" --early-stopping "$EARLY_STOPPING"
if [ "$KEEP_ONNX" = 0 ]; then
  # The C# service reads only tokenizer, encoder and decoder_weights (src/Inference/Bundle/BundleConfig.cs).
  rm -f "$DEST/decoder.onnx" "$DEST/cross_kv.onnx"
  "$PY" - "$DEST/config.json" <<'PYEOF'
import json, sys
path = sys.argv[1]
card = json.load(open(path))
for key in ("decoder_step", "cross_kv"):
    card["files"].pop(key, None)
open(path, "w").write(json.dumps(card, indent=2) + "\n")
PYEOF
fi
ls -l "$DEST"
bundle_bytes=$(du -sb "$DEST" | cut -f1)
echo "bundle: $bundle_bytes bytes (limit $MODELS_LIMIT_BYTES)"
[ "$bundle_bytes" -le "$MODELS_LIMIT_BYTES" ] || die "$DEST is $bundle_bytes bytes, over $MODELS_LIMIT_BYTES"
case "$(realpath -m "$DEST")" in
  "$(realpath -m models)"/*)
    models_bytes=$(du -sb models | cut -f1)
    echo "models/: $models_bytes bytes (limit $MODELS_LIMIT_BYTES)"
    [ "$models_bytes" -le "$MODELS_LIMIT_BYTES" ] || die "models/ is $models_bytes bytes, over $MODELS_LIMIT_BYTES" ;;
esac

EVALDIR=training/out/$NAME-eval
REPORT=""
if [ "$ROWS" -gt 0 ]; then
  mkdir -p "$EVALDIR"
  stamp "C# Eval CLI on $ROWS rows of $DATA (about 1 s per row on this CPU for the base model)"
  dotnet build -c Release src/Eval --artifacts-path "$ARTIFACTS" -v quiet -nologo
  t_eval=$(date +%s)
  dotnet run -c Release --no-build --project src/Eval --artifacts-path "$ARTIFACTS" -- \
      --model "$DEST" --data "$DATA" --rows "$ROWS" --out "$EVALDIR/predictions.jsonl" | tee "$EVALDIR/report.txt"
  eval_s=$(( $(date +%s) - t_eval ))
  echo "eval took ${eval_s}s" | tee -a "$EVALDIR/report.txt"
  REPORT=$(cat "$EVALDIR/report.txt")
  # The model card (config.json) records the C# service's own scores next to lead-3 on the same rows.
  "$PY" - "$DEST/config.json" "$EVALDIR/report.txt" "$DATA" "$ROWS" "$eval_s" <<'PYEOF'
import json, re, sys
path, report_path, data, rows, seconds = sys.argv[1:6]
report = open(report_path).read()
def row(label):
    m = re.search(rf"^{re.escape(label)}\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*$", report, re.M)
    if not m:
        sys.exit(f"finish_run: error: no '{label}' row in the Eval CLI report {report_path}")
    return dict(zip(("rouge1", "rouge2", "rougeLsum"), map(float, m.groups())))
first = report.splitlines()[0]
card = json.load(open(path))
card["metrics"]["eval_cli"] = {"tool": "src/Eval (the C# service's Summarize path)", "data": re.sub(r"^.*shared/data/", "", data),
                               "rows": int(first.split()[0]), "model": row("model"), "lead3": row("lead-3"),
                               "decoding": card["decoding"], "cpu_seconds_wall": int(seconds)}
open(path, "w").write(json.dumps(card, indent=2) + "\n")
print(f"config.json metrics.eval_cli: {card['metrics']['eval_cli']}")
PYEOF
fi

case "$(realpath -m "$DEST")" in
  "$(realpath -m models)"/*)
    git check-ignore -q "$DEST/config.json" 2>/dev/null || echo "finish_run: NOTE: $DEST (untracked, not ignored) now" \
      "travels with every device call and the 64 MiB limit refuses it: before another call run" \
      "\`echo /models/ >> .git/info/exclude\` (and remove that line before committing the bundle)." >&2 ;;
esac
stamp "done. Paste into training/RUNS.md (fill in the device minutes the tool reported):"
"$PY" - "$DEST/config.json" "$IN" "$REPORT" <<'PYEOF'
import json, sys
card, src, report = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
t, m, d = card["training"], card["metrics"], card["decoding"]
print(f"\n### {card['name']} — GPU run (date: fill in)")
try:
    header = next(l for l in open(f"{src}/console.log") if "gpu_run:" in l).split("gpu_run:", 1)[1].strip()
except (OSError, StopIteration):
    header = "(no console.log)"
print(f"* Command: device call `bash training/gpu_run.sh …` ({header}), then "
      f"`bash training/finish_run.sh {src} {card['name']}`.")
print(f"* Model: {card['parameters']:,} parameters {card['model']}; weights {card['weights_dtype']}.")
print(f"* Data: {', '.join(x['name'] for x in t['data'])} ({'; '.join(t['licences'])}); {t.get('train_rows')} cnndm pairs.")
for p in t["phases"]:
    print(f"* Phase: {p.get('train_file')} {p.get('rows')} rows, {p.get('steps')} steps, {p.get('minutes')} min on "
          f"{p.get('device')} (torch {p.get('torch')}), init {p.get('init')}")
print(f"* Total: {t['steps']} steps, {t['minutes']} training minutes; GPU minutes (device time of the call): FILL IN.")
vl = m.get("val_loss")
print(f"* Validation loss: {vl if vl is None else round(vl, 4)} on {m.get('val_loss_rows')} rows (per target token).")
if m.get("rouge"):
    r, l = m["rouge"], m["lead3"]
    print(f"* Python check ({m.get('rows')} rows, {m.get('decoding')}): model {r.get('rouge1')} / {r.get('rouge2')} / "
          f"{r.get('rougeLsum')} — lead-3 {l.get('rouge1')} / {l.get('rouge2')} / {l.get('rougeLsum')}.")
print(f"* Decoding (config.json): {d}.")
if report:
    e = m["eval_cli"]
    print(f"* C# Eval CLI ({e['rows']} rows of {e['data']}): model {e['model']['rouge1']} / {e['model']['rouge2']} / "
          f"{e['model']['rougeLsum']} — lead-3 {e['lead3']['rouge1']} / {e['lead3']['rouge2']} / {e['lead3']['rougeLsum']} "
          f"({e['cpu_seconds_wall']} s here):\n```\n" + report.strip() + "\n```")
PYEOF
