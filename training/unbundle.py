"""Rebuild a model's full fp32 state dict from an exported bundle that has no model.safetensors.

encoder.onnx keeps the encoder's parameters as initializers: LayerNorm weights/biases, Linear biases and the
embeddings under their state-dict names with a `model.` prefix, but every Linear weight as a transposed MatMul
initializer with an exporter-made name (`onnx::MatMul_342`, shape (in, out)). Its name is recovered from the
graph: the MatMul that consumes it is followed by an Add whose other input is `model.<path>.bias`, so the
initializer is `<path>.weight` transposed. The decoder, the shared embedding and the copy gate come from
decoder.safetensors (fp16 widened to fp32). Anything missing, ambiguous or of the wrong shape is an error that
names the parameter: a resumed run must start from exactly the shipped weights, never from a guess.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch

from . import safetensors_io
from .model import ModelConfig, Summarizer

PREFIX = "model."
# Mirrors export.DECODER_PREFIXES (importing export here would make train -> unbundle -> export -> train a cycle).
DECODER_PREFIXES = ("embed.", "dec_pos.", "dec.", "dec_ln.", "gen.")


def encoder_tensors(path: Path) -> tuple[dict[str, np.ndarray], list[str]]:
    """State-dict name -> array for every parameter found in encoder.onnx, and the problems met on the way."""
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError as e:
        raise ImportError(f"reading {path} needs the onnx package (or a bundle exported with --full-weights)") from e

    graph = onnx.load(str(path)).graph
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    # The exporter merges equal initializers (a fresh model's zero biases, unit LayerNorm scales) and keeps the
    # other names as Identity nodes of the survivor.
    identities = [n for n in graph.node if n.op_type == "Identity"]
    grew = True
    while grew:
        grew = False
        for n in identities:
            if n.input[0] in values and n.output[0] not in values:
                values[n.output[0]] = values[n.input[0]]
                grew = True
    consumers = defaultdict(list)
    for n in graph.node:
        for x in n.input:
            consumers[x].append(n)

    out = {name[len(PREFIX):]: a for name, a in values.items() if name.startswith(PREFIX)}
    problems, source = [], {}
    for n in graph.node:
        if n.op_type != "MatMul" or n.input[1] not in values or n.input[1].startswith(PREFIX):
            continue  # activations @ activations (attention scores), or a named parameter
        w, after = n.input[1], consumers[n.output[0]]
        bias = None
        if len(after) == 1 and after[0].op_type == "Add":
            others = [x for x in after[0].input if x != n.output[0]]
            if len(others) == 1 and others[0].startswith(PREFIX) and others[0].endswith(".bias"):
                bias = others[0]
                if bias not in values:
                    problems.append(f"MatMul weight {w} is followed by an Add of {bias}, which is not an initializer")
                    continue
        if bias is None:
            problems.append(f"MatMul weight {w} is not followed by an Add of a model.*.bias initializer")
            continue
        key = bias[len(PREFIX):-len("bias")] + "weight"
        if key in source or key in out:
            problems.append(f"{key} is ambiguous: claimed by {source.get(key, PREFIX + key)} and {w}")
            continue
        source[key] = w
        out[key] = np.ascontiguousarray(values[w].T)  # MatMul(x, W^T) stores W^T as (in, out)
    ambiguous = {p.split(" ")[0] for p in problems if " is ambiguous" in p}
    for key in ambiguous:
        out.pop(key, None)
    return out, problems


def has_full_weights(bundle: Path) -> bool:
    """True when the directory holds model.safetensors (or its .partNN pieces): every parameter, no rebuilding."""
    bundle = Path(bundle)
    return (bundle / "model.safetensors").is_file() or any(bundle.glob("model.safetensors.part*"))


def rebuild_state_dict(bundle: Path, cfg: ModelConfig | None = None) -> dict[str, torch.Tensor]:
    """The full fp32 state dict of a bundle directory from encoder.onnx + decoder.safetensors (see module doc).
    cfg defaults to config.json's `model`. Raises ValueError naming every missing, ambiguous, unknown or
    mis-shaped parameter."""
    bundle = Path(bundle)
    card = json.loads((bundle / "config.json").read_text())
    cfg = cfg or ModelConfig.from_dict(card["model"])
    files = card.get("files", {})
    enc_path = bundle / files.get("encoder", "encoder.onnx")
    dec_path = bundle / files.get("decoder_weights", "decoder.safetensors")
    for p in (enc_path, dec_path):
        if not p.is_file():
            raise FileNotFoundError(f"{bundle}: {p.name} not found (needed to rebuild the weights without "
                                    f"model.safetensors)")
    expected = {k: tuple(v.shape) for k, v in Summarizer(cfg).state_dict().items()}
    enc, problems = encoder_tensors(enc_path)
    dec, _ = safetensors_io.load(dec_path)

    state = {}
    for key, shape in expected.items():
        if key == "embed.weight":  # in both files: fp32 from the graph, checked against the decoder's copy
            a, where = enc.get(key), enc_path.name
            if a is not None and key in dec and not np.array_equal(dec[key], a.astype(dec[key].dtype)):
                problems.append(f"{key}: {enc_path.name} and {dec_path.name} disagree")
        elif key.startswith(DECODER_PREFIXES):
            a, where = dec.get(key), dec_path.name
        else:
            a, where = enc.get(key), enc_path.name
        if a is None:
            problems.append(f"{key} {list(shape)}: not found in {where}")
        elif tuple(a.shape) != shape:
            problems.append(f"{key}: shape {list(a.shape)} in {where}, the model needs {list(shape)}")
        else:
            state[key] = torch.from_numpy(np.array(a, dtype=np.float32))
    unknown = sorted(set(enc) - set(expected)) + sorted(set(dec) - set(expected))
    problems += [f"{k}: in the bundle but not a parameter of {cfg.to_dict()}" for k in unknown]
    if problems:
        raise ValueError(f"{bundle}: cannot rebuild the weights:\n  " + "\n  ".join(problems))
    return state
