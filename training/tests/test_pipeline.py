"""End to end on a small slice of ../shared/data: prepare -> train (CLI) -> export (CLI) -> checks -> continue
training from the exported bundle. Uses a model smaller than the tiny preset to stay fast on 2 cores."""
import json

import numpy as np
import onnx
import torch

from training import export, prepare, train
from training.decoding import DecodingOptions, beam_search, greedy_search
from training.numpy_decoder import NumpyBeamStepper, NumpyDecoder
from training.train import read_checkpoint

SIZE = ["--d-model", "32", "--n-heads", "4", "--d-ff", "64", "--n-enc-layers", "1", "--n-dec-layers", "1",
        "--max-src-len", "64", "--max-tgt-len", "24"]


def test_prepare_train_export_continue(tmp_path, data_root):
    data = tmp_path / "data"
    meta = prepare.prepare(data, data_root, vocab_size=200, train_rows=40, val_rows=4, max_src_len=64,
                           max_tgt_len=24, tokenizer_rows=40, log=lambda m: None)
    assert meta["train_rows"] == 40 and meta["vocab_size"] == 200
    run = tmp_path / "run"
    common = ["--data", str(data), "--preset", "tiny", *SIZE, "--batch-tokens", "512", "--eval-rows", "2",
              "--eval-max-length", "10", "--eval-min-length", "2", "--eval-beams", "2", "--log-every", "2"]
    train.main([*common, "--out", str(run), "--steps", "4", "--schedule-steps", "8", "--warmup-steps", "2"])
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["step"] == 4 and metrics["rows"] == 2 and np.isfinite(metrics["val_loss"])
    assert 0 <= metrics["rouge"]["rouge1"] <= 1 and metrics["lead3"]["rouge1"] > 0.05

    # Resume the same run for 2 more steps: options come from the checkpoint.
    train.main(["--data", str(data), "--out", str(run), "--resume", str(run / "checkpoint.pt"), "--steps", "2",
                "--no-eval"])
    ck = read_checkpoint(run / "checkpoint.pt")
    assert ck["step"] == 6 and ck["train_config"]["schedule_steps"] == 8 and len(ck["phases"]) == 2

    bundle = tmp_path / "bundle"
    export.main(["--checkpoint", str(run / "checkpoint.pt"), "--tokenizer", str(data / "tokenizer.model"),
                 "--metrics", str(run / "metrics.json"), "--out", str(bundle), "--parity-data",
                 str(data / "val.jsonl"), "--parity-cases", "2", "--parity-steps", "5", "--max-length", "10",
                 "--min-length", "2", "--full-weights"])
    card = json.loads((bundle / "config.json").read_text())
    assert card["model"]["d_model"] == 32 and card["model"]["vocab_size"] == 200
    assert card["training"]["steps"] == 6 and card["decoding"]["max_length"] == 10
    for name in card["files"].values():
        assert (bundle / name).is_file()
    for name in ("encoder.onnx", "decoder.onnx", "cross_kv.onnx"):
        onnx.checker.check_model(onnx.load(str(bundle / name)))
    parity = json.loads((bundle / "parity.json").read_text())
    for case in parity["cases"]:
        S = len(case["src_ids"])
        assert S <= 64
        memory = np.array(case["memory"], dtype=np.float32).reshape(S, -1)
        dec = NumpyDecoder(bundle, memory, case["src_ids"])
        for t, tok in enumerate(case["teacher_forcing"]["tgt_ids"]):
            np.testing.assert_allclose(dec.step(tok)[0], case["teacher_forcing"]["log_probs"][t], atol=1e-4)
        for kind in ("greedy", "beam"):
            opts = DecodingOptions(**case[kind]["options"])
            assert opts.max_length <= 24
            search = greedy_search if opts.num_beams == 1 else beam_search
            ids, _ = search(NumpyBeamStepper(bundle, memory, case["src_ids"], 2), opts, 3)
            assert ids == case[kind]["ids"]

    # The weights rebuilt from encoder.onnx + decoder.safetensors equal the checkpoint's and --full-weights' copy;
    # then, as in the shipped form (no model.safetensors), a new run initialised from the bundle starts from them.
    full = read_checkpoint(bundle)["model"]
    (bundle / "model.safetensors").unlink()
    rebuilt = read_checkpoint(bundle)["model"]
    for name, a in ck["model"].items():
        assert torch.equal(rebuilt[name], a) and torch.equal(full[name], a), name
    run2 = tmp_path / "run2"
    train.main([*common, "--out", str(run2), "--init", str(bundle), "--steps", "1", "--no-eval"])
    ck2 = read_checkpoint(run2 / "checkpoint.pt")
    assert ck2["step"] == 1 and len(ck2["phases"]) == 3
