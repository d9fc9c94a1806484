"""The model's math (docs/DESIGN.md "Decoder"): masks, copy mixing, the loss's shortcut, the KV-cache step, warm start."""
import numpy as np
import pytest
import torch

from training.model import ModelConfig, Summarizer, causal_mask, padding_mask
from training.tests.conftest import micro_config, micro_memory


def teacher_forced(model, src, tgt, memory):
    s = torch.tensor([src])
    m = torch.from_numpy(memory)[None]
    p_vocab, a, p_gen = model.decode(torch.tensor([tgt]), m, torch.ones_like(s))
    return model.full_log_probs(p_vocab, a, p_gen, s)[0], a[0], p_gen[0], (p_vocab, a, p_gen)


def test_masks():
    assert padding_mask(torch.tensor([[1, 1, 0]]))[0, 0, 0].tolist() == [0.0, 0.0, -1e9]
    m = causal_mask(3, "cpu")[0, 0]
    assert m[0, 1] == -1e9 and m[1, 0] == 0 and m[2, 2] == 0


def test_distribution_is_a_mixture_over_the_whole_vocabulary(micro_model):
    src = [5, 40, 41, 5, 7]  # 40, 41 are outside the shortlist: reachable by copying only
    lp, a, p_gen, _ = teacher_forced(micro_model, src, [2, 5, 40], micro_memory(len(src)))
    p = lp.exp()
    assert torch.allclose(p.sum(-1), torch.ones(3), atol=1e-5)
    assert torch.allclose(a.sum(-1), torch.ones(3), atol=1e-5)
    never = [w for w in range(50) if w not in set(range(3, 23)) | set(src)]
    assert (p[:, never] < 1e-11).all()
    # copy mass on a word = (1 − p_gen) · attention summed over every position holding it
    assert torch.allclose(p[:, 40], (1 - p_gen) * a[:, 1], atol=1e-6)
    assert torch.allclose(p[:, 41], (1 - p_gen) * a[:, 2], atol=1e-6)


def test_target_probability_equals_the_full_distribution(micro_model):
    src = [5, 40, 41, 5, 7, 9]
    tgt_in, tgt_out = [2, 5, 40, 44], [5, 40, 44, 3]  # 44: neither in the shortlist nor in the source
    lp, _, _, mixed = teacher_forced(micro_model, src, tgt_in, micro_memory(len(src)))
    p, reachable = micro_model.target_probability(*mixed, torch.tensor([src]), torch.tensor([tgt_out]))
    assert reachable[0].tolist() == [True, True, False, True]
    expected = lp.exp()[torch.arange(4), torch.tensor(tgt_out)]
    assert torch.allclose(p[0][reachable[0]], expected[reachable[0]], atol=1e-6)


def test_kv_cache_steps_equal_teacher_forcing(micro_model):
    src, tgt = [5, 6, 40, 7], [2, 5, 9, 40, 12]
    memory = micro_memory(len(src), seed=3)
    full_lp, full_a, full_g, _ = teacher_forced(micro_model, src, tgt, memory)
    s = torch.tensor([src])
    m = torch.from_numpy(memory)[None]
    caches = [dict() for _ in micro_model.dec]
    cross = micro_model.cross_kv(m)
    with torch.no_grad():
        for t, w in enumerate(tgt):
            lp, a, g = micro_model.decode_step(torch.tensor([w]), t, m, s, torch.ones_like(s), caches, cross)
            assert torch.allclose(lp[0], full_lp[t], atol=1e-5)
            assert torch.allclose(a[0], full_a[t], atol=1e-6) and torch.allclose(g[0], full_g[t], atol=1e-6)


def test_copy_prior_reweights_the_copy_attention_only(micro_model):
    # bottom-up attention: a'_j = a_j s_j / sum_k a_k s_k; the shortlist distribution is the model's own
    src, tgt = [5, 40, 41, 7], [2, 5, 40]
    s, m = torch.tensor([src]), torch.from_numpy(micro_memory(len(src), seed=4))[None]
    with torch.no_grad():
        p_vocab, a, _ = micro_model.decode(torch.tensor([tgt]), m, torch.ones_like(s))
        prior = torch.tensor([[1.0, 0.05, 1.0, 0.5]])
        p_vocab_p, a_p, _ = micro_model.decode(torch.tensor([tgt]), m, torch.ones_like(s), copy_prior=prior)
    expected = a * prior[:, None, :]
    assert torch.allclose(a_p, expected / expected.sum(-1, keepdim=True), atol=1e-6)
    assert torch.allclose(p_vocab_p, p_vocab) and not torch.allclose(a_p, a, atol=1e-3)
    assert a_p[0, :, 1].max() < a[0, :, 1].max()  # the down-weighted position loses copy mass


def test_padding_does_not_change_a_row(micro_model):
    src = [5, 6, 40]
    memory = micro_memory(3)
    lp, _, _, _ = teacher_forced(micro_model, src, [2, 5], memory)
    padded_mem = torch.from_numpy(np.concatenate([memory, micro_memory(2, seed=9)]))[None]
    s = torch.tensor([src + [0, 0]])
    p_vocab, a, p_gen = micro_model.decode(torch.tensor([[2, 5]]), padded_mem, torch.tensor([[1, 1, 1, 0, 0]]))
    assert (a[0, :, 3:] == 0).all()
    assert torch.allclose(micro_model.full_log_probs(p_vocab, a, p_gen, s)[0], lp, atol=1e-5)


def test_limits_are_enforced(micro_model):
    with pytest.raises(ValueError, match="max_tgt_len"):
        micro_model.decode(torch.zeros(1, 17, dtype=torch.long), torch.zeros(1, 2, 32), torch.ones(1, 2))
    with pytest.raises(ValueError, match="divisible"):
        Summarizer(micro_config(n_heads=5))


def test_warm_start_copies_bert_and_keeps_e_frozen(bert):
    cfg = ModelConfig(n_dec_layers=2, d_ff=256, n_gen=64, max_tgt_len=32)
    model = Summarizer(cfg)
    gen_ids = np.arange(1000, 1064)
    model.warm_start(bert, gen_ids, copy_bias=-1.0)
    t = lambda k: torch.from_numpy(bert[k])
    assert torch.equal(model.embed.weight, t("embeddings.word_embeddings.weight"))
    assert not model.embed.weight.requires_grad
    assert torch.equal(model.pos.weight, t("embeddings.position_embeddings.weight")[:32]
                       + t("embeddings.token_type_embeddings.weight")[0])
    assert torch.equal(model.dec[1].self_attn.k.weight, t("encoder.layer.1.attention.self.key.weight"))
    assert torch.equal(model.dec[1].ln3.bias, t("encoder.layer.1.output.LayerNorm.bias"))
    assert torch.equal(model.dec[0].ffn.fc1.weight, t("encoder.layer.0.intermediate.dense.weight")[:256])
    assert torch.equal(model.dec[0].ffn.fc2.weight, t("encoder.layer.0.output.dense.weight")[:, :256])
    assert torch.equal(model.out.weight, model.embed.weight[1000:1064])
    assert model.gen_ids.tolist() == list(range(1000, 1064)) and float(model.gen.bias) == -1.0
    # cross-attention is new, not BERT's
    assert not torch.equal(model.dec[0].cross_attn.q.weight, t("encoder.layer.0.attention.self.query.weight"))
    assert model.num_parameters() == sum(p.numel() for n, p in model.named_parameters() if n != "embed.weight")


def test_the_csharp_model_config_mirrors_this_one_and_restates_no_default():
    """src/Inference/Bundle/ModelConfig.cs has one property per field, named by its config.json key in its doc comment
    and by its C# name in this dataclass's comment, each required: the defaults are stated here only."""
    import re
    from dataclasses import fields
    from pathlib import Path
    source = (Path(__file__).resolve().parents[2] / "src/Inference/Bundle/ModelConfig.cs").read_text()
    declared = re.findall(r"/// <summary>[^\n]*?<c>(\w+)</c>[^\n]*</summary>\n\s*public (required )?(?:int|float) (\w+) "
                          r"\{ get; init; \}( = [^;]+;)?", source)
    assert [key for key, *_ in declared] == [f.name for f in fields(ModelConfig)]
    assert all(required and not default for _, required, _, default in declared), declared
    python = (Path(__file__).resolve().parents[1] / "model.py").read_text()
    comments = dict(re.findall(r"^    (\w+): (?:int|float) = [^#\n]+# (\w+)", python, re.M))
    assert comments == {key: name for key, _, name, _ in declared}
