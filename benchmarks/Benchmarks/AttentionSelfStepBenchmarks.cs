using BenchmarkDotNet.Attributes;
using Summarizer.Attention;
using Summarizer.Reference;

namespace Summarizer.Benchmarks;

/// <summary>
/// One decoding step of 8-head masked self-attention, d_model 512, with 511 positions already cached (the step attends over 512),
/// for 1 and 4 rows: q/k/v projections, cache append, per-row attention, output projection. Each invocation rewinds the
/// appended position so every step sees the same cache. Compared with the shared scalar reference in the same run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(AttentionBenchmarkConfig))]
public class AttentionSelfStepBenchmarks
{
    private const int DModel = 512, HeadCount = 8, HeadDim = DModel / HeadCount, Cached = 511, MaxRows = 4;

    private MultiHeadAttention attention = null!;
    private KeyValueCache cache = null!;
    private AttentionWorkspace workspace = null!;
    private float[] x = null!, output = null!;

    // scalar comparator state: [rows, heads, capacity, d_k] caches and scratch
    private float[] scalarKeys = null!, scalarValues = null!, q = null!, k = null!, v = null!, context = null!, scores = null!;

    /// <summary>Rows decoded together (1 = greedy, 4 = beam of 4).</summary>
    [Params(1, 4)]
    public int Rows { get; set; }

    /// <summary>Random weights and 511 cached positions per row.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        float[] Floats(int n, float s) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * s).ToArray();
        float ws = 1f / MathF.Sqrt(DModel);
        attention = new MultiHeadAttention(new MultiHeadAttentionWeights(DModel, HeadCount,
            Floats(DModel * DModel, ws), Floats(DModel, 0.1f), Floats(DModel * DModel, ws), Floats(DModel, 0.1f),
            Floats(DModel * DModel, ws), Floats(DModel, 0.1f), Floats(DModel * DModel, ws), Floats(DModel, 0.1f)));
        cache = new KeyValueCache(MaxRows, HeadCount, HeadDim, Cached + 1);
        cache.Reset(Rows);
        for (int t = 0; t < Cached; t++)
        {
            cache.Append(Floats(Rows * DModel, 1f), Floats(Rows * DModel, 1f));
        }

        workspace = new AttentionWorkspace(DModel, HeadCount, MaxRows, Cached + 1);
        x = Floats(Rows * DModel, 1f);
        output = new float[Rows * DModel];

        int cacheSize = Rows * HeadCount * (Cached + 1) * HeadDim;
        scalarKeys = new float[cacheSize];
        scalarValues = new float[cacheSize];
        for (int r = 0; r < Rows; r++)
        {
            for (int h = 0; h < HeadCount; h++)
            {
                cache.Keys(r, h).CopyTo(scalarKeys.AsSpan((r * HeadCount + h) * (Cached + 1) * HeadDim));
                cache.Values(r, h).CopyTo(scalarValues.AsSpan((r * HeadCount + h) * (Cached + 1) * HeadDim));
            }
        }

        q = new float[Rows * DModel];
        k = new float[Rows * DModel];
        v = new float[Rows * DModel];
        context = new float[Rows * DModel];
        scores = new float[Cached + 1];

        EquivalenceCheck.SameOutput(() => Scalar(), () => Simd(), output);
    }

    /// <summary>The shared scalar reference (<see cref="ScalarAttention{T}"/> in float) over the same cache layout.</summary>
    [Benchmark(Baseline = true)]
    public float Scalar()
    {
        var w = attention.Weights;
        ScalarAttention<float>.Linear(x, w.Wq, w.Bq, Rows, DModel, DModel, q);
        ScalarAttention<float>.Linear(x, w.Wk, w.Bk, Rows, DModel, DModel, k);
        ScalarAttention<float>.Linear(x, w.Wv, w.Bv, Rows, DModel, DModel, v);
        float scale = 1f / MathF.Sqrt(HeadDim);
        int keyCount = Cached + 1;
        for (int r = 0; r < Rows; r++)
        {
            for (int h = 0; h < HeadCount; h++)
            {
                // Append this step's k and v at position Cached of the row's head, then attend over all positions.
                int headBase = (r * HeadCount + h) * keyCount * HeadDim;
                k.AsSpan(r * DModel + h * HeadDim, HeadDim).CopyTo(scalarKeys.AsSpan(headBase + Cached * HeadDim));
                v.AsSpan(r * DModel + h * HeadDim, HeadDim).CopyTo(scalarValues.AsSpan(headBase + Cached * HeadDim));
                ScalarAttention<float>.Attend(q.AsSpan(r * DModel + h * HeadDim, HeadDim), scalarKeys.AsSpan(headBase, keyCount * HeadDim), HeadDim,
                    scalarValues.AsSpan(headBase, keyCount * HeadDim), HeadDim, keyCount, HeadDim, HeadDim, scale, default, keyCount, scores,
                    context.AsSpan(r * DModel + h * HeadDim, HeadDim));
            }
        }

        ScalarAttention<float>.Linear(context, w.Wo, w.Bo, Rows, DModel, DModel, output);
        return output[0];
    }

    /// <summary>The library's self-attention step (then rewinds the appended position).</summary>
    [Benchmark]
    public float Simd()
    {
        attention.SelfAttentionStep(x, cache, workspace, output);
        cache.Truncate(Cached);
        return output[0];
    }
}
