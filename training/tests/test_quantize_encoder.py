"""The int8 rewrite of the encoder graph: which nodes change, what the weights become, and the graph's math."""
import json

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from training import pretrained
from training.quantize_encoder import WORD_EMBEDDING, install, quantize, quantize_weight
from training.tests.onnx_numpy import run_bytes

K, N, F = 8, 6, 12  # model width, second width, FFN width


def tiny_encoder(seed: int = 0) -> onnx.ModelProto:
    """ids → E[ids] → MatMul W_q, MatMul W_k (one activation, two weights) → scores q·kᵀ (activation × activation) →
    FFN: MatMul W_1 + b → MatMul W_2: the shapes of a BERT layer in miniature."""
    rng = np.random.default_rng(seed)
    weights = {
        WORD_EMBEDDING: rng.normal(size=(20, K)), "w_q": rng.normal(size=(K, N)), "w_k": rng.normal(size=(K, N)),
        "w_1": rng.normal(size=(K, F)), "b_1": rng.normal(size=F), "w_2": rng.normal(size=(F, K)) * 0.1,
    }
    weights["w_q"][:, 0] = 0  # an all-zero column must not divide by zero
    nodes = [
        helper.make_node("Gather", [WORD_EMBEDDING, "input_ids"], ["x"]),
        helper.make_node("MatMul", ["x", "w_q"], ["q"], name="query"),
        helper.make_node("MatMul", ["x", "w_k"], ["k"], name="key"),
        helper.make_node("Transpose", ["k"], ["k_t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "k_t"], ["scores"], name="scores"),
        helper.make_node("MatMul", ["x", "w_1"], ["h_1"], name="fc1"),
        helper.make_node("Add", ["h_1", "b_1"], ["h"]),
        helper.make_node("MatMul", ["h", "w_2"], ["y"], name="fc2"),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["B", "L"])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["B", "L", "L"]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, ["B", "L", K])],
        [numpy_helper.from_array(w.astype(np.float32), name) for name, w in weights.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])


def initializers(model):
    return {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}


def test_weight_matmuls_become_integer_and_the_rest_stays():
    fp32 = tiny_encoder()
    int8 = quantize(fp32)
    ops = [n.op_type for n in int8.graph.node]
    assert ops.count("MatMulInteger") == 4  # w_q, w_k, w_1, w_2
    assert ops.count("MatMul") == 1  # q·kᵀ: no weight, stays float32
    assert ops.count("DynamicQuantizeLinear") == 2  # x (shared by query, key, fc1) and h
    weights = initializers(int8)
    for name in ("w_q", "w_k", "w_1", "w_2"):
        assert name not in weights
        assert weights[f"{name}_quantized"].dtype == np.int8
        assert weights[f"{name}_scale"].shape == (weights[f"{name}_quantized"].shape[1],)
    # E and the bias are untouched, byte for byte: the decoder reads E from the graph.
    before = initializers(fp32)
    assert weights[WORD_EMBEDDING].dtype == np.float32
    np.testing.assert_array_equal(weights[WORD_EMBEDDING], before[WORD_EMBEDDING])
    np.testing.assert_array_equal(weights["b_1"], before["b_1"])
    assert [o.name for o in int8.graph.output] == ["scores", "y"]


def test_weights_are_symmetric_per_column():
    w = np.random.default_rng(1).normal(size=(K, N)).astype(np.float32)
    w[:, 2] *= 100  # one loud column must not coarsen the others' steps
    w[:, 3] = 0
    codes, scale = quantize_weight(w)
    assert np.abs(codes).max() == 127 and codes.min() >= -127
    assert np.all(np.abs(codes[:, [0, 1, 2, 4, 5]]).max(axis=0) == 127)  # every column uses its full range
    assert scale[3] == 1 and not codes[:, 3].any()
    np.testing.assert_allclose(scale[2], np.abs(w[:, 2]).max() / 127, rtol=1e-6)
    assert np.all(np.abs(codes * scale - w) <= scale / 2 + 1e-7)


def test_graph_computes_dequantized_matmuls():
    fp32 = tiny_encoder()
    int8 = quantize(fp32)
    ids = np.array([[1, 5, 7, 19, 3], [2, 2, 0, 11, 4]], dtype=np.int64)
    got = run_bytes(int8.SerializeToString(), {"input_ids": ids})
    want = run_bytes(fp32.SerializeToString(), {"input_ids": ids})
    w = initializers(fp32)

    def reference(x, weight):
        # DynamicQuantizeLinear by hand: one scale and zero point per tensor, over a range that holds 0.
        low, high = min(x.min(), 0), max(x.max(), 0)
        x_scale = (high - low) / 255
        zero_point = np.clip(np.round(-low / x_scale), 0, 255)
        x_q = np.clip(np.round(x / x_scale) + zero_point, 0, 255)
        codes, w_scale = quantize_weight(weight)
        return ((x_q - zero_point) @ codes.astype(np.float64)) * (x_scale * w_scale)

    x = w[WORD_EMBEDDING][ids].astype(np.float64)
    h = reference(x, w["w_1"]) + w["b_1"]
    np.testing.assert_allclose(got["y"], reference(h.astype(np.float32), w["w_2"]), rtol=1e-4, atol=1e-5)
    scores = reference(x, w["w_q"]) @ np.swapaxes(reference(x, w["w_k"]), 1, 2)
    np.testing.assert_allclose(got["scores"], scores, rtol=1e-4, atol=1e-4)
    # And int8 stays near fp32: within 3% of the output's largest magnitude.
    for name in ("y", "scores"):
        assert np.abs(got[name] - want[name]).max() < 0.03 * np.abs(want[name]).max()


def test_a_graph_without_weight_matmuls_is_refused():
    fp32 = tiny_encoder()
    kept = frozenset({WORD_EMBEDDING, "w_q", "w_k", "w_1", "w_2"})
    with pytest.raises(ValueError, match="no MatMul"):
        quantize(fp32, keep=kept)


def test_install_puts_the_int8_graph_into_a_bundle_once(tmp_path):
    fp32 = tiny_encoder().SerializeToString()
    (tmp_path / "encoder.onnx").write_bytes(fp32)  # a bundle with its own fp32 encoder, as a fine-tuned one has
    config = {"encoder": {"package": "P", "onnx_sha256": pretrained.sha256(fp32), "file": "encoder.onnx"}, "model": {}}
    (tmp_path / "config.json").write_text(json.dumps(config))
    _, int8 = install(tmp_path)
    encoder = json.loads((tmp_path / "config.json").read_text())["encoder"]
    assert (tmp_path / encoder["file"]).read_bytes() == int8
    assert encoder["onnx_sha256"] == pretrained.sha256(int8) != pretrained.sha256(fp32)
    assert encoder["quantization"]["fp32_onnx_sha256"] == pretrained.sha256(fp32)
    with pytest.raises(ValueError, match="no MatMul"):  # int8 already
        install(tmp_path)


def test_install_refuses_a_graph_the_config_does_not_hash(tmp_path):
    (tmp_path / "encoder.onnx").write_bytes(tiny_encoder().SerializeToString())
    (tmp_path / "config.json").write_text(json.dumps({"encoder": {"onnx_sha256": "0" * 64, "file": "encoder.onnx"}}))
    with pytest.raises(ValueError, match="onnx_sha256"):
        install(tmp_path)
