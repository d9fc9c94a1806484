"""Tokenizer: DESIGN.md settings, round trip on normalized text, and agreement with the committed fixtures."""
import json

import pytest
import sentencepiece as spm

from training import data as D

from .conftest import TINY_BUNDLE


def model_proto(path):
    from sentencepiece import sentencepiece_model_pb2 as pb
    m = pb.ModelProto()
    m.ParseFromString(path.read_bytes())
    return m


@pytest.fixture(scope="module")
def small_tokenizer(tmp_path_factory, data_root):
    rows = list(D.read_jsonl(data_root / "cnndm" / "train.jsonl.xz", 40))
    path = D.train_tokenizer(D.tokenizer_texts(rows), tmp_path_factory.mktemp("tok") / "tokenizer", 300)
    return path


def test_trained_tokenizer_follows_design(small_tokenizer):
    sp = spm.SentencePieceProcessor(model_file=str(small_tokenizer))
    assert (sp.pad_id(), sp.unk_id(), sp.bos_id(), sp.eos_id()) == (0, 1, 2, 3)
    assert sp.get_piece_size() == 300
    m = model_proto(small_tokenizer)
    assert m.trainer_spec.model_type == 1  # UNIGRAM
    assert not m.trainer_spec.byte_fallback
    assert m.normalizer_spec.name == "identity" and m.normalizer_spec.add_dummy_prefix


def test_round_trip_on_normalized_text(small_tokenizer, data_root):
    sp = spm.SentencePieceProcessor(model_file=str(small_tokenizer))
    rows = list(D.read_jsonl(data_root / "cnndm" / "train.jsonl.xz", 5))  # seen in training: every character known
    for r in rows:
        text = " ".join(r["article"].split()[:200])
        ids = sp.encode(text)
        assert sp.unk_id() not in ids
        assert sp.decode(ids) == text
        assert all(0 <= i < 300 for i in ids)


def test_unknown_characters_map_to_unk_without_normalisation():
    sp = spm.SentencePieceProcessor(model_file=str(TINY_BUNDLE / "tokenizer.model"))
    assert sp.unk_id() in sp.encode("東京")
    assert sp.unk_id() in sp.encode("ﬁ")  # identity: no NFKC folding of the ligature to "fi"


def test_committed_fixture_ids_match_tokenizer():
    sp = spm.SentencePieceProcessor(model_file=str(TINY_BUNDLE / "tokenizer.model"))
    parity = json.loads((TINY_BUNDLE / "parity.json").read_text())
    assert len(parity["tokenizer"]) >= 25
    for case in parity["tokenizer"]:
        assert sp.encode(case["text"]) == case["ids"], case["text"]
    for case in parity["cases"]:
        cfg = json.loads((TINY_BUNDLE / "config.json").read_text())["model"]
        assert sp.encode(case["text"])[:cfg["max_src_len"]] == case["src_ids"]


def test_sentence_split_and_lead3():
    text = 'he said " go . " then left . what ? yes ! ok'
    assert D.split_sentences(text) == ['he said " go . "', "then left .", "what ?", "yes !", "ok"]
    assert D.lead3(text) == 'he said " go . "\nthen left .\nwhat ?'
    assert D.summary_text("a .\nb .\n") == "a . b ."
