"""Checkpoints (resumable training state) and bundles read back into a model (to continue training from models/)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from . import safetensors_io
from .model import ModelConfig, Summarizer


def make_optimizer(model: Summarizer, args):
    """AdamW over the trainable weights; the pretrained encoder (when fine-tuned) at a tenth of the rate."""
    decoder = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("encoder.")]
    encoder = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("encoder.")]
    groups = [{"params": decoder, "lr_scale": 1.0}] + ([{"params": encoder, "lr_scale": 0.1}] if encoder else [])
    return torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.98), weight_decay=args.weight_decay)


def save_checkpoint(path: Path, model: Summarizer, opt, state: dict):
    """Model (E excluded: it is the encoder's), optimizer and progress; written atomically."""
    tuned = model.encoder is not None and any(p.requires_grad for p in model.encoder.parameters())
    weights = {k: v.cpu() for k, v in model.state_dict().items()  # a frozen encoder is the package's: not saved
               if not k.startswith("embed.") and (tuned or not k.startswith("encoder."))}
    tmp = Path(str(path) + ".tmp")
    torch.save({"config": model.cfg.to_dict(), "model": weights, "opt": opt.state_dict(), "state": state}, tmp)
    tmp.replace(path)


def model_from_weights(cfg: ModelConfig, weights: dict, bert: dict, dropout: float = 0.0) -> Summarizer:
    model = Summarizer(cfg, dropout=dropout)
    if any(k.startswith("encoder.") for k in weights):  # a fine-tuned encoder
        model.attach_encoder(bert, trainable=True)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    if unexpected or set(missing) - {"embed.weight", "encoder.embed.weight"}:
        raise ValueError(f"checkpoint does not fit the config: missing {missing}, unexpected {unexpected}")
    if "embed.weight" not in weights:
        with torch.no_grad():
            model.embed.weight.copy_(torch.from_numpy(bert["embeddings.word_embeddings.weight"]))
    return model


def load_checkpoint(path: Path, args=None, bert: dict | None = None, device="cpu"):
    """(model, optimizer, state) from a checkpoint; E comes from the encoder package the cache names."""
    from . import pretrained
    ck = torch.load(path, map_location="cpu")
    state = ck["state"]
    if bert is None:
        bert = pretrained.bert_weights(pretrained.find_package(state["encoder"]["package"])["model.onnx"])
    model = model_from_weights(ModelConfig.from_dict(ck["config"]), ck["model"], bert,
                               dropout=getattr(args, "dropout", 0.0) if args else 0.0)
    model.to(device)
    opt = make_optimizer(model, args or argparse.Namespace(lr=1e-3, weight_decay=0.01))
    opt.load_state_dict(ck["opt"])
    return model, opt, state


def bundle_weights(model: Summarizer) -> dict[str, np.ndarray]:
    """decoder.safetensors tensors (DESIGN.md names = the state dict's), E excluded, gen_ids as int32."""
    out = {}
    for k, v in model.state_dict().items():
        if k.startswith(("embed.", "encoder.")):
            continue
        out[k] = v.detach().cpu().numpy().astype(np.int32 if k == "gen_ids" else np.float32)
    return out


def load_bundle_into(bundle: str | Path, bert: dict, dropout: float = 0.0) -> Summarizer:
    """A model rebuilt from a bundle's config.json + decoder.safetensors (fp16 widened) + the encoder's E."""
    bundle = Path(bundle)
    config = json.loads((bundle / "config.json").read_text())
    tensors, _ = safetensors_io.load(bundle / config["files"]["decoder_weights"])
    weights = {k: torch.from_numpy(v.astype(np.int64 if k == "gen_ids" else np.float32)) for k, v in tensors.items()}
    return model_from_weights(ModelConfig.from_dict(config["model"]), weights, bert, dropout)
