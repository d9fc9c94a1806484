"""Pack a training checkpoint into a small, transferable weights directory, and back.

A GPU machine returns at most 8 files of 16 MiB: a 20M-parameter checkpoint with optimizer state is ~240 MB,
but its weights in fp16 are ~40 MB. `pack` writes

    checkpoint.json        model_config, train_config, phases, step, minutes, device, torch version
    model.safetensors      every parameter (fp16 or fp32), split into model.safetensors.partNN if over --part-mb

train.py --init DIR and export.py --checkpoint DIR read such a directory directly (parts are joined in memory).
Optimizer state is not packed: a later run continues from the weights with a fresh optimizer (short warmup).

    python3 -m training.pack --checkpoint training/runs/base/checkpoint.pt --out $OUT/base --fp16
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from . import safetensors_io

META_KEYS = ("model_config", "train_config", "phases", "step", "minutes", "device", "torch_version", "history")


def pack(ck: dict, out: Path, fp16: bool = False, part_mb: float = 15.0) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu().float().numpy() for k, v in ck["model"].items()}
    if fp16:
        tensors = {k: v.astype(np.float16) for k, v in tensors.items()}
    path = out / "model.safetensors"
    safetensors_io.save(tensors, path, {"format": "pt"})
    (out / "checkpoint.json").write_text(json.dumps({k: ck.get(k) for k in META_KEYS}, indent=1, default=str))
    written = [out / "checkpoint.json"]
    limit = int(part_mb * 1024 * 1024)
    data = path.read_bytes()
    if len(data) > limit:
        path.unlink()
        for i in range(0, len(data), limit):
            part = out / f"model.safetensors.part{i // limit:02d}"
            part.write_bytes(data[i:i + limit])
            written.append(part)
    else:
        written.append(path)
    return written


def weights_bytes(directory: Path) -> bytes:
    """model.safetensors of a packed directory, joining .partNN files in memory (the directory may be read-only)."""
    path = directory / "model.safetensors"
    if path.is_file():
        return path.read_bytes()
    parts = sorted(directory.glob("model.safetensors.part*"))
    if not parts:
        raise FileNotFoundError(f"no model.safetensors (or parts) in {directory}")
    return b"".join(p.read_bytes() for p in parts)


def main(argv=None):
    from .train import read_checkpoint

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--fp16", action="store_true")
    ap.add_argument("--part-mb", type=float, default=15.0)
    a = ap.parse_args(argv)
    for p in pack(read_checkpoint(a.checkpoint), a.out, a.fp16, a.part_mb):
        print(f"{p} {p.stat().st_size:,} B")


if __name__ == "__main__":
    main()
