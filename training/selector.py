"""Sentence selector over the frozen encoder's memory: which source sentences a summary should say.

Read top to bottom: config, additive attention pooling, the sentence layer, the model, the top-k selection.
src/Inference/Selector mirrors it term for term. Shapes: B batch, S source tokens, N sentences, d_mem the encoder's
width, d the selector's, nh heads, d_a the pooling's hidden width.

  p_j   = Σ_{t ∈ sentence j} α_t m_t,   α = softmax_t(vᵀ tanh(W_q u + W_k m_t + b))    (Bahdanau pooling, learned query u)
  x̄_j   = mean_{t ∈ sentence j} m_t
  h_j^0 = W_in [p_j ; x̄_j] + b_in + P[min(j, N_max − 1)]                               (sentence-position embedding P)
  h^l   = post-LN layer: h = LN1(h + MHA(h, h)); h = LN2(h + FFN(h))                   (over the sentences, as the decoder's)
  z_j   = wᵀ h_j^L + c                                                                  (logit of "the oracle picks j")
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import NEG_INF, FeedForward, MultiHeadAttention, gelu_tanh


@dataclass
class SelectorConfig:
    """Every size of the selector; saved in its checkpoint and as `selector` in the bundle's config.json."""
    d_mem: int = 384  # the encoder's width
    d_model: int = 256
    n_heads: int = 4
    d_ff: int = 1024
    n_layers: int = 2
    d_attn: int = 128  # hidden width of the additive pooling
    max_sentences: int = 64  # sentence positions; later sentences share the last one
    norm_eps: float = 1e-5

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "SelectorConfig":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


class AdditivePooling(nn.Module):
    """p_j = Σ_t α_t m_t over sentence j's tokens, α = softmax(vᵀ tanh(W_q u + W_k m_t + b)): Bahdanau attention from one
    learned query u (src/Attention's AdditiveAttention, one query per sentence, masked to that sentence's tokens)."""

    def __init__(self, d_mem: int, d_attn: int):
        super().__init__()
        self.u = nn.Parameter(torch.randn(d_mem) * 0.02)
        self.w_q = nn.Linear(d_mem, d_attn, bias=False)
        self.w_k = nn.Linear(d_mem, d_attn)
        self.v = nn.Linear(d_attn, 1, bias=False)

    def forward(self, m, member):
        """m (B, S, d_mem), member (B, N, S) bool: token t belongs to sentence j -> p (B, N, d_mem)."""
        e = self.v(torch.tanh(self.w_q(self.u) + self.w_k(m))).squeeze(-1)  # (B, S): one query, so one score per token
        e = e[:, None, :] + torch.where(member, 0.0, NEG_INF)  # (B, N, S)
        alpha = torch.softmax(e, dim=-1) * member  # an empty (padding) sentence gets zero weights
        return torch.bmm(alpha, m)


class SentenceLayer(nn.Module):
    """Post-LN, as the decoder's layers: h = LN1(h + MHA(h, h)); h = LN2(h + FFN(h))."""

    def __init__(self, cfg: SelectorConfig, dropout: float = 0.0):
        super().__init__()
        self.self_attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, dropout)
        self.ln1 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.ffn = FeedForward(cfg.d_model, cfg.d_ff, gelu_tanh)
        self.ln2 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.drop = nn.Dropout(dropout)

    def forward(self, h, mask):
        a, weights = self.self_attn(h, h, mask)
        h = self.ln1(h + self.drop(a))
        return self.ln2(h + self.drop(self.ffn(h))), weights


class SentenceSelector(nn.Module):
    def __init__(self, cfg: SelectorConfig, dropout: float = 0.0):
        super().__init__()
        self.cfg = cfg
        self.pool = AdditivePooling(cfg.d_mem, cfg.d_attn)
        self.proj = nn.Linear(2 * cfg.d_mem, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_sentences, cfg.d_model)
        self.layers = nn.ModuleList([SentenceLayer(cfg, dropout) for _ in range(cfg.n_layers)])
        self.score = nn.Linear(cfg.d_model, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, m, member):
        """m (B, S, d_mem) memory, member (B, N, S) bool -> logits z (B, N), last layer's weights A (B, nh, N, N).
        A sentence with no token (padding) gets a logit but no attention from or to the others' point of view."""
        B, N, _ = member.shape
        count = member.sum(-1, keepdim=True)  # (B, N, 1)
        mean = torch.bmm(member.to(m.dtype), m) / count.clamp_min(1)
        positions = torch.arange(N, device=m.device).clamp_max(self.cfg.max_sentences - 1)
        h = self.drop(self.proj(torch.cat([self.pool(m, member), mean], -1)) + self.pos(positions))
        mask = torch.where(count.squeeze(-1) > 0, 0.0, NEG_INF)[:, None, None, :]  # (B, 1, 1, N): no padding keys
        weights = None
        for layer in self.layers:
            h, weights = layer(h, mask)
        return self.score(h).squeeze(-1), weights


def membership(ranges: list[tuple[int, int]], n_tokens: int) -> torch.Tensor:
    """Sentence j owns tokens [start_j, end_j) -> (N, S) bool."""
    member = torch.zeros(len(ranges), n_tokens, dtype=torch.bool)
    for j, (start, end) in enumerate(ranges):
        member[j, start:end] = True
    return member


def trigrams(ids) -> set:
    return {tuple(ids[i:i + 3]) for i in range(len(ids) - 2)}


def select(scores, sentence_ids: list[list[int]], count: int, block_trigrams: bool = True) -> list[int]:
    """The top `count` sentences by score, skipping one that repeats a trigram of the model tokens already chosen
    (BERTSum's trigram blocking); returned by rank. Ties go to the earlier sentence."""
    order = sorted(range(len(sentence_ids)), key=lambda j: (-float(scores[j]), j))
    chosen, seen = [], set()
    for j in order:
        if len(chosen) == count:
            break
        t = trigrams(sentence_ids[j])
        if block_trigrams and t & seen:
            continue
        chosen.append(j)
        seen |= t
    return chosen
