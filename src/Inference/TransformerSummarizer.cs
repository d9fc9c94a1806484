using System.Diagnostics;
using Summarizer.Inference.Decoder;
using Summarizer.Inference.Decoding;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference;

/// <summary>
/// The summarizer of a model bundle: text normalizer → SentencePiece → ONNX encoder → native decoder with greedy or
/// beam search → detokenizer, with attention maps. One instance per process; <see cref="Summarize"/> is thread-safe
/// (the encoder session and decoder weights are shared and immutable, every request owns its decoder state).
/// </summary>
public sealed class TransformerSummarizer : ISummarizer, IDisposable
{
    private readonly BundleConfig _config;
    private readonly BundleTokenizer _tokenizer;
    private readonly OnnxEncoder _encoder;
    private readonly TransformerDecoder _decoder;

    private TransformerSummarizer(BundleConfig config, BundleTokenizer tokenizer, OnnxEncoder encoder, TransformerDecoder decoder)
    {
        _config = config;
        _tokenizer = tokenizer;
        _encoder = encoder;
        _decoder = decoder;
        Model = new ModelInfo
        {
            Name = config.Name,
            BundleVersion = config.BundleVersion,
            VocabSize = config.Model.VocabSize,
            DModel = config.Model.DModel,
            HeadCount = config.Model.HeadCount,
            EncoderLayers = config.Model.EncoderLayers,
            DecoderLayers = config.Model.DecoderLayers,
            MaxSourceLength = config.Model.MaxSourceLength,
            MaxTargetLength = config.Model.MaxTargetLength,
            Parameters = config.Parameters,
            Defaults = config.Defaults,
            Card = config.Card,
        };
    }

    /// <inheritdoc />
    public ModelInfo Model { get; }

    /// <summary>The bundle's tokenizer.</summary>
    public BundleTokenizer Tokenizer => _tokenizer;

    /// <summary>The bundle's ONNX encoder.</summary>
    public OnnxEncoder Encoder => _encoder;

    /// <summary>The native decoder.</summary>
    public TransformerDecoder Decoder => _decoder;

    /// <summary>
    /// Loads a bundle directory (docs/DESIGN.md "Bundle"): config.json, tokenizer.model, encoder.onnx, decoder.safetensors.
    /// </summary>
    /// <exception cref="ModelBundleException">A file is missing or corrupt, or disagrees with config.json (the message names the file and field).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static TransformerSummarizer Load(string bundleDirectory, InferenceSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bundleDirectory);
        settings ??= new InferenceSettings();
        settings.Validate();
        if (!Directory.Exists(bundleDirectory))
            throw new ModelBundleException(bundleDirectory, null, "the bundle directory does not exist.");

        var config = BundleConfig.Load(bundleDirectory);
        var tokenizer = BundleTokenizer.Load(Path.Combine(bundleDirectory, config.TokenizerFile), config.Model);
        var weights = DecoderWeights.Load(SafeTensorsFile.Load(Path.Combine(bundleDirectory, config.DecoderFile)), config.Model);
        var encoder = OnnxEncoder.Load(Path.Combine(bundleDirectory, config.EncoderFile), config.Model, settings);
        return new TransformerSummarizer(config, tokenizer, encoder, new TransformerDecoder(weights));
    }

    /// <inheritdoc />
    public SourceTokenization TokenizeSource(string text)
    {
        var (_, ids, tokens) = Tokenize(text);
        var sourceLength = Math.Min(ids.Length, _config.Model.MaxSourceLength);
        return new SourceTokenization(tokens[..sourceLength], ids.Length > sourceLength, ids.Length);
    }

    // Text → normalized words → model tokens, each with its span in the input.
    private (NormalizedText Normalized, int[] Ids, SourceToken[] Tokens) Tokenize(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentException("The text to summarize must not be empty.", nameof(text));
        var normalized = TextNormalizer.Normalize(text);
        var (ids, tokens) = _tokenizer.EncodeWords(normalized);
        if (ids.Length == 0)
            throw new ArgumentException("The text has no words to summarize.", nameof(text));
        return (normalized, ids, tokens);
    }

    /// <inheritdoc />
    public SummaryResult Summarize(string text, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        DecodingOptionsValidator.ThrowIfInvalid(options, Model.MaxTargetLength);
        if (!Enum.IsDefined(attention))
            throw new ArgumentOutOfRangeException(nameof(attention), attention, "Unknown attention detail.");
        cancellationToken.ThrowIfCancellationRequested();
        var model = _config.Model;
        var total = Stopwatch.StartNew();

        var (normalized, allIds, allTokens) = Tokenize(text);
        var sourceLength = Math.Min(allIds.Length, model.MaxSourceLength);
        var sourceIds = allIds.AsSpan(0, sourceLength);
        var tokenizeMs = total.Elapsed.TotalMilliseconds;

        var memory = _encoder.Encode(sourceIds);
        var encodeMs = total.Elapsed.TotalMilliseconds - tokenizeMs;
        cancellationToken.ThrowIfCancellationRequested();

        var state = _decoder.CreateState(memory, sourceIds, options.NumBeams, attention == AttentionDetail.Full);
        TokenCallback? callback = onToken is null ? null : (index, id, copyProbability, weights) =>
            onToken(new StreamedToken(index, id, (_tokenizer.StartsWord(id) ? " " : "") + _tokenizer.PieceText(id), copyProbability, weights));
        var search = options.NumBeams == 1
            ? GreedySearch.Run(state, options, model.BosId, model.EosId, callback, cancellationToken)
            : BeamSearch.Run(state, options, model.BosId, model.EosId, callback, cancellationToken);
        var decodeMs = total.Elapsed.TotalMilliseconds - tokenizeMs - encodeMs;

        var (summary, summaryTokens) = BuildSummary(search, normalized);
        return new SummaryResult
        {
            Summary = summary,
            SourceTokens = allTokens[..sourceLength],
            SummaryTokens = summaryTokens,
            Attention = attention == AttentionDetail.None ? null : BuildAttention(search, sourceLength, attention == AttentionDetail.Full),
            Truncated = allIds.Length > sourceLength,
            InputTokenCount = allIds.Length,
            Options = options,
            Timings = new SummaryTimings(tokenizeMs, encodeMs, decodeMs, total.Elapsed.TotalMilliseconds),
        };
    }

    /// <summary>
    /// Pieces → words (a ▁ piece starts a word) → natural text via the source-aware detokenizer; each token gets its
    /// part of its word's span in the summary (the whole word when detokenizing changed the word's length).
    /// </summary>
    private (string Summary, SummaryToken[] Tokens) BuildSummary(SearchResult search, NormalizedText source)
    {
        var ids = search.Tokens;
        var words = new List<string>();
        var wordOf = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var piece = _tokenizer.PieceText(ids[i]);
            if (words.Count == 0 || _tokenizer.StartsWord(ids[i]))
                words.Add(piece);
            else
                words[^1] += piece;
            wordOf[i] = words.Count - 1;
        }
        var detokenized = Detokenizer.FromSource(source).Detokenize(words);
        var sourceWords = source.Words.Select(w => w.Text).ToHashSet(StringComparer.Ordinal);

        var tokens = new SummaryToken[ids.Length];
        for (int i = 0, first = 0; i < ids.Length; i = first)
        {
            var word = wordOf[i];
            var last = i;
            while (last + 1 < ids.Length && wordOf[last + 1] == word)
                last++;
            first = last + 1;

            var (start, end) = detokenized.WordSpans[word];
            var unsupported = IsUnsupported(words[word], search.CopyProbability.AsSpan(i, last - i + 1), sourceWords);
            var sameLength = end - start == words[word].Length;
            var offset = start;
            for (var t = i; t <= last; t++)
            {
                int tokenStart = start, tokenEnd = end;
                if (sameLength)
                {
                    tokenStart = offset;
                    tokenEnd = offset = Math.Min(offset + _tokenizer.PieceText(ids[t]).Length, end);
                }
                tokens[t] = new SummaryToken(ids[t], detokenized.Text[tokenStart..tokenEnd], tokenStart, tokenEnd,
                    search.CopyProbability[t], unsupported);
            }
        }
        return (detokenized.Text, tokens);
    }

    /// <summary>
    /// A word is unsupported when the decoder generated it rather than copied it (mean copy probability of its tokens
    /// &lt; 0.5) and it occurs nowhere among the source's normalized words. Words without a letter or digit
    /// (punctuation) are never flagged.
    /// </summary>
    internal static bool IsUnsupported(string word, ReadOnlySpan<float> copyProbabilities, IReadOnlySet<string> sourceWords)
    {
        if (!word.Any(char.IsLetterOrDigit) || copyProbabilities.IsEmpty)
            return false;
        float sum = 0;
        foreach (var p in copyProbabilities)
            sum += p;
        return sum / copyProbabilities.Length < 0.5f && !sourceWords.Contains(word.ToLowerInvariant());
    }

    private AttentionMaps BuildAttention(SearchResult search, int sourceLength, bool full)
    {
        var count = search.Tokens.Length;
        var weights = new float[count][];
        for (var t = 0; t < count; t++)
            weights[t] = search.CopyAttention.AsSpan(t * sourceLength, sourceLength).ToArray();
        float[][][][]? layers = null;
        if (full && search.LayerAttention is { } layered)
        {
            int layerCount = Model.DecoderLayers, heads = Model.HeadCount;
            layers = new float[layerCount][][][];
            for (var l = 0; l < layerCount; l++)
            {
                layers[l] = new float[heads][][];
                for (var h = 0; h < heads; h++)
                {
                    layers[l][h] = new float[count][];
                    for (var t = 0; t < count; t++)
                        layers[l][h][t] = layered.AsSpan(((t * layerCount + l) * heads + h) * sourceLength, sourceLength).ToArray();
                }
            }
        }
        return new AttentionMaps { Weights = weights, Layers = layers };
    }

    /// <inheritdoc />
    public void Dispose() => _encoder.Dispose();
}
