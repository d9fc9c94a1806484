namespace Summarizer.Attention.Tests;

public class ValidationTests
{
    private static void ThrowsNaming(Action action, params string[] fragments)
    {
        // Assert.Throws demands the exact type: an IndexOutOfRangeException (or any other) fails the test.
        var e = Assert.Throws<ArgumentException>(action);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, e.Message);
        }
    }

    [Fact]
    public void DotProductAttentionNamesTheMismatchedShape()
    {
        float[] q = new float[2 * 5], k = new float[3 * 5], v = new float[3 * 4], o = new float[2 * 4];
        ThrowsNaming(() => DotProductAttention.Forward(new float[9], k, v, o, 2, 3, 5, 4), "q has 9 elements", "[queryCount=2, keyDim=5]");
        ThrowsNaming(() => DotProductAttention.Forward(q, new float[14], v, o, 2, 3, 5, 4), "k has 14", "[keyCount=3, keyDim=5]");
        ThrowsNaming(() => DotProductAttention.Forward(q, k, new float[3 * 5], o, 2, 3, 5, 4), "v has 15", "[keyCount=3, valueDim=4]");
        ThrowsNaming(() => DotProductAttention.Forward(q, k, v, new float[7], 2, 3, 5, 4), "output", "[queryCount=2, valueDim=4]");
        ThrowsNaming(() => DotProductAttention.Forward(q, k, v, o, 2, 3, 5, 4, mask: new float[5]), "mask has 5", "[keyCount=3]", "[queryCount=2, keyCount=3]");
        ThrowsNaming(() => DotProductAttention.Forward(q, k, v, o, 2, 3, 5, 4, weights: new float[5]), "weights has 5", "[queryCount=2, keyCount=3]");
        ThrowsNaming(() => DotProductAttention.Forward(q, k, v, o, 2, 3, 0, 4), "keyDim must be > 0");
        ThrowsNaming(() => DotProductAttention.Forward(q, k, v, o, -1, 3, 5, 4), "queryCount must be >= 0");
    }

    [Fact]
    public void LinearNamesTheMismatchedShape()
    {
        float[] x = new float[2 * 3], w = new float[4 * 3], b = new float[4], y = new float[2 * 4];
        ThrowsNaming(() => Linear.Forward(x, new float[11], b, y, 2, 3, 4), "weight has 11", "[outFeatures=4, inFeatures=3]");
        ThrowsNaming(() => Linear.Forward(new float[5], w, b, y, 2, 3, 4), "x has 5", "[rowCount=2, inFeatures=3]");
        ThrowsNaming(() => Linear.Forward(x, w, new float[3], y, 2, 3, 4), "bias has 3", "[outFeatures=4]");
        ThrowsNaming(() => Linear.Forward(x, w, b, new float[9], 2, 3, 4), "y has 9", "[rowCount=2, outFeatures=4]");
    }

    [Fact]
    public void LayerNormAndGeluNameTheMismatchedShape()
    {
        ThrowsNaming(() => LayerNorm.Forward(new float[6], new float[2], new float[3], new float[6], 2, 3, 1e-5f), "gamma has 2", "[dim=3]");
        ThrowsNaming(() => Activations.GeluTanh(new float[4], new float[3]), "y has 3", "[n=4]");
    }

    [Fact]
    public void MultiHeadAttentionNamesTheMismatchedShape()
    {
        var data = new TestData();
        const int dModel = 8, heads = 2;
        var attention = new MultiHeadAttention(data.Weights(dModel, heads));
        var cache = new KeyValueCache(2, heads, dModel / heads, 4);
        cache.Reset(2);
        var workspace = new AttentionWorkspace(dModel, heads, 2, 4);
        var kv = new CrossAttentionKeyValues(heads, dModel / heads, 4);

        ThrowsNaming(() => attention.SelfAttentionStep(new float[8], cache, workspace, new float[16]), "x has 8", "[cache.RowCount=2, dModel=8]");
        ThrowsNaming(() => attention.SelfAttentionStep(new float[16], cache, workspace, new float[16], new float[3]), "weights has 3", "[cache.RowCount=2, heads=2, cache.Length+1=1]");
        ThrowsNaming(() => attention.ComputeCrossKeyValues(new float[20], 3, kv), "memory has 20", "[sourceLength=3, dModel=8]");
        ThrowsNaming(() => attention.ComputeCrossKeyValues(new float[40], 5, kv), "source length must be in [1, 4]");
        ThrowsNaming(() => attention.CrossAttention(new float[16], 2, kv, workspace, new float[16]), "not been computed");
        attention.ComputeCrossKeyValues(new float[24], 3, kv);
        ThrowsNaming(() => attention.CrossAttention(new float[16], 2, kv, workspace, new float[16], new float[4]), "sourceMask has 4", "[sourceLength=3]");
        ThrowsNaming(() => attention.CrossAttention(new float[16], 2, kv, workspace, new float[16], weights: new float[6]), "weights has 6", "[rowCount=2, heads=2, sourceLength=3]");
        ThrowsNaming(() => attention.CrossAttention(new float[24], 3, kv, workspace, new float[24]), "holds up to 2 rows");
        ThrowsNaming(() => attention.CrossAttention(new float[16], 2, new CrossAttentionKeyValues(4, 2, 4), workspace, new float[16]), "heads=4, d_k=2");
        ThrowsNaming(() => attention.Forward(new float[16], 2, new float[8], 2, new float[16]), "memory has 8", "[keyCount=2, dModel=8]");
        ThrowsNaming(() => attention.SelfAttentionStep(new float[16], new KeyValueCache(2, 4, 2, 4), workspace, new float[16]), "heads=4, d_k=2");
    }

    [Fact]
    public void ConstructorsNameTheMismatchedShape()
    {
        ThrowsNaming(() => _ = new MultiHeadAttentionWeights(10, 3), "multiple of headCount");
        ThrowsNaming(() => _ = new MultiHeadAttentionWeights(4, 2, new float[16], new float[4], new float[15], new float[4], new float[16], new float[4], new float[16], new float[4]),
            "wk has 15", "[out=dModel=4, in=dModel=4]");
        ThrowsNaming(() => _ = new AdditiveAttention(3, 4, 5, new float[15], new float[19], new float[5], new float[5]), "keyWeight has 19", "[attentionDim=5, keyDim=4]");
        ThrowsNaming(() => _ = new KeyValueCache(0, 1, 1, 1), "rowCapacity must be > 0");
        ThrowsNaming(() => new KeyValueCache(2, 1, 2, 2).Append(new float[3], new float[2]), "k has 3", "[RowCount=1, heads*d_k=2]");
    }

    [Fact]
    public void AdditiveAttentionNamesTheMismatchedShape()
    {
        var attention = new AdditiveAttention(3, 4, 5, new float[15], new float[20], new float[5], new float[5]);
        ThrowsNaming(() => attention.ProjectKeys(new float[7], 2, new float[10]), "keys has 7", "[keyCount=2, keyDim=4]");
        ThrowsNaming(() => attention.Forward(new float[3], 1, new float[9], new float[4], 2, 2, new float[2]), "projectedKeys has 9", "[keyCount=2, attentionDim=5]");
    }
}
