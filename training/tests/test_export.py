"""Export: graphs pass onnx.checker and compute what PyTorch computes (run by the NumPy ONNX interpreter, as
onnxruntime is not installed here); decoder.safetensors follows DESIGN.md; the committed tiny bundle is
self-consistent (its weights reproduce its own parity fixtures through an independent NumPy decoder)."""
import argparse
import json

import numpy as np
import onnx
import pytest
import torch

from training import onnx_numpy, safetensors_io
from training.decoding import DecodingOptions, beam_search, greedy_search
from training.export import export_decoder_weights, export_onnx, parse_bool
from training.numpy_decoder import NumpyBeamStepper, NumpyDecoder

from .conftest import TINY_BUNDLE


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from training.model import Summarizer
    from .conftest import micro_config
    torch.manual_seed(3)
    model = Summarizer(micro_config()).eval()
    with torch.no_grad():  # non-trivial biases and gate so a wrong wiring shows
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    out = tmp_path_factory.mktemp("bundle")
    export_onnx(model, out)
    export_decoder_weights(model, out / "decoder.safetensors")
    return model, out


def inputs(cfg, B, S, seed=0):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(4, cfg.vocab_size, (B, S), generator=g)
    mask = torch.ones(B, S, dtype=torch.long)
    if B > 1:
        mask[1, S // 2:] = 0
        ids[1, S // 2:] = 0
    return ids, mask


@pytest.mark.parametrize("name", ["encoder.onnx", "cross_kv.onnx", "decoder.onnx"])
def test_graphs_pass_checker_with_opset_17(exported, name):
    m = onnx.load(str(exported[1] / name))
    onnx.checker.check_model(m)
    assert any(o.domain in ("", "ai.onnx") and o.version == 17 for o in m.opset_import)


@pytest.mark.parametrize("B,S", [(1, 5), (3, 12), (2, 32)])
def test_encoder_and_cross_kv_match_pytorch(exported, B, S):
    model, out = exported
    ids, mask = inputs(model.cfg, B, S)
    memory = onnx_numpy.run(out / "encoder.onnx", {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})["memory"]
    with torch.no_grad():
        expected = model.encode(ids, mask)
        cross = model.cross_kv(expected)
    assert memory.shape == (B, S, model.cfg.d_model)
    np.testing.assert_allclose(memory, expected.numpy(), atol=2e-5)
    kv = onnx_numpy.run(out / "cross_kv.onnx", {"memory": memory})
    for i, (k, v) in enumerate(cross):
        np.testing.assert_allclose(kv[f"cross_k_{i}"], k.numpy(), atol=2e-5)
        np.testing.assert_allclose(kv[f"cross_v_{i}"], v.numpy(), atol=2e-5)


def test_decoder_step_graph_matches_teacher_forcing(exported):
    model, out = exported
    cfg = model.cfg
    B, S, T = 2, 9, 5
    ids, mask = inputs(cfg, B, S, seed=1)
    tgt = torch.randint(4, cfg.vocab_size, (B, T))
    tgt[:, 0] = cfg.bos_id
    with torch.no_grad():
        memory = model.encode(ids, mask)
        expected, _, _ = model.decode(tgt, memory, ids, mask)
    kv = onnx_numpy.run(out / "cross_kv.onnx", {"memory": memory.numpy()})
    past = {f"past_{x}_{i}": np.zeros((B, cfg.n_heads, 0, cfg.d_k), np.float32)
            for i in range(cfg.n_dec_layers) for x in "kv"}
    for t in range(T):
        res = onnx_numpy.run(out / "decoder.onnx", {
            "input_ids": tgt[:, t:t + 1].numpy(), "step": np.array([t], dtype=np.int64), "src_ids": ids.numpy(),
            "src_mask": mask.numpy(), "memory": memory.numpy(), **kv, **past})
        np.testing.assert_allclose(res["log_probs"], expected[:, t].numpy(), atol=5e-5)
        past = {f"past_{x}_{i}": res[f"present_{x}_{i}"] for i in range(cfg.n_dec_layers) for x in "kv"}
        assert past["past_k_0"].shape == (B, cfg.n_heads, t + 1, cfg.d_k)


def test_decoder_safetensors_names_and_shapes(exported, tmp_path):
    model, out = exported
    cfg = model.cfg
    tensors, meta = safetensors_io.load(out / "decoder.safetensors")
    d, f = cfg.d_model, cfg.d_ff
    expected = {"embed.weight": (cfg.vocab_size, d), "dec_pos.weight": (cfg.max_tgt_len, d),
                "dec_ln.weight": (d,), "dec_ln.bias": (d,), "gen.weight": (1, 2 * d), "gen.bias": (1,)}
    for i in range(cfg.n_dec_layers):
        for ln in ("ln1", "ln2", "ln3"):
            expected[f"dec.{i}.{ln}.weight"] = expected[f"dec.{i}.{ln}.bias"] = (d,)
        for att in ("self_attn", "cross_attn"):
            for p in "qkvo":
                expected[f"dec.{i}.{att}.{p}.weight"], expected[f"dec.{i}.{att}.{p}.bias"] = (d, d), (d,)
        expected[f"dec.{i}.ffn.fc1.weight"], expected[f"dec.{i}.ffn.fc1.bias"] = (f, d), (f,)
        expected[f"dec.{i}.ffn.fc2.weight"], expected[f"dec.{i}.ffn.fc2.bias"] = (d, f), (d,)
    assert {k: tuple(v.shape) for k, v in tensors.items()} == expected
    assert all(v.dtype == np.float32 for v in tensors.values())
    np.testing.assert_array_equal(tensors["gen.weight"], model.gen.weight.detach().numpy())
    # Header: 8-byte little-endian length, JSON padded to 8 bytes; fp16 variant.
    raw = (out / "decoder.safetensors").read_bytes()
    n = int.from_bytes(raw[:8], "little")
    assert n % 8 == 0 and json.loads(raw[8:8 + n])["__metadata__"]["format"] == "pt"
    export_decoder_weights(model, tmp_path / "half.safetensors", fp16=True)
    half, _ = safetensors_io.load(tmp_path / "half.safetensors")
    assert half["embed.weight"].dtype == np.float16
    np.testing.assert_allclose(half["embed.weight"], tensors["embed.weight"], atol=1e-3)


# ---- the committed tiny bundle ----

def tiny_parity():
    return json.loads((TINY_BUNDLE / "parity.json").read_text())


def test_tiny_bundle_config_is_complete():
    card = json.loads((TINY_BUNDLE / "config.json").read_text())
    assert card["bundle_version"] == 1
    for key in ("vocab_size", "d_model", "n_heads", "d_ff", "n_enc_layers", "n_dec_layers", "max_src_len",
                "max_tgt_len", "norm_eps", "pad_id", "unk_id", "bos_id", "eos_id"):
        assert key in card["model"], key
    assert set(card["decoding"]) == {"num_beams", "length_penalty", "min_length", "max_length",
                                     "no_repeat_ngram_size", "early_stopping"}
    for name in card["files"].values():
        assert (TINY_BUNDLE / name).is_file(), name
    assert card["parameters"] > 100_000
    assert card["training"]["licences"] and card["training"]["steps"] > 0
    assert {"rouge1", "rouge2", "rougeLsum"} <= set(card["metrics"]["rouge"]) <= set(card["metrics"]["lead3"]) | {"rougeL"}
    total = sum(p.stat().st_size for p in TINY_BUNDLE.iterdir())
    assert total < 5_000_000


def test_tiny_encoder_reproduces_parity_memory():
    card = json.loads((TINY_BUNDLE / "config.json").read_text())["model"]
    for case in tiny_parity()["cases"]:
        ids = np.array([case["src_ids"]], dtype=np.int64)
        memory = onnx_numpy.run(TINY_BUNDLE / "encoder.onnx", {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        np.testing.assert_allclose(memory["memory"].reshape(-1), case["memory"], atol=1e-4)
        assert len(case["memory"]) == len(case["src_ids"]) * card["d_model"]


def test_tiny_weights_reproduce_parity_decoding():
    """The decoder a second way (NumPy, from decoder.safetensors only) gives the fixtures' numbers and tokens."""
    cases = tiny_parity()["cases"]
    assert len(cases) >= 3
    assert any(c["beam"]["options"]["no_repeat_ngram_size"] > 0 and c["beam"]["options"]["min_length"] > 0
               for c in cases)
    for case in cases:
        S = len(case["src_ids"])
        memory = np.array(case["memory"], dtype=np.float32).reshape(S, -1)
        dec = NumpyDecoder(TINY_BUNDLE, memory, case["src_ids"])
        tf = case["teacher_forcing"]
        assert tf["tgt_ids"][0] == dec.cfg["bos_id"]
        for t, token in enumerate(tf["tgt_ids"]):
            log_probs, attention, p_gen = dec.step(token)
            np.testing.assert_allclose(log_probs, tf["log_probs"][t], atol=1e-4)
            np.testing.assert_allclose(attention, tf["copy_attention"][t], atol=1e-5)
            assert p_gen == pytest.approx(tf["p_gen"][t], abs=1e-5)
        for kind in ("greedy", "beam"):
            opts = DecodingOptions(**case[kind]["options"])
            step = NumpyBeamStepper(TINY_BUNDLE, memory, case["src_ids"], dec.cfg["bos_id"])
            search = greedy_search if opts.num_beams == 1 else beam_search
            ids, score = search(step, opts, dec.cfg["eos_id"])
            assert ids == case[kind]["ids"], kind
            if kind == "beam":
                assert score == pytest.approx(case["beam"]["score"], abs=1e-4)


def test_boolean_options_accept_true_and_false_spellings_and_reject_anything_else():
    assert [parse_bool(t) for t in ("true", "True", "1", "yes")] == [True] * 4
    assert [parse_bool(t) for t in ("false", "FALSE", "0", "no")] == [False] * 4
    with pytest.raises(argparse.ArgumentTypeError, match="flase"):
        parse_bool("flase")
