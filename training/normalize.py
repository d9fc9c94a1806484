"""Bring natural text into the model's text form (docs/DESIGN.md "Text form"): lower-case, PTB-style tokens.

Used to mix Wikipedia into training; an approximation of the cnndm preprocessing (Stanford PTB tokenizer):
punctuation, brackets, quotes, hyphens and clitics stand as separate space-separated tokens; abbreviations with
inner periods (`u.s.`, `p.m.`) and numbers (`1,234.5`) stay whole.
"""
from __future__ import annotations

import re

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "`": "'",
                         "\u2013": "-", "\u2014": "--"})
_CLITIC = re.compile(r"(?i)(\w)(n't|'s|'re|'ll|'ve|'m|'d)\b")
_PUNCT = re.compile(r'([,;:?!()\[\]{}"$%&#@*+=<>|/\\~^])')
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_SPACES = re.compile(r"\s+")


def _split_period(token: str) -> str:
    """Splits a sentence-final period off a word unless the word is an abbreviation (inner period) or an initial."""
    if len(token) > 1 and token.endswith(".") and not token.endswith(".."):
        core = token[:-1]
        if "." in core or (len(core) == 1 and core.isalpha()):
            return token
        return core + " ."
    return token


def normalize(text: str) -> str:
    """Lower-cased PTB-style tokens separated by single spaces."""
    t = text.translate(_QUOTES).lower()
    t = _HYPHEN.sub(" - ", t)
    t = re.sub(r"(?<!\w)'|'(?!\w)", " ' ", t)  # quote marks, not apostrophes inside words
    t = _CLITIC.sub(r"\1 \2", t)
    t = re.sub(r"(?<=\d),(?=\d)", "\u0000", t)  # keep 1,234
    t = _PUNCT.sub(r" \1 ", t).replace("\u0000", ",")
    t = re.sub(r"(?<!\.)\.\.\.(?!\.)", " ... ", t)
    return " ".join(_split_period(tok) for tok in _SPACES.split(t.strip()) if tok)
