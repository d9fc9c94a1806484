"""Shared fixtures: a micro model config (fast on a 2-core CPU), the committed tiny bundle, a small data slice."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from training.model import ModelConfig, Summarizer

REPO = Path(__file__).resolve().parents[2]
TINY_BUNDLE = REPO / "tests" / "fixtures" / "tiny"

torch.set_num_threads(1)


def micro_config(**overrides) -> ModelConfig:
    """Smaller than the tiny preset so unit tests stay well under a second each."""
    cfg = ModelConfig(vocab_size=50, d_model=32, n_heads=4, d_ff=64, n_enc_layers=2, n_dec_layers=2,
                      max_src_len=32, max_tgt_len=16)
    for k, v in overrides.items():
        setattr(cfg, k, v)
    return cfg


@pytest.fixture
def micro_model() -> Summarizer:
    torch.manual_seed(0)
    return Summarizer(micro_config()).eval()


@pytest.fixture(scope="session")
def data_root() -> Path:
    """../shared/data (or $SUMMARIZER_DATA); tests needing it are skipped with a reason when absent."""
    from training.data import data_dir
    try:
        return data_dir()
    except FileNotFoundError as e:
        pytest.skip(str(e))
