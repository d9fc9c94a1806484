"""The sentence selector: masking, the selection rule the C# side mirrors, and train -> export on a synthetic cache
whose oracle sentences are marked in their memory."""
import json
import lzma

import numpy as np
import pytest
import torch

from training import safetensors_io, train_selector
from training.cache import write_split
from training.selector import AdditivePooling, SelectorConfig, SentenceSelector, membership, select

# What src/Inference/Selector/SentenceSelectorWeights.cs reads, for a 1-layer selector.
CSHARP_NAMES = {"pool.u", "pool.w_q.weight", "pool.w_k.weight", "pool.w_k.bias", "pool.v.weight", "proj.weight",
                "proj.bias", "pos.weight", "score.weight", "score.bias"} | {
    f"layers.0.{n}" for n in ["self_attn.q.weight", "self_attn.q.bias", "self_attn.k.weight", "self_attn.k.bias",
                              "self_attn.v.weight", "self_attn.v.bias", "self_attn.o.weight", "self_attn.o.bias",
                              "ln1.weight", "ln1.bias", "ffn.fc1.weight", "ffn.fc1.bias", "ffn.fc2.weight",
                              "ffn.fc2.bias", "ln2.weight", "ln2.bias"]}


def micro(**kw) -> SentenceSelector:
    torch.manual_seed(0)
    cfg = SelectorConfig(d_mem=16, d_model=8, n_heads=2, d_ff=16, n_layers=1, d_attn=4, max_sentences=3, **kw)
    return SentenceSelector(cfg).eval()


def test_pooling_reads_only_the_sentences_own_tokens():
    torch.manual_seed(0)
    pool = AdditivePooling(16, 4)
    m = torch.randn(1, 10, 16)
    member = membership([(0, 4), (4, 10)], 10)[None]
    before = pool(m, member)
    m[0, 5:] += 3.0  # only sentence 1's tokens change
    after = pool(m, member)
    assert torch.allclose(before[0, 0], after[0, 0])
    assert not torch.allclose(before[0, 1], after[0, 1])


def test_a_padding_sentence_changes_no_score():
    model = micro()
    m = torch.randn(1, 12, 16)
    ranges = [(0, 5), (5, 9), (9, 12)]
    alone, _ = model(m, membership(ranges, 12)[None])
    padded, weights = model(m, torch.cat([membership(ranges, 12), torch.zeros(2, 12, dtype=torch.bool)])[None])
    assert torch.allclose(alone[0], padded[0, :3], atol=1e-6)
    assert float(weights[0, :, :3, 3:].abs().max()) == 0.0  # nobody attends to a padding sentence


def test_sentences_past_the_last_position_share_it():
    model = micro()
    m = torch.randn(1, 20, 16)
    z, _ = model(m, membership([(i * 4, i * 4 + 4) for i in range(5)], 20)[None])
    assert z.shape == (1, 5) and torch.isfinite(z).all()


def test_select_takes_the_best_by_rank_blocks_repeated_trigrams_and_breaks_ties_early():
    ids = [[1, 2, 3, 9], [1, 2, 3, 8], [7, 6, 5]]
    assert select([0.9, 0.8, 0.1], ids, 2) == [0, 2]
    assert select([0.5, 0.5, 0.5], [[1], [2], [3]], 2) == [0, 1]
    assert select([0.1, 0.3, 0.2], [[1], [2], [3]], 5) == [1, 2, 0]


@pytest.fixture(scope="module")
def labelled_cache(tmp_path_factory):
    """Rows of 3..7 sentences; the oracle's sentences carry +1 in memory dimension 0, so a selector can learn them."""
    root = tmp_path_factory.mktemp("selcache")
    rng = np.random.default_rng(0)
    rows, sents, index, texts = [], [], [], []
    for _ in range(160):
        n = int(rng.integers(3, 8))
        lengths = rng.integers(2, 6, size=n)
        labels = (rng.random(n) < 0.3).astype(np.int32)
        mem, spans, article, at, t = [], [], [], 0, 0
        for j, (length, label) in enumerate(zip(lengths, labels)):
            block = rng.normal(size=(length, 16)) * 0.5
            block[:, 0] += 1.0 if label else -1.0
            mem.append(block)
            text = f"sentence {j} words."
            spans.append((t, t + length, label, at, at + len(text)))
            article.append(text)
            at += len(text) + 1
            t += length
        rows.append((rng.integers(1000, 2000, size=t), np.concatenate(mem), [1]))
        index.append((len(sents), n))
        sents.extend(spans)
        texts.append({"article": " ".join(article), "summary": "sentence 0 words."})
    write_split(root / "train", rows, {"d_model": 16, "max_src_len": 64})
    np.asarray(sents, dtype=np.int32).tofile(root / "train" / "sent.i32")
    np.asarray(index, dtype=np.int64).tofile(root / "train" / "sent_index.i64")
    with lzma.open(root / "train.jsonl.xz", "wt") as f:
        f.writelines(json.dumps(t) + "\n" for t in texts)
    return root


def test_train_learns_the_marked_sentences_and_exports_what_the_csharp_side_reads(labelled_cache, tmp_path):
    run = tmp_path / "run"
    train_selector.main(["train", "--cache", str(labelled_cache), "--data", str(labelled_cache / "train.jsonl.xz"),
                         "--out", str(run), "--dev-rows", "32", "--epochs", "12", "--batch-size", "16", "--lr", "3e-3",
                         "--warmup", "5", "--d-model", "16", "--heads", "2", "--layers", "1", "--d-attn", "8",
                         "--max-sentences", "4", "--threads", "1"])
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    assert log[0]["loss"] > 0.5 and log[-1]["loss"] < 0.3, log  # chance is ~0.6 on these labels

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "config.json").write_text(json.dumps({"name": "x"}))
    train_selector.main(["export", "--checkpoint", str(run / "selector.pt"), "--out", str(bundle), "--count", "2"])
    tensors, _ = safetensors_io.load(bundle / train_selector.SELECTOR_FILE)
    assert set(tensors) == CSHARP_NAMES
    assert tensors["pool.v.weight"].shape == (8,) and tensors["score.weight"].shape == (16,)
    section = json.loads((bundle / "config.json").read_text())["selector"]
    assert section["file"] == train_selector.SELECTOR_FILE and section["sentence_count"] == 2
    assert (section["d_mem"], section["d_attn"], section["max_sentences"]) == (16, 8, 4)

    # The exported weights are the checkpoint's: the reloaded model scores a row as the trained one did.
    model, _ = train_selector.load(str(run / "selector.pt"))
    reloaded = SentenceSelector(SelectorConfig.from_dict(section))
    state = {k: torch.from_numpy(v).reshape(model.state_dict()[k].shape) for k, v in tensors.items()}
    reloaded.load_state_dict(state)
    m, member = torch.randn(1, 9, 16), membership([(0, 4), (4, 9)], 9)[None]
    assert torch.allclose(model(m, member)[0], reloaded.eval()(m, member)[0], atol=1e-6)
