using System.Diagnostics;
using System.Globalization;
using Summarizer.Attention;
using Summarizer.Inference;
using Summarizer.Inference.Text;

namespace Summarizer.Benchmarks;

/// <summary>
/// Latency percentiles of whole summaries in one process (<c>--latency [runs] [warm-up runs] [encoder threads, or
/// E/D with D decoder threads, comma separated] [--bundle DIR]... [--articles FILE]</c>): the <see cref="EndToEndBenchmarks"/> work (a ~400-word article, a
/// fixed summary length; text in, summary out, the ONNX encoder included), greedy and beam 4 at each ONNX Runtime
/// intra-op thread count, on any bundle (default the tiny fixture; see <see cref="EndToEndBenchmarkConfig"/>) or on
/// several side by side (--bundle given more than once, e.g. the fp32 and the int8 encoder). Arms run round-robin, so
/// load changes on the shared machine hit all arms alike. Percentiles interpolate linearly between order statistics
/// (NumPy's default).
/// </summary>
internal static class EndToEndLatency
{
    private static (int Encoder, int Decoder) ParseThreads(string entry)
    {
        var parts = entry.Split('/');
        var encoder = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return parts.Length == 1 ? (encoder, 1) : (encoder, int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Runs the measurement and prints one table row per arm, with the stage medians.</summary>
    public static void Run(string[] args)
    {
        var (positional, bundleArguments, articles) = SplitOptions(args);
        var runs = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 30;
        var warmup = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 5;
        // Each entry is "E" (ONNX Runtime threads E, one decoder thread) or "E/D" (D decoder threads: 2 lets a summary alone
        // in the process share its int8 products with the second core, as the service does by default).
        var threadCounts = positional.Length > 2 ? positional[2].Split(',').Select(ParseThreads).ToArray() : [(1, 1), (2, 1)];
        if (runs < 1 || warmup < 0 || threadCounts.Length == 0 || positional.Length > 3)
            throw new ArgumentException("Usage: --latency [runs >= 1] [warm-up runs >= 0] [threads,threads...] [--bundle DIR]... [--articles FILE]", nameof(args));

        // Several --bundle DIRs (e.g. fp32 and int8 encoders) are measured in the same run, each at every thread count.
        var bundles = bundleArguments.Count > 0 ? bundleArguments.Select(b => EndToEndBenchmarkConfig.FindBundle(b)).ToArray() : [EndToEndBenchmarkConfig.FindBundle()];
        var article = EndToEndBenchmarkConfig.LoadArticle(articles);
        var arms = new List<(string Name, TransformerSummarizer Summarizer, DecodingOptions Options)>();
        foreach (var bundle in bundles)
            foreach (var (threads, decoderThreads) in threadCounts)
            {
                var summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = threads, DecoderThreads = decoderThreads });
                var (greedy, beam) = EndToEndBenchmarks.Options(summarizer);
                var prefix = bundles.Length > 1 ? $"{bundle}: " : "";
                var suffix = decoderThreads > 1 ? $", decoder threads {decoderThreads}" : "";
                arms.Add(($"{prefix}Greedy, ORT threads {threads}{suffix}", summarizer, greedy));
                arms.Add(($"{prefix}Beam 4, ORT threads {threads}{suffix}", summarizer, beam));
            }
        var first = arms[0].Summarizer.Summarize(article, arms[0].Options);
        Console.WriteLine($"bundle {string.Join(", ", bundles)}: {arms[0].Summarizer.Model.Parameters:N0} parameters; article {article.Split(' ').Length} words " +
            $"-> {first.InputTokenCount} tokens ({first.SourceTokens.Count} read); {first.SummaryTokens.Count} generated tokens per summary; " +
            $"{runs} runs per arm after {warmup} warm-up runs; {Environment.ProcessorCount} processors; load average {LoadAverage()}");

        var totals = arms.Select(_ => new List<double>()).ToArray();
        var stages = arms.Select(_ => new List<SummaryTimings>()).ToArray();
        for (var run = -warmup; run < runs; run++)
            for (var a = 0; a < arms.Count; a++)
            {
                var clock = Stopwatch.StartNew();
                var result = arms[a].Summarizer.Summarize(article, arms[a].Options);
                var ms = clock.Elapsed.TotalMilliseconds;
                if (result.SummaryTokens.Count != arms[a].Options.MaxLength)
                    throw new InvalidOperationException($"{arms[a].Name}: {result.SummaryTokens.Count} tokens, expected {arms[a].Options.MaxLength}.");
                if (run < 0)
                    continue;
                totals[a].Add(ms);
                stages[a].Add(result.Timings);
            }

        Console.WriteLine($"load average after: {LoadAverage()}");
        Console.WriteLine("| Arm | p50 ms | p90 ms | p99 ms | mean ms | min ms | tokenize p50 | encoder p50 | decode+search p50 | p50 ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var baseline = Percentile(totals[0], 50);
        for (var a = 0; a < arms.Count; a++)
        {
            var t = totals[a];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {arms[a].Name} | {Percentile(t, 50):F1} | {Percentile(t, 90):F1} | {Percentile(t, 99):F1} | {t.Average():F1} | {t.Min():F1} | " +
                $"{Percentile(stages[a].Select(s => s.TokenizeMs), 50):F1} | {Percentile(stages[a].Select(s => s.EncodeMs), 50):F1} | " +
                $"{Percentile(stages[a].Select(s => s.DecodeMs), 50):F1} | {Percentile(t, 50) / baseline:F2} |"));
        }
        foreach (var summarizer in arms.Select(a => a.Summarizer).Distinct())
            summarizer.Dispose();
    }

    /// <summary>
    /// Where a summary's time goes (<c>--profile [runs] [--bundle DIR] [--articles FILE]</c>, encoder threads from
    /// SUMMARIZER_BENCH_THREADS): medians of
    /// the encoder call, the decoder state set-up (cross-attention K/V of every layer), 60 bare decoder steps at 1 and
    /// 4 rows, and the shortlist projection h·W_outᵀ alone (same shapes, random W_out) with the decoder's
    /// <see cref="PackedLinear"/> and with the torch-layout <see cref="Linear"/>. Stages run round-robin.
    /// </summary>
    public static void Profile(string[] args)
    {
        var (positional, bundleArguments, articles) = SplitOptions(args);
        var runs = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 15;
        var bundle = EndToEndBenchmarkConfig.FindBundle(OneBundle(bundleArguments));
        using var summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = EndToEndBenchmarks.EncoderThreads() });
        var model = summarizer.Model;
        var (allIds, _) = summarizer.Tokenizer.EncodeWords(TextNormalizer.Normalize(EndToEndBenchmarkConfig.LoadArticle(articles)));
        var source = allIds[..Math.Min(allIds.Length, model.Config.MaxSourceLength)];
        var steps = Math.Min(EndToEndBenchmarks.SummaryTokens, model.Config.MaxTargetLength);
        var memory = summarizer.Encoder.Encode(source);
        int d = model.Config.DModel, v = summarizer.Decoder.Config.ShortlistSize; // the output projection is over the generation shortlist
        var outWeight = new float[v * d];
        var random = new Random(1);
        for (var i = 0; i < outWeight.Length; i++)
            outWeight[i] = (float)(random.NextDouble() - 0.5) * 0.04f;
        var packed = new PackedLinear(outWeight, v, d);
        var h = new float[4 * d];
        var logits = new float[4 * v];

        var stages = new (string Name, Action Run)[]
        {
            ("encoder (1 ONNX Runtime call)", () => summarizer.Encoder.Encode(source)),
            ("CreateState, 1 row (cross K/V of all layers)", () => summarizer.Decoder.CreateState(memory, source, 1)),
            ("CreateState, 4 rows", () => summarizer.Decoder.CreateState(memory, source, 4)),
            ($"{steps} decoder steps, 1 row (incl. projection)", () => Steps(summarizer, memory, source, 1, steps)),
            ($"{steps} decoder steps, 4 rows (incl. projection)", () => Steps(summarizer, memory, source, 4, steps)),
            ($"{steps} x shortlist projection h·W_outᵀ alone, PackedLinear (the decoder's), 1 row", () => { for (var t = 0; t < steps; t++) packed.Forward(h.AsSpan(0, d), default, logits.AsSpan(0, v), 1); }),
            ($"{steps} x shortlist projection h·W_outᵀ alone, PackedLinear (the decoder's), 4 rows", () => { for (var t = 0; t < steps; t++) packed.Forward(h, default, logits, 4); }),
            ($"{steps} x shortlist projection h·W_outᵀ alone, Linear (torch layout), 1 row", () => { for (var t = 0; t < steps; t++) Linear.Forward(h.AsSpan(0, d), outWeight, default, logits.AsSpan(0, v), 1, d, v); }),
            ($"{steps} x shortlist projection h·W_outᵀ alone, Linear (torch layout), 4 rows", () => { for (var t = 0; t < steps; t++) Linear.Forward(h, outWeight, default, logits, 4, d, v); }),
        };
        var times = stages.Select(_ => new List<double>()).ToArray();
        for (var run = -2; run < runs; run++)
            for (var i = 0; i < stages.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                stages[i].Run();
                if (run >= 0)
                    times[i].Add(clock.Elapsed.TotalMilliseconds);
            }
        Console.WriteLine($"source {source.Length} tokens, {runs} runs, encoder threads {EndToEndBenchmarks.EncoderThreads()}, load average {LoadAverage()}");
        Console.WriteLine("| Stage | p50 ms | min ms |");
        Console.WriteLine("|---|---:|---:|");
        for (var i = 0; i < stages.Length; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stages[i].Name} | {Percentile(times[i], 50):F1} | {times[i].Min():F1} |"));
    }

    /// <summary>
    /// The summary modes side by side (<c>--modes [runs] [warm-up runs] [--bundle DIR] [--articles FILE]</c>, encoder
    /// threads from SUMMARIZER_BENCH_THREADS): the extractive mode (tokenize, encode, select), the abstractive mode with the
    /// bundle's defaults, and with content selection (selectSentences 3) when the bundle has a selector, round-robin on the
    /// same ~400-word article; p50 ratios against the abstractive defaults.
    /// </summary>
    public static void Modes(string[] args)
    {
        var (positional, bundleArguments, articles) = SplitOptions(args);
        var runs = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 30;
        var warmup = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 3;
        var bundle = EndToEndBenchmarkConfig.FindBundle(OneBundle(bundleArguments));
        var article = EndToEndBenchmarkConfig.LoadArticle(articles);
        using var summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = EndToEndBenchmarks.EncoderThreads() });
        var defaults = summarizer.Model.Defaults;
        var selector = summarizer.Model.Selector ?? throw new InvalidOperationException($"{bundle} has no sentence selector.");
        var arms = new List<(string Name, Func<SummaryResult> Run)>
        {
            ($"abstractive, the bundle's defaults (beam {defaults.NumBeams}, grounded {defaults.Grounded}, selectSentences {defaults.SelectSentences})", () => summarizer.Summarize(article, defaults)),
            ("abstractive, selectSentences 3", () => summarizer.Summarize(article, defaults with { SelectSentences = 3 })),
            ("abstractive, whole text (selectSentences 0)", () => summarizer.Summarize(article, defaults with { SelectSentences = 0 })),
            ($"extractive, {selector.SentenceCount} sentences", () => summarizer.Extract(summarizer.TokenizeSource(article), new ExtractiveOptions(selector.SentenceCount))),
        };
        var totals = arms.Select(_ => new List<double>()).ToArray();
        for (var run = -warmup; run < runs; run++)
            for (var a = 0; a < arms.Count; a++)
            {
                var clock = Stopwatch.StartNew();
                arms[a].Run();
                if (run >= 0)
                    totals[a].Add(clock.Elapsed.TotalMilliseconds);
            }
        Console.WriteLine($"bundle {bundle}; article {article.Split(' ').Length} words; {runs} runs per arm after {warmup} warm-up runs; " +
            $"encoder threads {EndToEndBenchmarks.EncoderThreads()}; {Environment.ProcessorCount} processors; load average {LoadAverage()}");
        Console.WriteLine("| Arm | p50 ms | p90 ms | p99 ms | p50 / abstractive defaults |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var baseline = Percentile(totals[0], 50);
        for (var a = 0; a < arms.Count; a++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {arms[a].Name} | {Percentile(totals[a], 50):F1} | {Percentile(totals[a], 90):F1} | {Percentile(totals[a], 99):F1} | {Percentile(totals[a], 50) / baseline:F2} |"));
    }

    /// <summary>The positional arguments, and the values of --bundle DIR (repeatable) and --articles FILE (anywhere on the line).</summary>
    internal static (string[] Positional, List<string> Bundles, string? Articles) SplitOptions(string[] args)
    {
        var positional = new List<string>();
        var bundles = new List<string>();
        string? articles = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--bundle" or "--articles")
            {
                if (i + 1 >= args.Length)
                    throw new ArgumentException($"{args[i]} needs a value.", nameof(args));
                if (args[i] == "--bundle")
                    bundles.Add(args[++i]);
                else
                    articles = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        return ([.. positional], bundles, articles);
    }

    /// <summary>The one --bundle DIR of a mode that measures a single bundle (null: the default).</summary>
    internal static string? OneBundle(List<string> bundles) =>
        bundles.Count <= 1 ? bundles.FirstOrDefault() : throw new ArgumentException("This mode measures one bundle: give --bundle once.", nameof(bundles));

    private static void Steps(TransformerSummarizer summarizer, float[] memory, int[] source, int rows, int steps)
    {
        var state = summarizer.Decoder.CreateState(memory, source, rows);
        var tokens = Enumerable.Range(10, rows).ToArray();
        for (var t = 0; t < steps; t++)
            state.Step(tokens, t);
    }

    /// <summary>The p-th percentile (0..100), linear between closest ranks.</summary>
    internal static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>The 1, 5 and 15-minute load averages, or n/a.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
