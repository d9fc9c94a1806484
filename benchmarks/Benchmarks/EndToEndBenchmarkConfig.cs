using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Summarizer.Evaluation;
using Summarizer.Inference.Text;

namespace Summarizer.Benchmarks;

/// <summary>
/// Short in-process job for the end-to-end and decoder-step benchmarks (the machine is a busy, shared 2-core box: read the ratio to the
/// comparator measured in the same run), and the bundle and article they measure. Run with DOTNET_TieredCompilation=0 so
/// background tier-up stays out of the Allocated column, which in-process counts the whole process.
/// </summary>
internal sealed class EndToEndBenchmarkConfig : ManualConfig
{
    /// <summary>Words of the benchmark article (a ~400-word news story).</summary>
    public const int ArticleWords = 400;

    /// <summary>The tiny test bundle, relative to the repository root.</summary>
    public const string TinyBundle = "tests/fixtures/tiny";

    /// <summary>The shipped bundle, relative to the repository root.</summary>
    public const string ShippedBundle = "models/arcticxs-copy";

    /// <summary>The data the article comes from by default, relative to the repository's parent (DESIGN.md "Text form").</summary>
    private static readonly string DefaultArticles = Path.Combine("shared", "data", "cnndm", "val.jsonl.xz");

    public EndToEndBenchmarkConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1)
            .WithMinIterationTime(TimeInterval.FromMilliseconds(250)));

    /// <summary>
    /// The bundle to measure: <paramref name="bundle"/> (a <c>--bundle DIR</c> argument) when given, else
    /// SUMMARIZER_BENCH_BUNDLE (or SUMMARIZER_BUNDLE), else <paramref name="fallback"/> (default tests/fixtures/tiny) found
    /// above the working directory or the binaries. Any bundle works: the tiny fixture or a shipped model (models/...).
    /// </summary>
    public static string FindBundle(string? bundle = null, string fallback = TinyBundle)
    {
        foreach (var (source, value) in new[]
        {
            ("--bundle", bundle), ("SUMMARIZER_BENCH_BUNDLE", Environment.GetEnvironmentVariable("SUMMARIZER_BENCH_BUNDLE")),
            ("SUMMARIZER_BUNDLE", Environment.GetEnvironmentVariable("SUMMARIZER_BUNDLE")),
        })
        {
            if (string.IsNullOrEmpty(value))
                continue;
            if (!File.Exists(Path.Combine(value, "config.json")))
                throw new DirectoryNotFoundException($"{source} {value} is not a bundle directory (no config.json).");
            return value;
        }
        return Above(Path.Combine(fallback, "config.json")) is { } config
            ? Path.GetDirectoryName(config)!
            : throw new DirectoryNotFoundException($"{fallback} not found; run from the repository, pass --bundle DIR or set SUMMARIZER_BENCH_BUNDLE.");
    }

    /// <summary>
    /// The benchmark article as natural text, its first <see cref="ArticleWords"/> words (as a reader counts them:
    /// whitespace-separated, punctuation attached): the first article that long of <paramref name="articles"/> (a
    /// <c>--articles FILE</c> argument), else of SUMMARIZER_BENCH_ARTICLES, else of ../shared/data/cnndm/val.jsonl.xz found
    /// above the working directory or the binaries — cnndm JSON Lines rows (.jsonl, or .jsonl.xz read through <c>xz</c>).
    /// The data is lower-cased and PTB-tokenized, so it is turned back into natural text first: the summarizer then
    /// normalizes it as it would a user's text. The article does not depend on the bundle, so every model is measured on
    /// the same text.
    /// </summary>
    public static string LoadArticle(string? articles = null)
    {
        articles = !string.IsNullOrEmpty(articles) ? articles
            : Environment.GetEnvironmentVariable("SUMMARIZER_BENCH_ARTICLES") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : Above(DefaultArticles)
              ?? throw new FileNotFoundException($"No articles: pass --articles FILE or set SUMMARIZER_BENCH_ARTICLES (cnndm JSON Lines, e.g. ../{DefaultArticles}).");
        foreach (var row in EvaluationDataReader.ReadFile(articles))
        {
            var words = row.Article.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var natural = Detokenizer.Plain.Detokenize(words).Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (natural.Length >= ArticleWords)
                return string.Join(' ', natural.Take(ArticleWords));
        }
        throw new InvalidDataException($"No article of {ArticleWords} words or more in {articles}.");
    }

    /// <summary>The first existing file at <paramref name="relativePath"/> under the working directory, the binaries' folder or one of their parents.</summary>
    internal static string? Above(string relativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                    return candidate;
            }
        return null;
    }
}
