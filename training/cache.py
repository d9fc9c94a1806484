"""Reads what training/encode (C#, ONNX Runtime) cached: per row the source ids, the encoder memory (fp16, S × d) and
the summary ids, memory-mapped; and makes length-bucketed training batches from it."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch


class EncodedSplit:
    """One cache folder (src.i32, tgt.i32, mem.f16, index.i64, meta.json). Rows written so far are visible: the index
    is written last, so `refresh()` picks up a cache that is still growing."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.meta = json.loads((self.folder / "meta.json").read_text())
        self.d_model = int(self.meta["d_model"])
        self.refresh()

    def refresh(self) -> int:
        index = np.fromfile(self.folder / "index.i64", dtype=np.int64)
        self.index = index[: len(index) // 4 * 4].reshape(-1, 4)  # src offset, src len, tgt offset, tgt len
        n = len(self.index)
        if n:
            src_end = int(self.index[-1, 0] + self.index[-1, 1])
            tgt_end = int(self.index[-1, 2] + self.index[-1, 3])
            self.src = np.memmap(self.folder / "src.i32", dtype=np.int32, mode="r", shape=(src_end,))
            self.tgt = np.memmap(self.folder / "tgt.i32", dtype=np.int32, mode="r", shape=(tgt_end,))
            self.mem = np.memmap(self.folder / "mem.f16", dtype=np.float16, mode="r", shape=(src_end, self.d_model))
        return n

    def __len__(self) -> int:
        return len(self.index)

    target_filter = None  # e.g. drop_marker(...): applied to each summary as it is read

    def row(self, i: int):
        so, sl, to, tl = (int(x) for x in self.index[i])
        tgt = self.tgt[to:to + tl]
        return self.src[so:so + sl], self.mem[so:so + sl], (self.target_filter(tgt) if self.target_filter else tgt)


class SentenceSplit:
    """What `encode-cache --label-sentences` wrote beside a cache: per row (token start, token end, oracle label,
    character start, character end) for each sentence the window read."""

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        self.sent = np.fromfile(folder / "sent.i32", dtype=np.int32).reshape(-1, 5)
        self.index = np.fromfile(folder / "sent_index.i64", dtype=np.int64).reshape(-1, 2)

    def __len__(self) -> int:
        return len(self.index)

    def row(self, i: int) -> np.ndarray:
        offset, count = (int(x) for x in self.index[i])
        return self.sent[offset:offset + count]


class SelectedContent:
    """A cached split whose sources are cut to the greedy oracle's sentences (plus, with probability `extra`, one other
    sentence), token ids and memory rows alike: what the decoder reads with content selection (docs/DESIGN.md
    "Sentence selector"), so it learns to say the content it is given. Rows without an oracle sentence keep the lead 3."""

    def __init__(self, split: EncodedSplit, sentences: SentenceSplit, extra: float = 0.5, seed: int = 0):
        self.split, self.sentences, self.extra = split, sentences, extra
        self.rng = np.random.default_rng(seed)
        self.meta, self.index, self.d_model = split.meta, split.index, split.d_model

    def refresh(self) -> int:
        return min(self.split.refresh(), len(self.sentences))

    def __len__(self) -> int:
        return min(len(self.split), len(self.sentences))

    @property
    def target_filter(self):
        return self.split.target_filter

    @target_filter.setter
    def target_filter(self, f):
        self.split.target_filter = f

    def row(self, i: int):
        src, mem, tgt = self.split.row(i)
        sent = self.sentences.row(i)
        chosen = [j for j in range(len(sent)) if sent[j, 2]] or list(range(min(3, len(sent))))
        others = [j for j in range(len(sent)) if j not in chosen]
        if others and self.rng.random() < self.extra:
            chosen.append(int(self.rng.choice(others)))
        keep = np.concatenate([np.arange(sent[j, 0], sent[j, 1]) for j in sorted(chosen)]) if len(sent) else np.arange(len(src))
        return src[keep], mem[keep], tgt


class TextSplit:
    """Rows of a cnndm .jsonl(.xz) file tokenized by training/wordpiece.py, for fine-tuning the encoder too (no cached
    memory: the encoder runs in the training step). Same interface as EncodedSplit; `row` gives memory None."""

    def __init__(self, path: str | Path, vocab, max_src_len: int, rows: int = 0, workers: int = 0):
        import lzma
        import os
        from multiprocessing import Pool
        opener = lzma.open if str(path).endswith(".xz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            texts = []
            for i, line in enumerate(f):
                if rows and i == rows:
                    break
                r = json.loads(line)
                texts.append((r["article"], r["summary"].replace("\n", " ")))
        with Pool(workers or os.cpu_count() or 1, initializer=_set_vocab, initargs=(vocab, max_src_len)) as pool:
            pairs = pool.map(_tokenize_pair, texts, chunksize=64)
        self.src = [np.asarray(s, dtype=np.int32) for s, _ in pairs]
        self.tgt = [np.asarray(t, dtype=np.int32) for _, t in pairs]
        self.index = np.array([[0, len(s), 0, len(t)] for s, t in zip(self.src, self.tgt)], dtype=np.int64)
        self.meta = {"data": str(path), "max_src_len": max_src_len}

    def refresh(self) -> int:
        return len(self.src)

    def __len__(self) -> int:
        return len(self.src)

    target_filter = None

    def row(self, i: int):
        return self.src[i], None, (self.target_filter(self.tgt[i]) if self.target_filter else self.tgt[i])


_VOCAB = None  # each worker's (vocab, max_src_len), set once by the pool's initializer


def _set_vocab(vocab, max_src_len):
    global _VOCAB
    _VOCAB = (vocab, max_src_len)


def _tokenize_pair(pair):
    vocab, max_src_len = _VOCAB
    src = vocab.encode(pair[0])[:max_src_len] or [vocab.unk_id]
    return src, vocab.encode(pair[1])


def drop_marker(marker_ids) -> callable:
    """A target filter that removes every occurrence of a piece sequence: CNN's "NEW:" update marker ("new :") heads
    10% of the training summaries, so a model trained on them writes "New: new: ..." for any text."""
    marker = np.asarray(marker_ids, dtype=np.int64)
    m = len(marker)

    def apply(tgt: np.ndarray) -> np.ndarray:
        t = np.asarray(tgt)
        if len(t) < m:
            return t
        hits = np.flatnonzero(np.all(np.lib.stride_tricks.sliding_window_view(t, m) == marker, axis=1))
        if not len(hits):
            return t
        keep = np.ones(len(t), dtype=bool)
        for h in hits:
            keep[h:h + m] = False
        return t[keep]
    return apply


def target_with_specials(tgt: np.ndarray, bos: int, eos: int, max_tgt_len: int) -> np.ndarray:
    """[BOS] + summary ids truncated to max_tgt_len − 1 + [EOS] (DESIGN.md "Tokenizer"): decoder input is [:-1],
    the labels [1:]."""
    return np.concatenate([[bos], tgt[: max_tgt_len - 1], [eos]]).astype(np.int64)


def collate(split: EncodedSplit, rows, cfg, max_src_len: int | None = None):
    """Padded tensors: src_ids (B, S), src_attention (B, S), memory (B, S, d) float32, tgt_in (B, T), tgt_out (B, T)
    with pad_id where there is no label."""
    max_src_len = max_src_len or cfg.max_src_len
    items = [split.row(i) for i in rows]
    S = max(min(len(s), max_src_len) for s, _, _ in items)
    seqs = [target_with_specials(t, cfg.bos_id, cfg.eos_id, cfg.max_tgt_len) for _, _, t in items]
    T = max(len(q) - 1 for q in seqs)
    B = len(items)
    src = torch.full((B, S), cfg.pad_id, dtype=torch.long)
    att = torch.zeros(B, S, dtype=torch.long)
    mem = torch.zeros(B, S, cfg.d_model) if items[0][1] is not None else None  # None: the encoder runs in the step
    tin = torch.full((B, T), cfg.pad_id, dtype=torch.long)
    tout = torch.full((B, T), cfg.pad_id, dtype=torch.long)
    for b, ((s, m, _), q) in enumerate(zip(items, seqs)):
        n = min(len(s), max_src_len)
        src[b, :n] = torch.from_numpy(s[:n].astype(np.int64))
        att[b, :n] = 1
        if mem is not None:
            mem[b, :n] = torch.from_numpy(np.asarray(m[:n], dtype=np.float32))
        tin[b, : len(q) - 1] = torch.from_numpy(q[:-1])
        tout[b, : len(q) - 1] = torch.from_numpy(q[1:])
    return src, att, mem, tin, tout


def batches(split: EncodedSplit, n_rows: int, batch_size: int, rng: np.random.Generator, bucket: int = 50):
    """One epoch over the first n_rows rows: shuffled, then grouped by target length within buckets of
    `bucket` batches (less padding), batch order shuffled again."""
    order = rng.permutation(n_rows)
    lengths = split.index[:n_rows, 3]
    out = []
    for start in range(0, n_rows, batch_size * bucket):
        chunk = order[start:start + batch_size * bucket]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        out.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def write_split(folder: str | Path, rows, meta: dict):
    """Writes a cache folder as training/encode does (tests, and caches made by PyTorch when fine-tuning):
    rows = iterable of (src ids, memory (S, d) float, tgt ids)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.json").write_text(json.dumps(meta, indent=2))
    so = to = 0
    with open(folder / "src.i32", "wb") as fs, open(folder / "tgt.i32", "wb") as ft, \
            open(folder / "mem.f16", "wb") as fm, open(folder / "index.i64", "wb") as fi:
        for src, mem, tgt in rows:
            src, tgt = np.asarray(src, dtype=np.int32), np.asarray(tgt, dtype=np.int32)
            fs.write(src.tobytes())
            ft.write(tgt.tobytes())
            fm.write(np.asarray(mem, dtype=np.float16).tobytes())
            fi.write(np.array([so, len(src), to, len(tgt)], dtype=np.int64).tobytes())
            so += len(src)
            to += len(tgt)
