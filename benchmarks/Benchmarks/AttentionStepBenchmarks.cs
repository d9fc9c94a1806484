using BenchmarkDotNet.Attributes;
using Summarizer.Attention;

namespace Summarizer.Benchmarks;

/// <summary>
/// One decoding step of 8-head cross-attention, d_model 512, over 512 cached source positions (K/V precomputed once),
/// for 1 and 4 rows (beams): q projection, logits, softmax, weighted sum of values, output projection.
/// The library path is compared with <see cref="AttentionScalarStep"/> in the same run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(AttentionBenchmarkConfig))]
public class AttentionStepBenchmarks
{
    private const int DModel = 512, HeadCount = 8, SourceLength = 512, MaxRows = 4;

    private MultiHeadAttention attention = null!;
    private CrossAttentionKeyValues keyValues = null!;
    private AttentionWorkspace workspace = null!;
    private AttentionScalarStep scalar = null!;
    private float[] x = null!, output = null!, mask = null!, weights = null!, scalarKeys = null!, scalarValues = null!;

    /// <summary>Rows decoded together (1 = greedy, 4 = beam of 4).</summary>
    [Params(1, 4)]
    public int Rows { get; set; }

    /// <summary>Builds random weights, a random encoder output and its cached K/V.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        float[] Floats(int n, float s) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * s).ToArray();
        float ws = 1f / MathF.Sqrt(DModel);
        var w = new MultiHeadAttentionWeights(DModel, HeadCount,
            Floats(DModel * DModel, ws), Floats(DModel, 0.1f), Floats(DModel * DModel, ws), Floats(DModel, 0.1f),
            Floats(DModel * DModel, ws), Floats(DModel, 0.1f), Floats(DModel * DModel, ws), Floats(DModel, 0.1f));
        attention = new MultiHeadAttention(w);
        keyValues = new CrossAttentionKeyValues(HeadCount, DModel / HeadCount, SourceLength);
        attention.ComputeCrossKeyValues(Floats(SourceLength * DModel, 1f), SourceLength, keyValues);
        workspace = new AttentionWorkspace(DModel, HeadCount, MaxRows, SourceLength);
        scalar = new AttentionScalarStep(DModel, HeadCount, MaxRows, SourceLength);
        x = Floats(Rows * DModel, 1f);
        output = new float[Rows * DModel];
        mask = new float[SourceLength];
        mask.AsSpan(SourceLength - 20).Fill(AttentionMask.Masked); // some padding, as a real batch has
        weights = new float[Rows * HeadCount * SourceLength];
        scalarKeys = new float[HeadCount * SourceLength * (DModel / HeadCount)];
        scalarValues = new float[scalarKeys.Length];
        for (int h = 0; h < HeadCount; h++)
        {
            // the scalar arm reads keys as [S, d_k]; the cache keeps them transposed
            int dk = DModel / HeadCount;
            var keysT = keyValues.KeysTransposed(h);
            for (int j = 0; j < SourceLength; j++)
            {
                for (int c = 0; c < dk; c++)
                {
                    scalarKeys[(h * SourceLength + j) * dk + c] = keysT[c * SourceLength + j];
                }
            }

            keyValues.Values(h).CopyTo(scalarValues.AsSpan(h * SourceLength * (DModel / HeadCount)));
        }

        EquivalenceCheck.SameOutput(() => Scalar(), () => Simd(), output);
    }

    /// <summary>Plain scalar loops.</summary>
    [Benchmark(Baseline = true)]
    public float Scalar()
    {
        scalar.Run(x, Rows, attention.Weights.Wq, attention.Weights.Bq, attention.Weights.Wo, attention.Weights.Bo, scalarKeys, scalarValues, mask, output);
        return output[0];
    }

    /// <summary>The library's cross-attention step, also writing the per-head weights (as the copy mechanism needs).</summary>
    [Benchmark]
    public float Simd()
    {
        attention.CrossAttention(x, Rows, keyValues, workspace, output, mask, weights);
        return output[0];
    }
}
