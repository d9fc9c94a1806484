using BenchmarkDotNet.Attributes;
using Summarizer.Attention;
using Summarizer.Reference;

namespace Summarizer.Benchmarks;

/// <summary>
/// The decoder's largest product, the tied output projection: rows × 384 → 12000 vocabulary logits, no bias,
/// <see cref="Linear.Forward"/> against the shared scalar reference (a plain triple loop) in the same run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(AttentionBenchmarkConfig))]
public class AttentionLinearBenchmarks
{
    private const int InFeatures = 384, OutFeatures = 12000;
    private float[] x = null!, weight = null!, y = null!;

    /// <summary>Rows projected together (1 = greedy, 4 = beam of 4).</summary>
    [Params(1, 4)]
    public int Rows { get; set; }

    /// <summary>Random input and weights.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        x = Enumerable.Range(0, Rows * InFeatures).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        weight = Enumerable.Range(0, OutFeatures * InFeatures).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        y = new float[Rows * OutFeatures];
    }

    /// <summary>The shared scalar reference in float.</summary>
    [Benchmark(Baseline = true)]
    public float Scalar()
    {
        ScalarAttention<float>.Linear(x, weight, default, Rows, InFeatures, OutFeatures, y);
        return y[0];
    }

    /// <summary>The library's blocked SIMD kernel.</summary>
    [Benchmark]
    public float Simd()
    {
        Linear.Forward(x, weight, default, y, Rows, InFeatures, OutFeatures);
        return y[0];
    }
}
