"""Transformer encoder-decoder summarizer with a copy mechanism (pointer-generator).

Read top to bottom: config, attention, feed-forward, encoder layer, decoder layer, model.
The math is docs/DESIGN.md's, term for term; the C# decoder mirrors the decoder half.
Shapes: B batch, S source length, T target length, nh heads, d_k head size, V vocabulary.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F

# Additive mask value for "not allowed"; finite so exported graphs and bf16 stay NaN-free (exp underflows to 0).
NEG_INF = -1e9


@dataclass
class ModelConfig:
    """Every size of the model; saved in each checkpoint and as `model` in the bundle's config.json."""
    vocab_size: int = 12000
    d_model: int = 384
    n_heads: int = 6
    d_ff: int = 1536
    n_enc_layers: int = 6
    n_dec_layers: int = 2
    max_src_len: int = 512
    max_tgt_len: int = 128
    norm_eps: float = 1e-5
    pad_id: int = 0
    unk_id: int = 1
    bos_id: int = 2
    eos_id: int = 3

    @property
    def d_k(self) -> int:
        return self.d_model // self.n_heads

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        names = {f.name for f in fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ValueError(f"unknown model config keys: {sorted(unknown)}")
        return cls(**d)

    def validate(self) -> None:
        if self.d_model % self.n_heads != 0:
            raise ValueError(f"d_model ({self.d_model}) must be divisible by n_heads ({self.n_heads})")
        for name in ("vocab_size", "d_model", "n_heads", "d_ff", "n_enc_layers", "n_dec_layers",
                     "max_src_len", "max_tgt_len"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0")


# Named presets; the CLI starts from one and overrides single fields.
PRESETS = {
    "tiny": ModelConfig(vocab_size=1000, d_model=64, n_heads=4, d_ff=128, n_enc_layers=2, n_dec_layers=2,
                        max_src_len=256, max_tgt_len=64),
    "base": ModelConfig(vocab_size=12000, d_model=384, n_heads=6, d_ff=1536, n_enc_layers=6, n_dec_layers=2,
                        max_src_len=512, max_tgt_len=128),
}


def padding_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, S) with 1 = token, 0 = pad  ->  additive (B, 1, 1, S) mask: 0 allowed, NEG_INF padded."""
    return ((1.0 - attention_mask.to(torch.float32)) * NEG_INF)[:, None, None, :]


def causal_mask(t: int, device) -> torch.Tensor:
    """(1, 1, T, T) additive mask: position i may attend to j <= i only."""
    allowed = torch.ones(t, t, dtype=torch.bool, device=device).tril()
    return torch.zeros(t, t, device=device).masked_fill(~allowed, NEG_INF)[None, None]


class MultiHeadAttention(nn.Module):
    """MHA(x, m, mask) = Linear_o(concat_h softmax(q_h k_h^T / sqrt(d_k) + mask) v_h)."""

    def __init__(self, cfg: ModelConfig, dropout: float = 0.0):
        super().__init__()
        self.n_heads, self.d_k = cfg.n_heads, cfg.d_k
        self.q = nn.Linear(cfg.d_model, cfg.d_model)
        self.k = nn.Linear(cfg.d_model, cfg.d_model)
        self.v = nn.Linear(cfg.d_model, cfg.d_model)
        self.o = nn.Linear(cfg.d_model, cfg.d_model)
        self.dropout = dropout

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        B, L, _ = x.shape
        return x.view(B, L, self.n_heads, self.d_k).transpose(1, 2)  # (B, nh, L, d_k)

    def attend(self, q, k, v, mask, need_weights: bool):
        """q (B, nh, T, d_k), k/v (B, nh, S, d_k), additive mask broadcastable to (B, nh, T, S)."""
        if not need_weights and hasattr(F, "scaled_dot_product_attention") and not torch.jit.is_tracing():
            # Fast path (PyTorch 2.x); same math as the reference below.
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask.to(q.dtype),
                                                 dropout_p=self.dropout if self.training else 0.0)
            return out, None
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.d_k)  # (B, nh, T, S)
        att = torch.softmax(att.float() + mask, dim=-1)
        weights = att
        if self.training and self.dropout > 0:
            att = F.dropout(att, self.dropout)
        out = att.to(v.dtype) @ v  # (B, nh, T, d_k)
        return out, weights

    def forward(self, x, m, mask, need_weights: bool = False, kv=None):
        """x (B, T, d), m (B, S, d) -> out (B, T, d), weights (B, nh, T, S) or None.
        kv: precomputed (k, v) each (B, nh, S, d_k), used instead of projecting m."""
        q = self.split_heads(self.q(x))
        k, v = kv if kv is not None else (self.split_heads(self.k(m)), self.split_heads(self.v(m)))
        out, weights = self.attend(q, k, v, mask, need_weights)
        B, _, T, _ = out.shape
        out = out.transpose(1, 2).reshape(B, T, self.n_heads * self.d_k)  # (B, T, d)
        return self.o(out), weights


class FeedForward(nn.Module):
    """FFN(x) = fc2(GELU_tanh(fc1(x)))."""

    def __init__(self, cfg: ModelConfig, dropout: float = 0.0):
        super().__init__()
        self.fc1 = nn.Linear(cfg.d_model, cfg.d_ff)
        self.fc2 = nn.Linear(cfg.d_ff, cfg.d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.drop(self.fc2(gelu_tanh(self.fc1(x))))


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    # Written out (not F.gelu(approximate="tanh")) so every PyTorch version and the ONNX export agree.
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)))


class EncoderLayer(nn.Module):
    def __init__(self, cfg: ModelConfig, dropout: float = 0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.self_attn = MultiHeadAttention(cfg, dropout)
        self.ln2 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.ffn = FeedForward(cfg, dropout)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, src_mask):
        h = self.ln1(x)
        x = x + self.drop(self.self_attn(h, h, src_mask)[0])
        return x + self.ffn(self.ln2(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: ModelConfig, dropout: float = 0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.self_attn = MultiHeadAttention(cfg, dropout)
        self.ln2 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.cross_attn = MultiHeadAttention(cfg, dropout)
        self.ln3 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.ffn = FeedForward(cfg, dropout)
        self.drop = nn.Dropout(dropout)

    def forward(self, y, memory, self_mask, src_mask, need_weights=False, cache=None, cross_kv=None):
        """y (B, T, d). cache: dict with 'k','v' (B, nh, T_past, d_k) for incremental decoding (updated in place).
        Returns y and the cross-attention weights (B, nh, T, S) when need_weights."""
        h = self.ln1(y)
        if cache is None:
            a, _ = self.self_attn(h, h, self_mask)
        else:
            k_new, v_new = self.self_attn.split_heads(self.self_attn.k(h)), self.self_attn.split_heads(self.self_attn.v(h))
            if cache.get("k") is not None:
                k_new, v_new = torch.cat([cache["k"], k_new], dim=2), torch.cat([cache["v"], v_new], dim=2)
            cache["k"], cache["v"] = k_new, v_new  # (B, nh, T_past + 1, d_k)
            a, _ = self.self_attn(h, None, self_mask, kv=(k_new, v_new))
        y = y + self.drop(a)
        c, weights = self.cross_attn(self.ln2(y), memory, src_mask, need_weights=need_weights, kv=cross_kv)
        y = y + self.drop(c)
        y = y + self.ffn(self.ln3(y))
        return y, weights


class Summarizer(nn.Module):
    """Encoder-decoder; `forward` returns per-position log P(w) of the copy-mixed distribution."""

    def __init__(self, cfg: ModelConfig, dropout: float = 0.0):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.enc_pos = nn.Embedding(cfg.max_src_len, cfg.d_model)
        self.dec_pos = nn.Embedding(cfg.max_tgt_len, cfg.d_model)
        self.enc = nn.ModuleList([EncoderLayer(cfg, dropout) for _ in range(cfg.n_enc_layers)])
        self.enc_ln = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.dec = nn.ModuleList([DecoderLayer(cfg, dropout) for _ in range(cfg.n_dec_layers)])
        self.dec_ln = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.gen = nn.Linear(2 * cfg.d_model, 1)  # copy gate p_gen = sigmoid(gen([h ; c]))
        self.drop = nn.Dropout(dropout)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def encode(self, src_ids, src_attention):
        """src_ids, src_attention (B, S) int64 -> memory (B, S, d)."""
        S = src_ids.shape[1]
        if S > self.cfg.max_src_len:
            raise ValueError(f"source length {S} exceeds max_src_len {self.cfg.max_src_len}")
        x = self.drop(self.embed(src_ids) + self.enc_pos.weight[:S])
        mask = padding_mask(src_attention)
        for layer in self.enc:
            x = layer(x, mask)
        return self.enc_ln(x)

    def output(self, h, memory, src_ids, attn):
        """h (B, T, d), memory (B, S, d), attn = last layer's cross-attention (B, nh, T, S).
        Returns log_probs (B, T, V), copy attention a (B, T, S), p_gen (B, T)."""
        h, memory = h.float(), memory.float()
        a = attn.float().mean(dim=1)  # (B, T, S)
        c = a @ memory  # (B, T, d)
        p_gen = torch.sigmoid(self.gen(torch.cat([h, c], dim=-1)).float()).squeeze(-1)  # (B, T)
        p_vocab = torch.softmax(h @ self.embed.weight.float().t(), dim=-1)  # (B, T, V)
        index = src_ids[:, None, :].expand(-1, a.shape[1], -1)  # (B, T, S)
        p_copy = torch.zeros_like(p_vocab).scatter_add(2, index, a)  # (B, T, V)
        p = p_gen[..., None] * p_vocab + (1.0 - p_gen[..., None]) * p_copy
        return torch.log(p.clamp_min(1e-12)), a, p_gen

    def decode(self, tgt_ids, memory, src_ids, src_attention):
        """Teacher-forced decoder over the whole target. tgt_ids (B, T) starts with BOS."""
        T = tgt_ids.shape[1]
        if T > self.cfg.max_tgt_len:
            raise ValueError(f"target length {T} exceeds max_tgt_len {self.cfg.max_tgt_len}")
        y = self.drop(self.embed(tgt_ids) + self.dec_pos.weight[:T])
        self_mask, src_mask = causal_mask(T, tgt_ids.device), padding_mask(src_attention)
        attn = None
        for i, layer in enumerate(self.dec):
            y, attn = layer(y, memory, self_mask, src_mask, need_weights=(i == len(self.dec) - 1))
        return self.output(self.dec_ln(y), memory, src_ids, attn)

    def forward(self, src_ids, src_attention, tgt_ids):
        memory = self.encode(src_ids, src_attention)
        return self.decode(tgt_ids, memory, src_ids, src_attention)

    # ---- incremental decoding (used by decoding.py and the decoder.onnx export) ----

    def cross_kv(self, memory):
        """Per decoder layer (k, v) of the cross-attention, each (B, nh, S, d_k); computed once per request."""
        return [(l.cross_attn.split_heads(l.cross_attn.k(memory)), l.cross_attn.split_heads(l.cross_attn.v(memory)))
                for l in self.dec]

    def decode_step(self, tokens, step, memory, src_ids, src_attention, caches, cross_kv):
        """One step: tokens (B,) at position `step`; caches a list of per-layer dicts (updated in place).
        Returns log_probs (B, V), copy attention (B, S), p_gen (B,)."""
        if step >= self.cfg.max_tgt_len:
            raise ValueError(f"step {step} exceeds max_tgt_len {self.cfg.max_tgt_len}")
        y = self.embed(tokens)[:, None, :] + self.dec_pos.weight[step]  # (B, 1, d)
        no_mask = torch.zeros(1, 1, 1, 1, device=tokens.device)  # a new token may see every cached one
        src_mask = padding_mask(src_attention)
        attn = None
        for i, layer in enumerate(self.dec):
            y, attn = layer(y, memory, no_mask, src_mask, need_weights=(i == len(self.dec) - 1),
                            cache=caches[i], cross_kv=cross_kv[i])
        log_probs, a, p_gen = self.output(self.dec_ln(y), memory, src_ids, attn)
        return log_probs[:, 0], a[:, 0], p_gen[:, 0]
