namespace Summarizer.Attention.Tests;

public class AdditiveAttentionTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1)]
    [InlineData(3, 7, 5, 6, 9, 4)]
    [InlineData(4, 20, 16, 24, 13, 11)]
    [InlineData(2, 50, 33, 31, 10, 8)]
    public void MatchesDoubleReference(int nq, int nk, int dq, int dk, int a, int dv)
    {
        for (int trial = 0; trial < 3; trial++)
        {
            var data = new TestData();
            float[] wq = data.Floats(a * dq), wk = data.Floats(a * dk), b = data.Floats(a), vs = data.Floats(a, 2);
            float[] queries = data.Floats(nq * dq), keys = data.Floats(nk * dk), values = data.Floats(nk * dv);
            float[]? mask = trial switch { 0 => null, 1 => data.Mask(nk, 0.3), _ => data.Mask(nq * nk, 0.3) };
            var attention = new AdditiveAttention(dq, dk, a, wq, wk, b, vs);
            var projected = new float[nk * a];
            var output = new float[nq * dv];
            var weights = new float[nq * nk];

            attention.ProjectKeys(keys, nk, projected);
            attention.Forward(queries, nq, projected, values, nk, dv, output, mask, weights);

            var (eo, ew) = Reference.Additive(wq, wk, b, vs, queries, keys, values, nq, nk, dq, dk, a, dv, mask);
            string context = $"seed {data.Seed}, trial {trial}";
            Check.Close(ew, weights, 1e-5, context + " weights");
            Check.Close(eo, output, 1e-5, context + " output");
            Check.Distribution(weights, nk, context, allowZeroRow: true);
        }
    }

    [Fact]
    public void ProjectedKeysAreReusedByEveryQueryAndFullyMaskedRowIsZero()
    {
        var data = new TestData();
        const int dq = 4, dk = 3, a = 5, nk = 6, dv = 2;
        var attention = new AdditiveAttention(dq, dk, a, data.Floats(a * dq), data.Floats(a * dk), data.Floats(a), data.Floats(a));
        float[] keys = data.Floats(nk * dk), values = data.Floats(nk * dv);
        var projected = new float[nk * a];
        attention.ProjectKeys(keys, nk, projected);
        float[] queries = data.Floats(2 * dq);

        // two queries at once equal two calls of one query with the same projected keys
        var both = new float[2 * dv];
        attention.Forward(queries, 2, projected, values, nk, dv, both);
        var one = new float[dv];
        attention.Forward(queries.AsSpan(dq, dq), 1, projected, values, nk, dv, one);
        Assert.Equal(both.AsSpan(dv, dv).ToArray(), one);

        var mask = Enumerable.Repeat(float.NegativeInfinity, nk).ToArray();
        var weights = new float[nk];
        attention.Forward(queries.AsSpan(0, dq), 1, projected, values, nk, dv, one, mask, weights);
        Assert.Equal(new float[nk], weights);
        Assert.Equal(new float[dv], one);
    }

    [Theory]
    [InlineData(1e4f)]
    [InlineData(-1e4f)]
    public void HugeScoresStayFinite(float magnitude)
    {
        var data = new TestData();
        const int nq = 2, nk = 9, dq = 3, dk = 4, a = 6, dv = 3;
        // v of size ±1e4 makes the scores vᵀ·tanh(..) differ by up to ~1e4 between keys
        float[] wq = data.Floats(a * dq), wk = data.Floats(a * dk, 3), b = data.Floats(a), vs = data.Floats(a, magnitude);
        float[] queries = data.Floats(nq * dq), keys = data.Floats(nk * dk), values = data.Floats(nk * dv);
        var attention = new AdditiveAttention(dq, dk, a, wq, wk, b, vs);
        var projected = new float[nk * a];
        var output = new float[nq * dv];
        var weights = new float[nq * nk];

        attention.ProjectKeys(keys, nk, projected);
        attention.Forward(queries, nq, projected, values, nk, dv, output, weights: weights);

        var (eo, ew) = Reference.Additive(wq, wk, b, vs, queries, keys, values, nq, nk, dq, dk, a, dv, null);
        // scores of size 1e4 carry float rounding of ~1e-3 absolute, so compare loosely but demand finiteness and a distribution
        Check.Close(ew, weights, 2e-2, $"seed {data.Seed} weights");
        Check.Close(eo, output, 2e-2, $"seed {data.Seed} output");
        Check.Distribution(weights, nk, $"seed {data.Seed}");
    }
}
