"""Saves an UNTRAINED model of a training/model.py preset (seeded random init) in train.py's checkpoint format.

Latency depends on the model's sizes and on how many tokens are generated, not on what the weights learnt, so this
lets the benchmarks measure the shipped model size before a trained model exists (benchmarks/RESULTS-base-size.md):

    PYTHONPATH=. /usr/bin/python3 benchmarks/make_untrained_checkpoint.py --preset base \
        --out training/out/base-untrained-ckpt/checkpoint.pt
"""
import argparse
from dataclasses import asdict
from pathlib import Path

import torch

from training.model import PRESETS, ModelConfig, Summarizer
from training.train import TrainConfig, seed_everything


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="base")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=TrainConfig().seed)
    a = ap.parse_args()
    tc = TrainConfig(seed=a.seed)
    seed_everything(tc.seed)
    cfg = ModelConfig(**PRESETS[a.preset].to_dict())
    model = Summarizer(cfg).eval()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    # The keys export.py reads (model_card); step 0 and the phase name say plainly that nothing was trained.
    torch.save({"model_config": cfg.to_dict(), "train_config": asdict(tc), "model": model.state_dict(),
                "step": 0, "epoch": 0, "minutes": 0.0,
                "phases": [{"train_file": "none (untrained)", "steps": 0, "minutes": 0.0}],
                "torch_version": torch.__version__, "device": "cpu"}, a.out)
    print(f"{model.num_parameters():,} parameters (untrained, seed {tc.seed}) -> {a.out}")


if __name__ == "__main__":
    main()
