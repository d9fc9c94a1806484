"""Self-supervised pairs from Wikipedia: generate the lead paragraph from the rest of the article.

Text is brought into the cnndm form (lower-case, PTB tokens) by normalize.py. prepare.py --wiki-rows N writes
them as wiki.npz; train.py --train-file wiki.npz pretrains on them, then --init continues on cnndm.
"""
from __future__ import annotations

from pathlib import Path

from . import data as D
from .normalize import normalize

MIN_LEAD_WORDS, MAX_LEAD_WORDS, MIN_REST_WORDS = 15, 120, 150
HEADING_MAX_WORDS = 6  # WikiExtractor puts section headings alone on a line ending with "."


def lead_and_rest(text: str) -> tuple[str, str] | None:
    """(lead paragraph, rest without headings) of one article, or None when either is too short."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    body = [p for p in paragraphs if len(p.split()) > HEADING_MAX_WORDS]
    if len(body) < 2:
        return None
    lead, rest = body[0], " ".join(body[1:])
    if not MIN_LEAD_WORDS <= len(lead.split()) <= MAX_LEAD_WORDS or len(rest.split()) < MIN_REST_WORDS:
        return None
    return lead, rest


def wiki_pairs(data_root: Path, rows: int, max_src_words: int = 800):
    """Yields (source, target) normalized text pairs from up to `rows` usable articles of wiki_00.. in order."""
    files = sorted((data_root / "wiki").glob("wiki_*.jsonl.xz"))
    if not files:
        raise FileNotFoundError(f"no wiki files under {data_root / 'wiki'}")
    produced = 0
    for f in files:
        for r in D.read_jsonl(f):
            pair = lead_and_rest(r["text"])
            if pair is None:
                continue
            lead, rest = pair
            # Truncate before normalizing: the source is cut to max_src_len tokens anyway.
            rest = " ".join(rest.split()[:max_src_words])
            yield normalize(rest), normalize(lead)
            produced += 1
            if produced >= rows:
                return
