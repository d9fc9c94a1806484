using Summarizer.Evaluation;

namespace Summarizer.Evaluation.Tests;

public class RougeScorerTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Tokenizer_lowercases_drops_punctuation_and_stems_long_tokens()
    {
        // "U.S." → "u", "s"; "don't" → "don", "t"; "Running"(7) → "run"; "dogs"(4) → "dog"; "cats"(4) → "cat"; "ran"(3) unstemmed.
        Assert.Equal(["u", "s", "don", "t", "run", "dog", "ran", "cat", "42"], RougeTokenizer.Tokenize("U.S. don't Running-dogs ran, CATS 42!"));
        Assert.Equal(["running", "dogs", "caf"], RougeTokenizer.Tokenize("running dogs café", stem: false));
    }

    [Fact]
    public void Identical_one_word_substitution()
    {
        // ref "the cat sat on the mat", cand "the cat lay on the mat" (no token longer than 3, nothing stemmed).
        var scores = RougeScorer.Score("the cat lay on the mat", "the cat sat on the mat");

        // Unigrams: both 6; overlap the×2 + cat + on + mat = 5 → P = R = F = 5/6.
        AssertScore(5.0 / 6, 5.0 / 6, 5.0 / 6, scores.Rouge1);
        // Bigrams: both 5; shared "the cat", "on the", "the mat" = 3 → 3/5.
        AssertScore(3.0 / 5, 3.0 / 5, 3.0 / 5, scores.Rouge2);
        // LCS "the cat on the mat" = 5 → 5/6.
        AssertScore(5.0 / 6, 5.0 / 6, 5.0 / 6, scores.RougeL);
        AssertScore(5.0 / 6, 5.0 / 6, 5.0 / 6, scores.RougeLsum);
    }

    [Fact]
    public void Precision_and_recall_differ_when_lengths_differ()
    {
        var scores = RougeScorer.Score("the cat", "the cat sat");

        // R1: overlap 2, P = 2/2, R = 2/3, F = 2·1·(2/3)/(1 + 2/3) = 0.8.
        AssertScore(1, 2.0 / 3, 0.8, scores.Rouge1);
        // R2: candidate {the cat}, reference {the cat, cat sat}; overlap 1 → P = 1, R = 1/2, F = 2/3.
        AssertScore(1, 0.5, 2.0 / 3, scores.Rouge2);
    }

    [Fact]
    public void Stemming_matches_inflected_forms()
    {
        // cand → [the, run, dog]; ref → [a, dog, run] ("dog" has 3 letters so is not stemmed; "runs" → "run").
        var stemmed = RougeScorer.Score("The running dogs", "a dog runs");
        var plain = RougeScorer.Score("The running dogs", "a dog runs", stem: false);

        // Overlap {run, dog} = 2 of 3 each side.
        AssertScore(2.0 / 3, 2.0 / 3, 2.0 / 3, stemmed.Rouge1);
        // LCS of [the, run, dog] and [a, dog, run] is 1.
        AssertScore(1.0 / 3, 1.0 / 3, 1.0 / 3, stemmed.RougeL);
        Assert.Equal(0, plain.Rouge1.F1);
    }

    [Fact]
    public void Rouge_n_clips_repeated_ngrams()
    {
        // cand "the the the the" vs ref "the cat": overlap min(4, 1) = 1 → P = 1/4, R = 1/2, F = 2·(1/8)/(3/4) = 1/3.
        var score = RougeScorer.RougeN(["the", "the", "the", "the"], ["the", "cat"], 1);

        AssertScore(0.25, 0.5, 1.0 / 3, score);
    }

    [Fact]
    public void Lsum_takes_the_union_of_lcs_over_candidate_sentences()
    {
        // The ROUGE paper's example: r = w1 w2 w3 w4 w5; c1 = w1 w2 w6 w7 w8; c2 = w1 w3 w8 w9 w5.
        // LCS(r, c1) = {w1, w2}, LCS(r, c2) = {w1, w3, w5}; union = {w1, w2, w3, w5} → 4 hits.
        // R = 4/5, P = 4/10, F = 2·0.4·0.8/1.2 = 8/15.
        var scores = RougeScorer.Score("w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5");

        AssertScore(0.4, 0.8, 8.0 / 15, scores.RougeLsum);
        // Plain ROUGE-L over the concatenation: LCS(w1 w2 w3 w4 w5, w1 w2 w6 w7 w8 w1 w3 w8 w9 w5) = w1 w2 w3 w5 = 4 too.
        AssertScore(0.4, 0.8, 8.0 / 15, scores.RougeL);
    }

    [Fact]
    public void Lsum_counts_each_token_at_most_as_often_as_both_sides_have_it()
    {
        // ref sentences "a b" and "a b", cand "a b": the first sentence uses up the candidate's a and b,
        // the second finds none left → hits 2; P = 2/2, R = 2/4, F = 2/3.
        var scores = RougeScorer.Score("a b", "a b\na b");

        AssertScore(1, 0.5, 2.0 / 3, scores.RougeLsum);
    }

    [Fact]
    public void Empty_sides_score_zero()
    {
        var scores = RougeScorer.Score("", "the cat");

        Assert.Equal(default, scores.Rouge1);
        Assert.Equal(default, scores.Rouge2);
        Assert.Equal(default, scores.RougeL);
        Assert.Equal(default, scores.RougeLsum);
        Assert.Equal(default, RougeScorer.Score("the cat", "... !").RougeLsum);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>("candidate", () => RougeScorer.Score(null!, "x"));
        Assert.Throws<ArgumentNullException>("reference", () => RougeScorer.Score("x", null!));
        Assert.Throws<ArgumentOutOfRangeException>("n", () => RougeScorer.RougeN(["a"], ["a"], 0));
    }

    private static void AssertScore(double precision, double recall, double f1, RougeScore actual)
    {
        Assert.Equal(precision, actual.Precision, Tolerance);
        Assert.Equal(recall, actual.Recall, Tolerance);
        Assert.Equal(f1, actual.F1, Tolerance);
    }
}
