using System.Diagnostics;
using Summarizer.Inference.Decoder;
using Summarizer.Inference.Decoding;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Selector;
using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference;

/// <summary>
/// A loaded bundle's stages and the steps every mode shares: the source check, the encoder, the selector's scores. The
/// modes (<see cref="AbstractiveSummarizer"/>, <see cref="ExtractiveSummarizer"/>) take what they need from here, so a
/// new mode or stage is one more file that uses it. Shared and immutable: thread-safe.
/// </summary>
internal sealed class SummaryPipeline
{
    private readonly Lazy<GroundingVocabulary> _grounding;

    public SummaryPipeline(LoadedBundle bundle)
    {
        var config = bundle.Config;
        Tokenizer = bundle.Tokenizer;
        Encoder = bundle.Encoder;
        Decoder = bundle.Decoder;
        Selector = bundle.Selector;
        SummaryBuilder = new SummaryBuilder(bundle.Tokenizer);
        _grounding = new(() => GroundingVocabulary.From(bundle.Tokenizer));
        Model = new ModelInfo
        {
            Name = config.Name,
            BundleVersion = config.BundleVersion,
            Config = config.Model,
            EncoderLayers = bundle.EncoderLayers,
            Parameters = config.Parameters,
            Defaults = config.Defaults,
            Selector = config.Selector,
            Card = config.Card,
        };
    }

    /// <summary>The bundle's card, limits and defaults.</summary>
    public ModelInfo Model { get; }

    /// <summary>The encoder's WordPiece tokenizer.</summary>
    public BertWordPieceTokenizer Tokenizer { get; }

    /// <summary>The pretrained ONNX encoder.</summary>
    public OnnxEncoder Encoder { get; }

    /// <summary>The native decoder.</summary>
    public TransformerDecoder Decoder { get; }

    /// <summary>The sentence selector, when the bundle has one.</summary>
    public SentenceSelector? Selector { get; }

    /// <summary>Generated ids → summary text and tokens.</summary>
    public SummaryBuilder SummaryBuilder { get; }

    /// <summary>Grounded decoding's vocabulary side, built on first use.</summary>
    public GroundingVocabulary Grounding => _grounding.Value;

    /// <summary>Text → the source tokenization every mode reads (at most max_src_len tokens).</summary>
    /// <exception cref="UnsummarizableTextException">The text is empty or has no words the model can read.</exception>
    public SourceTokenization Tokenize(string text)
    {
        var clock = Stopwatch.StartNew();
        if (string.IsNullOrWhiteSpace(text))
            throw new UnsummarizableTextException("The text to summarize must not be empty.");
        var normalized = TextNormalizer.Normalize(text);
        var (ids, tokens) = Tokenizer.EncodeWords(normalized);
        if (ids.Length == 0)
            throw new UnsummarizableTextException("The text has no words to summarize.");
        return new SourceTokenization(normalized, ids, tokens, Math.Min(ids.Length, Model.Config.MaxSourceLength),
            clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Refuses a tokenization made by a summarizer that reads more tokens than this one.</summary>
    /// <exception cref="ArgumentException">It does (ParamName <c>source</c>).</exception>
    public void ThrowIfForeign(SourceTokenization source)
    {
        if (source.Tokens.Count > Model.Config.MaxSourceLength)
            throw new ArgumentException("The tokenization was made by a summarizer that reads more tokens than this one.", nameof(source));
    }

    /// <summary>
    /// The encoder over the read tokens, timed from here, then the source's sentences. Checks
    /// <paramref name="cancellationToken"/> after encoding.
    /// </summary>
    public EncodedSource Encode(SourceTokenization source, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var memory = Encoder.Encode(source.AllIds.AsSpan(0, source.Tokens.Count));
        var encodeMs = total.Elapsed.TotalMilliseconds;
        cancellationToken.ThrowIfCancellationRequested();
        var sentences = SentenceProvenance.SourceSentences(source.Normalized.Original, source.Tokens);
        return new EncodedSource(source, memory, total, encodeMs, sentences);
    }

    /// <summary>The selector's scores of the read sentences: the extractive mode's and content selection's one path to it.</summary>
    /// <param name="encoded">The encoded source.</param>
    /// <param name="without">What the model cannot do without a selector, for the exception's message.</param>
    /// <exception cref="NotSupportedException">The bundle has no sentence selector.</exception>
    public SentenceScores Score(EncodedSource encoded, string without)
    {
        if (Selector is null)
            throw new NotSupportedException($"The model '{Model.Name}' has no sentence selector, so {without}.");
        var ranges = SentenceTokenRange.Of(encoded.Sentences, encoded.Source.Tokens);
        var (logits, attention) = Selector.Score(encoded.Memory, encoded.Length, ranges);
        return new SentenceScores(ranges, logits, attention);
    }
}
