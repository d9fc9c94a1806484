using System.Globalization;
using System.Numerics;

namespace Summarizer.Inference.Decoding;

/// <summary>
/// Beam search, Hugging Face style, exactly as DESIGN.md "Decoding" (and training/decoding.py): all live beams go
/// through one <see cref="IStepModel.Step"/> per time step; the top 2K (hypothesis, token) candidates are walked in
/// order; end-of-sequence candidates in the first K finish a hypothesis scored sum / len^length_penalty.
/// </summary>
public static class BeamSearch
{
    /// <summary>
    /// Generates <see cref="DecodingOptions.NumBeams"/> hypotheses and returns the finished one with the best normalized score.
    /// <paramref name="onToken"/> is called once per step with the newest token of the current best live beam (live row 0,
    /// the highest cumulative score); a later step may switch to another beam, so the streamed tokens are a preview and
    /// the returned result is authoritative.
    /// </summary>
    /// <param name="model">The step model (a fresh state: nothing cached yet) sized for NumBeams rows.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="bosId">First decoder input.</param>
    /// <param name="eosId">End-of-sequence id.</param>
    /// <param name="onToken">Optional per-step callback.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <param name="grounding">Grounded decoding's processor for this source, or null for the plain rules.</param>
    public static SearchResult Run(IStepModel model, DecodingOptions options, int bosId, int eosId,
        TokenCallback? onToken = null, CancellationToken cancellationToken = default, SourceGrounding? grounding = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var k = options.NumBeams;
        if (model.MaxRows < k)
            throw new ArgumentException($"The step model holds {model.MaxRows} rows; the beam needs {k}.", nameof(model));
        var maxLength = options.MaxLength;
        var lengthPenalty = Widen(options.LengthPenalty);
        var vocabSize = model.VocabSize;
        var trace = new DecodingTrace(maxLength, k, model.SourceLength, model.LayerAttentionLength);

        // Live beams: their next input, cumulative score and generated tokens (double-buffered for reordering).
        var inputs = new int[k];
        var nextInputs = new int[k];
        var scores = new double[k];
        var nextScores = new double[k];
        var parents = new int[k];
        var history = new int[k * maxLength];
        var nextHistory = new int[k * maxLength];
        var candidateScores = new double[2 * k];
        var candidateIndices = new long[2 * k];
        var finished = new FinishedHypotheses(k);

        inputs[0] = bosId;
        var live = 1;
        for (var t = 0; t < maxLength; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            model.Step(inputs.AsSpan(0, live), t);
            for (var r = 0; r < live; r++)
            {
                var logProbs = model.LogProbs(r);
                if (t < options.MinLength)
                    logProbs[eosId] = float.NegativeInfinity;
                NoRepeatNgram.Ban(logProbs, history.AsSpan(r * maxLength, t), options.NoRepeatNgramSize);
                grounding?.Ban(logProbs, history.AsSpan(r * maxLength, t));
            }

            var candidates = TopCandidates(model, scores, live, vocabSize, candidateScores, candidateIndices);
            var next = 0;
            for (var rank = 0; rank < candidates && next < k; rank++)
            {
                var row = (int)(candidateIndices[rank] / vocabSize);
                var token = (int)(candidateIndices[rank] % vocabSize);
                var score = candidateScores[rank];
                if (double.IsNegativeInfinity(score))
                    break; // banned: it and every candidate after it
                if (token == eosId)
                {
                    // Only an end-of-sequence among the first K candidates finishes a hypothesis (t tokens + EOS).
                    if (rank < k)
                        finished.Add(Normalize(score, t + 1, lengthPenalty), length: t, row);
                    continue;
                }
                trace.Record(t, next, token, row, model);
                parents[next] = row;
                nextInputs[next] = token;
                nextScores[next] = score;
                history.AsSpan(row * maxLength, t).CopyTo(nextHistory.AsSpan(next * maxLength));
                nextHistory[next * maxLength + t] = token;
                next++;
            }

            if (next > 0)
                onToken?.Invoke(t, nextInputs[0], trace.CopyProbability(t, 0), trace.CopyAttention(t, 0));

            if (t + 1 == maxLength)
            {
                // Out of room: every live beam finishes as it is (t + 1 tokens, no end-of-sequence).
                for (var i = 0; i < next; i++)
                    finished.Add(Normalize(nextScores[i], t + 1, lengthPenalty), length: t + 1, i);
                break;
            }
            if (next == 0)
                break;
            // Done when K are finished and either early stopping or no live beam can still beat the worst of them.
            if (finished.Count == k && (options.EarlyStopping
                || Normalize(nextScores[0], t + 1, lengthPenalty) <= finished.WorstScore))
                break;

            model.Reorder(parents.AsSpan(0, next));
            (inputs, nextInputs) = (nextInputs, inputs);
            (scores, nextScores) = (nextScores, scores);
            (history, nextHistory) = (nextHistory, history);
            live = next;
        }

        if (finished.Count == 0)
            return trace.Extract(0, 0, double.NegativeInfinity);
        var (bestScore, bestLength, bestRow) = finished.Best();
        return trace.Extract(bestLength, bestRow, bestScore);
    }

    /// <summary>
    /// sum / len^length_penalty in float64, as training/decoding.py computes it; the penalty is widened through its
    /// shortest decimal form (0.8f → 0.8, not 0.800000011920929) so both sides raise to the same exponent.
    /// </summary>
    internal static double Normalize(double score, int length, double lengthPenalty) => score / Math.Pow(length, lengthPenalty);

    /// <summary>The float option as the double its decimal form denotes.</summary>
    internal static double Widen(float value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// The top 2K of score[r] + logProbs[r][w] over all live rows and tokens, best first; equal scores keep the lower
    /// flattened index r·V + w first. Returns how many were found (2K unless there are fewer pairs).
    /// </summary>
    private static int TopCandidates(IStepModel model, double[] scores, int live, int vocabSize, double[] topScores, long[] topIndices)
    {
        var capacity = topScores.Length;
        var count = 0;
        var width = Vector<float>.Count;
        for (var r = 0; r < live; r++)
        {
            var logProbs = model.LogProbs(r);
            var baseScore = scores[r];
            var w = 0;
            while (w < logProbs.Length)
            {
                // Once the list is full, a block of log-probs none of which can beat its last entry is skipped whole; the
                // bar is lowered by a margin so float rounding never skips a candidate that the exact test would keep.
                if (count == capacity && w + width <= logProbs.Length)
                {
                    var bar = topScores[count - 1] - baseScore;
                    var block = new Vector<float>(logProbs.Slice(w, width));
                    if (!Vector.GreaterThanAny(block, new Vector<float>((float)(bar - Math.Abs(bar) * 1e-5 - 1e-5))))
                    {
                        w += width;
                        continue;
                    }
                }
                var end = Math.Min(w + width, logProbs.Length);
                for (; w < end; w++)
                {
                    var s = baseScore + (double)logProbs[w];
                    // Visiting in flattened order, a tie never displaces an earlier candidate.
                    if (count == capacity && !(s > topScores[count - 1]))
                        continue;
                    var at = count == capacity ? count - 1 : count++;
                    while (at > 0 && s > topScores[at - 1])
                    {
                        topScores[at] = topScores[at - 1];
                        topIndices[at] = topIndices[at - 1];
                        at--;
                    }
                    topScores[at] = s;
                    topIndices[at] = (long)r * vocabSize + w;
                }
            }
        }
        return count;
    }
}
