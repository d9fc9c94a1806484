namespace Summarizer.Attention.Tests;

public class DotProductAttentionTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(1, 5, 3, 2)]
    [InlineData(3, 7, 7, 9)]
    [InlineData(4, 13, 13, 5)]
    [InlineData(5, 33, 64, 64)]
    [InlineData(2, 64, 65, 17)]
    [InlineData(9, 9, 8, 8)]
    [InlineData(6, 100, 31, 40)]
    public void MatchesDoubleReference(int nq, int nk, int dk, int dv)
    {
        for (int trial = 0; trial < 4; trial++)
        {
            var data = new TestData();
            float[] q = data.Floats(nq * dk, 2), k = data.Floats(nk * dk, 2), v = data.Floats(nk * dv);
            bool scaled = trial % 2 == 0, causal = trial >= 2;
            float[]? mask = (trial % 3) switch { 0 => null, 1 => data.Mask(nk, 0.2), _ => data.Mask(nq * nk, 0.2) };
            var output = new float[nq * dv];
            var weights = new float[nq * nk];

            DotProductAttention.Forward(q, k, v, output, nq, nk, dk, dv, mask, weights, scaled, causal);

            var (eo, ew) = Reference.DotProduct(q, k, v, nq, nk, dk, dv, mask, scaled, causal);
            string context = $"seed {data.Seed}, trial {trial}, [{nq},{nk},{dk},{dv}]";
            Check.Close(ew, weights, 1e-5, context + " weights");
            Check.Close(eo, output, 1e-5, context + " output");
            Check.Distribution(weights, nk, context, allowZeroRow: true);
        }
    }

    [Fact]
    public void WithoutWeightsSpanGivesSameOutput()
    {
        var data = new TestData();
        const int nq = 3, nk = 11, dk = 10, dv = 6;
        float[] q = data.Floats(nq * dk), k = data.Floats(nk * dk), v = data.Floats(nk * dv);
        var withWeights = new float[nq * dv];
        var without = new float[nq * dv];

        DotProductAttention.Forward(q, k, v, withWeights, nq, nk, dk, dv, weights: new float[nq * nk]);
        DotProductAttention.Forward(q, k, v, without, nq, nk, dk, dv);

        Assert.Equal(withWeights, without);
    }

    [Fact]
    public void WeightsAreADistributionAndMaskedPositionsAreExactlyZero()
    {
        var data = new TestData();
        const int nq = 5, nk = 23, dk = 12, dv = 7;
        float[] q = data.Floats(nq * dk, 3), k = data.Floats(nk * dk, 3), v = data.Floats(nk * dv);
        float[] mask = data.Mask(nq * nk, 0.5);
        for (int i = 0; i < nq; i++)
        {
            mask[i * nk + i] = 0; // at least one visible key per row
        }

        var weights = new float[nq * nk];
        DotProductAttention.Forward(q, k, v, new float[nq * dv], nq, nk, dk, dv, mask, weights);

        Check.Distribution(weights, nk, $"seed {data.Seed}");
        for (int i = 0; i < mask.Length; i++)
        {
            if (float.IsNegativeInfinity(mask[i]))
            {
                Assert.True(weights[i] == 0f, $"seed {data.Seed}: masked position {i} has weight {weights[i]}");
            }
        }
    }

    [Fact]
    public void FullyMaskedRowGivesZeroWeightsAndZeroOutputWhileOtherRowsAreNormal()
    {
        var data = new TestData();
        const int nq = 3, nk = 6, dk = 5, dv = 4;
        float[] q = data.Floats(nq * dk), k = data.Floats(nk * dk), v = data.Floats(nk * dv);
        var mask = new float[nq * nk];
        mask.AsSpan(nk, nk).Fill(float.NegativeInfinity); // row 1 sees nothing
        var output = new float[nq * dv];
        output.AsSpan().Fill(float.NaN); // must be overwritten
        var weights = new float[nq * nk];

        DotProductAttention.Forward(q, k, v, output, nq, nk, dk, dv, mask, weights);

        Assert.All(weights.AsSpan(nk, nk).ToArray(), w => Assert.Equal(0f, w));
        Assert.All(output.AsSpan(dv, dv).ToArray(), o => Assert.Equal(0f, o));
        var (eo, _) = Reference.DotProduct(q, k, v, nq, nk, dk, dv, mask, true, false);
        Check.Close(eo, output, 1e-5, $"seed {data.Seed}");
        Check.Distribution(weights.AsSpan(0, nk), nk, "row 0");
        Check.Distribution(weights.AsSpan(2 * nk, nk), nk, "row 2");
    }

    [Fact]
    public void NoKeysGivesZeroOutput()
    {
        var output = new float[] { 1, 2, 3 };
        DotProductAttention.Forward(new float[6], [], [], output, 1, 0, 6, 3);
        Assert.Equal(new float[3], output);
    }

    [Fact]
    public void SingleKeyGetsAllTheWeight()
    {
        var data = new TestData();
        float[] q = data.Floats(4 * 9), k = data.Floats(9), v = data.Floats(3);
        var output = new float[4 * 3];
        var weights = new float[4];

        DotProductAttention.Forward(q, k, v, output, 4, 1, 9, 3, weights: weights);

        Assert.Equal(new float[] { 1, 1, 1, 1 }, weights);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(v, output.AsSpan(i * 3, 3).ToArray());
        }
    }

    [Theory]
    [InlineData(1e4f)]
    [InlineData(-1e4f)]
    public void HugeLogitsStayFinite(float magnitude)
    {
        var data = new TestData();
        const int nq = 3, nk = 8, dk = 1, dv = 5;
        // d_k = 1 and unscaled, so the logits are exactly q·k: up to ±1e4 apart between keys
        float[] q = [1f, -1f, 0.5f];
        float[] k = data.Floats(nk, magnitude);
        float[] v = data.Floats(nk * dv);
        var output = new float[nq * dv];
        var weights = new float[nq * nk];

        DotProductAttention.Forward(q, k, v, output, nq, nk, dk, dv, weights: weights, scaled: false);

        var (eo, ew) = Reference.DotProduct(q, k, v, nq, nk, dk, dv, null, false, false);
        Check.Close(ew, weights, 1e-5, $"seed {data.Seed} weights");
        Check.Close(eo, output, 1e-5, $"seed {data.Seed} output");
        Check.Distribution(weights, nk, $"seed {data.Seed}");
    }

    [Fact]
    public void CausalRowNeverSeesTheFuture()
    {
        var data = new TestData();
        const int n = 7, dk = 6, dv = 5;
        float[] q = data.Floats(n * dk), k = data.Floats(n * dk), v = data.Floats(n * dv);
        var output = new float[n * dv];
        var weights = new float[n * n];
        DotProductAttention.Forward(q, k, v, output, n, n, dk, dv, weights: weights, causal: true);

        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                Assert.Equal(0f, weights[i * n + j]);
            }

            // Changing everything after position i leaves row i unchanged.
            float[] k2 = (float[])k.Clone(), v2 = (float[])v.Clone();
            data.Floats((n - i - 1) * dk, 50).CopyTo(k2, (i + 1) * dk);
            data.Floats((n - i - 1) * dv, 50).CopyTo(v2, (i + 1) * dv);
            var output2 = new float[n * dv];
            DotProductAttention.Forward(q, k2, v2, output2, n, n, dk, dv, causal: true);
            Assert.Equal(output.AsSpan(i * dv, dv).ToArray(), output2.AsSpan(i * dv, dv).ToArray());
        }
    }

    [Fact]
    public void CausalWithFewerQueriesThanKeysAlignsToTheEnd()
    {
        var data = new TestData();
        const int nq = 2, nk = 5, dk = 3, dv = 3;
        float[] q = data.Floats(nq * dk), k = data.Floats(nk * dk), v = data.Floats(nk * dv);
        var weights = new float[nq * nk];
        DotProductAttention.Forward(q, k, v, new float[nq * dv], nq, nk, dk, dv, weights: weights, causal: true);

        Assert.Equal(0f, weights[4]);           // query 0 is position 3: key 4 hidden
        Assert.True(weights[3] > 0);
        Assert.True(weights[nk + 4] > 0);       // query 1 is position 4: sees all
    }
}
