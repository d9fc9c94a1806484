"""Data: locating ../shared/data, reading JSON Lines, sentence splitting, tokenizer training,
compact pre-tokenized datasets (.npz) and length-bucketed batches."""
from __future__ import annotations

import json
import lzma
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir(override: str | None = None) -> Path:
    """The shared data directory: `override`, else $SUMMARIZER_DATA, else <repo>/../shared/data."""
    path = Path(override or os.environ.get("SUMMARIZER_DATA") or (REPO_ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        raise FileNotFoundError(f"data directory not found: {path} (set SUMMARIZER_DATA or --data-dir)")
    return path


def display_path(path) -> str:
    """A path relative to the repository root when inside it (for model cards), else as given."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def read_jsonl(path: Path, limit: int | None = None):
    """Yields up to `limit` objects from an (optionally xz-compressed) JSON Lines file; stops reading early."""
    opener = lzma.open if str(path).endswith(".xz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


_END, _CLOSE = (".", "!", "?"), ('"', "'", "''", ")")


def split_sentences(text: str) -> list[str]:
    """Splits normalized (PTB-tokenized) text after a standalone `.`, `!` or `?` token and any closing quotes."""
    tokens = text.split()
    sents, cur = [], []
    for i, tok in enumerate(tokens):
        cur.append(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        ends = tok in _END or (tok in _CLOSE and len(cur) >= 2 and cur[-2] in _END)
        if ends and nxt not in _CLOSE:
            sents.append(" ".join(cur))
            cur = []
    if cur:
        sents.append(" ".join(cur))
    return sents


def lead3(article: str) -> str:
    """The first three sentences, one per line (the ROUGE-Lsum form)."""
    return "\n".join(split_sentences(article)[:3])


def summary_text(summary: str) -> str:
    """Target text: the summary's sentences (one per line in the data) joined by single spaces."""
    return " ".join(s.strip() for s in summary.split("\n") if s.strip())


def train_tokenizer(texts, model_prefix: Path, vocab_size: int, max_sentences: int = 1_000_000) -> Path:
    """Trains the SentencePiece unigram model of docs/DESIGN.md; returns the path to <prefix>.model."""
    import sentencepiece as spm

    model_prefix.parent.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts), model_prefix=str(model_prefix), model_type="unigram",
        vocab_size=vocab_size, pad_id=0, unk_id=1, bos_id=2, eos_id=3,
        byte_fallback=False, add_dummy_prefix=True, split_by_whitespace=True,
        normalization_rule_name="identity", character_coverage=1.0,
        max_sentence_length=1 << 16, input_sentence_size=max_sentences, shuffle_input_sentence=False,
        num_threads=1, minloglevel=2)  # one thread: deterministic
    path = model_prefix.with_suffix(".model")
    _strip_local_paths(path)
    return path


def _strip_local_paths(path: Path) -> None:
    """The model records its training paths (trainer_spec.model_prefix); keep only the file name so a model is
    byte-identical wherever it is regenerated. Pieces and normalizer are untouched."""
    try:
        from sentencepiece import sentencepiece_model_pb2 as pb
    except ImportError:  # protobuf missing: harmless, the paths stay
        return
    m = pb.ModelProto()
    m.ParseFromString(path.read_bytes())
    m.trainer_spec.model_prefix = Path(m.trainer_spec.model_prefix).name
    del m.trainer_spec.input[:]
    path.write_bytes(m.SerializeToString())


def tokenizer_texts(rows):
    """Lines for tokenizer training: article sentences and summary lines."""
    for r in rows:
        yield from split_sentences(r["article"])
        yield from (s for s in r["summary"].split("\n") if s.strip())


@dataclass
class TokenizedSet:
    """Variable-length sequences stored flat: seq i is flat[offsets[i]:offsets[i+1]]."""
    src: np.ndarray
    src_off: np.ndarray
    tgt: np.ndarray
    tgt_off: np.ndarray

    def __len__(self):
        return len(self.src_off) - 1

    def src_len(self) -> np.ndarray:
        return np.diff(self.src_off)

    def tgt_len(self) -> np.ndarray:
        return np.diff(self.tgt_off)

    def pair(self, i: int):
        return self.src[self.src_off[i]:self.src_off[i + 1]], self.tgt[self.tgt_off[i]:self.tgt_off[i + 1]]

    def save(self, path: Path):
        np.savez_compressed(path, src=self.src, src_off=self.src_off, tgt=self.tgt, tgt_off=self.tgt_off)

    @classmethod
    def load(cls, path: Path) -> "TokenizedSet":
        with np.load(path) as z:  # an NpzFile keeps its file open until closed
            return cls(z["src"], z["src_off"], z["tgt"], z["tgt_off"])


def tokenize_pairs(sp, pairs, max_src_len: int, max_tgt_len: int) -> TokenizedSet:
    """pairs: (source text, target text). Source truncated to max_src_len; target = ids + EOS truncated so that
    BOS + target fits max_tgt_len (the decoder input is BOS + target[:-1])."""
    dtype = np.uint16 if sp.get_piece_size() <= 65535 else np.int32
    src_parts, tgt_parts = [], []
    for src_text, tgt_text in pairs:
        s = sp.encode(src_text)[:max_src_len]
        t = (sp.encode(tgt_text) + [sp.eos_id()])[:max_tgt_len]
        if len(s) == 0 or len(t) == 0:
            continue
        src_parts.append(np.asarray(s, dtype=dtype))
        tgt_parts.append(np.asarray(t, dtype=dtype))

    def flat(parts):
        off = np.zeros(len(parts) + 1, dtype=np.int64)
        off[1:] = np.cumsum([len(p) for p in parts])
        return (np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)), off

    src, src_off = flat(src_parts)
    tgt, tgt_off = flat(tgt_parts)
    return TokenizedSet(src, src_off, tgt, tgt_off)


def bucketed_batches(lengths: np.ndarray, batch_tokens: int, max_batch: int, rng: np.random.Generator,
                     chunk: int = 100) -> list[np.ndarray]:
    """Length bucketing: shuffle, sort within chunks of `chunk` batches' worth of rows by length, cut batches
    whose padded size (rows x longest) stays under batch_tokens, then shuffle the batch order."""
    order = rng.permutation(len(lengths))
    batches = []
    window = max(1, chunk * max_batch)
    for start in range(0, len(order), window):
        part = order[start:start + window]
        part = part[np.argsort(lengths[part], kind="stable")]
        cur, longest = [], 0
        for i in part:
            longest_new = max(longest, int(lengths[i]))
            if cur and (longest_new * (len(cur) + 1) > batch_tokens or len(cur) >= max_batch):
                batches.append(np.asarray(cur))
                cur, longest_new = [], int(lengths[i])
            cur.append(i)
            longest = longest_new
        if cur:
            batches.append(np.asarray(cur))
    return [batches[i] for i in rng.permutation(len(batches))]


def collate(ds: TokenizedSet, idx, bos_id: int, pad_id: int):
    """Rows -> padded int64 arrays: src (B, S), src_mask (B, S), tgt_in (B, T) = BOS + target[:-1], tgt_out (B, T)."""
    pairs = [ds.pair(int(i)) for i in idx]
    S = max(len(s) for s, _ in pairs)
    T = max(len(t) for _, t in pairs)
    B = len(pairs)
    src = np.full((B, S), pad_id, dtype=np.int64)
    mask = np.zeros((B, S), dtype=np.int64)
    tgt_in = np.full((B, T), pad_id, dtype=np.int64)
    tgt_out = np.full((B, T), pad_id, dtype=np.int64)
    for b, (s, t) in enumerate(pairs):
        src[b, :len(s)] = s
        mask[b, :len(s)] = 1
        tgt_in[b, 0] = bos_id
        tgt_in[b, 1:len(t)] = t[:-1]
        tgt_out[b, :len(t)] = t
    return src, mask, tgt_in, tgt_out
