"""ROUGE of a checkpoint on the first rows of a prepared val.jsonl, next to lead-3, merged into a metrics.json.

Split from train.py so that a GPU run can pack its weights first and evaluate afterwards under a time limit
(`timeout` in gpu_run.sh): a slow evaluation then costs the ROUGE line, never the trained weights.

    python3 -m training.evaluate --checkpoint /tmp/run/checkpoint.pt --data training/data/base \
        --metrics $OUT/metrics.json --rows 100 --beams 4 --min-length 40 --max-length 120 --no-repeat 3
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import data as D
from .train import TrainConfig, evaluate, load_checkpoint_model, pick_device


def main(argv=None):
    import sentencepiece as spm

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True, help=".pt checkpoint, packed directory or bundle")
    ap.add_argument("--data", type=Path, required=True, help="prepared directory holding val.jsonl and tokenizer.model")
    ap.add_argument("--metrics", type=Path, required=True, help="metrics.json to update (created if missing)")
    ap.add_argument("--rows", type=int, default=100)
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--min-length", type=int, default=8)
    ap.add_argument("--max-length", type=int, default=48)
    ap.add_argument("--no-repeat", type=int, default=3)
    ap.add_argument("--device", default="auto")
    a = ap.parse_args(argv)
    if a.rows < 1:
        raise SystemExit(f"--rows must be >= 1, got {a.rows}")
    for path in (a.data / "val.jsonl", a.data / "tokenizer.model"):
        if not path.is_file():
            raise SystemExit(f"{path} not found (stage it with training.prepare)")

    device = pick_device(a.device)
    model = load_checkpoint_model(a.checkpoint, device)
    sp = spm.SentencePieceProcessor(model_file=str(a.data / "tokenizer.model"))
    rows = list(D.read_jsonl(a.data / "val.jsonl", a.rows))
    tc = TrainConfig(eval_rows=len(rows), eval_beams=a.beams, eval_min_length=a.min_length,
                     eval_max_length=a.max_length, eval_no_repeat=a.no_repeat)
    result = evaluate(model, sp, rows, tc, device)
    metrics = json.loads(a.metrics.read_text()) if a.metrics.is_file() else {}
    metrics.update(result)
    a.metrics.write_text(json.dumps(metrics, indent=1))
    print(f"updated {a.metrics}")


if __name__ == "__main__":
    main()
