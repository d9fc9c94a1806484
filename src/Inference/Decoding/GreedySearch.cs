namespace Summarizer.Inference.Decoding;

/// <summary>Greedy decoding (DESIGN.md "Decoding", num_beams = 1): the argmax each step, lowest id on ties.</summary>
public static class GreedySearch
{
    /// <summary>
    /// Generates one hypothesis. Stops at end-of-sequence (not included in the result) or after
    /// <see cref="DecodingOptions.MaxLength"/> tokens. <paramref name="onToken"/> sees every token but end-of-sequence.
    /// </summary>
    /// <param name="model">The step model (a fresh state: nothing cached yet).</param>
    /// <param name="options">Validated options; NumBeams, LengthPenalty and EarlyStopping are not used.</param>
    /// <param name="bosId">First decoder input.</param>
    /// <param name="eosId">End-of-sequence id.</param>
    /// <param name="onToken">Optional per-token callback.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <param name="grounding">Grounded decoding's processor for this source, or null for the plain rules.</param>
    public static SearchResult Run(IStepModel model, DecodingOptions options, int bosId, int eosId,
        TokenCallback? onToken = null, CancellationToken cancellationToken = default, SourceGrounding? grounding = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var trace = new DecodingTrace(options.MaxLength, 1, model.SourceLength, model.LayerAttentionLength);
        var generated = new int[options.MaxLength];
        Span<int> input = [bosId];
        double score = 0;
        var length = 0;
        for (var t = 0; t < options.MaxLength; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            model.Step(input, t);
            var logProbs = model.LogProbs(0);
            if (t < options.MinLength)
                logProbs[eosId] = float.NegativeInfinity;
            NoRepeatNgram.Ban(logProbs, generated.AsSpan(0, t), options.NoRepeatNgramSize);
            grounding?.Ban(logProbs, generated.AsSpan(0, t));

            var token = ArgMax(logProbs);
            // Every token banned (the rules left this hypothesis nowhere to go): it ends here.
            if (float.IsNegativeInfinity(logProbs[token]))
                break;
            score += logProbs[token];
            if (token == eosId)
                break;
            trace.Record(t, 0, token, 0, model);
            generated[t] = token;
            length = t + 1;
            onToken?.Invoke(t, token, trace.CopyProbability(t, 0), trace.CopyAttention(t, 0));
            input[0] = token;
        }
        return trace.Extract(length, 0, score);
    }

    /// <summary>Index of the largest value; the lowest index wins ties.</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }
}
