"""Pretrained BERT encoder + warm-started post-LN decoder with a generation shortlist and a copy mechanism.

Read top to bottom: config, attention, feed-forward, encoder layer (BERT, as in the ONNX graph), decoder layer,
model, warm start. The math is docs/DESIGN.md's, term for term; src/Inference/Decoder mirrors the decoder half.
Shapes: B batch, S source length, T target length, nh heads, d_k head size, V vocabulary, G shortlist (n_gen).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# Additive mask value for "not allowed"; finite so exported graphs stay NaN-free (exp underflows to 0).
NEG_INF = -1e9


@dataclass
class ModelConfig:
    """Every size of the model, and the only place their defaults are stated; saved in each checkpoint and as `model` in
    the bundle's config.json, whose keys are these names. src/Inference/Bundle/ModelConfig.cs reads every one (its
    property names in the comments)."""
    vocab_size: int = 30522  # VocabSize: the encoder's WordPiece vocabulary, V
    d_model: int = 384  # DModel: the encoder's hidden size
    n_heads: int = 12  # HeadCount: attention heads per decoder layer
    d_ff: int = 1536  # FeedForwardDim: hidden width of the decoder's feed-forward layers
    n_dec_layers: int = 2  # DecoderLayers
    n_gen: int = 8000  # ShortlistSize: the generation shortlist, G (the other ids are reachable by copying only)
    max_src_len: int = 384  # MaxSourceLength: most source tokens, [CLS] and [SEP] not counted
    max_tgt_len: int = 128  # MaxTargetLength: most decoder positions, BOS included
    norm_eps: float = 1e-12  # NormEps: LayerNorm epsilon, BERT's
    pad_id: int = 0  # PadId: [PAD]
    unk_id: int = 100  # UnkId: [UNK]
    bos_id: int = 101  # BosId: [CLS], the decoder's first input
    eos_id: int = 102  # EosId: [SEP], generation stops there

    @property
    def head_dim(self) -> int:
        """HeadDim: the width of one attention head, d_k = d_model / n_heads."""
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
        for name in ("vocab_size", "d_model", "n_heads", "d_ff", "n_dec_layers", "n_gen", "max_src_len", "max_tgt_len"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0")


# Named presets; the CLI starts from one and overrides single fields.
PRESETS = {
    "tiny": ModelConfig(d_ff=256, n_dec_layers=1, n_gen=256, max_src_len=128, max_tgt_len=32),
    "base": ModelConfig(),
}


def padding_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, S) with 1 = token, 0 = pad  ->  additive (B, 1, 1, S) mask: 0 allowed, NEG_INF padded."""
    return ((1.0 - attention_mask.to(torch.float32)) * NEG_INF)[:, None, None, :]


def causal_mask(t: int, device) -> torch.Tensor:
    """(1, 1, T, T) additive mask: position i may attend to j <= i only."""
    allowed = torch.ones(t, t, dtype=torch.bool, device=device).tril()
    return torch.zeros(t, t, device=device).masked_fill(~allowed, NEG_INF)[None, None]


def bmm(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a @ b over equal leading dims. Debian's CPU torch 1.13 runs batched matmul without BLAS (measured 10x slower
    than a loop of mm at attention's shapes), so on CPU loop over the batch."""
    if a.is_cuda or torch.jit.is_tracing():  # exported graphs keep one MatMul
        return a @ b
    lead = a.shape[:-2]
    x, y = a.reshape(-1, *a.shape[-2:]), b.reshape(-1, *b.shape[-2:])
    return torch.stack([torch.mm(p, q) for p, q in zip(x, y)]).reshape(*lead, a.shape[-2], b.shape[-1])


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    # The decoder's GELU, written out so the C# decoder (Activations.GeluTanh) computes the same function.
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)))


class MultiHeadAttention(nn.Module):
    """MHA(x, m, mask) = Linear_o(concat_h softmax(q_h k_h^T / sqrt(d_k) + mask) v_h)."""

    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.0):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, d_model // n_heads  # head_dim: d_k
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.o = nn.Linear(d_model, d_model)
        self.dropout = dropout

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        B, L, _ = x.shape
        return x.view(B, L, self.n_heads, self.head_dim).transpose(1, 2)  # (B, nh, L, d_k)

    def forward(self, x, m, mask, kv=None):
        """x (B, T, d), m (B, S, d) -> out (B, T, d), weights A (B, nh, T, S).
        kv: precomputed (k, v) each (B, nh, S, d_k), used instead of projecting m."""
        q = self.split_heads(self.q(x))
        k, v = kv if kv is not None else (self.split_heads(self.k(m)), self.split_heads(self.v(m)))
        att = torch.softmax(bmm(q, k.transpose(-2, -1)) / math.sqrt(self.head_dim) + mask, dim=-1)  # A (B, nh, T, S)
        weights = att
        if self.training and self.dropout > 0:
            att = F.dropout(att, self.dropout)
        out = bmm(att, v.expand(*att.shape[:2], *v.shape[2:]))  # (B, nh, T, d_k)
        B, _, T, _ = out.shape
        return self.o(out.transpose(1, 2).reshape(B, T, -1)), weights


class FeedForward(nn.Module):
    """FFN(x) = fc2(act(fc1(x)))."""

    def __init__(self, d_model: int, d_ff: int, act):
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)
        self.act = act

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class EncoderLayer(nn.Module):
    """BERT layer (post-LN, exact GELU): x = LN1(x + MHA(x, x)); x = LN2(x + FFN(x))."""

    def __init__(self, d_model: int, n_heads: int, d_ff: int, eps: float):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.ln1 = nn.LayerNorm(d_model, eps=eps)
        self.ffn = FeedForward(d_model, d_ff, F.gelu)
        self.ln2 = nn.LayerNorm(d_model, eps=eps)

    def forward(self, x, mask):
        x = self.ln1(x + self.self_attn(x, x, mask)[0])
        return self.ln2(x + self.ffn(x))


class Encoder(nn.Module):
    """The pretrained encoder as its ONNX graph computes it: memory = rows 1..S of BERT([CLS] src [SEP]).
    Its vocabulary, width, heads and epsilon are the model's (cfg); the rest are BERT's own, read off its weights."""

    def __init__(self, cfg: ModelConfig, intermediate_size: int, n_layers: int, max_positions: int):
        super().__init__()
        d_model, n_heads, eps = cfg.d_model, cfg.n_heads, cfg.norm_eps
        self.embed = nn.Embedding(cfg.vocab_size, d_model)
        self.pos = nn.Embedding(max_positions, d_model)
        self.token_type = nn.Embedding(2, d_model)
        self.emb_ln = nn.LayerNorm(d_model, eps=eps)
        self.layers = nn.ModuleList([EncoderLayer(d_model, n_heads, intermediate_size, eps) for _ in range(n_layers)])

    def bert(self, input_ids, attention_mask, token_type_ids=None):
        """The ONNX graph's function: (B, L) ids, mask and token types (default 0) -> last_hidden_state (B, L, d)."""
        L = input_ids.shape[1]
        types = self.token_type.weight[0] if token_type_ids is None else self.token_type(token_type_ids)
        x = self.emb_ln(self.embed(input_ids) + self.pos.weight[:L] + types)
        m = padding_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, m)
        return x

    def forward(self, src_ids, src_attention, cls_id: int, sep_id: int):
        """src_ids, src_attention (B, S) int64 (right-padded) -> memory (B, S, d)."""
        B, S = src_ids.shape
        lengths = src_attention.sum(dim=1)
        ids = torch.cat([torch.full((B, 1), cls_id, dtype=src_ids.dtype, device=src_ids.device), src_ids,
                         torch.zeros_like(src_ids[:, :1])], 1)
        ids[torch.arange(B, device=ids.device), lengths + 1] = sep_id  # [CLS] src [SEP] pad...
        mask = (torch.arange(S + 2, device=ids.device)[None, :] <= (lengths + 1)[:, None]).long()  # CLS, source, SEP
        return self.bert(ids, mask)[:, 1:S + 1]


class DecoderLayer(nn.Module):
    """Post-LN: y = LN1(y + MHA(y, y, causal)); y = LN2(y + MHA(y, memory)); y = LN3(y + FFN(y))."""

    def __init__(self, cfg: ModelConfig, dropout: float = 0.0):
        super().__init__()
        self.self_attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, dropout)
        self.ln1 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.cross_attn = MultiHeadAttention(cfg.d_model, cfg.n_heads, dropout)
        self.ln2 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.ffn = FeedForward(cfg.d_model, cfg.d_ff, gelu_tanh)
        self.ln3 = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.drop = nn.Dropout(dropout)

    def forward(self, y, memory, self_mask, src_mask, cache=None, cross_kv=None):
        """y (B, T, d). cache: dict with 'k','v' (B, nh, T_past, d_k) for incremental decoding (updated in place).
        Returns y and the cross-attention weights (B, nh, T, S)."""
        kv = None
        if cache is not None:
            k_new, v_new = self.self_attn.split_heads(self.self_attn.k(y)), self.self_attn.split_heads(self.self_attn.v(y))
            if cache.get("k") is not None:
                k_new, v_new = torch.cat([cache["k"], k_new], dim=2), torch.cat([cache["v"], v_new], dim=2)
            cache["k"], cache["v"] = k_new, v_new  # (B, nh, T_past + 1, d_k)
            kv = (k_new, v_new)
        y = self.ln1(y + self.drop(self.self_attn(y, y, self_mask, kv=kv)[0]))
        c, weights = self.cross_attn(y, memory, src_mask, kv=cross_kv)
        y = self.ln2(y + self.drop(c))
        y = self.ln3(y + self.drop(self.ffn(y)))
        return y, weights


class Summarizer(nn.Module):
    """Decoder over a (frozen, pretrained) encoder's memory; `decode` returns what the loss and decoding need.
    `encoder` is built only when fine-tuning it or checking it against the ONNX graph (`attach_encoder`)."""

    def __init__(self, cfg: ModelConfig, dropout: float = 0.0):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)  # E: the encoder's word embedding, frozen
        self.embed.weight.requires_grad_(False)
        self.pos = nn.Embedding(cfg.max_tgt_len, cfg.d_model)
        self.emb_ln = nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps)
        self.dec = nn.ModuleList([DecoderLayer(cfg, dropout) for _ in range(cfg.n_dec_layers)])
        self.out = nn.Linear(cfg.d_model, cfg.n_gen)  # logits over the shortlist gen_ids
        self.register_buffer("gen_ids", torch.arange(cfg.n_gen, dtype=torch.long))
        self.gen = nn.Linear(2 * cfg.d_model, 1)  # copy gate p_gen = sigmoid(gen([h ; c]))
        self.drop = nn.Dropout(dropout)
        self.encoder: Encoder | None = None
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, mean=0.0, std=0.02)
                if isinstance(m, nn.Linear):
                    nn.init.zeros_(m.bias)

    def num_parameters(self) -> int:
        """The decoder's own parameters (E, which the encoder owns, and the encoder excluded)."""
        return sum(p.numel() for n, p in self.named_parameters() if not n.startswith(("embed.", "encoder.")))

    # ---- warm start (BERT2BERT) ----

    def warm_start(self, bert: dict, gen_ids, copy_bias: float = 0.0):
        """E, LN_emb, P (positions + token type 0) and each decoder layer's self-attention, FFN (its first d_ff units)
        and LayerNorms from BERT layer i; cross-attention new; W_out from E[gen_ids]."""
        t = {k: torch.from_numpy(np.asarray(v, dtype=np.float32)) for k, v in bert.items()}
        cfg = self.cfg
        with torch.no_grad():
            self.embed.weight.copy_(t["embeddings.word_embeddings.weight"])
            self.pos.weight.copy_(t["embeddings.position_embeddings.weight"][:cfg.max_tgt_len]
                                  + t["embeddings.token_type_embeddings.weight"][0])
            self.emb_ln.weight.copy_(t["embeddings.LayerNorm.weight"])
            self.emb_ln.bias.copy_(t["embeddings.LayerNorm.bias"])
            for i, layer in enumerate(self.dec):
                p = f"encoder.layer.{i}."
                for mine, theirs in (("q", "query"), ("k", "key"), ("v", "value")):
                    getattr(layer.self_attn, mine).weight.copy_(t[p + f"attention.self.{theirs}.weight"])
                    getattr(layer.self_attn, mine).bias.copy_(t[p + f"attention.self.{theirs}.bias"])
                layer.self_attn.o.weight.copy_(t[p + "attention.output.dense.weight"])
                layer.self_attn.o.bias.copy_(t[p + "attention.output.dense.bias"])
                layer.ln1.weight.copy_(t[p + "attention.output.LayerNorm.weight"])
                layer.ln1.bias.copy_(t[p + "attention.output.LayerNorm.bias"])
                layer.ffn.fc1.weight.copy_(t[p + "intermediate.dense.weight"][:cfg.d_ff])
                layer.ffn.fc1.bias.copy_(t[p + "intermediate.dense.bias"][:cfg.d_ff])
                layer.ffn.fc2.weight.copy_(t[p + "output.dense.weight"][:, :cfg.d_ff])
                layer.ffn.fc2.bias.copy_(t[p + "output.dense.bias"])
                layer.ln3.weight.copy_(t[p + "output.LayerNorm.weight"])
                layer.ln3.bias.copy_(t[p + "output.LayerNorm.bias"])
            gen_ids = torch.as_tensor(gen_ids, dtype=torch.long)
            self.gen_ids.copy_(gen_ids)
            self.out.weight.copy_(self.embed.weight[gen_ids])
            self.gen.bias.fill_(copy_bias)

    def attach_encoder(self, bert: dict, trainable: bool = False) -> Encoder:
        """Rebuilds the pretrained encoder from its weights (for fine-tuning, or to check it against the ONNX graph)."""
        n_layers = len({k.split(".")[2] for k in bert if k.startswith("encoder.layer.")})
        enc = Encoder(self.cfg,  # the decoder keeps the encoder's width, heads and epsilon
                      intermediate_size=bert["encoder.layer.0.intermediate.dense.weight"].shape[0], n_layers=n_layers,
                      max_positions=bert["embeddings.position_embeddings.weight"].shape[0])
        state = {"embed.weight": bert["embeddings.word_embeddings.weight"],
                 "pos.weight": bert["embeddings.position_embeddings.weight"],
                 "token_type.weight": bert["embeddings.token_type_embeddings.weight"],
                 "emb_ln.weight": bert["embeddings.LayerNorm.weight"], "emb_ln.bias": bert["embeddings.LayerNorm.bias"]}
        names = {"attention.self.query": "self_attn.q", "attention.self.key": "self_attn.k",
                 "attention.self.value": "self_attn.v", "attention.output.dense": "self_attn.o",
                 "attention.output.LayerNorm": "ln1", "intermediate.dense": "ffn.fc1", "output.dense": "ffn.fc2",
                 "output.LayerNorm": "ln2"}
        for k, v in bert.items():
            if k.startswith("encoder.layer."):
                i, rest = k.split(".")[2], ".".join(k.split(".")[3:])
                module, param = rest.rsplit(".", 1)
                state[f"layers.{i}.{names[module]}.{param}"] = v
        enc.load_state_dict({k: torch.from_numpy(np.asarray(v, dtype=np.float32)) for k, v in state.items()})
        for p in enc.parameters():
            p.requires_grad_(trainable)
        with torch.no_grad():
            self.embed.weight.copy_(enc.embed.weight)
        enc.embed.weight = self.embed.weight  # one E for encoder and decoder
        self.encoder = enc
        return enc

    def encode(self, src_ids, src_attention):
        return self.encoder(src_ids, src_attention, self.cfg.bos_id, self.cfg.eos_id)

    # ---- decoder ----

    def mix(self, h, memory, attn, copy_prior=None):
        """h (B, T, d), memory (B, S, d), attn = last layer's cross-attention (B, nh, T, S), copy_prior (B, S) in (0, 1]
        or None. Returns P_gen_vocab (B, T, G), copy attention a (B, T, S), p_gen (B, T): the C# DecoderState's
        ShortlistProbabilities, CopyDistribution and GenerationProbabilities."""
        a = attn.mean(dim=1)  # (B, T, S)
        if copy_prior is not None:  # bottom-up attention: a_j <- a_j s_j / sum_k a_k s_k (C#: DecoderState.CopyPrior)
            a = a * copy_prior[:, None, :]
            a = a / a.sum(-1, keepdim=True)
        c = bmm(a, memory.expand(a.shape[0], *memory.shape[1:]))  # (B, T, d)
        p_gen = torch.sigmoid(self.gen(torch.cat([h, c], dim=-1))).squeeze(-1)  # (B, T)
        p_vocab = torch.softmax(self.out(h), dim=-1)  # (B, T, G)
        return p_vocab, a, p_gen

    def decode(self, tgt_ids, memory, src_attention, copy_prior=None):
        """Teacher-forced decoder over the whole target. tgt_ids (B, T) starts with BOS. Returns mix()'s three."""
        T = tgt_ids.shape[1]
        if T > self.cfg.max_tgt_len:
            raise ValueError(f"target length {T} exceeds max_tgt_len {self.cfg.max_tgt_len}")
        y = self.drop(self.emb_ln(self.embed(tgt_ids) + self.pos.weight[:T]))
        self_mask, src_mask = causal_mask(T, tgt_ids.device), padding_mask(src_attention)
        attn = None
        for layer in self.dec:
            y, attn = layer(y, memory, self_mask, src_mask)
        return self.mix(y, memory, attn, copy_prior)

    def target_probability(self, p_vocab, a, p_gen, src_ids, targets):
        """P(target) per position without the full-vocabulary tensor: p_gen·P_vocab[gen slot of target] +
        (1 − p_gen)·Σ_{j: src_j = target} a_j. Also returns which targets the model can produce at all."""
        slot = self.gen_slot[targets]  # (B, T), -1 when not in the shortlist
        in_gen = slot >= 0
        pv = torch.gather(p_vocab, 2, slot.clamp_min(0)[..., None]).squeeze(-1) * in_gen
        same = (src_ids[:, None, :] == targets[:, :, None])  # (B, T, S)
        pc = (a * same).sum(-1)
        return p_gen * pv + (1.0 - p_gen) * pc, in_gen | same.any(-1)

    @property
    def gen_slot(self) -> torch.Tensor:
        """(V,) position of each vocabulary id in gen_ids, -1 when absent."""
        if getattr(self, "_gen_slot", None) is None or self._gen_slot.device != self.gen_ids.device:
            s = torch.full((self.cfg.vocab_size,), -1, dtype=torch.long, device=self.gen_ids.device)
            s[self.gen_ids] = torch.arange(self.cfg.n_gen, device=self.gen_ids.device)
            self._gen_slot = s
        return self._gen_slot

    def full_log_probs(self, p_vocab, a, p_gen, src_ids):
        """log P(w) over the whole vocabulary (B, T, V), as the C# decoder writes it."""
        B, T, _ = p_vocab.shape
        p = torch.zeros(B, T, self.cfg.vocab_size, dtype=p_vocab.dtype, device=p_vocab.device)
        p[:, :, self.gen_ids] = p_gen[..., None] * p_vocab
        p.scatter_add_(2, src_ids[:, None, :].expand(-1, T, -1), (1.0 - p_gen[..., None]) * a)
        return torch.log(p.clamp_min(1e-12))

    # ---- incremental decoding (decoding.py; mirrors the C# decoder step) ----

    def cross_kv(self, memory):
        """Per decoder layer (k, v) of the cross-attention, each (B, nh, S, d_k); computed once per request."""
        return [(l.cross_attn.split_heads(l.cross_attn.k(memory)), l.cross_attn.split_heads(l.cross_attn.v(memory)))
                for l in self.dec]

    def decode_step(self, tokens, step, memory, src_ids, src_attention, caches, cross_kv, copy_prior=None):
        """One step: tokens (B,) at position `step`; caches a list of per-layer dicts (updated in place).
        Returns log_probs (B, V), copy attention (B, S), p_gen (B,): the C# IStepModel's LogProbs, CopyAttention and
        GenerationProbability."""
        if step >= self.cfg.max_tgt_len:
            raise ValueError(f"step {step} exceeds max_tgt_len {self.cfg.max_tgt_len}")
        y = self.emb_ln(self.embed(tokens)[:, None, :] + self.pos.weight[step])  # (B, 1, d)
        no_mask = torch.zeros(1, 1, 1, 1, device=tokens.device)  # a new token may see every cached one
        src_mask = padding_mask(src_attention)
        attn = None
        for i, layer in enumerate(self.dec):
            y, attn = layer(y, memory, no_mask, src_mask, cache=caches[i], cross_kv=cross_kv[i])
        p_vocab, a, p_gen = self.mix(y, memory, attn, copy_prior)
        return self.full_log_probs(p_vocab, a, p_gen, src_ids)[:, 0], a[:, 0], p_gen[:, 0]
