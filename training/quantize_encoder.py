"""Dynamic int8 quantization of the encoder graph (docs/DESIGN.md "Encoder"), written with onnx alone because
onnxruntime's Python quantization tool is not installable here.

Every MatMul whose second input is a 2-D float32 initializer W (K, N) — the transformer layers' dense weights — becomes
the pattern ONNX Runtime's own quantizer writes and its CPU graph optimizer fuses into DynamicQuantizeMatMul:

    x ─ DynamicQuantizeLinear ─ x_q (uint8), x_scale, x_zero_point          (one per activation, shared by Q, K, V)
    MatMulInteger(x_q, W_q, x_zero_point) ─ Cast(float) ─ Mul(·, x_scale · w_scale) ─ the MatMul's output

with W_q = round(W / w_scale) in int8 [-127, 127] and w_scale[n] = max_k |W[k, n]| / 127: symmetric, one scale per
output column, so the weight zero point is 0 and left out. The attention's activation × activation MatMuls stay
float32, and so does every other initializer — the word embedding E in particular, which the decoder reads from the
graph (embeddings.word_embeddings.weight).

    python3 -m training.quantize_encoder --out /tmp/encoder-int8.onnx      # the package's model.onnx → int8
    python3 -m training.quantize_encoder --bundle models/arcticxs-copy     # into a bundle: encoder.onnx + config.json

With --bundle the fp32 graph is the one the bundle names (its encoder.file, or its package's model.onnx), checked
against encoder.onnx_sha256; the int8 graph is written as the bundle's encoder.onnx and config.json's encoder.file,
encoder.onnx_sha256 and encoder.quantization (method, and the fp32 graph's hash) are set. Re-run it after every export:
training/export.py writes the package's fp32 encoder into config.json.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from . import pretrained

WORD_EMBEDDING = "embeddings.word_embeddings.weight"
INT8_MAX = 127
ENCODER_FILE = "encoder.onnx"  # as training/export.py names a bundle's own encoder
METHOD = ("dynamic int8 (training/quantize_encoder.py): weight MatMuls as DynamicQuantizeLinear + MatMulInteger, "
          "symmetric int8 weights with per-column scales, activations uint8 per tensor; E and the rest fp32")


def quantize_weight(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(K, N) float32 → (K, N) int8 and (N) float32 scales, symmetric per output column. An all-zero column gets
    scale 1 (its codes are 0 either way) so no division by zero reaches the graph."""
    peak = np.abs(weight).max(axis=0)
    scale = np.where(peak > 0, peak / INT8_MAX, 1.0).astype(np.float32)
    codes = np.clip(np.round(weight / scale), -INT8_MAX, INT8_MAX).astype(np.int8)
    return codes, scale


def quantize(model: onnx.ModelProto, keep: frozenset[str] = frozenset({WORD_EMBEDDING})) -> onnx.ModelProto:
    """A copy of `model` with every weight MatMul (see the module docstring) in int8; initializers named in `keep` are
    never touched. Raises ValueError when the graph has no such MatMul (nothing to do is a mistake, not a no-op)."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    uses = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1

    def is_weight(name: str) -> bool:
        t = initializers.get(name)
        return t is not None and name not in keep and t.data_type == TensorProto.FLOAT and len(t.dims) == 2

    quantized_activations: dict[str, tuple[str, str, str]] = {}
    nodes = []
    replaced = set()
    count = 0
    for node in graph.node:
        if node.op_type != "MatMul" or not is_weight(node.input[1]):
            nodes.append(node)
            continue
        activation, weight_name = node.input
        base = node.name or node.output[0]
        if activation not in quantized_activations:
            q = (f"{activation}_quantized", f"{activation}_scale", f"{activation}_zero_point")
            nodes.append(helper.make_node("DynamicQuantizeLinear", [activation], list(q), name=f"{activation}_DynamicQuantizeLinear"))
            quantized_activations[activation] = q
        x_q, x_scale, x_zero_point = quantized_activations[activation]
        codes, scale = quantize_weight(numpy_helper.to_array(initializers[weight_name]))
        graph.initializer.append(numpy_helper.from_array(codes, f"{weight_name}_quantized"))
        graph.initializer.append(numpy_helper.from_array(scale, f"{weight_name}_scale"))
        nodes += [
            helper.make_node("MatMulInteger", [x_q, f"{weight_name}_quantized", x_zero_point], [f"{base}_int32"], name=f"{base}_MatMulInteger"),
            helper.make_node("Cast", [f"{base}_int32"], [f"{base}_float"], to=TensorProto.FLOAT, name=f"{base}_Cast"),
            helper.make_node("Mul", [x_scale, f"{weight_name}_scale"], [f"{base}_scale"], name=f"{base}_ScaleMul"),
            helper.make_node("Mul", [f"{base}_float", f"{base}_scale"], [node.output[0]], name=f"{base}_OutputMul"),
        ]
        uses[weight_name] -= 1
        if uses[weight_name] == 0:
            replaced.add(weight_name)
        count += 1
    if count == 0:
        raise ValueError("the graph has no MatMul with a 2-D float32 weight initializer to quantize")
    del graph.node[:]
    graph.node.extend(nodes)
    kept = [t for t in graph.initializer if t.name not in replaced]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    # MatMulInteger and DynamicQuantizeLinear exist from opset 10 and 11.
    for opset in model.opset_import:
        if opset.domain in ("", "ai.onnx") and opset.version < 11:
            opset.version = 11
    onnx.checker.check_model(model)
    return model


def install(bundle: Path) -> tuple[bytes, bytes]:
    """Quantizes the encoder `bundle` names into bundle/encoder.onnx and records it in config.json; returns the fp32
    and int8 graphs. Raises ValueError when the named graph is not the one config.json hashes, or is int8 already."""
    config_path = bundle / "config.json"
    config = json.loads(config_path.read_text())
    encoder = config["encoder"]
    source = pretrained.bundle_encoder(bundle, encoder)
    data = quantize(onnx.load_from_string(source)).SerializeToString()
    (bundle / ENCODER_FILE).write_bytes(data)
    encoder.update(file=ENCODER_FILE, onnx_sha256=pretrained.sha256(data),
                   quantization={"method": METHOD, "fp32_onnx_sha256": pretrained.sha256(source)})
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    return source, data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, help="fp32 graph (default: the ArcticXs package's model.onnx)")
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="where to write the int8 graph")
    target.add_argument("--bundle", type=Path, help="a bundle directory to put the int8 graph into")
    args = ap.parse_args(argv)
    if args.bundle:
        if args.model:
            ap.error("--bundle quantizes the graph the bundle names; --model goes with --out")
        source, data = install(args.bundle)
        args.out = args.bundle / ENCODER_FILE
    else:
        source = args.model.read_bytes() if args.model else pretrained.find_package()["model.onnx"]
        data = quantize(onnx.load_from_string(source)).SerializeToString()
        args.out.write_bytes(data)
    model = onnx.load_from_string(data)
    matmuls = sum(n.op_type == "MatMulInteger" for n in model.graph.node)
    print(f"{args.out}: {len(data):,} bytes (fp32 {len(source):,}), {matmuls} MatMulInteger, sha256 {pretrained.sha256(data)}")


if __name__ == "__main__":
    main()
