"""The benchmark's ONNX step graphs (training/export_step_onnx.py) against PyTorch's decode_step, run by the NumPy
interpreter: the micro model, the committed C# fixture (tests/fixtures/step-onnx) and the tiny bundle on the real E."""
import json

import numpy as np
import torch

from training import export_step_onnx as step_onnx
from training import safetensors_io
from training.checkpoint import bundle_weights, load_bundle_into
from training.tests.conftest import REPO, TINY_BUNDLE, micro_memory
from training.tests.onnx_numpy import run

FIXTURE = REPO / "tests" / "fixtures" / "step-onnx"


def assert_graph_steps_equal_pytorch(model, graphs, src, memory, rows, steps, seed=0, atol=1e-5):
    """Feeds the same tokens to decode_step (PyTorch, B rows) and to the graphs (cross_kv once, then step by step with the
    presents fed back as pasts); log-probs and caches must agree at every step."""
    cfg, n = model.cfg, model.cfg.n_dec_layers
    s = torch.tensor([src] * rows)
    m = torch.from_numpy(memory)[None].expand(rows, -1, -1)
    caches = [dict() for _ in model.dec]
    cross_torch = model.cross_kv(m)
    cross = run(graphs / step_onnx.CROSS_KV_FILE, {"memory": memory})
    past = [np.zeros((rows, cfg.n_heads, 0, cfg.head_dim), np.float32) for _ in range(2 * n)]
    names = step_onnx.input_names(n)
    rng = np.random.default_rng(seed)
    for t in range(steps):
        tokens = np.full(rows, cfg.bos_id) if t == 0 else rng.integers(0, cfg.vocab_size, rows)
        with torch.no_grad():
            lp, _, _ = model.decode_step(torch.from_numpy(tokens), t, m, s, torch.ones_like(s), caches, cross_torch)
        feeds = {"input_ids": tokens.astype(np.int64), "position": np.array([t], np.int64),
                 "src_ids": np.asarray(src, np.int64), "memory": memory}
        feeds.update({name: cross[name] for name in names[4:4 + 2 * n]})
        feeds.update(dict(zip(names[4 + 2 * n:], past)))
        out = run(graphs / step_onnx.STEP_FILE, feeds)
        np.testing.assert_allclose(out["log_probs"], lp.numpy(), atol=atol, err_msg=f"step {t}")
        past = [out[name] for name in step_onnx.output_names(n)[1:]]
        for i in range(n):
            np.testing.assert_allclose(past[2 * i], caches[i]["k"].numpy(), atol=1e-5)
            np.testing.assert_allclose(past[2 * i + 1], caches[i]["v"].numpy(), atol=1e-5)
        assert past[0].shape == (rows, cfg.n_heads, t + 1, cfg.head_dim)


def test_the_graphs_compute_decode_step(micro_model, tmp_path):
    step_onnx.export(micro_model, tmp_path)
    src = [5, 6, 40, 7, 5, 12, 49]  # a repeated id (copy mass adds up), ids in and out of the shortlist (3..22)
    assert_graph_steps_equal_pytorch(micro_model, tmp_path, src, micro_memory(len(src), seed=3), rows=3, steps=6)


def test_the_committed_fixture_is_the_fixture_command_output():
    """tests/fixtures/step-onnx (the C# ORT-vs-native test's) holds fixture_model()'s weights, and its graphs compute
    that model's step: PyTorch = graphs here, graphs = native step there."""
    model = step_onnx.fixture_model()
    tensors, _ = safetensors_io.load(FIXTURE / "decoder.safetensors")
    expected = bundle_weights(model) | {"embed.weight": model.embed.weight.detach().numpy()}
    assert set(tensors) == set(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(tensors[name], value, err_msg=name)
    assert json.loads((FIXTURE / "config.json").read_text())["model"] == model.cfg.to_dict()
    src = [9, 40, 9, 17, 3, 60, 21, 9]
    memory = np.random.default_rng(1).normal(size=(len(src), model.cfg.d_model)).astype(np.float32)
    assert_graph_steps_equal_pytorch(model, FIXTURE, src, memory, rows=2, steps=model.cfg.max_tgt_len)


def test_the_tiny_bundle_exports_on_the_real_embedding(bert, tmp_path):
    """The shipped sizes' code path: V 30,522, d_model 384, 12 heads, E from the encoder package."""
    model = load_bundle_into(TINY_BUNDLE, bert).eval()
    step_onnx.export(model, tmp_path)
    src = [2003, 1996, 3007, 2003, 4248, 1010, 2023, 29999, 102]
    memory = np.random.default_rng(2).normal(size=(len(src), model.cfg.d_model)).astype(np.float32)
    assert_graph_steps_equal_pytorch(model, tmp_path, src, memory, rows=2, steps=3, atol=1e-4)

