"""Training: the loss falls on a fixed batch; a resumed run continues exactly where it stopped; batching."""
import numpy as np
import pytest
import torch

from training import data as D
from training.train import TrainConfig, Trainer, loss_fn, make_optimizer, lr_at
from training.model import Summarizer

from .conftest import micro_config


def synthetic_dataset(path, rows=64, seed=0, vocab=50):
    """A copy task: the target is the source's first tokens + EOS."""
    rng = np.random.default_rng(seed)
    pairs_src, pairs_tgt = [], []
    for _ in range(rows):
        s = rng.integers(4, vocab, size=int(rng.integers(5, 30)))
        pairs_src.append(s.astype(np.uint16))
        pairs_tgt.append(np.append(s[:int(rng.integers(2, 10))], 3).astype(np.uint16))

    def flat(parts):
        off = np.zeros(len(parts) + 1, dtype=np.int64)
        off[1:] = np.cumsum([len(p) for p in parts])
        return np.concatenate(parts), off

    ds = D.TokenizedSet(*flat(pairs_src), *flat(pairs_tgt))
    path.mkdir(parents=True, exist_ok=True)
    ds.save(path / "train.npz")
    return ds


def test_loss_falls_on_a_fixed_batch(tmp_path):
    ds = synthetic_dataset(tmp_path)
    cfg = micro_config()
    torch.manual_seed(0)
    model = Summarizer(cfg)
    opt = make_optimizer(model, TrainConfig(lr=3e-3))
    src, mask, tgt_in, tgt_out = map(torch.from_numpy, D.collate(ds, np.arange(16), cfg.bos_id, cfg.pad_id))
    losses = []
    for _ in range(30):
        log_probs, _, _ = model(src, mask, tgt_in)
        loss = loss_fn(log_probs, tgt_out, cfg.pad_id)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.7 * losses[0], losses


def make_trainer(path, **kw):
    tc = TrainConfig(batch_tokens=200, max_batch=8, dropout=0.1, warmup_steps=2, schedule_steps=12, log_every=1000,
                     seed=7, **kw)
    return Trainer(micro_config(), tc, path, torch.device("cpu"), log=lambda m: None)


def test_resume_continues_where_it_stopped(tmp_path):
    synthetic_dataset(tmp_path)
    straight = make_trainer(tmp_path)
    straight.run(steps=10)  # crosses an epoch boundary (64 rows / <= 8 per batch)

    first = make_trainer(tmp_path)
    first.run(steps=4)
    first.save(tmp_path / "ckpt.pt")
    resumed = make_trainer(tmp_path)
    resumed.load(tmp_path / "ckpt.pt")
    assert (resumed.step, resumed.epoch, resumed.batch_in_epoch) == (first.step, first.epoch, first.batch_in_epoch)
    resumed.run(steps=6)

    assert resumed.step == straight.step == 10
    assert straight.epoch >= 1
    for (name, a), b in zip(straight.model.state_dict().items(), resumed.model.state_dict().values()):
        assert torch.equal(a, b), name


def test_weights_only_init_and_config_mismatch(tmp_path):
    synthetic_dataset(tmp_path)
    t = make_trainer(tmp_path)
    t.run(steps=2)
    t.save(tmp_path / "ckpt.pt")
    fresh = make_trainer(tmp_path)
    fresh.load(tmp_path / "ckpt.pt", weights_only=True)
    assert fresh.step == 0
    assert torch.equal(fresh.model.embed.weight, t.model.embed.weight)
    other = Trainer(micro_config(d_ff=32), t.tc, tmp_path, torch.device("cpu"), log=lambda m: None)
    with pytest.raises(ValueError, match="model config"):
        other.load(tmp_path / "ckpt.pt")


def test_length_bucketing_groups_similar_lengths():
    rng = np.random.default_rng(0)
    lengths = rng.integers(5, 500, size=2000)
    batches = D.bucketed_batches(lengths, batch_tokens=4000, max_batch=64, rng=np.random.default_rng(1))
    seen = np.sort(np.concatenate(batches))
    assert np.array_equal(seen, np.arange(2000))  # every row exactly once
    for b in batches:
        assert len(b) <= 64 and lengths[b].max() * len(b) <= 4000 or len(b) == 1
    padded = sum(lengths[b].max() * len(b) for b in batches)
    assert padded < 1.2 * lengths.sum()  # little padding


def test_lr_schedule():
    tc = TrainConfig(lr=1e-3, warmup_steps=10, min_lr_ratio=0.1)
    assert lr_at(0, tc, 100) == pytest.approx(1e-4)
    assert lr_at(9, tc, 100) == pytest.approx(1e-3)
    assert lr_at(100, tc, 100) == pytest.approx(1e-4)
    assert lr_at(55, tc, 100) == pytest.approx(0.55e-3)


def test_pack_splits_and_reads_back(tmp_path):
    from training.pack import pack
    from training.train import read_checkpoint
    synthetic_dataset(tmp_path)
    t = make_trainer(tmp_path)
    t.run(steps=1)
    t.save(tmp_path / "ckpt.pt")
    files = pack(read_checkpoint(tmp_path / "ckpt.pt"), tmp_path / "packed", fp16=True, part_mb=0.02)
    assert len([f for f in files if ".part" in f.name]) >= 2
    assert all(f.stat().st_size <= 0.02 * 1024 * 1024 for f in files if ".part" in f.name)
    ck = read_checkpoint(tmp_path / "packed")
    assert not (tmp_path / "packed" / "model.safetensors").exists()  # joined in memory: works on read-only dirs
    assert ck["step"] == 1 and ck["model_config"] == t.cfg.to_dict()
    for name, v in t.model.state_dict().items():
        assert torch.allclose(ck["model"][name], v, atol=2e-3, rtol=1e-3), name
    fresh = make_trainer(tmp_path)
    fresh.load(tmp_path / "packed", weights_only=True)
    with pytest.raises(ValueError, match="weights only"):
        make_trainer(tmp_path).load(tmp_path / "packed")


def test_wall_clock_budget_stops_training(tmp_path):
    import time
    synthetic_dataset(tmp_path)
    t = make_trainer(tmp_path)
    start = time.time()
    done = t.run(minutes=0.02)  # 1.2 s
    elapsed = time.time() - start
    assert done >= 1 and t.step == done
    assert elapsed < 1.2 + 2.0  # stops at the first step boundary after the budget
    assert 0.015 < t.minutes < 0.06
