using System.Diagnostics;
using System.Globalization;

namespace Summarizer.Benchmarks;

/// <summary>
/// The <see cref="DecoderStepBenchmarks"/> steps round-robin (<c>--step [samples] [steps per sample] [--bundle DIR]
/// [--articles FILE]</c>): one sample is a block of steps of one arm (native or ONNX Runtime, 1 or 4 rows), and the four
/// arms take turns, so the load of the shared machine falls on all of them alike and the ratios of their medians hold
/// even when the absolute times swing. Managed bytes allocated per step are counted on the measuring thread
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), exactly, where BenchmarkDotNet's in-process count takes the
/// whole process.
/// </summary>
internal static class DecoderStepRoundRobin
{
    /// <summary>Runs the arms and prints a table: per-step p50, mean and min per arm, the ratios, bytes allocated per step.</summary>
    public static void Run(string[] args)
    {
        var (positional, bundles, articles) = EndToEndLatency.SplitOptions(args);
        var bundle = EndToEndLatency.OneBundle(bundles);
        var samples = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 30;
        var block = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 20;
        if (samples < 1 || block < 1 || positional.Length > 2)
            throw new ArgumentException("Usage: --step [samples >= 1] [steps per sample >= 1] [--bundle DIR] [--articles FILE]", nameof(args));

        var benchmarks = new[] { 1, 4 }.Select(rows => new DecoderStepBenchmarks { Rows = rows, Bundle = bundle, Articles = articles }).ToArray();
        foreach (var benchmark in benchmarks)
            benchmark.Setup();
        var arms = benchmarks.SelectMany(b => new (string Name, int Rows, Func<float> Step)[]
        {
            ("native", b.Rows, b.Native), ("ONNX Runtime", b.Rows, b.OnnxRuntime),
        }).ToArray();
        Console.WriteLine($"{samples} samples of {block} steps per arm after 3 warm-up samples, arms round-robin; {Environment.ProcessorCount} processors; load average {EndToEndLatency.LoadAverage()}");

        var times = arms.Select(_ => new List<double>()).ToArray(); // μs per step
        var allocated = new long[arms.Length];
        for (var sample = -3; sample < samples; sample++)
            for (var a = 0; a < arms.Length; a++)
            {
                var step = arms[a].Step;
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < block; i++)
                    step();
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds / block;
                if (sample < 0)
                    continue;
                allocated[a] += GC.GetAllocatedBytesForCurrentThread() - bytes;
                times[a].Add(elapsed);
            }

        Console.WriteLine($"load average after: {EndToEndLatency.LoadAverage()}");
        Console.WriteLine("| rows | arm | p50 μs | mean μs | min μs | p50 ratio ORT / native | allocated B / step |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        for (var a = 0; a < arms.Length; a++)
        {
            var native = EndToEndLatency.Percentile(times[a - a % 2], 50);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {arms[a].Rows} | {arms[a].Name} | {EndToEndLatency.Percentile(times[a], 50):F0} | {times[a].Average():F0} | {times[a].Min():F0} | " +
                $"{EndToEndLatency.Percentile(times[a], 50) / native:F2} | {(double)allocated[a] / ((long)samples * block):F0} |"));
        }
        foreach (var benchmark in benchmarks)
            benchmark.Cleanup();
    }
}
