"""Export a checkpoint as a model bundle directory (docs/DESIGN.md "Bundle"):

config.json, tokenizer.model, encoder.onnx, decoder.safetensors, decoder.onnx + cross_kv.onnx (benchmarks),
and, with --parity, parity.json fixtures computed by PyTorch.

    python3 -m training.export --checkpoint training/runs/tiny/checkpoint.pt --tokenizer training/data/tiny/tokenizer.model \
        --metrics training/runs/tiny/metrics.json --out tests/fixtures/tiny --parity-data training/data/tiny/val.jsonl
"""
from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from . import safetensors_io
from .decoding import DecodingOptions, generate
from .model import Summarizer, padding_mask
from .train import load_checkpoint_model, read_checkpoint

BUNDLE_VERSION = 1
OPSET = 17
FILES = {"tokenizer": "tokenizer.model", "encoder": "encoder.onnx", "decoder_weights": "decoder.safetensors",
         "decoder_step": "decoder.onnx", "cross_kv": "cross_kv.onnx"}
LICENCES = {"cnndm": "CNN/DailyMail: distributed for research use",
            "wiki": "Wikipedia text: CC BY-SA"}


class EncoderGraph(nn.Module):
    """encoder.onnx: input_ids, attention_mask (B, S) int64 -> memory (B, S, d_model)."""

    def __init__(self, model: Summarizer):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model.encode(input_ids, attention_mask)


class CrossKVGraph(nn.Module):
    """cross_kv.onnx: memory (B, S, d) -> per decoder layer cross_k_i, cross_v_i (B, nh, S, d_k)."""

    def __init__(self, model: Summarizer):
        super().__init__()
        self.model = model

    def forward(self, memory):
        return tuple(t for kv in self.model.cross_kv(memory) for t in kv)


class DecoderStepGraph(nn.Module):
    """decoder.onnx: one step with a KV cache (benchmark only; the service uses the native C# decoder)."""

    def __init__(self, model: Summarizer):
        super().__init__()
        self.model = model

    def forward(self, input_ids, step, src_ids, src_mask, memory, *kv):
        m = self.model
        n = len(m.dec)
        y = m.embed(input_ids) + m.dec_pos(step)  # (B, 1, d) + (1, d)
        no_mask = torch.zeros(1, 1, 1, 1)
        pad = padding_mask(src_mask)
        presents, attn = [], None
        for i, layer in enumerate(m.dec):
            cross_k, cross_v, past_k, past_v = kv[4 * i:4 * i + 4]
            cache = {"k": past_k, "v": past_v}
            y, attn = layer(y, memory, no_mask, pad, need_weights=(i == n - 1), cache=cache,
                            cross_kv=(cross_k, cross_v))
            presents += [cache["k"], cache["v"]]  # (B, nh, T + 1, d_k)
        # The copy mixture of Summarizer.output for T = 1, in 2-D (the exporter needs index and src of equal rank).
        h = m.dec_ln(y)[:, 0]  # (B, d)
        a = attn.mean(dim=1)[:, 0]  # (B, S)
        c = (a[:, None, :] @ memory)[:, 0]  # (B, d)
        p_gen = torch.sigmoid(m.gen(torch.cat([h, c], dim=-1)))  # (B, 1)
        p_vocab = torch.softmax(h @ m.embed.weight.t(), dim=-1)  # (B, V)
        p_copy = torch.zeros_like(p_vocab).scatter_add(1, src_ids, a)  # (B, V)
        p = p_gen * p_vocab + (1.0 - p_gen) * p_copy
        return (torch.log(p.clamp_min(1e-12)),) + tuple(presents)


def onnx_export(module: nn.Module, args, path: Path, **kw) -> None:
    """torch.onnx.export with the TorchScript exporter on every PyTorch version (2.9+ defaults to dynamo)."""
    import inspect
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kw["dynamo"] = False
    torch.onnx.export(module, args, str(path), opset_version=OPSET, **kw)


def example_source(cfg, B: int = 2, S: int = 7):
    """Tracing inputs: ids (B, S) and a mask with padding in row 1."""
    ids = torch.randint(4, cfg.vocab_size, (B, S))
    mask = torch.ones(B, S, dtype=torch.long)
    mask[1, 5:] = 0
    return ids, mask


def export_encoder(model: Summarizer, path: Path, example=None) -> None:
    """encoder.onnx alone (export_onnx writes it with the benchmark graphs); example = (ids, mask) to trace with."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        onnx_export(EncoderGraph(model.eval()), example or example_source(model.cfg), path,
                    input_names=["input_ids", "attention_mask"], output_names=["memory"],
                    dynamic_axes={"input_ids": {0: "batch", 1: "src_len"},
                                  "attention_mask": {0: "batch", 1: "src_len"},
                                  "memory": {0: "batch", 1: "src_len"}})


def export_onnx(model: Summarizer, out: Path) -> None:
    cfg = model.cfg
    model = model.eval()
    B, S, T = 2, 7, 3
    ids, mask = example_source(cfg, B, S)
    export_encoder(model, out / FILES["encoder"], (ids, mask))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        memory = model.encode(ids, mask).detach()
        n = cfg.n_dec_layers
        kv_names = [f"cross_{x}_{i}" for i in range(n) for x in "kv"]
        onnx_export(CrossKVGraph(model), (memory,), out / FILES["cross_kv"],
                          input_names=["memory"], output_names=kv_names,
                          dynamic_axes={"memory": {0: "batch", 1: "src_len"},
                                        **{k: {0: "batch", 2: "src_len"} for k in kv_names}})
        cross = model.cross_kv(memory)
        kv, in_names, dyn = [], [], {}
        for i in range(n):
            past = torch.randn(B, cfg.n_heads, T, cfg.d_k)
            kv += [cross[i][0].detach(), cross[i][1].detach(), past, past.clone()]
            for name, axes in ((f"cross_k_{i}", {0: "batch", 2: "src_len"}), (f"cross_v_{i}", {0: "batch", 2: "src_len"}),
                               (f"past_k_{i}", {0: "batch", 2: "past_len"}), (f"past_v_{i}", {0: "batch", 2: "past_len"})):
                in_names.append(name)
                dyn[name] = axes
        out_names = ["log_probs"] + [f"present_{x}_{i}" for i in range(n) for x in "kv"]
        for name in out_names[1:]:
            dyn[name] = {0: "batch", 2: "present_len"}
        dyn.update({"input_ids": {0: "batch"}, "src_ids": {0: "batch", 1: "src_len"},
                    "src_mask": {0: "batch", 1: "src_len"}, "memory": {0: "batch", 1: "src_len"},
                    "log_probs": {0: "batch"}})
        args = (torch.randint(4, cfg.vocab_size, (B, 1)), torch.tensor([T]), ids, mask, memory, *kv)
        onnx_export(DecoderStepGraph(model), args, out / FILES["decoder_step"],
                          input_names=["input_ids", "step", "src_ids", "src_mask", "memory"] + in_names,
                          output_names=out_names, dynamic_axes=dyn)


DECODER_PREFIXES = ("embed.", "dec_pos.", "dec.", "dec_ln.", "gen.")


def export_decoder_weights(model: Summarizer, path: Path, fp16: bool = False) -> dict:
    tensors = {}
    for name, t in model.state_dict().items():
        if name.startswith(DECODER_PREFIXES):
            a = t.detach().cpu().float().numpy()
            tensors[name] = a.astype(np.float16) if fp16 else a
    safetensors_io.save(tensors, path, {"format": "pt", "bundle_version": str(BUNDLE_VERSION)})
    return tensors


def f32(a) -> list:
    """float32 values as short JSON numbers (8 significant digits keep float32 parity within 1e-7 relative)."""
    return [float(f"{x:.8g}") for x in np.asarray(a, dtype=np.float32).reshape(-1).tolist()]


def fit_options(opts: DecodingOptions, max_tgt_len: int) -> DecodingOptions:
    """A copy of opts with max_length (and min_length below it) fitted to the model's max_tgt_len."""
    max_length = min(opts.max_length, max_tgt_len)
    return DecodingOptions(**{**opts.__dict__, "max_length": max_length,
                              "min_length": min(opts.min_length, max_length - 1)})


@torch.no_grad()
def greedy_margin(model: Summarizer, src, mask, ids: list[int], opts: DecodingOptions) -> float:
    """Smallest gap between the best and second-best processed log-prob along a greedy path."""
    from .decoding import process
    cfg = model.cfg
    path = ids + ([cfg.eos_id] if len(ids) < opts.max_length else [])
    tgt = torch.tensor([[cfg.bos_id] + path[:-1]])
    log_probs, _, _ = model.decode(tgt, model.encode(src, mask), src, mask)
    gaps = []
    for t in range(len(path)):
        lp = np.sort(process(log_probs[0, t].numpy(), path[:t], opts, cfg.eos_id))
        gaps.append(lp[-1] - lp[-2])
    return float(min(gaps))


def parity_fixtures(model: Summarizer, sp, texts: list[str], summaries: list[str], tokenizer_texts: list[str],
                    tf_len: int, greedy_opts: list[DecodingOptions], beam_opts: list[DecodingOptions]) -> dict:
    """PyTorch outputs for fixed inputs; the C# side must reproduce them (docs/DESIGN.md "Parity fixtures")."""
    cfg = model.cfg
    model.eval()
    out = {"tokenizer": [{"text": t, "ids": sp.encode(t)} for t in tokenizer_texts], "cases": []}
    for i, (text, summary) in enumerate(zip(texts, summaries)):
        src_ids = sp.encode(text)[:cfg.max_src_len]
        src = torch.tensor([src_ids])
        mask = torch.ones_like(src)
        with torch.no_grad():
            memory = model.encode(src, mask)
            tgt = [cfg.bos_id] + sp.encode(summary)[:tf_len - 1]
            log_probs, attn, p_gen = model.decode(torch.tensor([tgt]), memory, src, mask)
        g = fit_options(greedy_opts[i % len(greedy_opts)], cfg.max_tgt_len)
        b = fit_options(beam_opts[i % len(beam_opts)], cfg.max_tgt_len)
        g_ids, _ = generate(model, src_ids, g)
        b_ids, b_score = generate(model, src_ids, b)
        margin = greedy_margin(model, src, mask, g_ids, g)
        if margin < 1e-3:
            print(f"warning: parity case {i}: greedy top-2 margin {margin:.2e} is small; C# may break the tie differently")
        out["cases"].append({
            "text": text, "src_ids": src_ids,
            "memory": f32(memory[0]),
            "teacher_forcing": {"tgt_ids": tgt, "log_probs": [f32(r) for r in log_probs[0]],
                                "copy_attention": [f32(r) for r in attn[0]], "p_gen": f32(p_gen[0])},
            "greedy": {"options": g.__dict__, "ids": g_ids},
            "beam": {"options": b.__dict__, "ids": b_ids, "score": float(b_score)}})
    return out


TOKENIZER_TEXTS = [
    "( cnn ) the u.s. treasury is n't \" happy \" , officials said .",
    "the 35 - year - old suspect died on 12/03/2014 at 10:45 p.m. .",
    "prices rose 3.5 % to $ 1,234.56 in 2015 .",
    "he said : ' it 's over . '",
    "`` quoted '' text and \" double quotes \"",
    "café , naïve , résumé , zürich , são paulo",
    "émile zola wrote in françois 's style .",
    "tokyo 東京 and 北京 are cities .",
    "emoji 😀 and symbols ☃ ★ ♥ .",
    "math : α + β = γ ; π ≈ 3.14159",
    "i 'm sure they 're coming , we 'll see , you 've won , she 'd go .",
    "0 1 2 3 4 5 6 7 8 9 10 100 1000 1000000",
    "e-mail : someone@example.com , url : http://www.cnn.com/2015/04/01/",
    "the #1 hashtag was # metoo & more",
    "a",
    ".",
    "",
    "unknownwordsxyzzy qwertyuiop zxcvbnm",
    "mr. smith vs. mrs. jones -- round 2 .",
    "[ brackets ] { braces } < angle > ( parens )",
    "the euro € and pound £ and yen ¥ .",
    "über straße köln",
    "dashes – and — long ones",
    "'s n't 're 'll 've 'm 'd",
    "new york ( cnn ) -- a man was arrested tuesday .",
    "the 2014 world cup in brazil drew 3.4 billion viewers .",
    "ñandú , çà , ø , å , æ",
    "tab-free text with    multiple   spaces",
    "ﬁ ligature and ﬂ ligature",
    "the end .",
]


def model_card(model: Summarizer, metrics: dict | None, ckpt: dict, decoding: DecodingOptions, name: str,
               fp16: bool, data_note: str | None) -> dict:
    """config.json: dimensions, decoding defaults, files, and the model card (data, licences, effort, metrics)."""
    metrics = metrics or {}
    tc = ckpt.get("train_config", {})
    phases = ckpt.get("phases") or [{"train_file": tc.get("train_file", "train.npz"), "steps": ckpt.get("step"),
                                     "minutes": round(float(ckpt.get("minutes", 0.0)), 3)}]
    data = [{"name": "cnndm", "description": "CNN/DailyMail summaries (partial copy, ../shared/data/cnndm)",
             "licence": LICENCES["cnndm"]}]
    if any("wiki" in p.get("train_file", "") for p in phases):
        data.append({"name": "wiki", "description": "English Wikipedia: lead paragraph from the rest (pretraining)",
                     "licence": LICENCES["wiki"]})
    return {
        "bundle_version": BUNDLE_VERSION,
        "name": name,
        "model": model.cfg.to_dict(),
        "decoding": {k: decoding.__dict__[k] for k in ("num_beams", "length_penalty", "min_length", "max_length",
                                                        "no_repeat_ngram_size", "early_stopping")},
        "files": dict(FILES),
        "parameters": model.num_parameters(),
        "weights_dtype": "float16" if fp16 else "float32",
        "training": {"data": data, "licences": [d["licence"] for d in data], "note": data_note or "",
                     "steps": sum(int(p.get("steps") or 0) for p in phases),
                     "minutes": round(sum(float(p.get("minutes") or 0) for p in phases), 3),
                     "phases": phases, "seed": tc.get("seed"), "device": ckpt.get("device"),
                     "torch": ckpt.get("torch_version"), "train_rows": metrics.get("train", {}).get("rows")},
        "metrics": {"val_loss": metrics.get("val_loss"), "val_loss_rows": metrics.get("val_loss_rows"),
                    "rows": metrics.get("rows"),
                    "rouge": {k: round(100 * v, 2) for k, v in metrics.get("rouge", {}).items()},
                    "lead3": {k: round(100 * v, 2) for k, v in metrics.get("lead3", {}).items()},
                    "decoding": metrics.get("decoding")},
    }


def parse_bool(text: str) -> bool:
    """A command-line boolean; anything but true/false spellings is an error, never silently false."""
    if text.lower() in ("1", "true", "yes"):
        return True
    if text.lower() in ("0", "false", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def main(argv=None):
    import sentencepiece as spm

    from . import data as D

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--tokenizer", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--metrics", type=Path, default=None, help="metrics.json of the training run")
    ap.add_argument("--name", default="summarizer")
    ap.add_argument("--fp16", action="store_true", help="store decoder weights as float16")
    ap.add_argument("--data-note", default=None)
    ap.add_argument("--full-weights", action="store_true",
                    help="also write model.safetensors (every parameter, fp32; +81 MB for base). Optional: train.py --init "
                         "rebuilds the weights from encoder.onnx + decoder.safetensors without it")
    for f, default in DecodingOptions().__dict__.items():
        ap.add_argument("--" + f.replace("_", "-"), type=parse_bool if isinstance(default, bool) else type(default),
                        default=default)
    ap.add_argument("--parity-data", type=Path, default=None, help="val.jsonl rows for parity.json (tiny bundle)")
    ap.add_argument("--parity-cases", type=int, default=3)
    ap.add_argument("--parity-steps", type=int, default=12, help="teacher-forced target length incl. BOS")
    a = ap.parse_args(argv)

    torch.manual_seed(0)
    model = load_checkpoint_model(a.checkpoint)
    ckpt = read_checkpoint(a.checkpoint)
    sp = spm.SentencePieceProcessor(model_file=str(a.tokenizer))
    if sp.get_piece_size() != model.cfg.vocab_size:
        raise ValueError(f"tokenizer has {sp.get_piece_size()} pieces, model vocab_size {model.cfg.vocab_size}")
    decoding = DecodingOptions(**{f: getattr(a, f) for f in DecodingOptions().__dict__})
    decoding.validate(model.cfg.max_tgt_len)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / FILES["tokenizer"]).write_bytes(a.tokenizer.read_bytes())
    export_decoder_weights(model, a.out / FILES["decoder_weights"], a.fp16)
    export_onnx(model, a.out)
    if a.full_weights:
        safetensors_io.save({k: v.detach().cpu().float().numpy() for k, v in model.state_dict().items()},
                            a.out / "model.safetensors", {"format": "pt"})
    metrics = json.loads(a.metrics.read_text()) if a.metrics else None
    card = model_card(model, metrics, ckpt, decoding, a.name, a.fp16, a.data_note)
    if a.parity_data is not None:
        rows = list(D.read_jsonl(a.parity_data, a.parity_cases))
        # Case 0 a short source, case 1 a medium one, the rest whole articles (truncated to max_src_len).
        cut = [40, 120] + [None] * len(rows)
        texts = [" ".join(r["article"].split()[:cut[i]]) if cut[i] else r["article"] for i, r in enumerate(rows)]
        summaries = [D.summary_text(r["summary"]) for r in rows]
        greedy = [DecodingOptions(num_beams=1, max_length=20), DecodingOptions(num_beams=1, max_length=16, min_length=5,
                                                                              no_repeat_ngram_size=2)]
        beams = [DecodingOptions(num_beams=4, max_length=24, min_length=8, no_repeat_ngram_size=3),
                 DecodingOptions(num_beams=3, max_length=20, min_length=2, length_penalty=2.0, early_stopping=True),
                 DecodingOptions(num_beams=5, max_length=30, min_length=12, no_repeat_ngram_size=2, length_penalty=0.5)]
        parity = parity_fixtures(model, sp, texts, summaries, TOKENIZER_TEXTS, a.parity_steps, greedy, beams)
        (a.out / "parity.json").write_text(json.dumps(parity, separators=(",", ":")))
        card["files"]["parity"] = "parity.json"
    if a.full_weights:
        card["files"]["full_weights"] = "model.safetensors"
    (a.out / "config.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"exported {a.out}: " + ", ".join(f"{p.name} {p.stat().st_size:,} B" for p in sorted(a.out.iterdir())))


if __name__ == "__main__":
    main()
