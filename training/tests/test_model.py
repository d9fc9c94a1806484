"""Model shapes, masking (no attention to padding or the future), normalisation and the incremental decoder."""
import pytest
import torch

from training.model import ModelConfig, Summarizer

from .conftest import micro_config


def batch(cfg, B=3, S=10, T=6, seed=1):
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(4, cfg.vocab_size, (B, S), generator=g)
    mask = torch.ones(B, S, dtype=torch.long)
    mask[1, 7:] = 0
    mask[2, 4:] = 0
    src[mask == 0] = cfg.pad_id
    tgt = torch.randint(4, cfg.vocab_size, (B, T), generator=g)
    tgt[:, 0] = cfg.bos_id
    return src, mask, tgt


def test_shapes_and_normalised_distribution(micro_model):
    cfg = micro_model.cfg
    src, mask, tgt = batch(cfg)
    log_probs, attn, p_gen = micro_model(src, mask, tgt)
    assert log_probs.shape == (3, 6, cfg.vocab_size)
    assert attn.shape == (3, 6, 10)
    assert p_gen.shape == (3, 6)
    assert torch.allclose(log_probs.exp().sum(-1), torch.ones(3, 6), atol=1e-5)
    assert torch.allclose(attn.sum(-1), torch.ones(3, 6), atol=1e-5)
    assert ((p_gen > 0) & (p_gen < 1)).all()


def test_padding_gets_zero_attention_and_does_not_change_outputs(micro_model):
    cfg = micro_model.cfg
    src, mask, tgt = batch(cfg)
    lp1, attn1, _ = micro_model(src, mask, tgt)
    assert (attn1[1, :, 7:] == 0).all() and (attn1[2, :, 4:] == 0).all()
    src2 = src.clone()
    src2[mask == 0] = 17  # different content under the padding
    lp2, attn2, _ = micro_model(src2, mask, tgt)
    mem1, mem2 = micro_model.encode(src, mask), micro_model.encode(src2, mask)
    assert torch.allclose(mem1[mask == 1], mem2[mask == 1], atol=1e-6)
    # Copy scatter differs only through pad ids, which get zero attention: log-probs equal.
    assert torch.allclose(lp1, lp2, atol=1e-5)
    # A shorter batch without the padding gives the same numbers for row 2.
    lp3, _, _ = micro_model(src[2:3, :4], mask[2:3, :4], tgt[2:3])
    assert torch.allclose(lp1[2], lp3[0], atol=1e-5)


def test_decoder_is_causal(micro_model):
    cfg = micro_model.cfg
    src, mask, tgt = batch(cfg)
    lp1, _, _ = micro_model(src, mask, tgt)
    tgt2 = tgt.clone()
    tgt2[:, 4:] = 9  # change the future only
    lp2, _, _ = micro_model(src, mask, tgt2)
    assert torch.allclose(lp1[:, :4], lp2[:, :4], atol=1e-6)
    assert not torch.allclose(lp1[:, 4:], lp2[:, 4:], atol=1e-4)


def test_copy_mass_goes_to_source_ids(micro_model):
    cfg = micro_model.cfg
    src, mask, tgt = batch(cfg)
    with torch.no_grad():
        micro_model.gen.bias.fill_(-30.0)  # p_gen ~ 0: the distribution is the copy distribution
    log_probs, attn, p_gen = micro_model(src, mask, tgt)
    assert (p_gen < 1e-10).all()
    probs = log_probs.exp()
    for b in range(3):
        on_src = torch.zeros(cfg.vocab_size, dtype=torch.bool)
        on_src[src[b][mask[b] == 1]] = True
        assert torch.allclose(probs[b][:, on_src].sum(-1), torch.ones(6), atol=1e-5)


def test_incremental_decode_matches_teacher_forcing(micro_model):
    cfg = micro_model.cfg
    src, mask, tgt = batch(cfg)
    lp, attn, p_gen = micro_model(src, mask, tgt)
    memory = micro_model.encode(src, mask)
    cross = micro_model.cross_kv(memory)
    caches = [dict() for _ in range(cfg.n_dec_layers)]
    for t in range(tgt.shape[1]):
        lp_t, a_t, g_t = micro_model.decode_step(tgt[:, t], t, memory, src, mask, caches, cross)
        assert torch.allclose(lp_t, lp[:, t], atol=1e-5)
        assert torch.allclose(a_t, attn[:, t], atol=1e-6)
        assert torch.allclose(g_t, p_gen[:, t], atol=1e-6)


def test_parameter_names_follow_design():
    names = set(Summarizer(micro_config()).state_dict())
    for n in ("embed.weight", "enc_pos.weight", "dec_pos.weight", "enc.0.self_attn.q.weight", "enc_ln.bias",
              "dec.1.cross_attn.o.bias", "dec.0.ln3.weight", "dec.0.ffn.fc1.weight", "dec_ln.weight",
              "gen.weight", "gen.bias"):
        assert n in names, n
    assert not any("lm_head" in n for n in names)  # output projection tied to embed


def test_config_validation_and_length_limits():
    with pytest.raises(ValueError, match="divisible"):
        Summarizer(micro_config(n_heads=5))
    with pytest.raises(ValueError, match="unknown model config keys"):
        ModelConfig.from_dict({"vocab_size": 10, "bogus": 1})
    m = Summarizer(micro_config())
    src = torch.ones(1, 33, dtype=torch.long) * 5
    with pytest.raises(ValueError, match="max_src_len"):
        m.encode(src, torch.ones_like(src))
