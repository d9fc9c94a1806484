using Summarizer.Inference.Selector;

namespace Summarizer.Inference;

/// <summary>
/// The selector's scores turned into what the decoder reads: content selection (the best sentences' positions, and the
/// gather/scatter between them and the whole source) and bottom-up attention's copy prior.
/// </summary>
internal static class ContentSelection
{
    // The copy prior's floor (bottom-up attention): small enough never to bind on the selector's real scores.
    private const float MinCopyPrior = 1e-6f;

    /// <summary>The source positions of the <paramref name="count"/> sentences the selector ranks highest, in text order.</summary>
    public static int[] Select(SentenceScores scores, ReadOnlySpan<int> sourceIds, int count)
    {
        var ranges = scores.Ranges;
        var picked = ExtractiveSelection.Select(scores.Logits, sourceIds, ranges, count);
        return picked.Order().SelectMany(j => Enumerable.Range(ranges[j].TokenStart, ranges[j].TokenEnd - ranges[j].TokenStart)).ToArray();
    }

    /// <summary>
    /// Bottom-up attention's prior, [S]: each source token's is its sentence's salience σ(logit)^exponent, kept above a
    /// floor so that no position is ruled out entirely (and no float underflows to 0); a token in no sentence gets the floor.
    /// </summary>
    public static float[] CopyPrior(SentenceScores scores, int sourceLength, float exponent)
    {
        var prior = new float[sourceLength];
        Array.Fill(prior, MinCopyPrior);
        for (var j = 0; j < scores.Ranges.Length; j++)
        {
            var salience = MathF.Max(MinCopyPrior, MathF.Pow(1f / (1f + MathF.Exp(-scores.Logits[j])), exponent));
            prior.AsSpan(scores.Ranges[j].TokenStart, scores.Ranges[j].TokenEnd - scores.Ranges[j].TokenStart).Fill(salience);
        }
        return prior;
    }

    /// <summary>Rows <paramref name="read"/> of a [S, width] matrix: [read.Length, width].</summary>
    public static float[] Gather(float[] rows, int[] read, int width)
    {
        var gathered = new float[read.Length * width];
        for (var i = 0; i < read.Length; i++)
            rows.AsSpan(read[i] * width, width).CopyTo(gathered.AsSpan(i * width, width));
        return gathered;
    }

    /// <summary>A row over the read positions, written at their places in a row over the whole source.</summary>
    public static void Scatter(ReadOnlySpan<float> row, int[] read, Span<float> full)
    {
        for (var i = 0; i < read.Length; i++)
            full[read[i]] = row[i];
    }

    /// <summary>[rows, read.Length] → [rows, sourceLength], zero where the decoder did not read.</summary>
    public static float[] ScatterRows(float[] rows, int[] read, int sourceLength)
    {
        var count = rows.Length / read.Length;
        var full = new float[count * sourceLength];
        for (var r = 0; r < count; r++)
            Scatter(rows.AsSpan(r * read.Length, read.Length), read, full.AsSpan(r * sourceLength, sourceLength));
        return full;
    }
}
