"""The decoder half of docs/DESIGN.md in plain NumPy, reading only the bundle's decoder.safetensors.

It is what the C# decoder does, written a second way: tests use it to check that a bundle (weights + memory)
reproduces PyTorch's parity fixtures, so a wrong tensor name, layout or formula in the bundle cannot pass.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import safetensors_io


def _ln(x, g, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * g + b


def _gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


class NumpyDecoder:
    """Incremental decoder for one source: step(token) -> (log_probs (V,), copy attention (S,), p_gen)."""

    def __init__(self, bundle_dir: Path, memory: np.ndarray, src_ids: list[int]):
        bundle_dir = Path(bundle_dir)
        self.cfg = json.loads((bundle_dir / "config.json").read_text())["model"]
        w, _ = safetensors_io.load(bundle_dir / "decoder.safetensors")
        self.w = {k: v.astype(np.float32) for k, v in w.items()}
        self.memory = memory.astype(np.float32)  # (S, d)
        self.src_ids = np.asarray(src_ids, dtype=np.int64)
        self.nh = self.cfg["n_heads"]
        self.dk = self.cfg["d_model"] // self.nh
        self.eps = self.cfg["norm_eps"]
        L = self.cfg["n_dec_layers"]
        # Cross-attention keys/values once per source; self-attention caches grow one row per step.
        self.cross = [(self._heads(self._lin(self.memory, f"dec.{i}.cross_attn.k")),
                       self._heads(self._lin(self.memory, f"dec.{i}.cross_attn.v"))) for i in range(L)]
        self.cache = [([], []) for _ in range(L)]
        self.pos = 0

    def _lin(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _heads(self, x):  # (L, d) -> (nh, L, d_k)
        return x.reshape(x.shape[0], self.nh, self.dk).transpose(1, 0, 2)

    def _attend(self, q, k, v):  # q (nh, 1, d_k), k/v (nh, L, d_k) -> out (1, d), weights (nh, 1, L)
        a = _softmax(q @ k.transpose(0, 2, 1) / np.sqrt(self.dk))
        return (a @ v).transpose(1, 0, 2).reshape(1, -1), a

    def step(self, token: int):
        w, eps = self.w, self.eps
        y = w["embed.weight"][token][None] + w["dec_pos.weight"][self.pos][None]  # (1, d)
        a = None
        for i in range(self.cfg["n_dec_layers"]):
            p = f"dec.{i}."
            h = _ln(y, w[p + "ln1.weight"], w[p + "ln1.bias"], eps)
            ks, vs = self.cache[i]
            ks.append(self._lin(h, p + "self_attn.k")[0])
            vs.append(self._lin(h, p + "self_attn.v")[0])
            q = self._heads(self._lin(h, p + "self_attn.q"))
            out, _ = self._attend(q, self._heads(np.stack(ks)), self._heads(np.stack(vs)))
            y = y + self._lin(out, p + "self_attn.o")
            h = _ln(y, w[p + "ln2.weight"], w[p + "ln2.bias"], eps)
            out, a = self._attend(self._heads(self._lin(h, p + "cross_attn.q")), *self.cross[i])
            y = y + self._lin(out, p + "cross_attn.o")
            h = _ln(y, w[p + "ln3.weight"], w[p + "ln3.bias"], eps)
            y = y + self._lin(_gelu(self._lin(h, p + "ffn.fc1")), p + "ffn.fc2")
        h = _ln(y, w["dec_ln.weight"], w["dec_ln.bias"], eps)[0]  # (d,)
        att = a.mean(axis=0)[0]  # (S,) last layer, mean over heads
        c = att @ self.memory
        p_gen = 1.0 / (1.0 + np.exp(-(np.concatenate([h, c]) @ w["gen.weight"][0] + w["gen.bias"][0])))
        p = p_gen * _softmax(w["embed.weight"] @ h)
        np.add.at(p, self.src_ids, (1.0 - p_gen) * att)
        self.pos += 1
        return np.log(np.maximum(p, 1e-12)), att, float(p_gen)


class NumpyBeamStepper:
    """decoding.py's step interface over NumpyDecoder instances (one per live hypothesis)."""

    def __init__(self, bundle_dir: Path, memory: np.ndarray, src_ids: list[int], bos_id: int):
        self.make = lambda: NumpyDecoder(bundle_dir, memory, src_ids)
        self.decoders = [self.make()]
        self.bos = bos_id

    def __call__(self, last_tokens, parents):
        import copy
        self.decoders = [copy.deepcopy(self.decoders[p]) for p in parents]
        return np.stack([d.step(self.bos if t is None else t)[0] for d, t in zip(self.decoders, last_tokens)])
