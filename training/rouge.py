"""ROUGE-1/2/L/Lsum with Google rouge-score's conventions, self-contained.

Tokenize: lower-case, every non [a-z0-9] character becomes a space, split; tokens longer than 3 characters are
Porter-stemmed as NLTK 3.8's default PorterStemmer() does (rouge-score's stemmer; the
1980 paper's variant is kept as mode ORIGINAL). Scores are F1; a corpus score is the mean of per-row F1.
ROUGE-Lsum: one sentence per line, summary-level union LCS (as rouge-score's `rougeLsum`).
"""
from __future__ import annotations

import re
from collections import Counter

# ---- Porter stemmer: NLTK's default mode (as rouge-score runs it) or the 1980 paper ----

NLTK = "nltk"  # NLTK 3.8's PorterStemmer() default, NLTK_EXTENSIONS; what rouge-score's tokenizer uses
ORIGINAL = "original"  # M.F. Porter (1980), "An algorithm for suffix stripping", as published

_VOWELS = "aeiou"

# NLTK_EXTENSIONS looks these words up before any rule runs (errors reported to Porter over the years).
_IRREGULAR = {
    "sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "news": "news",
    "innings": "inning", "inning": "inning", "outings": "outing", "outing": "outing",
    "cannings": "canning", "canning": "canning", "howe": "howe", "proceed": "proceed", "exceed": "exceed",
    "succeed": "succeed",
}


def _is_cons(w: str, i: int) -> bool:
    if w[i] in _VOWELS:
        return False
    if w[i] == "y":
        return i == 0 or not _is_cons(w, i - 1)
    return True


def _measure(stem: str) -> int:
    """m in [C](VC)^m[V]."""
    m, i, n = 0, 0, len(stem)
    while i < n and _is_cons(stem, i):
        i += 1
    while i < n:
        while i < n and not _is_cons(stem, i):
            i += 1
        if i >= n:
            break
        while i < n and _is_cons(stem, i):
            i += 1
        m += 1
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _is_cons(stem, i) for i in range(len(stem)))


def _double_cons(w: str) -> bool:
    return len(w) >= 2 and w[-1] == w[-2] and _is_cons(w, len(w) - 1)


def _cvc(w: str, nltk: bool) -> bool:
    """*o: ends consonant-vowel-consonant, the last not w, x or y; NLTK also counts a two-letter vowel-consonant."""
    n = len(w)
    if n >= 3:
        return _is_cons(w, n - 3) and not _is_cons(w, n - 2) and _is_cons(w, n - 1) and w[-1] not in "wxy"
    return nltk and n == 2 and not _is_cons(w, 0) and _is_cons(w, 1)


def _rules(w: str, rules) -> str:
    """The longest listed suffix that matches decides: its condition on the stem applies it or ends the step."""
    for suffix, repl, cond in rules:
        if w.endswith(suffix):
            stem = w[:len(w) - len(suffix)]
            return stem + repl if cond(w, stem) else w
    return w


def _longest_first(rules):
    # Porter matches the longest suffix; sorting makes that explicit (NLTK's list order gives the same choice).
    return sorted(rules, key=lambda r: -len(r[0]))


def _m_pos(w: str, stem: str) -> bool:
    return _measure(stem) > 0


def _m_gt1(w: str, stem: str) -> bool:
    return _measure(stem) > 1


_STEP2_COMMON = [("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
                 ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"),
                 ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"),
                 ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")]
_STEP2_ORIGINAL = _longest_first([(s, r, _m_pos) for s, r in _STEP2_COMMON + [("abli", "able")]])
# NLTK widens -abli to -bli, adds -fulli, and -logi whose measure counts the l (so geologi -> geolog).
_STEP2_NLTK = _longest_first([(s, r, _m_pos) for s, r in _STEP2_COMMON + [("bli", "ble"), ("fulli", "ful")]]
                             + [("logi", "log", lambda w, stem: _measure(w[:-3]) > 0)])
_STEP3 = _longest_first([(s, r, _m_pos) for s, r in [("icate", "ic"), ("ative", ""), ("alize", "al"),
                                                      ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", "")]])
_STEP4 = _longest_first(
    [(s, "", _m_gt1) for s in ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
                               "ou", "ism", "ate", "iti", "ous", "ive", "ize"]]
    + [("ion", "", lambda w, stem: _measure(stem) > 1 and stem[-1] in "st")])


def _step2(w: str, nltk: bool) -> str:
    if nltk and w.endswith("alli") and _measure(w[:-4]) > 0:
        # NLTK strips -alli to -al first and runs step 2 again on the result (rationalli -> rational -> ration).
        return _step2(w[:-2], nltk)
    return _rules(w, _STEP2_NLTK if nltk else _STEP2_ORIGINAL)


def porter_stem(word: str, mode: str = NLTK) -> str:
    """Stem of a lower-case word: NLTK 3.8's PorterStemmer() (mode NLTK) or Porter's 1980 paper (mode ORIGINAL)."""
    if mode not in (NLTK, ORIGINAL):
        raise ValueError(f"mode must be {NLTK!r} or {ORIGINAL!r}, got {mode!r}")
    nltk = mode == NLTK
    if nltk and word in _IRREGULAR:
        return _IRREGULAR[word]
    w = word
    if len(w) <= 2:
        return w
    # Step 1a (NLTK: a four-letter -ies word keeps its ie, dies -> die)
    if nltk and len(w) == 4 and w.endswith("ies"):
        w = w[:-1]
    elif w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("ss"):
        pass
    elif w.endswith("s"):
        w = w[:-1]
    # Step 1b (NLTK: -ied becomes -ie on four letters and -i otherwise, nothing else in this step)
    extra = False
    if nltk and w.endswith("ied"):
        w = w[:-1] if len(w) == 4 else w[:-2]
    elif w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _has_vowel(w[:-2]):
        w, extra = w[:-2], True
    elif w.endswith("ing") and _has_vowel(w[:-3]):
        w, extra = w[:-3], True
    if extra:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _double_cons(w):
            if w[-1] not in "lsz":
                w = w[:-1]
        elif _measure(w) == 1 and _cvc(w, nltk):
            w += "e"
    # Step 1c (NLTK: y -> i only after a consonant that is not the whole stem, so enjoy stays, cry -> cri)
    if w.endswith("y"):
        stem = w[:-1]
        if (len(stem) > 1 and _is_cons(stem, len(stem) - 1)) if nltk else _has_vowel(stem):
            w = stem + "i"
    # Steps 2, 3, 4
    w = _step2(w, nltk)
    w = _rules(w, _STEP3)
    w = _rules(w, _STEP4)
    # Step 5a
    if w.endswith("e"):
        stem = w[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem, nltk)):
            w = stem
    # Step 5b
    if _measure(w) > 1 and _double_cons(w) and w.endswith("l"):
        w = w[:-1]
    return w


# ---- tokenization and scores ----

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def tokenize(text: str, stem: bool = True) -> list[str]:
    tokens = _NON_ALNUM.sub(" ", text.lower()).split()
    return [porter_stem(t) if stem and len(t) > 3 else t for t in tokens]


def _f1(hits: int, n_pred: int, n_ref: int) -> float:
    if hits == 0 or n_pred == 0 or n_ref == 0:
        return 0.0
    p, r = hits / n_pred, hits / n_ref
    return 2 * p * r / (p + r)


def rouge_n(pred: list[str], ref: list[str], n: int) -> float:
    pc = Counter(tuple(pred[i:i + n]) for i in range(len(pred) - n + 1))
    rc = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    hits = sum(min(c, rc[g]) for g, c in pc.items())
    return _f1(hits, sum(pc.values()), sum(rc.values()))


def _lcs_table(a: list[str], b: list[str]):
    t = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            t[i][j] = t[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(t[i - 1][j], t[i][j - 1])
    return t


def rouge_l(pred: list[str], ref: list[str]) -> float:
    return _f1(_lcs_table(ref, pred)[-1][-1] if pred and ref else 0, len(pred), len(ref))


def _lcs_indices(ref: list[str], cand: list[str]) -> list[int]:
    """Indices into ref of one LCS, backtracking as rouge-score does."""
    t = _lcs_table(ref, cand)
    i, j, out = len(ref), len(cand), []
    while i > 0 and j > 0:
        if ref[i - 1] == cand[j - 1]:
            out.append(i - 1)
            i, j = i - 1, j - 1
        elif t[i][j - 1] > t[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return out[::-1]


def rouge_lsum(pred_sents: list[list[str]], ref_sents: list[list[str]]) -> float:
    """Summary-level LCS: for each reference sentence the union of its LCS with every predicted sentence,
    each token counted at most as often as it occurs in both summaries."""
    m, n = sum(map(len, ref_sents)), sum(map(len, pred_sents))
    if m == 0 or n == 0:
        return 0.0
    ref_counts, pred_counts = Counter(), Counter()
    for s in ref_sents:
        ref_counts.update(s)
    for s in pred_sents:
        pred_counts.update(s)
    hits = 0
    for r in ref_sents:
        union = sorted(set().union(*[_lcs_indices(r, c) for c in pred_sents]))
        for tok in (r[i] for i in union):
            if pred_counts[tok] > 0 and ref_counts[tok] > 0:
                hits += 1
                pred_counts[tok] -= 1
                ref_counts[tok] -= 1
    return _f1(hits, n, m)


def rouge_scores(prediction: str, reference: str) -> dict:
    """F1 of rouge1, rouge2, rougeL and rougeLsum for one pair; sentences are the lines of each text."""
    p, r = tokenize(prediction), tokenize(reference)
    ps = [tokenize(s) for s in prediction.split("\n")]
    rs = [tokenize(s) for s in reference.split("\n")]
    return {"rouge1": rouge_n(p, r, 1), "rouge2": rouge_n(p, r, 2), "rougeL": rouge_l(p, r),
            "rougeLsum": rouge_lsum(ps, rs)}


def rouge_corpus(predictions: list[str], references: list[str]) -> dict:
    """Mean per-row F1 of each ROUGE type."""
    if len(predictions) != len(references):
        raise ValueError("predictions and references must have the same length")
    if not predictions:
        raise ValueError("no rows to score")
    rows = [rouge_scores(p, r) for p, r in zip(predictions, references)]
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}
