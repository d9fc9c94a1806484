using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Summarizer.Benchmarks;

/// <summary>
/// Short in-process job for the attention benchmarks: the machine is a busy, shared 2-core box, so read the ratio to the
/// scalar comparator measured in the same run, not the absolute times.
/// </summary>
internal sealed class AttentionBenchmarkConfig : ManualConfig
{
    public AttentionBenchmarkConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(12).WithLaunchCount(1));
}
