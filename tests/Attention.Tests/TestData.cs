namespace Summarizer.Attention.Tests;

/// <summary>Random inputs from a fresh seed each run; the seed goes into every failure message so a failure can be replayed.</summary>
internal sealed class TestData
{
    public TestData(int? seed = null)
    {
        Seed = seed ?? Random.Shared.Next();
        Random = new Random(Seed);
    }

    public int Seed { get; }

    public Random Random { get; }

    public float[] Floats(int count, float scale = 1f)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++)
        {
            a[i] = (float)(Random.NextDouble() * 2 - 1) * scale;
        }

        return a;
    }

    /// <summary>A [queryCount, keyCount] (or [keyCount]) mask with about a third of the positions −∞.</summary>
    public float[] Mask(int count, double maskedFraction = 0.33)
    {
        var m = new float[count];
        for (int i = 0; i < count; i++)
        {
            m[i] = Random.NextDouble() < maskedFraction ? float.NegativeInfinity : (float)(Random.NextDouble() - 0.5);
        }

        return m;
    }

    public MultiHeadAttentionWeights Weights(int dModel, int headCount)
    {
        float s = 1f / MathF.Sqrt(dModel);
        return new MultiHeadAttentionWeights(dModel, headCount,
            Floats(dModel * dModel, s), Floats(dModel, 0.1f), Floats(dModel * dModel, s), Floats(dModel, 0.1f),
            Floats(dModel * dModel, s), Floats(dModel, 0.1f), Floats(dModel * dModel, s), Floats(dModel, 0.1f));
    }
}
