"""Train the summarizer on a prepared data directory (see prepare.py) within a wall-clock budget.

    python3 -m training.train --data training/data/tiny --out training/runs/tiny --preset tiny --minutes 1

Resumable: `--resume CKPT` continues from a checkpoint (model, optimizer, schedule, data order and RNG state).
`--init CKPT` starts a new run from a checkpoint's weights only (e.g. the shipped bundle models/<name>, a packed
directory, or a pretraining checkpoint).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from . import data as D
from .model import PRESETS, ModelConfig, Summarizer


@dataclass
class TrainConfig:
    """Optimisation settings (saved in every checkpoint)."""
    lr: float = 1e-3
    min_lr_ratio: float = 0.1
    warmup_steps: int = 200
    weight_decay: float = 0.01
    beta2: float = 0.98
    grad_clip: float = 1.0
    dropout: float = 0.1
    label_smoothing: float = 0.0
    batch_tokens: int = 16384  # padded source tokens per batch (rows x longest source)
    max_batch: int = 64
    max_steps: int = 1000000
    minutes: float = 1.0  # wall-clock budget of this run (training only); also sets the LR schedule length
    schedule_steps: int = 0  # cosine decay length; 0 = estimate from the budget after the first steps
    seed: int = 1234
    log_every: int = 50
    ckpt_every: int = 500
    eval_rows: int = 100
    eval_beams: int = 4
    eval_min_length: int = 8
    eval_max_length: int = 48
    eval_no_repeat: int = 3
    train_file: str = "train.npz"


def pick_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def seed_everything(seed: int):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def lr_at(step: int, tc: TrainConfig, total: int) -> float:
    """Linear warmup, then cosine decay to min_lr_ratio * lr at `total` steps."""
    if step < tc.warmup_steps:
        return tc.lr * (step + 1) / tc.warmup_steps
    progress = min(1.0, (step - tc.warmup_steps) / max(1, total - tc.warmup_steps))
    return tc.lr * (tc.min_lr_ratio + (1 - tc.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def make_optimizer(model: Summarizer, tc: TrainConfig):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and "pos" not in name else no_decay).append(p)
    groups = [{"params": decay, "weight_decay": tc.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=tc.lr, betas=(0.9, tc.beta2), eps=1e-8)


def autocast(device: torch.device):
    """bf16 autocast on CUDA; a no-op elsewhere (CPU training stays fp32 and deterministic)."""
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return torch.autocast(device_type="cpu", enabled=False)


def loss_fn(log_probs: torch.Tensor, tgt_out: torch.Tensor, pad_id: int, smoothing: float = 0.0):
    """Mean NLL over non-pad target tokens; log_probs (B, T, V) of the copy-mixed distribution."""
    mask = tgt_out != pad_id
    nll = -log_probs.gather(-1, tgt_out[..., None]).squeeze(-1)
    if smoothing > 0:
        nll = (1 - smoothing) * nll - smoothing * log_probs.mean(-1)
    return (nll * mask).sum() / mask.sum().clamp_min(1)


def to_device(arrays, device):
    return [torch.from_numpy(a).pin_memory().to(device, non_blocking=True) if device.type == "cuda"
            else torch.from_numpy(a) for a in arrays]


class Trainer:
    """Owns model, optimizer and data order; `state_dict` captures everything needed to resume exactly."""

    def __init__(self, cfg: ModelConfig, tc: TrainConfig, data_path: Path, device: torch.device, log=print):
        self.cfg, self.tc, self.device, self.log = cfg, tc, device, log
        self.data_path = Path(data_path)
        seed_everything(tc.seed)
        self.model = Summarizer(cfg, dropout=tc.dropout).to(device)
        self.opt = make_optimizer(self.model, tc)
        self.train = D.TokenizedSet.load(self.data_path / tc.train_file)
        self.step = 0
        self.epoch = 0
        self.batch_in_epoch = 0
        self.minutes = 0.0  # training minutes over all resumed runs
        self.total_steps = tc.schedule_steps or 0
        self.history: list[dict] = []
        self.phases: list[dict] = []  # one entry per invocation, carried through --init and --resume
        self._order = None  # (epoch, batches) cache

    def epoch_order(self, epoch: int) -> list[np.ndarray]:
        """The batches of an epoch: a pure function of (seed, epoch), so a resumed run sees the same order."""
        if self._order is None or self._order[0] != epoch:
            rng = np.random.default_rng(self.tc.seed + 1000 * epoch)
            self._order = (epoch, D.bucketed_batches(self.train.src_len(), self.tc.batch_tokens, self.tc.max_batch, rng))
        return self._order[1]

    def batch_at(self, epoch: int, index: int):
        """The batch at a data cursor and the cursor after it."""
        order = self.epoch_order(epoch)
        if index >= len(order):
            epoch, index = epoch + 1, 0
            order = self.epoch_order(epoch)
        batch = D.collate(self.train, order[index], self.cfg.bos_id, self.cfg.pad_id)
        return batch, (epoch, index + 1)

    def train_step(self, batch, lr: float) -> torch.Tensor:
        """One optimizer step; returns the loss tensor without synchronising (call .item() later)."""
        src, mask, tgt_in, tgt_out = to_device(batch, self.device)
        for g in self.opt.param_groups:
            g["lr"] = lr
        self.model.train()
        with autocast(self.device):
            log_probs, _, _ = self.model(src, mask, tgt_in)
        loss = loss_fn(log_probs.float(), tgt_out, self.cfg.pad_id, self.tc.label_smoothing)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        if self.tc.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.tc.grad_clip)
        self.opt.step()
        return loss.detach()

    def run(self, steps: int | None = None, minutes: float | None = None, ckpt_path: Path | None = None):
        """Trains until `steps` more steps, the wall-clock budget, or tc.max_steps; returns steps done.
        The data cursor (epoch, batch_in_epoch) always names the next batch to train on."""
        budget_s = 60.0 * (minutes if minutes is not None else self.tc.minutes)
        t0, start_minutes = time.time(), self.minutes
        done, loss_sum, loss_n, tokens = 0, 0.0, 0, 0
        if self.total_steps == 0 and steps is not None:
            self.total_steps = self.step + steps  # a fixed-step run decays over exactly its steps
        nxt = self.batch_at(self.epoch, self.batch_in_epoch)
        while self.step < self.tc.max_steps and (steps is None or done < steps):
            elapsed = time.time() - t0
            if steps is None and elapsed >= budget_s:
                break
            if self.total_steps == 0 and steps is None:
                # Cosine schedule length from the speed of steps 20..70 (after CUDA warm-up) and the budget left.
                if done == 20:
                    mark = time.time()
                elif done == 70:
                    per_step = (time.time() - mark) / 50
                    self.total_steps = self.step + int((budget_s - elapsed) / per_step)
                    self.log(f"schedule: {self.total_steps} steps ({per_step * 1000:.0f} ms/step)")
            total = self.total_steps or max(self.step + 1000, self.tc.warmup_steps * 10)
            batch, (self.epoch, self.batch_in_epoch) = nxt
            lr = lr_at(self.step, self.tc, total)
            loss_t = self.train_step(batch, lr)
            nxt = self.batch_at(self.epoch, self.batch_in_epoch)  # built on CPU while the GPU works
            loss = loss_t.item()
            self.step += 1
            done += 1
            loss_sum, loss_n = loss_sum + loss, loss_n + 1
            tokens += int(batch[3].astype(bool).sum())
            if self.step % self.tc.log_every == 0:
                el = time.time() - t0
                self.log(f"step {self.step} epoch {self.epoch} loss {loss_sum / loss_n:.4f} lr {lr:.2e} "
                         f"tgt_tok/s {tokens / max(el, 1e-9):.0f} elapsed {el / 60:.2f}m")
                self.history.append({"step": self.step, "loss": round(loss_sum / loss_n, 5)})
                loss_sum, loss_n = 0.0, 0
            if ckpt_path is not None and self.step % self.tc.ckpt_every == 0:
                self.minutes = start_minutes + (time.time() - t0) / 60
                self.save(ckpt_path)
        self.minutes = start_minutes + (time.time() - t0) / 60
        return done

    @torch.no_grad()
    def val_loss(self, ds: D.TokenizedSet, batch_size: int = 32) -> float:
        self.model.eval()
        total, count = 0.0, 0
        for start in range(0, len(ds), batch_size):
            idx = np.arange(start, min(start + batch_size, len(ds)))
            src, mask, tgt_in, tgt_out = to_device(D.collate(ds, idx, self.cfg.bos_id, self.cfg.pad_id), self.device)
            with autocast(self.device):
                log_probs, _, _ = self.model(src, mask, tgt_in)
            n = int((tgt_out != self.cfg.pad_id).sum())
            total += loss_fn(log_probs.float(), tgt_out, self.cfg.pad_id).item() * n
            count += n
        return total / max(count, 1)

    def state_dict(self) -> dict:
        return {"model_config": self.cfg.to_dict(), "train_config": asdict(self.tc),
                "model": self.model.state_dict(), "optimizer": self.opt.state_dict(),
                "step": self.step, "epoch": self.epoch, "batch_in_epoch": self.batch_in_epoch,
                "minutes": self.minutes, "total_steps": self.total_steps, "history": self.history,
                "phases": self.phases,
                "rng": {"torch": torch.get_rng_state(), "numpy": np.random.get_state(), "python": random.getstate(),
                        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None},
                "torch_version": torch.__version__, "device": str(self.device)}

    def save(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        torch.save(self.state_dict(), tmp)
        tmp.replace(path)

    def load(self, path: Path, weights_only: bool = False):
        """Restores a checkpoint (see read_checkpoint); weights_only keeps the optimizer and data cursor fresh."""
        ck = read_checkpoint(path, self.device)
        if ck.get("weights_only") and not weights_only:
            raise ValueError(f"{path} holds weights only: use it with --init (a new run), not --resume")
        if ModelConfig.from_dict(ck["model_config"]) != self.cfg:
            raise ValueError(f"checkpoint {path} has model config {ck['model_config']}, expected {self.cfg.to_dict()}")
        self.model.load_state_dict(ck["model"])
        self.phases = list(ck.get("phases", []))
        if weights_only:
            return
        self.opt.load_state_dict(ck["optimizer"])
        self.step, self.epoch, self.batch_in_epoch = ck["step"], ck["epoch"], ck["batch_in_epoch"]
        self.minutes, self.total_steps, self.history = ck["minutes"], ck["total_steps"], ck["history"]
        self._order = None
        rng = ck["rng"]
        torch.set_rng_state(rng["torch"].cpu())
        np.random.set_state(rng["numpy"])
        random.setstate(rng["python"])
        if rng.get("cuda") is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all([s.cpu() for s in rng["cuda"]])


def read_checkpoint(path: Path, device="cpu") -> dict:
    """A checkpoint dict from any of: a train.py checkpoint (.pt); a pack.py directory (checkpoint.json +
    model.safetensors[.partNN], weights only); an exported bundle (config.json + encoder.onnx + decoder.safetensors,
    weights rebuilt by unbundle.py; its model.safetensors instead when exported with --full-weights).
    .pt files hold RNG states (NumPy arrays), so weights_only must be off (PyTorch >= 2.6 defaults it on)."""
    path = Path(path)
    if not path.is_dir():
        return torch.load(path, map_location=device, weights_only=False)
    from . import safetensors_io
    from .pack import weights_bytes
    from .unbundle import has_full_weights, rebuild_state_dict
    if not has_full_weights(path) and (path / "config.json").is_file():
        model = {k: v.to(device) for k, v in rebuild_state_dict(path).items()}
    else:
        tensors, _ = safetensors_io.loads(weights_bytes(path), str(path))
        model = {k: torch.from_numpy(v.astype(np.float32)).to(device) for k, v in tensors.items()}
    if (path / "checkpoint.json").is_file():
        meta = json.loads((path / "checkpoint.json").read_text())
        return {**meta, "model": model, "weights_only": True}
    if (path / "config.json").is_file():
        card = json.loads((path / "config.json").read_text())
        training = card.get("training", {})
        return {"model_config": card["model"], "model": model, "phases": training.get("phases", []),
                "train_config": {"seed": training.get("seed")}, "device": training.get("device"),
                "torch_version": training.get("torch"), "weights_only": True}
    raise FileNotFoundError(f"{path}: neither checkpoint.json nor config.json found")


def load_checkpoint_model(path: Path, device="cpu") -> Summarizer:
    """The model of a checkpoint, in eval mode."""
    ck = read_checkpoint(path, device)
    model = Summarizer(ModelConfig.from_dict(ck["model_config"]))
    model.load_state_dict(ck["model"])
    return model.to(device).eval()


def evaluate(model: Summarizer, sp, rows: list[dict], tc: TrainConfig, device, log=print) -> dict:
    """ROUGE of beam-search summaries on `rows` (from val.jsonl), next to lead-3 on the same rows."""
    from .decoding import DecodingOptions, generate
    from .rouge import rouge_corpus

    opts = DecodingOptions(num_beams=tc.eval_beams, max_length=min(tc.eval_max_length, model.cfg.max_tgt_len),
                           min_length=tc.eval_min_length, no_repeat_ngram_size=tc.eval_no_repeat)
    preds, refs, leads = [], [], []
    t0 = time.time()
    for r in rows:
        src = sp.encode(r["article"])[:model.cfg.max_src_len]
        ids, _ = generate(model, src, opts, device=device)
        preds.append("\n".join(D.split_sentences(sp.decode(ids))))
        refs.append(r["summary"])
        leads.append(r["lead3"])
    model_scores = rouge_corpus(preds, refs)
    lead_scores = rouge_corpus(leads, refs)
    log(f"eval {len(rows)} rows in {time.time() - t0:.1f}s: model {fmt(model_scores)} | lead-3 {fmt(lead_scores)}")
    return {"rows": len(rows), "rouge": model_scores, "lead3": lead_scores, "decoding": asdict(opts),
            "examples": [{"id": r["id"], "prediction": p} for r, p in zip(rows[:3], preds[:3])]}


def fmt(s: dict) -> str:
    return " / ".join(f"{100 * s[k]:.1f}" for k in ("rouge1", "rouge2", "rougeLsum"))


def build_config(a) -> ModelConfig:
    cfg = ModelConfig(**PRESETS[a.preset].to_dict())
    for name in ("d_model", "n_heads", "d_ff", "n_enc_layers", "n_dec_layers", "max_src_len", "max_tgt_len"):
        if getattr(a, name) is not None:
            setattr(cfg, name, getattr(a, name))
    return cfg


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="prepared directory (prepare.py)")
    ap.add_argument("--out", type=Path, required=True, help="run directory: checkpoint.pt, metrics.json, log.txt")
    ap.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    for name in ("d_model", "n_heads", "d_ff", "n_enc_layers", "n_dec_layers", "max_src_len", "max_tgt_len"):
        ap.add_argument("--" + name.replace("_", "-"), type=int, default=None)
    for f in TrainConfig.__dataclass_fields__.values():
        # default None: unset options come from the resumed checkpoint, else from TrainConfig
        ap.add_argument("--" + f.name.replace("_", "-"), type=type(f.default), default=None,
                        help=f"default {f.default}" + (" (wall-clock training budget of this run)"
                                                       if f.name == "minutes" else ""))
    ap.add_argument("--steps", type=int, default=None, help="train exactly this many steps (overrides --minutes)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--resume", type=Path, default=None, help="continue a run from this checkpoint")
    ap.add_argument("--init", type=Path, default=None, help="start from this checkpoint's weights only")
    ap.add_argument("--no-eval", action="store_true")
    a = ap.parse_args(argv)

    import sentencepiece as spm

    device = pick_device(a.device)
    base = TrainConfig()
    if a.resume is not None:
        resumed = read_checkpoint(a.resume)
        base = TrainConfig(**resumed["train_config"])
    tc = TrainConfig(**{k: getattr(a, k) if getattr(a, k) is not None else getattr(base, k)
                        for k in TrainConfig.__dataclass_fields__})
    sp = spm.SentencePieceProcessor(model_file=str(a.data / "tokenizer.model"))
    if a.resume is not None:
        cfg = ModelConfig.from_dict(resumed["model_config"])
    elif a.init is not None:
        cfg = ModelConfig.from_dict(read_checkpoint(a.init)["model_config"])  # sizes come with the weights
        if cfg.vocab_size != sp.get_piece_size():
            raise ValueError(f"--init model has vocab_size {cfg.vocab_size}, tokenizer {sp.get_piece_size()} pieces")
    else:
        cfg = build_config(a)
        cfg.vocab_size = sp.get_piece_size()
    a.out.mkdir(parents=True, exist_ok=True)
    log_path = a.out / "log.txt"

    def log(msg):
        print(msg, flush=True)
        # opened per line: nothing to leak when main() is called in-process (tests), and every line survives a crash
        with open(log_path, "a", encoding="utf-8") as log_file:
            log_file.write(msg + "\n")

    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    trainer = Trainer(cfg, tc, a.data, device, log)
    if a.resume is not None:
        trainer.load(a.resume)
        if a.schedule_steps is not None:
            trainer.total_steps = a.schedule_steps  # extend (or shorten) the LR schedule of a resumed run
        log(f"resumed {a.resume} at step {trainer.step} ({trainer.minutes:.2f} min so far)")
    elif a.init is not None:
        trainer.load(a.init, weights_only=True)
        log(f"initialised weights from {a.init}")
    log(f"model {trainer.model.num_parameters():,} parameters {cfg.to_dict()}")
    log(f"train {len(trainer.train)} rows on {device} (torch {torch.__version__}) {asdict(tc)}")
    ckpt = a.out / "checkpoint.pt"
    start_minutes = trainer.minutes
    done = trainer.run(steps=a.steps, minutes=tc.minutes, ckpt_path=ckpt)
    trainer.phases.append({"train_file": tc.train_file, "data": D.display_path(a.data), "rows": len(trainer.train),
                           "steps": done, "minutes": round(trainer.minutes - start_minutes, 3),
                           "device": str(device), "torch": torch.__version__,
                           "init": str(a.init) if a.init else None, "resume": str(a.resume) if a.resume else None})
    trainer.save(ckpt)
    log(f"saved {ckpt} at step {trainer.step} ({trainer.minutes:.2f} training minutes in total)")

    metrics = {"step": trainer.step, "minutes": round(trainer.minutes, 3)}
    val_path = a.data / "val.npz"
    if val_path.exists():
        val = D.TokenizedSet.load(val_path)
        metrics["val_loss"] = trainer.val_loss(val)
        metrics["val_loss_rows"] = len(val)
        log(f"val loss {metrics['val_loss']:.4f} on {len(val)} rows")
    if not a.no_eval and (a.data / "val.jsonl").exists() and tc.eval_rows > 0:
        rows = list(D.read_jsonl(a.data / "val.jsonl", tc.eval_rows))
        trainer.model.eval()
        metrics.update(evaluate(trainer.model, sp, rows, tc, device, log))
    metrics["train"] = {"rows": len(trainer.train), "data": D.display_path(a.data), "seed": tc.seed, "device": str(device),
                        "torch": torch.__version__, "parameters": trainer.model.num_parameters(),
                        "phases": trainer.phases}
    (a.out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    log(f"wrote {a.out / 'metrics.json'}")


if __name__ == "__main__":
    main()
