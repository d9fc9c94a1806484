"""BERT uncased WordPiece (docs/DESIGN.md "Tokenizer"): the rules on hand-picked and hostile text.
The C# tokenizer is held to the same ids by tests/Inference.Tests (fixtures written by this implementation)."""
import pytest

from training.wordpiece import basic_split


def test_basic_split_rules():
    assert basic_split("The U.S. isn't") == ["the", "u", ".", "s", ".", "isn", "'", "t"]
    assert basic_split("$4 12,000") == ["$", "4", "12", ",", "000"]  # ASCII symbols split off
    assert basic_split("fiancée Café ÅNGSTRÖM") == ["fiancee", "cafe", "angstrom"]  # accents stripped
    assert basic_split("北京 tokyo") == ["北", "京", "tokyo"]  # CJK ideographs stand alone
    assert basic_split("a\x07b\x00c\u200bd\te\r\nf") == ["abcd", "e", "f"]  # controls/format dropped, whitespace splits
    assert basic_split("12° ©") == ["12°", "©"]  # symbols (So) that are not punctuation stay in the word
    assert basic_split("  \u00a0 ") == []


def test_wordpiece_ids(vocab):
    assert vocab.encode("the cat") == [vocab.ids["the"], vocab.ids["cat"]]
    pieces = [vocab.tokens[i] for i in vocab.encode("unaffable")]
    assert pieces == ["una", "##ffa", "##ble"]
    assert vocab.encode("a" * 101) == [vocab.unk_id]  # over 100 code points
    assert vocab.encode("😀") == [vocab.unk_id]  # no piece matches
    assert (vocab.cls_id, vocab.sep_id, vocab.pad_id, vocab.unk_id) == (101, 102, 0, 100)


@pytest.mark.parametrize("text", ["( cnn ) the u.s. treasury is n't \" happy \" , officials said .",
                                  "mcdonald 's o'neill rock'n'roll e-mail", "½ ™ ® — … •"])
def test_pieces_rebuild_the_basic_words(vocab, text):
    ids = vocab.encode(text)
    rebuilt, words = "", []  # ## pieces join the previous piece
    for i in ids:
        piece = vocab.tokens[i]
        if piece.startswith("##"):
            rebuilt += piece[2:]
        else:
            if rebuilt:
                words.append(rebuilt)
            rebuilt = piece
    words.append(rebuilt)
    expected = ["[UNK]" if vocab.word_ids(w) == [vocab.unk_id] else w for w in basic_split(text)]
    assert words == expected
