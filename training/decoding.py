"""Reference decoding: greedy and beam search exactly as docs/DESIGN.md "Decoding" (the C# decoder matches it
token for token). The search is kept apart from the model: it only needs a `step(tokens, hyp_index) -> log_probs`.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

# The decoding options' contract (names, types, ranges), the one file C# embeds too (DecodingOptionsValidator.Rules).
RULES_FILE = Path(__file__).resolve().parents[1] / "src" / "Inference" / "decoding-rules.json"
RULES: list[dict] = json.loads(RULES_FILE.read_text())["options"]


@dataclass
class DecodingOptions:
    """Generation settings (Hugging Face names, config.json's keys), checked by RULES. A bundle states every one (its
    "decoding" section is the service's only defaults); the defaults here are what export.py writes for a flag not given."""
    num_beams: int = 4  # 1 = greedy
    max_length: int = 100  # most generated tokens, EOS included
    min_length: int = 0  # fewest generated tokens before EOS is allowed
    no_repeat_ngram_size: int = 0  # 0 = off
    length_penalty: float = 1.0  # finished score = sum log p / len ** length_penalty
    early_stopping: bool = False  # stop once num_beams hypotheses are finished
    # Grounded decoding (DESIGN.md) is the C# search's alone (src/Inference/Decoding/SourceGrounding.cs): bundles carry
    # these so the service applies them; this reference search implements the plain rules and refuses grounded=True.
    grounded: bool = False
    no_repeat_word_ngram_size: int = 0  # with grounded: no word n-gram twice
    max_word_repeats: int = 0  # with grounded: most times one content word; 0 = no limit
    source_phrase_bonus: float = 0.0  # with grounded: log-prob bonus for a piece that follows the previous one in the source
    select_sentences: int = 0  # content selection (C# only): the decoder reads the k sentences the selector ranks highest
    copy_salience: float = 0.0  # bottom-up attention (C# only): copy attention weighted by sentence salience ** this; 0 = off

    def validate(self, max_tgt_len: int | None = None):
        """check_ranges, then refuses what only the C# search does (grounding, content selection, copy salience)."""
        self.check_ranges(max_tgt_len)
        if self.grounded:
            raise ValueError("grounded decoding is the C# search's (SourceGrounding); this reference search has the plain rules")
        if self.select_sentences:
            raise ValueError("content selection is the C# summarizer's (its sentence selector); this reference search reads the whole source")
        if self.copy_salience:
            raise ValueError("copy salience is the C# summarizer's (its sentence selector); here the model's copy_prior argument takes a prior")

    def check_ranges(self, max_tgt_len: int | None = None):
        """Every range of RULES, as C#'s DecodingOptionsValidator checks them (max_length <= max_tgt_len only when given)."""
        values = asdict(self)
        keys = {rule["name"]: rule["key"] for rule in RULES}
        for rule in RULES:
            if rule["type"] == "bool":
                continue
            key, value, high = rule["key"], values[rule["key"]], rule["max"]
            if high == "maxTargetLength":
                high, high_text = max_tgt_len, f"max_tgt_len ({max_tgt_len})"
            elif high in keys:  # another option bounds it: min_length by max_length
                high, high_text = values[keys[high]], f"{keys[high]} ({values[keys[high]]})"
            elif isinstance(high, str):  # the C# side's own bound (maxSentenceCount): validate refuses select_sentences
                high, high_text = None, high
            else:
                high_text = f"{high}"
            if not (rule["min"] <= value and (high is None or value <= high)):
                raise ValueError(f"{key} must be in {rule['min']}..{high_text}; got {value}")


def banned_ngram_tokens(tokens: list[int], n: int) -> list[int]:
    """Tokens w such that (last n-1 tokens, w) already occurs as an n-gram in `tokens` (generated, BOS excluded)."""
    t = len(tokens)
    if n <= 0 or t + 1 < n:
        return []
    prefix = tuple(tokens[t - n + 1:]) if n > 1 else ()
    banned = []
    for i in range(t - n + 1):
        if tuple(tokens[i:i + n - 1]) == prefix:
            banned.append(tokens[i + n - 1])
    return banned


def process(log_probs: np.ndarray, tokens: list[int], opts: DecodingOptions, eos_id: int) -> np.ndarray:
    """Steps 1-2 of DESIGN.md on one hypothesis' (V,) log-probs: min-length EOS ban, then no-repeat n-gram ban."""
    lp = log_probs.astype(np.float64, copy=True)
    if len(tokens) < opts.min_length:
        lp[eos_id] = -np.inf
    for w in banned_ngram_tokens(tokens, opts.no_repeat_ngram_size):
        lp[w] = -np.inf
    return lp


def greedy_search(step, opts: DecodingOptions, eos_id: int):
    """step(last_tokens: list[int], beam_index: list[int]) -> (n, V) log-probs for the given hypotheses."""
    tokens: list[int] = []
    score = 0.0
    while True:
        lp = process(step([tokens[-1] if tokens else None], [0])[0], tokens, opts, eos_id)
        w = int(np.argmax(lp))  # first maximum = lowest id on ties
        if lp[w] == -np.inf:  # every token banned: the hypothesis ends here
            break
        score += lp[w]
        if w == eos_id:
            break
        tokens.append(w)
        if len(tokens) == opts.max_length:
            break
    return tokens, score


def beam_search(step, opts: DecodingOptions, eos_id: int):
    """Hugging Face style beam search; returns (tokens without EOS, normalized score)."""
    K = opts.num_beams
    live: list[tuple[list[int], float]] = [([], 0.0)]
    finished: list[tuple[float, list[int]]] = []  # (normalized score, tokens), best first
    parents = [0]  # cache row of each live hypothesis for the next step
    t = 0

    def add_finished(tokens, score, length):
        finished.append((score / (length ** opts.length_penalty), tokens))
        finished.sort(key=lambda f: -f[0])  # stable: earlier entries win ties
        del finished[K:]

    while True:
        last = [h[0][-1] if h[0] else None for h in live]
        lp = step(last, parents)  # (n_live, V)
        V = lp.shape[1]
        cand = np.stack([h[1] + process(lp[i], h[0], opts, eos_id) for i, h in enumerate(live)]).reshape(-1)
        top = np.argsort(-cand, kind="stable")[:2 * K]  # ties: lower flattened index first
        new_live, new_parents = [], []
        for rank, idx in enumerate(top):
            h, w = divmod(int(idx), V)
            if cand[idx] == -np.inf:  # banned: it and every candidate after it
                break
            if w == eos_id:
                if rank < K:
                    add_finished(live[h][0], float(cand[idx]), t + 1)
                continue
            new_live.append((live[h][0] + [w], float(cand[idx])))
            new_parents.append(h)
            if len(new_live) == K:
                break
        live, parents = new_live, new_parents
        t += 1
        if t == opts.max_length:
            for tokens, score in live:
                add_finished(tokens, score, t)
            break
        if not live:
            break
        if len(finished) == K:
            if opts.early_stopping:
                break
            best_live = max(s for _, s in live) / (t ** opts.length_penalty)
            if best_live <= finished[-1][0]:
                break
    if not finished:
        return [], -np.inf
    score, tokens = finished[0]
    return tokens, score


class ModelStepper:
    """Wraps Summarizer.decode_step for one source: keeps the KV caches and reorders them by beam parent."""

    def __init__(self, model, src_ids: list[int], memory=None, device="cpu"):
        """memory: (S, d) encoder output (e.g. from the cache); else the model's attached encoder computes it."""
        self.model = model
        cfg = model.cfg
        src = torch.tensor([src_ids], dtype=torch.long, device=device)
        mask = torch.ones_like(src)
        with torch.no_grad():
            self.memory = (model.encode(src, mask) if memory is None
                           else torch.as_tensor(np.asarray(memory, dtype=np.float32), device=device)[None])  # (1, S, d)
            self.cross = model.cross_kv(self.memory)
        self.src, self.mask = src, mask
        self.caches = [dict() for _ in range(cfg.n_dec_layers)]
        self.position = 0
        self.bos = cfg.bos_id
        self.device = device
        self.last_attention = None
        self.last_p_gen = None

    @torch.no_grad()
    def __call__(self, last_tokens: list, parents: list[int]) -> np.ndarray:
        n = len(last_tokens)
        index = torch.tensor(parents, dtype=torch.long, device=self.device)
        for c in self.caches:
            if c.get("k") is not None:
                c["k"], c["v"] = c["k"].index_select(0, index), c["v"].index_select(0, index)
        tokens = torch.tensor([self.bos if w is None else w for w in last_tokens], dtype=torch.long, device=self.device)
        expand = lambda x: x.expand(n, *x.shape[1:])
        cross = [(expand(k), expand(v)) for k, v in self.cross]
        lp, a, p_gen = self.model.decode_step(tokens, self.position, expand(self.memory), expand(self.src),
                                              expand(self.mask), self.caches, cross)
        self.position += 1
        self.last_attention, self.last_p_gen = a.cpu().numpy(), p_gen.cpu().numpy()
        return lp.float().cpu().numpy()


def generate(model, src_ids: list[int], opts: DecodingOptions, memory=None, device="cpu"):
    """Summary token ids (EOS excluded) and score for one source; greedy when num_beams == 1."""
    opts.validate(model.cfg.max_tgt_len)
    if not src_ids:
        raise ValueError("src_ids must not be empty")
    model.eval()
    src_ids = list(src_ids)[:model.cfg.max_src_len]
    stepper = ModelStepper(model, src_ids, None if memory is None else np.asarray(memory)[:len(src_ids)], device)
    search = greedy_search if opts.num_beams == 1 else beam_search
    return search(stepper, opts, model.cfg.eos_id)
