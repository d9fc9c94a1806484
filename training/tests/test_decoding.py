"""Decoding invariants and a hand-worked beam search (docs/DESIGN.md "Decoding")."""
import math

import numpy as np
import pytest
import torch

from training.decoding import (RULES, RULES_FILE, DecodingOptions, ModelStepper, banned_ngram_tokens, beam_search, generate,
                               greedy_search)
from training.tests.conftest import micro_memory

EOS = 3


class TableStepper:
    """A fake model: log-probs are a function of the hypothesis' history (tracked through `parents`)."""

    def __init__(self, fn):
        self.fn = fn
        self.histories = [()]

    def __call__(self, last_tokens, parents):
        self.histories = [self.histories[p] + (() if t is None else (t,)) for p, t in zip(parents, last_tokens)]
        return np.stack([self.fn(h) for h in self.histories])


def random_lm(seed, V=12, eos_bias=0.0):
    """Deterministic pseudo-random log-probs per history."""
    def fn(history):
        rng = np.random.default_rng(abs(hash((seed,) + history)) % (2 ** 32))
        logits = rng.normal(size=V) * 2
        logits[EOS] += eos_bias + 0.3 * len(history)
        logits[0] = -1e9  # pad never wins
        return logits - np.log(np.exp(logits - logits.max()).sum()) - logits.max()
    return fn


def lp(**values):
    a = np.full(4, -50.0)
    for k, v in values.items():
        a["abce".index(k)] = v
    return a


def test_hand_worked_beam_search():
    # V = {a: 0, b: 1, c: 2, EOS: 3}; the steps are worked out in the comments.
    table = {
        (): lp(a=-0.5, b=-1.0, c=-3.0, e=-2.0),  # live: [a] -0.5, [b] -1.0
        (0,): lp(a=-2.0, b=-2.0, c=-2.0, e=-0.1),  # [a EOS] -0.6 finishes (len 2)
        (1,): lp(a=-0.2, b=-4.0, c=-4.0, e=-3.0),  # live: [b a] -1.2, [a a] -2.5
        (1, 0): lp(a=-5.0, b=-5.0, c=-5.0, e=-0.1),  # [b a EOS] -1.3 finishes (len 3)
        (0, 0): np.full(4, math.log(0.25)),
    }
    fn = lambda h: table.get(h, np.full(4, math.log(0.25)))
    ids, score = beam_search(TableStepper(fn), DecodingOptions(num_beams=2, max_length=10), EOS)
    assert ids == [0] and score == pytest.approx(-0.6 / 2)  # -0.3 beats -1.3 / 3
    ids, score = beam_search(TableStepper(fn), DecodingOptions(num_beams=2, max_length=10, length_penalty=2.0), EOS)
    assert ids == [1, 0] and score == pytest.approx(-1.3 / 9)  # -0.144 beats -0.6 / 4


def test_beam_stops_at_max_length_and_finishes_live_hypotheses():
    fn = lambda h: lp(a=-0.1, b=-0.2, c=-5.0, e=-30.0)
    ids, score = beam_search(TableStepper(fn), DecodingOptions(num_beams=2, max_length=3), EOS)
    assert ids == [0, 0, 0] and score == pytest.approx(-0.3 / 3)


def test_greedy_takes_lowest_id_on_ties_and_stops_at_eos():
    fn = lambda h: lp(a=-1.0, b=-1.0, c=-2.0, e=-5.0) if len(h) < 2 else lp(e=-0.1)
    ids, _ = greedy_search(TableStepper(fn), DecodingOptions(num_beams=1, max_length=10), EOS)
    assert ids == [0, 0]


@pytest.mark.parametrize("seed", range(20))
def test_beam_of_one_with_early_stopping_equals_greedy(seed):
    fn = random_lm(seed)
    g, _ = greedy_search(TableStepper(fn), DecodingOptions(num_beams=1, max_length=15), EOS)
    b, _ = beam_search(TableStepper(fn), DecodingOptions(num_beams=1, max_length=15, early_stopping=True), EOS)
    assert b == g


def has_repeated_ngram(ids, n):
    grams = [tuple(ids[i:i + n]) for i in range(len(ids) - n + 1)]
    return len(grams) != len(set(grams))


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("beams", [1, 4])
def test_no_repeat_ngram(n, beams):
    # A model that loves the cycle 4 5 4 5 ...: without blocking its output repeats n-grams.
    def fn(h):
        a = np.full(12, -8.0)
        a[5 if h and h[-1] == 4 else 4] = -0.01
        a[EOS] = -20.0
        return a
    opts = DecodingOptions(num_beams=beams, max_length=12)
    free, _ = (greedy_search if beams == 1 else beam_search)(TableStepper(fn), opts, EOS)
    assert has_repeated_ngram(free, n)
    opts.no_repeat_ngram_size = n
    ids, _ = (greedy_search if beams == 1 else beam_search)(TableStepper(fn), opts, EOS)
    assert len(ids) > n and not has_repeated_ngram(ids, n)


def test_banned_ngram_tokens():
    assert banned_ngram_tokens([1, 2, 3, 1, 2], 3) == [3]
    assert banned_ngram_tokens([1, 2, 3, 1, 2], 2) == [3]  # last token 2 was followed by 3
    assert banned_ngram_tokens([1, 2], 3) == []  # (t + 1 = 3) >= 3 but (1, 2) occurs only at the end
    assert banned_ngram_tokens([1], 3) == []
    assert sorted(banned_ngram_tokens([7, 8, 7], 1)) == [7, 7, 8]


@pytest.mark.parametrize("beams", [1, 3])
def test_min_length_respected(beams):
    fn = lambda h: lp(a=-3.0, b=-3.5, c=-4.0, e=-0.01)  # EOS is always the favourite
    opts = DecodingOptions(num_beams=beams, max_length=20, min_length=6)
    ids, _ = (greedy_search if beams == 1 else beam_search)(TableStepper(fn), opts, EOS)
    assert len(ids) == 6


@pytest.mark.parametrize("seed", range(5))
def test_max_length_respected(seed):
    fn = random_lm(seed, eos_bias=-20.0)
    for beams in (1, 3):
        ids, _ = (greedy_search if beams == 1 else beam_search)(
            TableStepper(fn), DecodingOptions(num_beams=beams, max_length=7), EOS)
        assert len(ids) == 7 and EOS not in ids


def test_generate_with_model(micro_model):
    torch.manual_seed(0)
    src = [5, 6, 7, 8, 9, 40, 41, 42]
    memory = micro_memory(len(src))
    g, _ = generate(micro_model, src, DecodingOptions(num_beams=1, max_length=12), memory=memory)
    b1, _ = generate(micro_model, src, DecodingOptions(num_beams=1, max_length=12), memory=memory)
    assert g == b1
    b, _ = beam_search(ModelStepper(micro_model, src, memory), DecodingOptions(num_beams=1, max_length=12,
                                                                              early_stopping=True), micro_model.cfg.eos_id)
    assert b == g
    ids, _ = generate(micro_model, src, DecodingOptions(num_beams=4, max_length=12, min_length=5,
                                                        no_repeat_ngram_size=2), memory=memory)
    assert len(ids) >= 5 and not has_repeated_ngram(ids, 2)


def test_options_are_validated(micro_model):
    with pytest.raises(ValueError, match="num_beams"):
        DecodingOptions(num_beams=0).validate()
    with pytest.raises(ValueError, match="min_length"):
        DecodingOptions(min_length=9, max_length=8).validate()
    with pytest.raises(ValueError, match="content selection"):
        DecodingOptions(select_sentences=3).validate()
    with pytest.raises(ValueError, match="copy salience"):
        DecodingOptions(copy_salience=1.0).validate()
    with pytest.raises(ValueError, match="max_tgt_len"):
        generate(micro_model, [5, 6], DecodingOptions(max_length=17), memory=micro_memory(2))
    with pytest.raises(ValueError, match="src_ids"):
        generate(micro_model, [], DecodingOptions(max_length=8), memory=micro_memory(1))


def test_the_options_are_the_rules_csharp_embeds():
    """One rule per option, of the option's type, in the file Summarizer.Inference embeds (DecodingOptionsValidator)."""
    import dataclasses
    from pathlib import Path
    assert sorted(f.name for f in dataclasses.fields(DecodingOptions)) == sorted(rule["key"] for rule in RULES)
    assert {f.name: f.type for f in dataclasses.fields(DecodingOptions)} == {rule["key"]: rule["type"] for rule in RULES}
    project = (Path(__file__).resolve().parents[2] / "src/Inference/Inference.csproj").read_text()
    assert f'EmbeddedResource Include="{RULES_FILE.name}"' in project and RULES_FILE.parent.name == "Inference"


@pytest.mark.parametrize("rule", [r for r in RULES if isinstance(r.get("max"), (int, float)) and r["type"] != "bool"],
                         ids=lambda r: r["key"])
def test_each_fixed_range_of_the_rules_is_checked_at_both_ends(rule):
    step = 1 if rule["type"] == "int" else 0.5
    for value in (rule["min"], rule["max"]):
        DecodingOptions(**{rule["key"]: value}).check_ranges()
    for value in (rule["min"] - step, rule["max"] + step):
        with pytest.raises(ValueError, match=rule["key"]):
            DecodingOptions(**{rule["key"]: value}).check_ranges()


def test_min_length_is_bounded_by_max_length_and_max_length_by_the_model():
    DecodingOptions(max_length=16, min_length=16).check_ranges(16)
    with pytest.raises(ValueError, match=r"min_length must be in 0\.\.max_length \(15\)"):
        DecodingOptions(max_length=15, min_length=16).check_ranges(16)
    with pytest.raises(ValueError, match=r"max_length must be in 1\.\.max_tgt_len \(16\)"):
        DecodingOptions(max_length=17).check_ranges(16)


@pytest.mark.parametrize("bundle", ["models/arcticxs-copy", "tests/fixtures/tiny"])
def test_every_shipped_bundle_states_every_rule_within_its_range(bundle):
    import json
    from pathlib import Path
    config = json.loads((Path(__file__).resolve().parents[2] / bundle / "config.json").read_text())
    assert list(config["decoding"]) == [rule["key"] for rule in RULES]
    DecodingOptions(**config["decoding"]).check_ranges(config["model"]["max_tgt_len"])


def test_a_hypothesis_with_every_token_banned_ends():
    # V = 4 and unigram blocking with a minimum length past the vocabulary: every token is soon banned.
    fn = lambda h: np.full(4, math.log(0.25))
    opts = DecodingOptions(num_beams=1, max_length=10, min_length=10, no_repeat_ngram_size=1)
    ids, score = greedy_search(TableStepper(fn), opts, EOS)
    assert sorted(ids) == [0, 1, 2] and np.isfinite(score)  # EOS banned by the minimum, the rest used once
    ids, score = beam_search(TableStepper(fn), DecodingOptions(num_beams=2, max_length=10, min_length=10,
                                                                no_repeat_ngram_size=1), EOS)
    assert ids == [] and score == -np.inf  # no hypothesis could finish


def test_grounded_decoding_is_refused_by_the_reference_search():
    with pytest.raises(ValueError, match="grounded"):
        DecodingOptions(grounded=True).validate()
