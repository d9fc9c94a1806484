"""The stemmer against NLTK 3.8's PorterStemmer() (NLTK_EXTENSIONS, what rouge-score uses): the committed oracle
fixture always, and NLTK itself on fresh random words when nltk is importable."""
import random
from pathlib import Path

import pytest

from training.rouge import porter_stem

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "porter" / "nltk-porter-3.8.tsv"


def _fixture_pairs() -> list[tuple[str, str]]:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#"), "the fixture starts with a header comment saying how it was generated"
    return [tuple(line.split("\t")) for line in lines[1:]]


def test_agrees_with_nltk_on_every_fixture_word():
    pairs = _fixture_pairs()
    assert len(pairs) > 10_000
    wrong = [(w, want, porter_stem(w)) for w, want in pairs if porter_stem(w) != want]
    assert not wrong, f"{len(wrong)} of {len(pairs)} words differ (word, nltk, ours): {wrong[:20]}"


def test_fixture_exercises_what_nltk_changes():
    stems = dict(_fixture_pairs())
    # Pool, -ies, -ied, y after a vowel, -bli, -logi, two-letter *o: each changes these words' 1980 stems.
    for word, stem in [("innings", "inning"), ("dies", "die"), ("died", "die"), ("enjoy", "enjoy"),
                       ("possibli", "possibl"), ("geologi", "geolog"), ("uses", "use")]:
        assert stems[word] == stem


# Fragments that build words reaching every rule: stems of varied shape and the suffixes the steps look for.
_ONSETS = ["", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "y", "tr", "st", "pl",
           "sp", "gr", "ch", "th"]
_VOWELS = ["a", "e", "i", "o", "u", "y", "ee", "ea", "oa", "ai", "ou", "ie"]
_CODAS = ["", "b", "d", "g", "l", "ll", "m", "n", "nn", "p", "pp", "r", "s", "ss", "t", "tt", "w", "x", "z", "zz",
          "nt", "st", "ck", "y"]
_SUFFIXES = ["", "s", "es", "ies", "sses", "ied", "ed", "eed", "ing", "y", "ly", "ies", "ational", "tional", "enci",
             "anci", "izer", "abli", "bli", "alli", "fulli", "entli", "eli", "ousli", "ization", "ation", "ator",
             "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "logi", "logy", "logies", "icate",
             "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible",
             "ant", "ement", "ment", "ent", "ion", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
             "e", "ll", "ally", "fully", "ably", "ingly", "ations", "izations"]


def _random_word(rng: random.Random) -> str:
    stem = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(1, 3)))
    return stem + rng.choice(_SUFFIXES) + rng.choice(["", "", "", "s", "ed", "ing"])


def test_agrees_with_nltk_on_fresh_random_words():
    nltk_porter = pytest.importorskip("nltk.stem.porter", reason="nltk is not installed (Debian: python3-nltk)")
    stemmer = nltk_porter.PorterStemmer()
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    words = {_random_word(rng) for _ in range(20_000)}
    wrong = [(w, stemmer.stem(w), porter_stem(w)) for w in sorted(words) if stemmer.stem(w) != porter_stem(w)]
    assert not wrong, f"seed {seed}: {len(wrong)} of {len(words)} words differ (word, nltk, ours): {wrong[:20]}"
