"""The GPU path (encoder and decoder trained together, fine-tuned encoder exported to ONNX), run on CPU with the tiny
preset: it trains, the encoder's weights move, and the exported graph computes what PyTorch computes."""
import json
import lzma

import numpy as np
import torch

from training import export, pretrained, train
from training.checkpoint import load_checkpoint
from training.tests.onnx_numpy import run_bytes

TEXTS = [("( cnn ) the mayor of lisbon said on tuesday that a new shelter for cyclists will open in march .",
          "lisbon will open a shelter for cyclists in march ."),
         ("police in ohio arrested a man who stole a bus and drove it for 40 miles , officials said .",
          "a man stole a bus in ohio and drove it 40 miles .")]


def test_finetune_exports_a_matching_encoder(tmp_path, bert):
    data = tmp_path / "data"
    data.mkdir()
    for split, n in (("train", 16), ("val", 4)):
        with lzma.open(data / f"{split}.jsonl.xz", "wt") as f:
            for i in range(n):
                article, summary = TEXTS[i % 2]
                f.write(json.dumps({"id": f"{split}{i}", "article": article, "summary": summary}) + "\n")
    run = tmp_path / "run"
    train.main(["--finetune-encoder", "--data", str(data), "--out", str(run), "--preset", "tiny", "--steps", "3",
                "--batch-size", "4", "--max-src-len", "32", "--max-tgt-len", "16", "--val-rows", "4", "--lr", "1e-3",
                "--warmup", "1", "--threads", "1", "--device", "cpu"])
    model, _, state = load_checkpoint(run / "checkpoint.pt", bert=bert)
    assert state["step"] == 3
    moved = model.encoder.layers[0].self_attn.q.weight.detach().numpy()
    assert not np.allclose(moved, bert["encoder.layer.0.attention.self.query.weight"])  # the encoder trained
    assert np.array_equal(model.encoder.embed.weight.detach().numpy(), bert["embeddings.word_embeddings.weight"])

    bundle = tmp_path / "bundle"
    export.main(["--checkpoint", str(run / "checkpoint.pt"), "--out", str(bundle), "--name", "ft",
                 "--max-length", "16", "--min-length", "2"])
    config = json.loads((bundle / "config.json").read_text())
    graph = (bundle / "encoder.onnx").read_bytes()
    assert config["encoder"]["file"] == "encoder.onnx"
    assert config["encoder"]["onnx_sha256"] == pretrained.sha256(graph)
    ids = np.array([[101, 1996, 3664, 1997, 2003, 102], [101, 2023, 102, 0, 0, 0]], dtype=np.int64)
    mask = (np.arange(6)[None] < np.array([[6], [3]])).astype(np.int64)
    out = run_bytes(graph, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
    with torch.no_grad():
        ref = model.encoder.bert(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    np.testing.assert_allclose(out["last_hidden_state"], ref, atol=1e-4)
