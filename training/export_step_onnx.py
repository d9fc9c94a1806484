"""The decoder's step as ONNX graphs, for the native-vs-ONNX Runtime benchmark only (never shipped in a bundle).

Two graphs, opset 17, the same weights as the bundle's decoder.safetensors (+ the encoder's E):

  cross_kv.onnx      memory (S, d) -> per layer i: cross_k_i (1, nh, d_k, S) keys, already transposed for q·kᵀ;
                     cross_v_i (1, nh, S, d_k). Run once per request, as the native CreateState does.
  decoder_step.onnx  one step for B rows (beams), Summarizer.decode_step written for ONNX Runtime:
                     inputs   input_ids (B,) int64, position (1,) int64, src_ids (S,) int64, memory (S, d),
                              cross_k_i, cross_v_i (shared by every row), past_k_i, past_v_i (B, nh, T, d_k)
                     outputs  log_probs (B, V): log max(P(w), 1e-12) over the whole vocabulary, as the native step
                              writes it; present_k_i, present_v_i (B, nh, T + 1, d_k), the next step's past.

The graph is written for ONNX Runtime as one would write it for speed: cross K/V broadcast over the rows (never expanded),
keys pre-transposed, 1/sqrt(d_k) folded into q, no masks (one unpadded source; the cache holds only the past).

    python3 -m training.export_step_onnx --bundle models/arcticxs-copy     # -> training/out/step-onnx/arcticxs-copy
    python3 -m training.export_step_onnx --fixture tests/fixtures/step-onnx  # a random micro decoder, KBs (C# parity test)

benchmarks/Benchmarks/DecoderStepBenchmarks.cs times the bundle's graphs against the native step
(benchmarks/RESULTS-decoder-step.md); training/tests/test_export_step_onnx.py checks the graphs against PyTorch.
"""
from __future__ import annotations

import argparse
import json
import math
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from . import safetensors_io
from .checkpoint import bundle_weights
from .model import ModelConfig, Summarizer

OPSET = 17
CROSS_KV_FILE = "cross_kv.onnx"
STEP_FILE = "decoder_step.onnx"
DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "step-onnx"  # git-ignored (training/out/)
PROBABILITY_FLOOR = 1e-12  # log(max(P, 1e-12)), as Summarizer.full_log_probs and the C# decoder
WORD_EMBEDDING = "embeddings.word_embeddings.weight"  # E, the encoder graph's initializer


class CrossKeyValues(nn.Module):
    """cross_kv.onnx: memory (S, d) -> (cross_k_0, cross_v_0, cross_k_1, ...)."""

    def __init__(self, model: Summarizer):
        super().__init__()
        self.model = model

    def forward(self, memory):
        cfg = self.model.cfg
        S = memory.shape[0]
        out = []
        for layer in self.model.dec:
            k = layer.cross_attn.k(memory).view(S, cfg.n_heads, cfg.head_dim)  # (S, nh, d_k)
            v = layer.cross_attn.v(memory).view(S, cfg.n_heads, cfg.head_dim)
            out += [k.permute(1, 2, 0)[None], v.transpose(0, 1)[None]]  # (1, nh, d_k, S), (1, nh, S, d_k)
        return tuple(out)


class DecoderStep(nn.Module):
    """decoder_step.onnx: Summarizer.decode_step for B rows, term for term (DecoderLayer and Summarizer.mix), in 2-D."""

    def __init__(self, model: Summarizer):
        super().__init__()
        self.model = model

    def forward(self, input_ids, position, src_ids, memory, *caches):
        m, cfg = self.model, self.model.cfg
        n = len(m.dec)
        cross, past = caches[:2 * n], caches[2 * n:]
        B, nh, dk = input_ids.shape[0], cfg.n_heads, cfg.head_dim
        scale = 1.0 / math.sqrt(dk)

        def heads(x):  # (B, d) -> (B, nh, 1, d_k)
            return x.view(B, nh, 1, dk)

        def merge(x):  # (B, nh, 1, d_k) -> (B, d)
            return x.reshape(B, nh * dk)

        y = m.emb_ln(m.embed(input_ids) + m.pos(position))  # (B, d) + (1, d)
        presents, weights = [], None
        for i, layer in enumerate(m.dec):
            sa, ca = layer.self_attn, layer.cross_attn
            # y = LN1(y + MHA(y, past + y)): the new position sees every cached one and itself
            k = torch.cat([past[2 * i], heads(sa.k(y))], dim=2)  # (B, nh, T + 1, d_k)
            v = torch.cat([past[2 * i + 1], heads(sa.v(y))], dim=2)
            presents += [k, v]
            att = torch.softmax(heads(sa.q(y) * scale) @ k.transpose(2, 3), dim=-1)  # (B, nh, 1, T + 1)
            y = layer.ln1(y + sa.o(merge(att @ v)))
            # y = LN2(y + MHA(y, memory)): cross K/V (1, nh, ., .) broadcast over the B rows
            weights = torch.softmax(heads(ca.q(y) * scale) @ cross[2 * i], dim=-1)  # (B, nh, 1, S)
            y = layer.ln2(y + ca.o(merge(weights @ cross[2 * i + 1])))
            y = layer.ln3(y + layer.ffn(y))
        # The copy mixture (Summarizer.mix + full_log_probs) of the last layer's cross-attention
        a = weights.mean(dim=1)[:, 0]  # (B, S)
        c = a @ memory  # (B, d)
        p_gen = torch.sigmoid(m.gen(torch.cat([y, c], dim=-1)))  # (B, 1)
        p_vocab = torch.softmax(m.out(y), dim=-1)  # (B, G)
        rows = torch.zeros_like(input_ids)[:, None]  # (B, 1) zeros: index and update shapes must agree for export
        p = torch.zeros(B, cfg.vocab_size, dtype=y.dtype)
        p = p.scatter_add(1, m.gen_ids[None] + rows, p_gen * p_vocab)  # (B, G); gen_ids are distinct
        p = p.scatter_add(1, src_ids[None] + rows, (1.0 - p_gen) * a)  # (B, S); repeated source ids add up
        return (torch.log(p.clamp_min(PROBABILITY_FLOOR)),) + tuple(presents)


def input_names(n_layers: int) -> list[str]:
    return (["input_ids", "position", "src_ids", "memory"] + [f"cross_{x}_{i}" for i in range(n_layers) for x in "kv"]
            + [f"past_{x}_{i}" for i in range(n_layers) for x in "kv"])


def output_names(n_layers: int) -> list[str]:
    return ["log_probs"] + [f"present_{x}_{i}" for i in range(n_layers) for x in "kv"]


def _onnx_export(module: nn.Module, args, path: Path, **kw) -> None:
    """torch.onnx.export with the TorchScript exporter (PyTorch 2.9+ defaults to dynamo), checked by onnx.checker."""
    import inspect
    import onnx
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kw["dynamo"] = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, args, str(path), opset_version=OPSET, **kw)
    onnx.checker.check_model(onnx.load(str(path)))


def export(model: Summarizer, out: Path) -> list[Path]:
    """Writes cross_kv.onnx and decoder_step.onnx for `model` into `out`; returns their paths."""
    cfg, n = model.cfg, model.cfg.n_dec_layers
    model = model.eval()
    out.mkdir(parents=True, exist_ok=True)
    B, S, T = 2, 5, 3  # tracing sizes; every one is a dynamic axis
    memory = torch.randn(S, cfg.d_model)
    cross_names = [f"cross_{x}_{i}" for i in range(n) for x in "kv"]
    with torch.no_grad():
        _onnx_export(CrossKeyValues(model), (memory,), out / CROSS_KV_FILE, input_names=["memory"],
                     output_names=cross_names,
                     dynamic_axes={"memory": {0: "src_len"},
                                   **{k: {3 if k.startswith("cross_k") else 2: "src_len"} for k in cross_names}})
        cross = CrossKeyValues(model)(memory)
        past = [torch.randn(B, cfg.n_heads, T, cfg.head_dim) for _ in range(2 * n)]
        args = (torch.randint(0, cfg.vocab_size, (B,)), torch.tensor([T]), torch.randint(0, cfg.vocab_size, (S,)),
                memory, *cross, *past)
        dynamic = {"input_ids": {0: "rows"}, "src_ids": {0: "src_len"}, "memory": {0: "src_len"},
                   "log_probs": {0: "rows"}}
        dynamic.update({k: {3 if k.startswith("cross_k") else 2: "src_len"} for k in cross_names})
        dynamic.update({k: {0: "rows", 2: "past_len"} for k in input_names(n) if k.startswith("past_")})
        dynamic.update({k: {0: "rows", 2: "present_len"} for k in output_names(n)[1:]})
        _onnx_export(DecoderStep(model), args, out / STEP_FILE, input_names=input_names(n),
                     output_names=output_names(n), dynamic_axes=dynamic)
    return [out / CROSS_KV_FILE, out / STEP_FILE]


def fixture_model(seed: int = 1234) -> Summarizer:
    """A random micro decoder for the C# parity test (tests/fixtures/step-onnx): 2 layers, V 64, d 16, so its files are
    KBs. Weights larger than the default init so the distribution is far from uniform and copy and generation mix."""
    cfg = ModelConfig(vocab_size=64, d_model=16, n_heads=2, d_ff=32, n_dec_layers=2, n_gen=24, max_src_len=24,
                      max_tgt_len=16, pad_id=0, unk_id=1, bos_id=2, eos_id=3)
    torch.manual_seed(seed)
    model = Summarizer(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.normal_(0.0, 0.3 if name.endswith("weight") and p.dim() == 2 else 0.1)
            if ".ln" in name or name.startswith("emb_ln"):
                p.add_(1.0 if name.endswith("weight") else 0.0)
        model.gen_ids.copy_(torch.randperm(cfg.vocab_size)[:cfg.n_gen])  # a shuffled shortlist, as a trained one is
    return model.eval()


def write_fixture(out: Path) -> None:
    """tests/fixtures/step-onnx: config.json (the model section), decoder.safetensors (E included as embed.weight, which
    real bundles take from the encoder) and both graphs of the same random micro decoder."""
    model = fixture_model()
    out.mkdir(parents=True, exist_ok=True)
    tensors = bundle_weights(model)
    tensors["embed.weight"] = model.embed.weight.detach().numpy().astype(np.float32)
    safetensors_io.save(tensors, out / "decoder.safetensors")
    (out / "config.json").write_text(json.dumps({
        "note": "A random micro decoder and its ONNX step graphs, for the C# ORT-vs-native parity test only "
                "(python3 -m training.export_step_onnx --fixture tests/fixtures/step-onnx). E is embed.weight.",
        "model": model.cfg.to_dict()}, indent=2) + "\n")
    export(model, out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--bundle", help="a model bundle directory (e.g. models/arcticxs-copy)")
    what.add_argument("--fixture", help="write the random micro decoder's fixture into this directory")
    ap.add_argument("--out", help=f"where the bundle's graphs go (default {DEFAULT_OUT}/<bundle name>)")
    a = ap.parse_args(argv)
    if a.fixture:
        write_fixture(Path(a.fixture))
        print(json.dumps({"out": a.fixture, "bytes": sum(f.stat().st_size for f in Path(a.fixture).iterdir())}))
        return
    import onnx
    from onnx import numpy_helper
    from . import pretrained
    from .checkpoint import load_bundle_into
    bundle = Path(a.bundle)
    config = json.loads((bundle / "config.json").read_text())
    # E as the C# decoder takes it: from the encoder graph the bundle names (fp32 in the int8 one too)
    graph = onnx.load_from_string(pretrained.bundle_encoder(bundle, config["encoder"]))
    embedding = next(numpy_helper.to_array(t) for t in graph.graph.initializer if t.name == WORD_EMBEDDING)
    model = load_bundle_into(bundle, {WORD_EMBEDDING: embedding.astype(np.float32)})
    out = Path(a.out) if a.out else DEFAULT_OUT / config.get("name", bundle.name)
    paths = export(model, out)
    print(json.dumps({"out": str(out), "files": {p.name: p.stat().st_size for p in paths}}))


if __name__ == "__main__":
    main()
