using BenchmarkDotNet.Attributes;
using Summarizer.Attention;

namespace Summarizer.Benchmarks;

/// <summary>
/// The shipped decoder's weight products at its shapes (the shortlist projection 8000×384, fc1 1536×384, fc2 384×1536)
/// for 1 and 4 rows: the float step product as the bundle stores it (<see cref="PackedLinear"/> over fp16-exact weights,
/// the baseline), the int8 one (<see cref="QuantizedLinear"/>), and the int8 one shared with the second core
/// (<see cref="CoreSplit"/>), in the same run. Needs AVX-VNNI for the int8 arms.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(AttentionBenchmarkConfig))]
public class DecoderProductBenchmarks
{
    private readonly object _holder = new();
    private float[] _x = null!, _bias = null!, _y = null!;
    private PackedLinear _packed = null!;
    private QuantizedLinear _int8 = null!;
    private CoreSplit? _split;

    /// <summary>Output × input sizes.</summary>
    [Params("8000x384", "1536x384", "384x1536")]
    public string Shape { get; set; } = "8000x384";

    /// <summary>Rows (1 = greedy, 4 = beam of 4).</summary>
    [Params(1, 4)]
    public int Rows { get; set; }

    private int Out => int.Parse(Shape.Split('x')[0], System.Globalization.CultureInfo.InvariantCulture);

    private int In => int.Parse(Shape.Split('x')[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Random inputs; weights rounded to fp16, as the bundle stores them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        if (!QuantizedLinear.IsSupported)
            throw new PlatformNotSupportedException("These benchmarks compare int8 products: the CPU needs AVX-VNNI.");
        var random = new Random(7);
        var weight = Enumerable.Range(0, Out * In).Select(_ => (float)(Half)((random.NextDouble() - 0.5) * 0.1)).ToArray();
        _x = Enumerable.Range(0, Rows * In).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _bias = Enumerable.Range(0, Out).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _y = new float[Rows * Out];
        _packed = new PackedLinear(weight, Out, In);
        _int8 = new QuantizedLinear(weight, Out, In);
        _split = CoreSplit.TryAcquire(_holder);
    }

    /// <summary>Hands the second core back.</summary>
    [GlobalCleanup]
    public void Cleanup() => _split?.Release(_holder);

    /// <summary>The float step product over fp16 weights (widened in registers).</summary>
    [Benchmark(Baseline = true)]
    public float Fp16()
    {
        _packed.Forward(_x, _bias, _y, Rows);
        return _y[0];
    }

    /// <summary>int8 weights, uint8 activations, VNNI integer sums.</summary>
    [Benchmark]
    public float Int8()
    {
        _int8.Forward(_x, _bias, _y, Rows);
        return _y[0];
    }

    /// <summary>The same, its outputs shared with the second core's helper.</summary>
    [Benchmark]
    public float Int8TwoCores()
    {
        _int8.Forward(_x, _bias, _y, Rows, _split);
        return _y[0];
    }
}
