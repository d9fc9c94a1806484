"""Stage data compactly: train (or reuse) the tokenizer and pre-tokenize cnndm (and optionally wiki) into .npz.

The output directory is all that training needs (a few tens of MB for the full cnndm slice), so it can be
carried to a GPU machine that cannot read ../shared/data.

    python3 -m training.prepare --out training/data/tiny --vocab-size 1000 --train-rows 3000 --val-rows 200 \
        --max-src-len 256 --max-tgt-len 64
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from . import data as D


def prepare(out: Path, data_root: Path, vocab_size: int, train_rows: int | None, val_rows: int,
            max_src_len: int, max_tgt_len: int, tokenizer: Path | None = None, tokenizer_rows: int = 6000,
            wiki_rows: int = 0, log=print) -> dict:
    import sentencepiece as spm

    t0 = time.time()
    out.mkdir(parents=True, exist_ok=True)
    train = list(D.read_jsonl(data_root / "cnndm" / "train.jsonl.xz", train_rows))
    val = list(D.read_jsonl(data_root / "cnndm" / "val.jsonl.xz", val_rows))
    log(f"read {len(train)} train / {len(val)} val rows in {time.time() - t0:.1f}s")
    if tokenizer is None:
        # Rows spread over the whole file: later parts use other characters (e.g. curly quotes).
        step = max(1, len(train) // tokenizer_rows)
        sp_path = D.train_tokenizer(D.tokenizer_texts(train[::step][:tokenizer_rows]), out / "tokenizer", vocab_size)
    else:
        sp_path = out / "tokenizer.model"
        if tokenizer.resolve() != sp_path.resolve():
            shutil.copyfile(tokenizer, sp_path)
    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    log(f"tokenizer: {sp.get_piece_size()} pieces ({time.time() - t0:.1f}s)")
    tr = D.tokenize_pairs(sp, ((r["article"], D.summary_text(r["summary"])) for r in train), max_src_len, max_tgt_len)
    va = D.tokenize_pairs(sp, ((r["article"], D.summary_text(r["summary"])) for r in val), max_src_len, max_tgt_len)
    tr.save(out / "train.npz")
    va.save(out / "val.npz")
    # Validation texts for ROUGE: references (one sentence per line), lead-3 and the source text.
    with open(out / "val.jsonl", "w", encoding="utf-8") as f:
        for r in val:
            f.write(json.dumps({"id": r["id"], "article": r["article"], "summary": r["summary"],
                                "lead3": D.lead3(r["article"])}) + "\n")
    meta = {"train_rows": len(tr), "val_rows": len(va), "vocab_size": sp.get_piece_size(),
            "max_src_len": max_src_len, "max_tgt_len": max_tgt_len, "source": D.display_path(data_root),
            "train_tokens": int(len(tr.src) + len(tr.tgt))}
    if wiki_rows > 0:
        from .pretrain import wiki_pairs
        wk = D.tokenize_pairs(sp, wiki_pairs(data_root, wiki_rows), max_src_len, max_tgt_len)
        wk.save(out / "wiki.npz")
        meta["wiki_rows"] = len(wk)
    (out / "meta.json").write_text(json.dumps(meta, indent=1))
    log(f"prepared {out} in {time.time() - t0:.1f}s: {meta}")
    return meta


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data-dir", default=None, help="default: $SUMMARIZER_DATA or <repo>/../shared/data")
    ap.add_argument("--vocab-size", type=int, default=12000)
    ap.add_argument("--tokenizer", type=Path, default=None, help="reuse this tokenizer.model instead of training one")
    ap.add_argument("--tokenizer-rows", type=int, default=6000, help="articles (evenly spaced) for the tokenizer")
    ap.add_argument("--train-rows", type=int, default=None, help="default: all")
    ap.add_argument("--val-rows", type=int, default=300)
    ap.add_argument("--wiki-rows", type=int, default=0, help="wiki articles for lead-from-rest pretraining")
    ap.add_argument("--max-src-len", type=int, default=512)
    ap.add_argument("--max-tgt-len", type=int, default=128)
    a = ap.parse_args(argv)
    prepare(a.out, D.data_dir(a.data_dir), a.vocab_size, a.train_rows, a.val_rows, a.max_src_len, a.max_tgt_len,
            a.tokenizer, a.tokenizer_rows, a.wiki_rows)


if __name__ == "__main__":
    main()
