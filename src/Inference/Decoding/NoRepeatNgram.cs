namespace Summarizer.Inference.Decoding;

/// <summary>
/// The no-repeat n-gram logits processor (DESIGN.md "Decoding" rule 2): bans every token that would complete an
/// n-gram already present in the generated tokens.
/// </summary>
public static class NoRepeatNgram
{
    /// <summary>
    /// Sets <paramref name="logProbs"/>[w] to −∞ for every w such that (last n−1 generated tokens, w) already occurs.
    /// Does nothing while fewer than n−1 tokens exist (t + 1 &lt; n) or when <paramref name="n"/> is 0.
    /// </summary>
    /// <param name="logProbs">[V] one row's log-probs, changed in place.</param>
    /// <param name="generated">The row's generated tokens so far (BOS excluded), length t.</param>
    /// <param name="n">n-gram size; 0 turns the rule off.</param>
    public static void Ban(Span<float> logProbs, ReadOnlySpan<int> generated, int n)
    {
        var t = generated.Length;
        if (n <= 0 || t + 1 < n)
            return;
        var prefix = generated[(t - (n - 1))..];
        // Every earlier n-gram start i whose first n−1 tokens equal the prefix bans its last token.
        for (var i = 0; i + n <= t; i++)
            if (generated.Slice(i, n - 1).SequenceEqual(prefix))
                logProbs[generated[i + n - 1]] = float.NegativeInfinity;
    }
}
