namespace Summarizer.Attention.Tests;

public class AllocationTests
{
    [Fact]
    public void SteadyStateDecodingStepsAllocateNothing()
    {
        var data = new TestData();
        const int dModel = 64, heads = 4, rows = 4, s = 20, steps = 6;
        var selfAttention = new MultiHeadAttention(data.Weights(dModel, heads));
        var crossAttention = new MultiHeadAttention(data.Weights(dModel, heads));
        var cache = new KeyValueCache(rows, heads, dModel / heads, steps + 2);
        var kv = new CrossAttentionKeyValues(heads, dModel / heads, s);
        var workspace = new AttentionWorkspace(dModel, heads, rows, s);
        float[] x = data.Floats(rows * dModel), output = new float[rows * dModel], mask = new float[s];
        float[] crossWeights = new float[rows * heads * s], gamma = data.Floats(dModel), beta = data.Floats(dModel);
        int[] order = [1, 0, 3, 3];
        crossAttention.ComputeCrossKeyValues(data.Floats(s * dModel), s, kv);
        cache.Reset(rows);
        void Step()
        {
            selfAttention.SelfAttentionStep(x, cache, workspace, output);
            crossAttention.CrossAttention(output, rows, kv, workspace, output, mask, crossWeights);
            LayerNorm.Forward(output, gamma, beta, output, rows, dModel, 1e-5f);
            Activations.GeluTanh(output, output);
            Linear.Forward(output, selfAttention.Weights.Wq, default, x, rows, dModel, dModel);
            cache.Reorder(order);
            DotProductAttention.Forward(x.AsSpan(0, 3 * 16), kv.KeysTransposed(0)[..(5 * 16)], kv.Values(0)[..(5 * 16)], output.AsSpan(0, 3 * 16), 3, 5, 16, 16);
        }

        Step(); // warm-up: JIT and per-thread scratch
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 1; t < steps; t++)
        {
            Step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
