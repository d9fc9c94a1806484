"""--init from an exported bundle without model.safetensors: the full state dict is rebuilt from encoder.onnx
(Linear weights named through the MatMul -> Add(bias) pattern) + decoder.safetensors, exactly, or fails naming
the parameter."""
import json
import shutil

import numpy as np
import onnx
import pytest
import torch

from training import safetensors_io
from training.decoding import DecodingOptions
from training.export import export_decoder_weights, export_encoder, model_card
from training.model import ModelConfig, PRESETS, Summarizer
from training.train import load_checkpoint_model, read_checkpoint
from training.unbundle import has_full_weights, rebuild_state_dict

from .conftest import TINY_BUNDLE


def test_tiny_bundle_rebuilt_model_reproduces_parity():
    assert not has_full_weights(TINY_BUNDLE)  # the point: no model.safetensors in the shipped form
    ck = read_checkpoint(TINY_BUNDLE)
    assert ck["weights_only"] and ck["phases"]
    model = load_checkpoint_model(TINY_BUNDLE)  # load_state_dict is strict: every parameter present
    parity = json.loads((TINY_BUNDLE / "parity.json").read_text())
    for case in parity["cases"]:
        src = torch.tensor([case["src_ids"]])
        mask = torch.ones_like(src)
        tf = case["teacher_forcing"]
        with torch.no_grad():
            memory = model.encode(src, mask)
            log_probs, _, _ = model.decode(torch.tensor([tf["tgt_ids"]]), memory, src, mask)
        np.testing.assert_allclose(memory[0].numpy().reshape(-1), case["memory"], atol=1e-4)
        np.testing.assert_allclose(log_probs[0].numpy(), np.array(tf["log_probs"]), atol=1e-4)


def export_bundle(model: Summarizer, out, fp16: bool):
    """The files --init reads: config.json, encoder.onnx, decoder.safetensors (as export.main writes them)."""
    out.mkdir()
    export_encoder(model, out / "encoder.onnx")
    export_decoder_weights(model, out / "decoder.safetensors", fp16)
    card = model_card(model, None, {"phases": [{"train_file": "train.npz", "steps": 3, "minutes": 0.1}]},
                      DecodingOptions(), "t", fp16, None)
    (out / "config.json").write_text(json.dumps(card))
    return out


def small_tiny():
    return ModelConfig(**{**PRESETS["tiny"].to_dict(), "vocab_size": 300, "max_src_len": 64, "max_tgt_len": 32})


@pytest.mark.parametrize("fp16", [False, True])
@pytest.mark.parametrize("trained_like", [False, True])
def test_export_then_rebuild_gives_the_same_state_dict(tmp_path, fp16, trained_like):
    torch.manual_seed(5)
    model = Summarizer(small_tiny()).eval()
    if trained_like:  # distinct biases and LayerNorm parameters; fresh ones are equal, which the exporter merges
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.05 * torch.randn_like(p))
    bundle = export_bundle(model, tmp_path / "b", fp16)
    if not trained_like:  # the merged form really is what this case exercises
        assert any(n.op_type == "Identity" for n in onnx.load(str(bundle / "encoder.onnx")).graph.node)
    rebuilt = rebuild_state_dict(bundle)
    original = model.state_dict()
    assert list(rebuilt) == list(original)
    for name, a in original.items():
        b = rebuilt[name]
        assert b.dtype == torch.float32 and b.shape == a.shape, name
        in_decoder_file = name.startswith(("dec_pos.", "dec.", "dec_ln.", "gen."))
        expected = a.half().float() if fp16 and in_decoder_file else a  # embed.weight: fp32 from encoder.onnx
        assert torch.equal(b, expected), name


def test_full_weights_file_is_preferred(tmp_path):
    torch.manual_seed(6)
    model = Summarizer(small_tiny()).eval()
    bundle = export_bundle(model, tmp_path / "b", False)
    other = {k: (v + 1).numpy() for k, v in model.state_dict().items()}
    safetensors_io.save(other, bundle / "model.safetensors")
    assert has_full_weights(bundle)
    got = read_checkpoint(bundle)["model"]
    assert torch.equal(got["enc.0.self_attn.q.weight"], model.state_dict()["enc.0.self_attn.q.weight"] + 1)


def corrupted_copy(tmp_path, edit):
    bundle = tmp_path / "tiny"
    shutil.copytree(TINY_BUNDLE, bundle)
    m = onnx.load(str(bundle / "encoder.onnx"))
    edit(m.graph)
    onnx.save(m, str(bundle / "encoder.onnx"))
    return bundle


def test_removed_bias_initializer_fails_naming_the_parameter(tmp_path):
    def drop(graph):
        (init,) = [i for i in graph.initializer if i.name == "model.enc.1.self_attn.k.bias"]
        graph.initializer.remove(init)
    bundle = corrupted_copy(tmp_path, drop)
    with pytest.raises(ValueError, match=r"enc\.1\.self_attn\.k\.weight.*not found") as e:
        read_checkpoint(bundle)
    assert "enc.1.self_attn.k.bias" in str(e.value)


def test_two_matmuls_claiming_one_bias_fail_as_ambiguous(tmp_path):
    def rewire(graph):  # the k projection's Add now adds the q bias: two weights for enc.0.self_attn.q.weight
        (add,) = [n for n in graph.node if n.op_type == "Add" and "model.enc.0.self_attn.k.bias" in n.input]
        add.input[list(add.input).index("model.enc.0.self_attn.k.bias")] = "model.enc.0.self_attn.q.bias"
    bundle = corrupted_copy(tmp_path, rewire)
    with pytest.raises(ValueError, match=r"enc\.0\.self_attn\.q\.weight is ambiguous") as e:
        rebuild_state_dict(bundle)
    assert "enc.0.self_attn.k.weight [64, 64]: not found" in str(e.value)


def test_wrong_shape_and_missing_decoder_tensor_fail_naming_them(tmp_path):
    bundle = tmp_path / "tiny"
    shutil.copytree(TINY_BUNDLE, bundle)
    tensors, meta = safetensors_io.load(bundle / "decoder.safetensors")
    del tensors["dec.1.cross_attn.v.bias"]
    tensors["gen.weight"] = tensors["gen.weight"][:, :-1]
    safetensors_io.save(tensors, bundle / "decoder.safetensors", meta)
    with pytest.raises(ValueError) as e:
        rebuild_state_dict(bundle)
    assert "dec.1.cross_attn.v.bias [64]: not found in decoder.safetensors" in str(e.value)
    assert "gen.weight: shape [1, 127] in decoder.safetensors, the model needs [1, 128]" in str(e.value)


def test_embedding_copies_that_disagree_fail(tmp_path):
    bundle = tmp_path / "tiny"
    shutil.copytree(TINY_BUNDLE, bundle)
    tensors, meta = safetensors_io.load(bundle / "decoder.safetensors")
    tensors["embed.weight"] = tensors["embed.weight"] + 1e-3
    safetensors_io.save(tensors, bundle / "decoder.safetensors", meta)
    with pytest.raises(ValueError, match="embed.weight: encoder.onnx and decoder.safetensors disagree"):
        rebuild_state_dict(bundle)
