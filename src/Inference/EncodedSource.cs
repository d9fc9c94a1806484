using System.Diagnostics;

namespace Summarizer.Inference;

/// <summary>
/// A tokenized source after the encoder: what every mode starts from (<see cref="SummaryPipeline.Encode"/>).
/// </summary>
internal sealed class EncodedSource
{
    public EncodedSource(SourceTokenization source, float[] memory, Stopwatch total, double encodeMs, SourceSentence[] sentences)
    {
        Source = source;
        Memory = memory;
        Total = total;
        EncodeMs = encodeMs;
        Sentences = sentences;
    }

    /// <summary>The tokenization the encoder read.</summary>
    public SourceTokenization Source { get; }

    /// <summary>The encoder's output, [S, d_model] (S = <see cref="Length"/>).</summary>
    public float[] Memory { get; }

    /// <summary>Runs from just before the encoder: the request's time after tokenizing.</summary>
    public Stopwatch Total { get; }

    /// <summary>Milliseconds the encoder took.</summary>
    public double EncodeMs { get; }

    /// <summary>The source's sentences over the read tokens (<see cref="SentenceProvenance.SourceSentences"/>).</summary>
    public SourceSentence[] Sentences { get; }

    /// <summary>S: the number of source tokens read.</summary>
    public int Length => Source.Tokens.Count;

    /// <summary>The read tokens' ids, [S].</summary>
    public ReadOnlySpan<int> Ids => Source.AllIds.AsSpan(0, Length);
}
