using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Summarizer.Inference.Text;

namespace Summarizer.Benchmarks;

/// <summary>
/// Short in-process job for the decoder and end-to-end benchmarks (the machine is a busy, shared 2-core box: read the
/// ratio to the comparator measured in the same run). Run with DOTNET_TieredCompilation=0 so background tier-up stays
/// out of the Allocated column, which in-process counts the whole process.
/// </summary>
internal sealed class DecoderBenchmarkConfig : ManualConfig
{
    /// <summary>Words of the benchmark article (a ~400-word news story).</summary>
    public const int ArticleWords = 400;

    public DecoderBenchmarkConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1)
            .WithMinIterationTime(TimeInterval.FromMilliseconds(250)));

    /// <summary>
    /// The bundle to measure: SUMMARIZER_BENCH_BUNDLE (or SUMMARIZER_BUNDLE), else tests/fixtures/tiny found above the
    /// working directory or the binaries.
    /// </summary>
    public static string FindBundle()
    {
        foreach (var variable in new[] { "SUMMARIZER_BENCH_BUNDLE", "SUMMARIZER_BUNDLE" })
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(fromEnvironment))
                continue;
            if (!File.Exists(Path.Combine(fromEnvironment, "config.json")))
                throw new DirectoryNotFoundException($"{variable}={fromEnvironment} is not a bundle directory (no config.json).");
            return fromEnvironment;
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "tiny");
                if (File.Exists(Path.Combine(candidate, "config.json")))
                    return candidate;
            }
        throw new DirectoryNotFoundException("tests/fixtures/tiny not found; run from the repository or set SUMMARIZER_BENCH_BUNDLE.");
    }

    /// <summary>
    /// The benchmark article as natural text, its first <see cref="ArticleWords"/> words (as a reader counts them:
    /// whitespace-separated, punctuation attached). With SUMMARIZER_BENCH_ARTICLES (a JSON Lines file with an "article"
    /// field, e.g. training/data/base/val.jsonl) the first article that long, else the bundle's parity.json sources
    /// joined (the tiny fixture). The data is lower-cased and PTB-tokenized, so it is turned back into natural text
    /// first: the summarizer then normalizes it as it would a user's text.
    /// </summary>
    public static string LoadArticle(string bundle)
    {
        IEnumerable<string[]> sources;
        var articles = Environment.GetEnvironmentVariable("SUMMARIZER_BENCH_ARTICLES");
        if (!string.IsNullOrEmpty(articles))
        {
            sources = File.ReadLines(articles)
                .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("article").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            var parity = Path.Combine(bundle, "parity.json");
            if (!File.Exists(parity))
                throw new FileNotFoundException($"{bundle} has no parity.json; set SUMMARIZER_BENCH_ARTICLES to a JSON Lines file of articles.");
            var cases = JsonNode.Parse(File.ReadAllText(parity))!["cases"]!.AsArray();
            sources = [[.. cases.SelectMany(c => ((string)c!["text"]!).Split(' ', StringSplitOptions.RemoveEmptyEntries))]];
        }
        foreach (var words in sources)
        {
            var natural = Detokenizer.Plain.Detokenize(words).Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (natural.Length >= ArticleWords)
                return string.Join(' ', natural.Take(ArticleWords));
        }
        throw new InvalidDataException($"No article of {ArticleWords} words or more in {articles ?? bundle}.");
    }
}
