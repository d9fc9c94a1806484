"""Text normalisation into the cnndm form, and wiki lead-from-rest pairs."""
from training.normalize import normalize
from training.pretrain import lead_and_rest


def test_normalize_matches_cnndm_form():
    assert normalize('(CNN) The U.S. Treasury isn\'t "happy," officials said.') == \
        '( cnn ) the u.s. treasury is n\'t " happy , " officials said .'
    assert normalize("The 35-year-old paid $1,234.56 at 10 p.m. -- or 5%.") == \
        "the 35 - year - old paid $ 1,234.56 at 10 p.m. -- or 5 % ."
    assert normalize("He said: 'it's over.' We'll see; they're J. Smith's.") == \
        "he said : ' it 's over . ' we 'll see ; they 're j. smith 's ."
    assert normalize("\u201cCurly\u201d and \u2018single\u2019 quotes \u2013 dash") == \
        "\" curly \" and ' single ' quotes - dash"
    assert normalize("  many   spaces\n\nand lines ") == "many spaces and lines"


def test_lead_and_rest_drops_headings_and_short_articles():
    lead = " ".join(["Lead"] * 20) + "."
    body = " ".join(["word"] * 200) + "."
    pair = lead_and_rest(f"{lead}\nHistory.\n{body}\nSee also.")
    assert pair == (lead, body)
    assert lead_and_rest(f"{lead}\nHistory.") is None  # no rest
    assert lead_and_rest(f"Too short.\n{body}") is None  # lead under 15 words (and a 2-word line is a heading)
