using System.Diagnostics;
using System.Globalization;

namespace Summarizer.Benchmarks;

/// <summary>
/// The <see cref="DecoderStepBenchmarks"/> steps round-robin, with the roofline (<c>--step [samples] [steps per sample]
/// [--bundle DIR] [--articles FILE]</c>). One sample is a block of calls of one arm, and the arms of a phase take turns,
/// so the load of the shared machine falls on all of them alike and the ratios of their medians hold even when absolute
/// times swing. Three phases: the native and the ONNX Runtime step at 1 and 4 rows (the ratios); the native step with
/// its stages on their own (<see cref="DecoderStageReplica"/>); one thread reading and copying 16, 32 and 1,024 MB
/// buffers (<see cref="MemoryBandwidthBenchmarks"/>), the bandwidth each part's bytes (<see cref="DecoderStepTraffic"/>)
/// are divided by (a phase of its own: the 1,024 MB buffers flush the caches). A stage timed alone may find its weights still cached from its previous call; in a step the stages
/// follow one another, so "step − Σ stages" is the step's remaining work (embedding, copy mixture, log-probs) plus what
/// running them together costs in cache misses. Managed bytes allocated per step are counted on the measuring thread
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), exactly, where BenchmarkDotNet's in-process count takes the
/// whole process.
/// </summary>
internal static class DecoderStepRoundRobin
{
    /// <summary>Runs the arms and prints three tables: the steps, the bandwidths, the roofline.</summary>
    public static void Run(string[] args)
    {
        var (positional, bundles, articles) = EndToEndLatency.SplitOptions(args);
        var bundle = EndToEndLatency.OneBundle(bundles);
        var samples = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 30;
        var block = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 20;
        if (samples < 1 || block < 1 || positional.Length > 2)
            throw new ArgumentException("Usage: --step [samples >= 1] [steps per sample >= 1] [--bundle DIR] [--articles FILE]", nameof(args));

        var steps = new[] { 1, 4 }.Select(rows => new DecoderStepBenchmarks { Rows = rows, Bundle = bundle, Articles = articles }).ToArray();
        var stepArms = new List<Arm>();
        foreach (var step in steps)
        {
            step.Setup();
            stepArms.Add(new(step.Rows, "native step", block, step.Native));
            stepArms.Add(new(step.Rows, $"native step as shipped (int8: {step.ShippedQuantization})", block, step.NativeAsShipped));
            stepArms.Add(new(step.Rows, "ONNX Runtime step", block, step.OnnxRuntime));
        }
        // Three phases, each round-robin within: the steps alone (their ratio), the native step with its stages (the
        // roofline's times), the buffers (its rates; the 1,024 MB ones would flush the caches between the other arms).
        Console.WriteLine($"{samples} samples per arm after 3 warm-up samples ({block} calls per sample, 1 for the 1,024 MB buffers), arms round-robin within each phase; {Environment.ProcessorCount} processors");
        RoundRobin("steps", stepArms, samples);

        var stageArms = new List<Arm>();
        foreach (var step in steps)
        {
            var replica = step.CreateStageReplica();
            stageArms.AddRange(new Arm[]
            {
                new(step.Rows, "native step", block, step.Native),
                new(step.Rows, "self-attention", block, replica.SelfAttention), new(step.Rows, "cross-attention", block, replica.CrossAttention),
                new(step.Rows, "feed-forward", block, replica.FeedForward), new(step.Rows, "shortlist projection", block, replica.OutputProjection),
            });
        }
        RoundRobin("native step and its stages", stageArms, samples);

        var bufferArms = new List<Arm>();
        var buffers = new[] { 16, 32, 1024 }.Select(mb => new MemoryBandwidthBenchmarks { MegaBytes = mb }).ToArray();
        foreach (var buffer in buffers)
        {
            buffer.Setup();
            var calls = buffer.MegaBytes >= 1024 ? 1 : block;
            bufferArms.Add(new(buffer.MegaBytes, "read", calls, buffer.Read));
            bufferArms.Add(new(buffer.MegaBytes, "copy", calls, buffer.Copy));
        }
        RoundRobin("buffers", bufferArms, samples);

        Console.WriteLine();
        Console.WriteLine("| rows | step | p50 μs | mean μs | min μs | p50 ratio ORT / native | allocated B / step |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var rows in new[] { 1, 4 })
        {
            var native = stepArms.Single(a => a.Rows == rows && a.Name == "native step");
            foreach (var arm in stepArms.Where(a => a.Rows == rows))
                Print($"| {rows} | {arm.Name} | {arm.P50:F0} | {arm.Mean:F0} | {arm.Min:F0} | {arm.P50 / native.P50:F2} | {arm.AllocatedPerCall:F0} |");
        }

        Console.WriteLine();
        Console.WriteLine("| buffer | read GB/s (p50) | read GB/s (best) | copy GB/s (p50, read + write) |");
        Console.WriteLine("|---:|---:|---:|---:|");
        double ReadRate(int mb) => mb * 1e-3 / (bufferArms.Single(a => a.Rows == mb && a.Name == "read").P50 * 1e-6);
        foreach (var mb in buffers.Select(b => b.MegaBytes))
        {
            var (read, copy) = (bufferArms.Single(a => a.Rows == mb && a.Name == "read"), bufferArms.Single(a => a.Rows == mb && a.Name == "copy"));
            Print($"| {mb:N0} MB | {ReadRate(mb):F1} | {mb * 1e-3 / (read.Min * 1e-6):F1} | {2 * mb * 1e-3 / (copy.P50 * 1e-6):F1} |");
        }

        // The bound of each part: its bytes at the read rate of the buffer nearest its working set (16 MB: the native step's
        // weights as halves; 32 MB: ONNX Runtime's, fp32), which the caches may partly hold between steps; and at main memory's.
        var (cached, onnxCached, main) = (ReadRate(16), ReadRate(32), ReadRate(1024));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Bounds: bytes / read rate; native parts at the 16 MB rate ({cached:F1} GB/s), ONNX Runtime at the 32 MB rate ({onnxCached:F1} GB/s); main memory {main:F1} GB/s."));
        Console.WriteLine("| rows | part | MB / step | bound μs | bound μs, main memory | p50 μs | p50 / bound |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var step in steps)
        {
            var (rows, traffic, weightBytes) = (step.Rows, step.Traffic, step.NativeWeightBytes);
            var native = stageArms.Single(a => a.Rows == rows && a.Name == "native step");
            var onnx = stepArms.Single(a => a.Rows == rows && a.Name == "ONNX Runtime step");
            Bound(rows, "**native step**", traffic.Bytes(weightBytes), cached, native.P50);
            var stageSum = 0.0;
            string[] replicas = ["self-attention", "cross-attention", "feed-forward", "shortlist projection"];
            for (var i = 0; i < traffic.Stages.Count; i++)
            {
                var stage = traffic.Stages[i];
                var time = i < replicas.Length ? stageArms.Single(a => a.Rows == rows && a.Name == replicas[i]).P50 : native.P50 - stageSum;
                stageSum += time;
                Bound(rows, $"  {stage.Name}{(i < replicas.Length ? "" : ", and the stages' cache misses in one step: step − Σ stages above")}", stage.Bytes(weightBytes), cached, time);
            }
            Bound(rows, "**ONNX Runtime step**", traffic.OnnxRuntimeBytes, onnxCached, onnx.P50);
        }

        void Bound(int rows, string part, long bytes, double rate, double p50) =>
            Print($"| {rows} | {part} | {bytes / 1e6:F2} | {bytes / (rate * 1e3):F0} | {bytes / (main * 1e3):F0} | {p50:F0} | {p50 / (bytes / (rate * 1e3)):F2} |");

        foreach (var step in steps)
            step.Cleanup();
    }

    // Samples every arm in turn, samples times after 3 warm-up rounds.
    private static void RoundRobin(string phase, List<Arm> arms, int samples)
    {
        var before = EndToEndLatency.LoadAverage();
        for (var sample = -3; sample < samples; sample++)
            foreach (var arm in arms)
                arm.Sample(record: sample >= 0);
        Console.WriteLine($"{phase}: load average {before} before, {EndToEndLatency.LoadAverage()} after");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    // One arm: a callable timed in blocks of Calls calls; Rows is the row count (or the buffer's MB).
    private sealed class Arm(int rows, string name, int calls, Func<float> call)
    {
        private readonly List<double> _microseconds = [];
        private long _allocated;

        public int Rows => rows;

        public string Name => name;

        public double P50 => EndToEndLatency.Percentile(_microseconds, 50);

        public double Mean => _microseconds.Average();

        public double Min => _microseconds.Min();

        public double AllocatedPerCall => (double)_allocated / (_microseconds.Count * calls);

        public void Sample(bool record)
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < calls; i++)
                call();
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
            if (!record)
                return;
            _allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
            _microseconds.Add(elapsed);
        }
    }
}
