using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Summarizer.Benchmarks;

/// <summary>
/// The denominator of the decoder step's roofline (<see cref="DecoderStepTraffic"/>): what one thread moves per second.
/// <see cref="Copy"/> copies one float array into another (memcpy: reads and writes <see cref="MegaBytes"/> each, so
/// GB/s = 2 × MB / time); <see cref="Read"/> sums one with SIMD, eight independent accumulators so that add latency
/// never limits it (reads only, like a step streaming its weights: GB/s = MB / time). 16 and 32 MB are about the native
/// and the ONNX Runtime step's working sets, which the caches may partly hold between steps; 1,024 MB is far beyond
/// every cache (main memory).
/// </summary>
[Config(typeof(AttentionBenchmarkConfig))]
public class MemoryBandwidthBenchmarks
{
    private float[] _source = null!, _destination = null!;

    /// <summary>Size of each array in MB (10⁶ bytes).</summary>
    [Params(16, 32, 1024)]
    public int MegaBytes { get; set; }

    /// <summary>Allocates and touches both arrays.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var count = MegaBytes * 1_000_000 / sizeof(float);
        _source = new float[count];
        _destination = new float[count];
        _source.AsSpan().Fill(1f);
        _destination.AsSpan().Fill(0f);
    }

    /// <summary>memcpy of the whole array.</summary>
    [Benchmark(Baseline = true)]
    public float Copy()
    {
        _source.AsSpan().CopyTo(_destination);
        return _destination[^1];
    }

    /// <summary>A SIMD sum over the whole array.</summary>
    [Benchmark]
    public float Read()
    {
        var vectors = MemoryMarshal.Cast<float, Vector256<float>>(_source.AsSpan());
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        var i = 0;
        for (; i + 8 <= vectors.Length; i += 8)
        {
            a0 += vectors[i];
            a1 += vectors[i + 1];
            a2 += vectors[i + 2];
            a3 += vectors[i + 3];
            a4 += vectors[i + 4];
            a5 += vectors[i + 5];
            a6 += vectors[i + 6];
            a7 += vectors[i + 7];
        }
        for (; i < vectors.Length; i++)
            a0 += vectors[i];
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }
}
