using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Summarizer.Benchmarks;

/// <summary>
/// Short in-process job for the attention benchmarks: the machine is a busy, shared 2-core box, so read the ratio to the
/// scalar comparator measured in the same run, not the absolute times. In-process, the Allocated column counts the whole
/// process (BenchmarkDotNet's and the JIT's threads too); run with DOTNET_TieredCompilation=0 to keep background tier-up out of it.
/// </summary>
internal sealed class AttentionBenchmarkConfig : ManualConfig
{
    public AttentionBenchmarkConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(12).WithLaunchCount(1)
            .WithMinIterationTime(TimeInterval.FromMilliseconds(200)));
}
