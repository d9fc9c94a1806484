"""A small NumPy interpreter for the ONNX operators our exported graphs use.

onnx 1.12 has no reference evaluator and onnxruntime is not installed on the CPU/CI machine, so the export tests
run the exported graphs here, node by node, and compare with PyTorch. An operator outside this list raises
NotImplementedError naming it (so a graph change cannot pass unverified).
"""
from __future__ import annotations

import math
import numpy as np
import onnx
from onnx import numpy_helper

_CAST = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64}


def _attrs(node) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _layer_norm(x, scale, bias=None, axis=-1, epsilon=1e-5, **_):
    axes = tuple(range(axis % x.ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + np.float32(epsilon)) * scale
    return (y + bias if bias is not None else y).astype(x.dtype)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = list(range(len(starts))) if axes is None else [int(a) % x.ndim for a in axes]
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[a] = slice(int(s), int(max(min(e, np.iinfo(np.int64).max), -np.iinfo(np.int64).max)), int(st))
    return x[tuple(index)]


def _scatter_elements(data, indices, updates, axis=0, reduction=b"none"):
    out = data.copy()
    axis %= data.ndim
    idx = list(np.indices(indices.shape))
    idx[axis] = indices
    if reduction in (b"add", "add"):
        np.add.at(out, tuple(idx), updates)
    elif reduction in (b"none", "none"):
        out[tuple(idx)] = updates
    else:
        raise NotImplementedError(f"ScatterElements reduction {reduction}")
    return out


def _dynamic_quantize_linear(x):
    # ONNX's definition: the range always holds 0, uint8, round half to even, saturate.
    low, high = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
    scale = np.float32((high - low) / 255)
    zero_point = np.uint8(np.clip(np.round(-low / scale), 0, 255))
    quantized = np.clip(np.round(x / scale) + zero_point, 0, 255).astype(np.uint8)
    return [quantized, np.array(scale, np.float32), np.array(zero_point, np.uint8)]


def _matmul_integer(a, b, a_zero_point=None, b_zero_point=None):
    a = a.astype(np.int32) - (0 if a_zero_point is None else a_zero_point.astype(np.int32))
    b = b.astype(np.int32) - (0 if b_zero_point is None else b_zero_point.astype(np.int32))
    return np.matmul(a, b).astype(np.int32)


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    a = a.T if transA else a
    b = b.T if transB else b
    y = np.float32(alpha) * (a @ b)
    return y + np.float32(beta) * c if c is not None else y


def _run_node(op, x, at):
    if op == "Constant":
        return [numpy_helper.to_array(at["value"])]
    if op == "Identity":
        return [x[0]]
    if op in ("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater"):
        f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Pow": np.power,
             "Equal": np.equal, "Less": np.less, "Greater": np.greater}[op]
        r = f(x[0], x[1])
        if op == "Div" and np.issubdtype(x[0].dtype, np.integer):
            r = np.floor_divide(x[0], x[1])
        return [r.astype(x[0].dtype) if op not in ("Equal", "Less", "Greater") else r]
    if op == "MatMul":
        return [np.matmul(x[0], x[1])]
    if op == "DynamicQuantizeLinear":
        return _dynamic_quantize_linear(x[0])
    if op == "MatMulInteger":
        return [_matmul_integer(*x)]
    if op == "Gemm":
        return [_gemm(*x, **at)]
    if op == "Reshape":
        shape = [int(s) for s in x[1]]
        shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
        return [x[0].reshape(shape)]
    if op == "Transpose":
        return [np.transpose(x[0], at.get("perm"))]
    if op == "Softmax":
        return [_softmax(x[0], at.get("axis", -1))]
    if op == "LayerNormalization":
        return [_layer_norm(*x, **at)]
    if op in ("Tanh", "Sigmoid", "Log", "Sqrt", "Exp", "Neg", "Erf"):
        f = {"Tanh": np.tanh, "Sigmoid": lambda v: 1 / (1 + np.exp(-v)), "Log": np.log, "Sqrt": np.sqrt,
             "Exp": np.exp, "Neg": np.negative, "Erf": np.vectorize(math.erf)}.get(op)
        if f is None:
            raise NotImplementedError(op)
        return [f(x[0]).astype(x[0].dtype)]
    if op == "Clip":
        lo = x[1] if len(x) > 1 and x[1] is not None else None
        hi = x[2] if len(x) > 2 and x[2] is not None else None
        return [np.clip(x[0], lo, hi).astype(x[0].dtype)]
    if op == "ReduceMean":
        axes = at.get("axes")
        return [x[0].mean(axis=tuple(axes) if axes is not None else None,
                          keepdims=bool(at.get("keepdims", 1))).astype(x[0].dtype)]
    if op == "Gather":
        return [np.take(x[0], x[1].astype(np.int64), axis=at.get("axis", 0))]
    if op == "Shape":
        return [np.asarray(x[0].shape, dtype=np.int64)[at.get("start", 0):at.get("end", None)]]
    if op == "Unsqueeze":  # axes: an input from opset 13, an attribute before
        y, axes = x[0], (x[1] if len(x) > 1 else at["axes"])
        for a in sorted(int(a) % (y.ndim + len(axes)) for a in axes):
            y = np.expand_dims(y, a)
        return [y]
    if op == "Squeeze":
        axes = x[1] if len(x) > 1 else at.get("axes")
        return [np.squeeze(x[0], axis=tuple(int(a) for a in axes)) if axes is not None else np.squeeze(x[0])]
    if op == "Concat":
        return [np.concatenate(x, axis=at["axis"])]
    if op == "Cast":
        return [x[0].astype(_CAST[at["to"]])]
    if op == "Slice":
        return [_slice(*x)]
    if op == "ConstantOfShape":
        value = numpy_helper.to_array(at["value"]) if "value" in at else np.zeros(1, np.float32)
        return [np.full([int(s) for s in x[0]], value.reshape(-1)[0], dtype=value.dtype)]
    if op == "ScatterElements":
        return [_scatter_elements(*x, **at)]
    if op == "Where":
        return [np.where(x[0], x[1], x[2])]
    if op == "Expand":
        return [x[0] * np.ones([int(s) for s in x[1]], dtype=x[0].dtype)]
    if op == "Range":
        return [np.arange(x[0], x[1], x[2]).astype(x[0].dtype)]
    raise NotImplementedError(f"ONNX operator {op} is not supported by onnx_numpy")


def run(model_path, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Runs the graph on `feeds` (name -> array) and returns every graph output by name."""
    return _run(onnx.load(str(model_path)), feeds)


def run_bytes(model_bytes: bytes, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return _run(onnx.load_from_string(model_bytes), feeds)


def _run(model, feeds):
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    expected = [i.name for i in model.graph.input if i.name not in env]
    missing = set(expected) - set(feeds)
    if missing:
        raise ValueError(f"missing inputs: {sorted(missing)}")
    env.update(feeds)
    for node in model.graph.node:
        inputs = [env[n] if n else None for n in node.input]
        outs = _run_node(node.op_type, inputs, _attrs(node))
        for name, value in zip(node.output, outs):
            env[name] = value
    return {o.name: env[o.name] for o in model.graph.output}
