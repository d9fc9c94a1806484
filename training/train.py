"""Trains the decoder over the frozen pretrained encoder's cached memory (training/encode writes the cache).

    python3 -m training.train --cache training/data/cache/arcticxs-384 --out training/runs/arcticxs-1 --minutes 90
    python3 -m training.train ... --init models/arcticxs-copy     # continue from a shipped bundle (weights only)

Wall-clock budget (the learning rate follows it: linear warm-up, cosine to 10% at the end of the budget), checkpoints
every few minutes (resumable: run the same command again), validation loss on the cached validation rows, one JSON
line per log. The cache may still be growing: each epoch takes every row written so far.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch

from . import pretrained
from .cache import EncodedSplit, SelectedContent, SentenceSplit, TextSplit, batches, collate, drop_marker
from .checkpoint import load_bundle_into, load_checkpoint, make_optimizer, save_checkpoint
from .model import PRESETS, ModelConfig, Summarizer
from .wordpiece import WordPiece


def summary_ids(path: str, vocab: WordPiece) -> np.ndarray:
    """Every summary id of a cnndm .jsonl.xz file (for the shortlist when the cache holds only part of it)."""
    import lzma
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return np.fromiter((i for line in f for i in vocab.encode(json.loads(line)["summary"])), dtype=np.int64)


def shortlist(targets: np.ndarray, n_gen: int, cfg: ModelConfig) -> np.ndarray:
    """The n_gen most frequent summary ids (EOS always in, PAD and BOS never), sorted by id."""
    counts = np.bincount(np.asarray(targets, dtype=np.int64), minlength=cfg.vocab_size)
    counts[cfg.eos_id] = counts.max() + 1
    for special in (cfg.pad_id, cfg.bos_id):
        counts[special] = -1
    ids = np.argsort(-counts, kind="stable")[:n_gen]
    return np.sort(ids)


def loss_on(model: Summarizer, batch):
    """Mean −log P(target) over the positions the model can produce; returns (loss, tokens, copy share)."""
    src, att, mem, tin, tout = (None if x is None else x.to(model.gen_ids.device) for x in batch)
    if mem is None:  # fine-tuning: the encoder runs here
        mem = model.encode(src, att)
    p_vocab, a, p_gen = model.decode(tin, mem, att)
    p, reachable = model.target_probability(p_vocab, a, p_gen, src, tout)
    mask = (tout != model.cfg.pad_id) & reachable
    nll = -torch.log(p.clamp_min(1e-12))
    n = mask.sum()
    loss = (nll * mask).sum() / n.clamp_min(1)
    return loss, int(n), float(((1 - p_gen) * mask).sum() / n.clamp_min(1))


@torch.no_grad()
def validate(model: Summarizer, split: EncodedSplit, rows: int, batch_size: int = 16) -> float:
    model.eval()
    total, count = 0.0, 0
    for start in range(0, min(rows, len(split)), batch_size):
        loss, n, _ = loss_on(model, collate(split, range(start, min(start + batch_size, rows, len(split))), model.cfg))
        total += float(loss) * n
        count += n
    model.train()
    return total / max(count, 1)


def learning_rate(args, step: int, fraction: float) -> float:
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, fraction))))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", help="folder with train/ and val/ caches from training/encode")
    ap.add_argument("--out", required=True)
    ap.add_argument("--preset", default="base", choices=sorted(PRESETS))
    ap.add_argument("--n-dec-layers", type=int)
    ap.add_argument("--n-gen", type=int)
    ap.add_argument("--d-ff", type=int)
    ap.add_argument("--max-src-len", type=int, help="default: the cache's")
    ap.add_argument("--max-tgt-len", type=int)
    ap.add_argument("--shortlist-from", help="a cnndm .jsonl.xz whose summaries choose the shortlist "
                    "(default: the summaries cached so far)")
    ap.add_argument("--init", help="a bundle folder to continue from (decoder weights and shortlist)")
    ap.add_argument("--minutes", type=float, default=60.0,
                    help="wall-clock budget of the run (a resumed run counts the minutes it already spent)")
    ap.add_argument("--steps", type=int, default=0, help="stop after this many steps (0 = budget only)")
    ap.add_argument("--rows", type=int, default=0, help="use only the first N cached training rows (0 = all)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=7e-4)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--copy-bias", type=float, default=0.0, help="initial b_gen (negative leans toward copying)")
    ap.add_argument("--val-rows", type=int, default=300)
    ap.add_argument("--eval-minutes", type=float, default=10.0)
    ap.add_argument("--checkpoint-minutes", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=int(os.environ.get("TRAIN_THREADS", "2")))
    ap.add_argument("--finetune-encoder", action="store_true",
                    help="train the encoder too (GPU): reads --data instead of the cache, encodes in each step")
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/cnndm"),
                    help="folder with train.jsonl.xz and val.jsonl.xz (with --finetune-encoder)")
    ap.add_argument("--package", default="arcticxs", help="encoder package (with --finetune-encoder)")
    ap.add_argument("--device", help="cpu or cuda (default: cuda when available)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--content", choices=["all", "oracle"], default="all",
                    help="oracle: the decoder reads only the oracle's sentences (+ sometimes one more) of each source, as "
                         "content selection feeds it (needs encode-cache --label-sentences beside the cache)")
    ap.add_argument("--keep-new-marker", action="store_true",
                    help="train on CNN's 'NEW:' update markers as they are (default: removed from the summaries)")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    if args.finetune_encoder:
        package = pretrained.find_package(args.package)
        meta = {"package": pretrained.PACKAGES.get(args.package, args.package),
                "onnx_sha256": pretrained.sha256(package["model.onnx"]), "max_src_len": args.max_src_len or 384}
        vocab = WordPiece(package["vocab.txt"].decode("utf-8"))
        train = TextSplit(Path(args.data) / "train.jsonl.xz", vocab, meta["max_src_len"], rows=args.rows)
        val = TextSplit(Path(args.data) / "val.jsonl.xz", vocab, meta["max_src_len"], rows=args.val_rows)
        train.meta = val.meta = meta
    else:
        train = EncodedSplit(Path(args.cache) / "train")
        val = EncodedSplit(Path(args.cache) / "val")
        if args.content == "oracle":
            train = SelectedContent(train, SentenceSplit(Path(args.cache) / "train"), seed=args.seed)
            val = SelectedContent(val, SentenceSplit(Path(args.cache) / "val"), extra=0.0)
        package = pretrained.find_package(train.meta["package"])  # read once: the DLL holds the 90 MB graph
        vocab = WordPiece(package["vocab.txt"].decode("utf-8"))
    if not args.keep_new_marker:
        train.target_filter = val.target_filter = drop_marker(vocab.encode("NEW:"))
    log = open(out / "log.jsonl", "a")

    def emit(**kv):
        line = json.dumps(kv)
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    ckpt_path = out / "checkpoint.pt"
    torch.manual_seed(args.seed)
    if ckpt_path.exists():
        model, opt, state = load_checkpoint(ckpt_path, args, device=device)
        emit(event="resume", step=state["step"], minutes=state["minutes"])
    else:
        cfg = ModelConfig(**{**PRESETS[args.preset].to_dict(), "max_src_len": int(train.meta["max_src_len"])})
        for name in ("n_dec_layers", "n_gen", "d_ff", "max_src_len", "max_tgt_len"):
            if getattr(args, name) is not None:
                setattr(cfg, name, getattr(args, name))
        if not args.finetune_encoder and pretrained.sha256(package["model.onnx"]) != train.meta["onnx_sha256"]:
            raise SystemExit("the cache was made with another encoder than the restored package's")
        bert = pretrained.bert_weights(package["model.onnx"])
        if args.init:
            model = load_bundle_into(args.init, bert, dropout=args.dropout)
            cfg = model.cfg
        else:
            model = Summarizer(cfg, dropout=args.dropout)
            targets = (summary_ids(args.shortlist_from, vocab)
                       if args.shortlist_from else
                       train.tgt if isinstance(train.tgt, np.ndarray) else np.concatenate(train.tgt))
            model.warm_start(bert, shortlist(targets, cfg.n_gen, cfg), copy_bias=args.copy_bias)
        if args.finetune_encoder:
            model.attach_encoder(bert, trainable=True)
        model.to(device)
        opt = make_optimizer(model, args)
        state = {"step": 0, "minutes": 0.0, "examples": 0, "epoch": 0, "encoder": train.meta,
                 "init": args.init, "args": vars(args)}
        emit(event="start", config=cfg.to_dict(), parameters=model.num_parameters(), rows=len(train),
             args=vars(args))
        emit(event="val", step=0, minutes=0.0, val_loss=round(validate(model, val, args.val_rows), 4))

    rng = np.random.default_rng(args.seed + state["step"])
    start = time.time()
    spent_before = state["minutes"]
    last_ckpt = last_eval = time.time()
    budget = args.minutes
    model.train()
    done = False
    window = []
    while not done:
        n_rows = train.refresh()
        if args.rows:
            n_rows = min(n_rows, args.rows)
        for rows in batches(train, n_rows, args.batch_size, rng):
            minutes = spent_before + (time.time() - start) / 60
            fraction = minutes / budget if budget else 0.0  # a resumed run continues its schedule
            if (budget and fraction >= 1.0) or (args.steps and state["step"] >= args.steps):
                done = True
                break
            lr = learning_rate(args, state["step"], fraction)
            for g in opt.param_groups:
                g["lr"] = lr * g.get("lr_scale", 1.0)
            loss, n, copy_share = loss_on(model, collate(train, rows, model.cfg))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            state["examples"] += len(rows)
            window.append(float(loss))
            if state["step"] % 50 == 0:
                emit(event="train", step=state["step"], minutes=round(minutes, 2), examples=state["examples"],
                     epoch=state["epoch"], rows=n_rows, loss=round(float(np.mean(window)), 4), lr=round(lr, 6),
                     copy=round(copy_share, 3))
                window.clear()
            if time.time() - last_eval > args.eval_minutes * 60:
                emit(event="val", step=state["step"], minutes=round(minutes, 2),
                     val_loss=round(validate(model, val, args.val_rows), 4))
                last_eval = time.time()
            if time.time() - last_ckpt > args.checkpoint_minutes * 60:
                state["minutes"] = minutes
                save_checkpoint(ckpt_path, model, opt, state)
                last_ckpt = time.time()
        else:
            state["epoch"] += 1
    state["minutes"] = spent_before + (time.time() - start) / 60
    state["val_loss"] = validate(model, val, args.val_rows)
    save_checkpoint(ckpt_path, model, opt, state)
    emit(event="end", step=state["step"], minutes=round(state["minutes"], 2), examples=state["examples"],
         val_loss=round(state["val_loss"], 4))


if __name__ == "__main__":
    main()
