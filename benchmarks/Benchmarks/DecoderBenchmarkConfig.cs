using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Summarizer.Benchmarks;

/// <summary>
/// Short in-process job for the decoder and end-to-end benchmarks (the machine is a busy, shared 2-core box: read the
/// ratio to the comparator measured in the same run). Run with DOTNET_TieredCompilation=0 so background tier-up stays
/// out of the Allocated column, which in-process counts the whole process.
/// </summary>
internal sealed class DecoderBenchmarkConfig : ManualConfig
{
    public DecoderBenchmarkConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1)
            .WithMinIterationTime(TimeInterval.FromMilliseconds(250)));

    /// <summary>tests/fixtures/tiny, found above the working directory or the binaries (or SUMMARIZER_BUNDLE).</summary>
    public static string FindBundle()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SUMMARIZER_BUNDLE");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return fromEnvironment;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "tiny");
                if (File.Exists(Path.Combine(candidate, "config.json")))
                    return candidate;
            }
        throw new DirectoryNotFoundException("tests/fixtures/tiny not found; run from the repository or set SUMMARIZER_BUNDLE.");
    }
}
