"""BERT uncased WordPiece, written out (docs/DESIGN.md "Tokenizer"); C#'s BertWordPieceTokenizer gives the same ids.
Basic tokenization (clean, CJK, lower-case, strip accents, split punctuation), then greedy longest-match WordPiece.
"""
from __future__ import annotations

import unicodedata

MAX_CHARS_PER_WORD = 100
PAD, UNK, CLS, SEP = "[PAD]", "[UNK]", "[CLS]", "[SEP]"


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True  # ASCII non-alphanumerics ($, ^, `, +, <, =, >, |, ~) split off too
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_split(text: str) -> list[str]:
    """Basic words of `text`: control characters dropped, whitespace splits, CJK ideographs and punctuation alone,
    lower-cased, accents stripped (NFD, non-spacing marks removed)."""
    words, cur = [], []

    def flush():
        if cur:
            words.append("".join(cur))
            cur.clear()

    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or 0xD800 <= cp <= 0xDFFF or _is_control(ch):
            continue
        if _is_whitespace(ch):
            flush()
            continue
        alone = _is_cjk(cp) or _is_punctuation(ch)
        if alone:
            flush()
        for c in unicodedata.normalize("NFD", ch.lower()):
            if unicodedata.category(c) != "Mn":
                cur.append(c)
        if alone:
            flush()
    flush()
    return words


class WordPiece:
    """vocab.txt (one token per line, id = line number) -> ids."""

    def __init__(self, vocab_text: str):
        self.tokens = [t[:-1] if t.endswith("\r") else t for t in vocab_text.split("\n")]  # lines as .NET reads them
        if self.tokens and self.tokens[-1] == "":
            self.tokens.pop()
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        self.pad_id, self.unk_id, self.cls_id, self.sep_id = (self.ids[t] for t in (PAD, UNK, CLS, SEP))

    def __len__(self) -> int:
        return len(self.tokens)

    def word_ids(self, word: str) -> list[int]:
        """Greedy longest match from the left; `[UNK]` for an over-long word or one with an unmatched rest."""
        if len(word) > MAX_CHARS_PER_WORD:
            return [self.unk_id]
        out, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            out.append(found)
            start = end
        return out

    def encode(self, text: str) -> list[int]:
        """Ids of a normalized text, no [CLS]/[SEP]."""
        return [i for w in basic_split(text) for i in self.word_ids(w)]

    def piece_text(self, i: int) -> str:
        t = self.tokens[i]
        if t.startswith("[") and t.endswith("]") and len(t) > 2:
            return ""
        return t[2:] if t.startswith("##") and len(t) > 2 else t
