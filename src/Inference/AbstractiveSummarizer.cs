using Summarizer.Inference.Decoding;
using Summarizer.Inference.Text;

namespace Summarizer.Inference;

/// <summary>
/// The abstractive mode: encoder → (content selection, copy prior) → decoder with greedy or beam search (grounded or
/// not) → summary text, tokens, sentence provenance and attention maps. Thread-safe: every request owns its decoder state.
/// </summary>
internal sealed class AbstractiveSummarizer
{
    private readonly SummaryPipeline _pipeline;

    public AbstractiveSummarizer(SummaryPipeline pipeline) => _pipeline = pipeline;

    /// <summary>See <see cref="ISummarizer.Summarize(SourceTokenization, DecodingOptions, AttentionDetail, Action{StreamedToken}?, CancellationToken)"/>.</summary>
    public SummaryResult Summarize(SourceTokenization source, DecodingOptions options, AttentionDetail attention,
        Action<StreamedToken>? onToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        _pipeline.ThrowIfForeign(source);
        ArgumentNullException.ThrowIfNull(options);
        var model = _pipeline.Model.Config;
        DecodingOptionsValidator.ThrowIfInvalid(options, model.MaxTargetLength);
        if (!Enum.IsDefined(attention))
            throw new ArgumentOutOfRangeException(nameof(attention), attention, "Unknown attention detail.");
        cancellationToken.ThrowIfCancellationRequested();

        var encoded = _pipeline.Encode(source, cancellationToken);
        var total = encoded.Total;
        var encodeMs = encoded.EncodeMs;
        var normalized = source.Normalized;
        var sourceLength = encoded.Length;
        var sourceIds = encoded.Ids;
        var sourceSentences = encoded.Sentences;

        var scores = options.SelectSentences > 0 || options.CopySalience > 0
            ? _pipeline.Score(encoded, "the decoder cannot use its content selection (SelectSentences and CopySalience must be 0)")
            : null;
        // With content selection the decoder reads the selected sentences' tokens only: their ids and memory rows.
        var read = options.SelectSentences > 0 ? ContentSelection.Select(scores!, sourceIds, options.SelectSentences) : null;
        ReadOnlySpan<int> decoderIds = read is null ? sourceIds : read.Select(t => source.AllIds[t]).ToArray();
        var decoderMemory = read is null ? encoded.Memory : ContentSelection.Gather(encoded.Memory, read, model.DModel);
        var prior = options.CopySalience > 0 ? ContentSelection.CopyPrior(scores!, sourceLength, options.CopySalience) : null;
        if (prior is not null && read is not null)
            prior = read.Select(t => prior[t]).ToArray();
        var state = _pipeline.Decoder.CreateState(decoderMemory, decoderIds, options.NumBeams, attention == AttentionDetail.Full, prior);
        var fullRow = read is null ? null : new float[sourceLength];
        var joiner = PtbWordJoiner.FromSource(normalized);
        var streamed = new List<int>();
        TokenCallback? callback = onToken is null ? null : (index, id, copyProbability, weights) =>
        {
            // Beam search may switch beams: the preview from this index on is replaced.
            if (streamed.Count > index)
                streamed.RemoveRange(index, streamed.Count - index);
            streamed.Add(id);
            if (fullRow is not null)
            {
                Array.Clear(fullRow);
                ContentSelection.Scatter(weights.Span, read!, fullRow);
                weights = fullRow;
            }
            onToken(new StreamedToken(index, id, _pipeline.SummaryBuilder.StreamedText(streamed, joiner), copyProbability, weights));
        };
        var grounding = options.Grounded ? Ground(source, options) : null;
        // Grounded, a summary need not be longer than what the decoder reads: a one-line text (or a short selection) is
        // not padded out to the minimum length.
        var searchOptions = options.Grounded ? options with { MinLength = Math.Min(options.MinLength, decoderIds.Length) } : options;
        SearchResult search;
        state.UseSecondCore();
        try
        {
            search = options.NumBeams == 1
                ? GreedySearch.Run(state, searchOptions, model.BosId, model.EosId, callback, cancellationToken, grounding)
                : BeamSearch.Run(state, searchOptions, model.BosId, model.EosId, callback, cancellationToken, grounding);
        }
        finally
        {
            state.ReleaseSecondCore();
        }
        var decodeMs = total.Elapsed.TotalMilliseconds - encodeMs;
        if (read is not null)
            search = search with
            {
                CopyAttention = ContentSelection.ScatterRows(search.CopyAttention, read, sourceLength),
                LayerAttention = search.LayerAttention is { } layered ? ContentSelection.ScatterRows(layered, read, sourceLength) : null,
            };

        var (summary, summaryTokens) = _pipeline.SummaryBuilder.Build(search, normalized, joiner);
        return new SummaryResult
        {
            Summary = summary,
            SourceTokens = source.Tokens,
            SummaryTokens = summaryTokens,
            SourceSentences = sourceSentences,
            Sentences = SentenceProvenance.Summarize(summary, summaryTokens, source.Tokens, sourceSentences, search.CopyAttention),
            Attention = attention == AttentionDetail.None ? null : AttentionMapBuilder.Build(search, sourceLength, attention == AttentionDetail.Full, model),
            Truncated = source.Truncated,
            InputTokenCount = source.InputTokenCount,
            Options = options,
            Timings = new SummaryTimings(source.TokenizeMs, encodeMs, decodeMs, source.TokenizeMs + total.Elapsed.TotalMilliseconds),
        };
    }

    // Grounded decoding's processor for this source: its words and numbers, spelled as the decoder reads them. When the
    // window cuts a word, number or compound ("pacquiao" read as "pac ##qui", "1,000" as "1 ,", "21 - year - olds" as
    // "21 - year"), the cut part is left out of it.
    private SourceGrounding Ground(SourceTokenization source, DecodingOptions options)
    {
        var read = source.Tokens.Count;
        var ids = source.AllIds;
        var vocabulary = _pipeline.Grounding;
        var hyphen = vocabulary.HyphenId;
        if (source.UnreadStart >= 0)
            while (read > 0 && (source.Tokens[read - 1].End >= (read < source.Tokens.Count ? source.Tokens[read].Start : source.UnreadStart)
                || ids[read] == hyphen || ids[read - 1] == hyphen))
                read--;
        var spans = new (int Start, int End)[read];
        for (var i = 0; i < read; i++)
            spans[i] = (source.Tokens[i].Start, source.Tokens[i].End);
        return new SourceGrounding(vocabulary, source.AllIds.AsSpan(0, read), spans, options.MaxLength,
            options.NoRepeatWordNgramSize, options.MaxWordRepeats)
        { PhraseBonus = options.SourcePhraseBonus };
    }
}
