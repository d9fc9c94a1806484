"""Writes tests/fixtures/wordpiece/val-ids.tsv: for the first N cnndm validation articles, the number of WordPiece ids
and the SHA-256 of the ids (comma-joined decimal) as training/wordpiece.py computes them; the C# tests recompute both
with BertWordPieceTokenizer on the same rows (docs/DESIGN.md "Tokenizer").

    python3 -m training.tokenizer_fixture --data ../shared/data/cnndm/val.jsonl.xz --rows 1000
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
from pathlib import Path

from . import pretrained
from .wordpiece import WordPiece

ROOT = Path(__file__).resolve().parents[1]


def ids_hash(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/cnndm/val.jsonl.xz"))
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--out", default=str(ROOT / "tests/fixtures/wordpiece/val-ids.tsv"))
    args = ap.parse_args(argv)
    vocab = WordPiece(pretrained.find_package("arcticxs")["vocab.txt"].decode("utf-8"))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(args.data, "rt", encoding="utf-8") as f, open(out, "w") as w:
        w.write("# row\tid\tcount\tsha256 of the comma-joined ids of the article (training/tokenizer_fixture.py)\n")
        for i, line in enumerate(f):
            if i == args.rows:
                break
            row = json.loads(line)
            ids = vocab.encode(row["article"])
            w.write(f"{i}\t{row['id']}\t{len(ids)}\t{ids_hash(ids)}\n")


if __name__ == "__main__":
    main()
