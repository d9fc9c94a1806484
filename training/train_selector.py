"""Trains the sentence selector (training/selector.py) on the encoder cache and exports it into a bundle.

    encode-cache --label-sentences ... --out $C/train          # sentence ranges + greedy ROUGE oracle (training/README.md)
    python3 -m training.train_selector train --cache $C --out training/runs/sel-1 --minutes 30
    python3 -m training.train_selector export --checkpoint training/runs/sel-1/selector.pt --out models/arcticxs-copy

The last --dev-rows rows of the training cache are held out: each epoch reports their loss and the ROUGE of the top
sentences against the references beside lead-3 on the same rows, and the best epoch (ROUGE-1 + 2 + Lsum) is kept.
Validation rows are never read, so the Eval CLI's figures on them are a test.
"""
from __future__ import annotations

import argparse
import json
import lzma
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import rouge, safetensors_io
from .cache import EncodedSplit, SentenceSplit
from .selector import SelectorConfig, SentenceSelector, membership, select

SELECTOR_FILE = "selector.safetensors"


def collate(cache: EncodedSplit, sentences: SentenceSplit, rows):
    """-> memory (B, S, d_mem) float32, member (B, N, S) bool, labels (B, N) float, valid (B, N) bool."""
    rows = list(rows)
    mems = [cache.row(i)[1] for i in rows]
    sents = [sentences.row(i) for i in rows]
    S, N = max(len(m) for m in mems), max(max(len(s) for s in sents), 1)
    m = torch.zeros(len(rows), S, cache.d_model)
    member = torch.zeros(len(rows), N, S, dtype=torch.bool)
    labels = torch.zeros(len(rows), N)
    for b, (mem, sent) in enumerate(zip(mems, sents)):
        m[b, :len(mem)] = torch.from_numpy(np.asarray(mem, dtype=np.float32))
        if len(sent):
            member[b, :len(sent)] = membership([(int(s), int(e)) for s, e in sent[:, :2]], S)
            labels[b, :len(sent)] = torch.from_numpy(sent[:, 2].astype(np.float32))
    return m, member, labels, member.any(-1)


def read_rows(path: str, wanted: set[int]) -> dict[int, dict]:
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return {i: json.loads(line) for i, line in enumerate(f) if i in wanted}


@torch.no_grad()
def evaluate(model, cache, sentences, rows, texts, count: int, batch_size: int = 32) -> dict:
    """Dev loss, and ROUGE of the top `count` sentences (trigram blocking, in source order) and of lead-`count`."""
    model.eval()
    loss_sum, n, picks, leads, refs = 0.0, 0, [], [], []
    for start in range(0, len(rows), batch_size):
        batch = rows[start:start + batch_size]
        m, member, labels, valid = collate(cache, sentences, batch)
        z, _ = model(m, member)
        loss_sum += float(F.binary_cross_entropy_with_logits(z[valid], labels[valid], reduction="sum"))
        n += int(valid.sum())
        for b, i in enumerate(batch):
            sent, article = sentences.row(i), texts[i]["article"]
            src = cache.row(i)[0]
            k = int(valid[b].sum())
            chosen = sorted(select(z[b, :k].tolist(), [list(src[s:e]) for s, e in sent[:, :2]], count))
            picks.append("\n".join(article[sent[j, 3]:sent[j, 4]] for j in chosen))
            leads.append("\n".join(article[sent[j, 3]:sent[j, 4]] for j in range(min(count, k))))
            refs.append(texts[i]["summary"])
    model.train()
    score = lambda preds: {k: round(100 * v, 2) for k, v in rouge.rouge_corpus(preds, refs).items()}
    return {"loss": loss_sum / max(n, 1), "selector": score(picks), "lead": score(leads)}


def train(args):
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    cache = EncodedSplit(Path(args.cache) / "train")
    sentences = SentenceSplit(Path(args.cache) / "train")
    total = min(len(cache), len(sentences))
    dev = list(range(total - args.dev_rows, total))
    rows = np.arange(total - args.dev_rows if args.rows == 0 else min(args.rows, total - args.dev_rows))
    texts = read_rows(args.data, set(dev))
    cfg = SelectorConfig(d_mem=cache.d_model, d_model=args.d_model, n_heads=args.heads, d_ff=4 * args.d_model,
                         n_layers=args.layers, d_attn=args.d_attn, max_sentences=args.max_sentences)
    model = SentenceSelector(cfg, dropout=args.dropout)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "log.jsonl", "a")
    steps_per_epoch = math.ceil(len(rows) / args.batch_size)
    total_steps = steps_per_epoch * args.epochs
    clock, step, best = time.time(), 0, -1.0
    for epoch in range(args.epochs):
        order = np.random.default_rng(args.seed + epoch).permutation(rows)
        for start in range(0, len(order), args.batch_size):
            m, member, labels, valid = collate(cache, sentences, order[start:start + args.batch_size])
            z, _ = model(m, member)
            loss = F.binary_cross_entropy_with_logits(z[valid], labels[valid])
            lr = args.lr * min(1.0, (step + 1) / args.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / total_steps)))
            for g in opt.param_groups:
                g["lr"] = lr
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 200 == 0:
                print(json.dumps({"epoch": epoch, "step": step, "loss": round(float(loss), 4), "lr": lr,
                                  "minutes": round((time.time() - clock) / 60, 1)}), flush=True)
            if args.minutes and time.time() - clock > args.minutes * 60:
                break
        result = evaluate(model, cache, sentences, dev, texts, args.count)
        score = sum(result["selector"][k] for k in ("rouge1", "rouge2", "rougeLsum"))
        line = {"epoch": epoch, "step": step, "minutes": round((time.time() - clock) / 60, 1), **result}
        print(json.dumps(line), flush=True)
        log.write(json.dumps(line) + "\n")
        log.flush()
        if score > best:
            best = score
            torch.save({"config": cfg.to_dict(), "model": model.state_dict(), "dev": line,
                        "trained_rows": len(rows), "args": vars(args)}, out / "selector.pt")
        if args.minutes and time.time() - clock > args.minutes * 60:
            break


def tensors_of(model: SentenceSelector) -> dict[str, np.ndarray]:
    """The bundle's names: the state dict's, with the pooling's v flattened to a vector."""
    state = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    state["pool.v.weight"] = state["pool.v.weight"].reshape(-1)
    state["score.weight"] = state["score.weight"].reshape(-1)
    return state


def export(args):
    model, checkpoint = load(args.checkpoint)
    cfg = model.cfg
    out = Path(args.out)
    tensors = tensors_of(model)
    if args.fp16:
        tensors = {k: v.astype(np.float16) for k, v in tensors.items()}
    safetensors_io.save(tensors, out / SELECTOR_FILE, {"format": "pt"})
    config_path = out / "config.json"
    config = json.loads(config_path.read_text())
    config["selector"] = {"file": SELECTOR_FILE, **cfg.to_dict(), "sentence_count": args.count,
                          "trained_rows": checkpoint.get("trained_rows"), "dev": checkpoint.get("dev")}
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    print(f"wrote {out / SELECTOR_FILE} and the selector section of {config_path}")


def load(path: str, fp16: bool = False) -> tuple[SentenceSelector, dict]:
    """A checkpoint's selector, in eval mode, and the checkpoint; with fp16 its weights rounded as an --fp16 export
    stores them."""
    checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    model = SentenceSelector(SelectorConfig.from_dict(checkpoint["config"]))
    state = checkpoint["model"]
    model.load_state_dict({k: v.half().float() for k, v in state.items()} if fp16 else state)
    return model.eval(), checkpoint


@torch.no_grad()
def parity(args):
    """Per case: the memory (first --src-len tokens of a cached row, as the cache stores it), the sentence ranges cut to
    it, and PyTorch's scores, last-layer attention averaged over heads, and top --count selection (weights as the fp16
    export rounds them)."""
    model, _ = load(args.checkpoint, fp16=True)
    cache, sentences = EncodedSplit(args.cache), SentenceSplit(args.cache)
    cases = []
    for i in range(args.cases):
        src, mem, _ = cache.row(i)
        S = min(args.src_len, len(src))
        ranges = [(int(s), min(int(e), S)) for s, e in sentences.row(i)[:, :2] if s < S]
        m = torch.from_numpy(np.asarray(mem[:S], dtype=np.float32))[None]
        z, weights = model(m, membership(ranges, S)[None])
        chosen = select(z[0].tolist(), [[int(x) for x in src[s:e]] for s, e in ranges], args.count)
        cases.append({"src_ids": [int(x) for x in src[:S]], "memory": [round(float(x), 7) for x in m.reshape(-1)],
                      "ranges": ranges, "scores": [round(float(x), 6) for x in z[0]],
                      "attention": [[round(float(x), 7) for x in row] for row in weights[0].mean(0)],
                      "count": args.count, "selected": chosen})
    Path(args.out).write_text(json.dumps({"cases": cases}) + "\n")
    print(f"wrote {len(cases)} cases to {args.out}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--cache", required=True, help="cache folder with train/ labelled by encode-cache --label-sentences")
    t.add_argument("--data", default="../shared/data/cnndm/train.jsonl.xz", help="the cache's source rows (dev texts)")
    t.add_argument("--out", required=True)
    t.add_argument("--rows", type=int, default=0, help="train on the first N rows (0 = all but the dev rows)")
    t.add_argument("--dev-rows", type=int, default=1000)
    t.add_argument("--epochs", type=int, default=4)
    t.add_argument("--minutes", type=float, default=0)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--warmup", type=int, default=300)
    t.add_argument("--dropout", type=float, default=0.1)
    t.add_argument("--d-model", type=int, default=256)
    t.add_argument("--heads", type=int, default=4)
    t.add_argument("--layers", type=int, default=2)
    t.add_argument("--d-attn", type=int, default=128)
    t.add_argument("--max-sentences", type=int, default=64)
    t.add_argument("--count", type=int, default=3, help="sentences selected for the dev ROUGE")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=0)
    e = sub.add_parser("export")
    e.add_argument("--checkpoint", required=True)
    e.add_argument("--out", required=True, help="bundle folder (its config.json gets a selector section)")
    e.add_argument("--count", type=int, default=3, help="the bundle's default sentenceCount")
    e.add_argument("--fp16", action="store_true")
    f = sub.add_parser("parity", help="fixtures the C# parity tests replay")
    f.add_argument("--checkpoint", required=True)
    f.add_argument("--cache", required=True, help="a labelled cache split (e.g. $C/val)")
    f.add_argument("--cases", type=int, default=3)
    f.add_argument("--src-len", type=int, default=48)
    f.add_argument("--count", type=int, default=3)
    f.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    {"train": train, "export": export, "parity": parity}[args.command](args)


if __name__ == "__main__":
    main()
