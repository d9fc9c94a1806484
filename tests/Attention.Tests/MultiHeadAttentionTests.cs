namespace Summarizer.Attention.Tests;

public class MultiHeadAttentionTests
{
    [Theory]
    [InlineData(8, 2, 3, 5, false)]
    [InlineData(12, 3, 4, 4, true)]
    [InlineData(20, 4, 1, 9, false)]
    [InlineData(36, 4, 6, 6, true)]   // d_k = 9: not a multiple of the SIMD width
    [InlineData(64, 8, 5, 17, false)]
    public void ForwardMatchesDoubleReference(int dModel, int heads, int nq, int nk, bool causal)
    {
        var data = new TestData();
        MultiHeadAttentionWeights w = data.Weights(dModel, heads);
        float[] x = data.Floats(nq * dModel), memory = data.Floats(nk * dModel);
        float[] mask = data.Mask(nk, 0.25);
        var output = new float[nq * dModel];
        var weights = new float[nq * heads * nk];

        new MultiHeadAttention(w).Forward(x, nq, memory, nk, output, mask, causal, weights);

        var (eo, ew) = Reference.MultiHead(w, x, nq, memory, nk, mask, causal);
        Check.Close(ew, weights, 1e-5, $"seed {data.Seed} weights");
        Check.Close(eo, output, 1e-4, $"seed {data.Seed} output");
        Check.Distribution(weights, nk, $"seed {data.Seed}", allowZeroRow: true);
    }

    [Theory]
    [InlineData(16, 2, 1)]
    [InlineData(36, 4, 3)]
    [InlineData(64, 8, 4)]
    public void IncrementalSelfAttentionEqualsFullCausalAttentionPositionByPosition(int dModel, int heads, int rows)
    {
        var data = new TestData();
        const int steps = 9;
        var attention = new MultiHeadAttention(data.Weights(dModel, heads));
        var cache = new KeyValueCache(rows, heads, dModel / heads, capacity: steps);
        var workspace = new AttentionWorkspace(dModel, heads, rows, steps);
        cache.Reset(rows);
        float[][] sequences = Enumerable.Range(0, rows).Select(_ => data.Floats(steps * dModel)).ToArray();

        // reference: each row's whole sequence at once, causal
        var full = new float[rows][];
        var fullWeights = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            full[r] = new float[steps * dModel];
            fullWeights[r] = new float[steps * heads * steps];
            attention.Forward(sequences[r], steps, sequences[r], steps, full[r], causal: true, weights: fullWeights[r]);
        }

        var x = new float[rows * dModel];
        var output = new float[rows * dModel];
        for (int t = 0; t < steps; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                sequences[r].AsSpan(t * dModel, dModel).CopyTo(x.AsSpan(r * dModel));
            }

            var weights = new float[rows * heads * (t + 1)];
            attention.SelfAttentionStep(x, cache, workspace, output, weights);

            Assert.Equal(t + 1, cache.Length);
            for (int r = 0; r < rows; r++)
            {
                string context = $"seed {data.Seed}, step {t}, row {r}";
                Check.Close(Array.ConvertAll(full[r][(t * dModel)..((t + 1) * dModel)], f => (double)f), output.AsSpan(r * dModel, dModel), 1e-4, context);
                for (int h = 0; h < heads; h++)
                {
                    double[] expected = Array.ConvertAll(fullWeights[r].AsSpan((t * heads + h) * steps, t + 1).ToArray(), f => (double)f);
                    Check.Close(expected, weights.AsSpan((r * heads + h) * (t + 1), t + 1), 1e-5, context + $" head {h}");
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PackedStepPathsMatchDoubleReference(bool halfWeights)
    {
        var data = new TestData();
        const int dModel = 48, heads = 4, rows = 5, steps = 4, sourceLength = 11;
        MultiHeadAttentionWeights w = data.Weights(dModel, heads);
        if (halfWeights)
        {
            foreach (float[] m in new[] { w.Wq, w.Wk, w.Wv, w.Wo })
            {
                for (int i = 0; i < m.Length; i++)
                {
                    m[i] = (float)(Half)m[i];
                }
            }
        }

        var attention = new MultiHeadAttention(w, packForSteps: true);
        var workspace = new AttentionWorkspace(dModel, heads, rows, sourceLength);

        // self-attention, step by step, against the whole causal sequence of row r
        var cache = new KeyValueCache(rows, heads, dModel / heads, steps);
        cache.Reset(rows);
        float[][] sequences = Enumerable.Range(0, rows).Select(_ => data.Floats(steps * dModel)).ToArray();
        var x = new float[rows * dModel];
        var output = new float[rows * dModel];
        for (int t = 0; t < steps; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                sequences[r].AsSpan(t * dModel, dModel).CopyTo(x.AsSpan(r * dModel));
            }

            attention.SelfAttentionStep(x, cache, workspace, output);
        }

        for (int r = 0; r < rows; r++)
        {
            var (eo, _) = Reference.MultiHead(w, sequences[r], steps, sequences[r], steps, null, causal: true);
            Check.Close(eo.AsSpan((steps - 1) * dModel, dModel), output.AsSpan(r * dModel, dModel), 1e-4, $"seed {data.Seed}, self, row {r}");
        }

        // cross-attention over a source
        float[] memory = data.Floats(sourceLength * dModel), q = data.Floats(rows * dModel);
        var kv = new CrossAttentionKeyValues(heads, dModel / heads, sourceLength);
        attention.ComputeCrossKeyValues(memory, sourceLength, kv);
        attention.CrossAttention(q, rows, kv, workspace, output);
        var (expected, _) = Reference.MultiHead(w, q, rows, memory, sourceLength, null, causal: false);
        Check.Close(expected, output, 1e-4, $"seed {data.Seed}, cross");
    }

    [Fact]
    public void Int8StepPathsStayCloseToTheReference()
    {
        var data = new TestData();
        const int dModel = 48, heads = 4, rows = 4, steps = 3, sourceLength = 9;
        MultiHeadAttentionWeights w = data.Weights(dModel, heads);
        var attention = new MultiHeadAttention(w, packForSteps: true, int8Steps: true);
        var exact = new MultiHeadAttention(w, packForSteps: true);
        Assert.Equal(QuantizedLinear.IsSupported, attention.IsInt8); // as stored on a CPU without AVX-VNNI
        var workspace = new AttentionWorkspace(dModel, heads, rows, sourceLength);
        var cache = new KeyValueCache(rows, heads, dModel / heads, steps);
        var exactCache = new KeyValueCache(rows, heads, dModel / heads, steps);
        cache.Reset(rows);
        exactCache.Reset(rows);
        float[] output = new float[rows * dModel], expected = new float[rows * dModel];
        for (int t = 0; t < steps; t++)
        {
            float[] x = data.Floats(rows * dModel);
            attention.SelfAttentionStep(x, cache, workspace, output);
            exact.SelfAttentionStep(x, exactCache, workspace, expected);
            Check.Close(expected.Select(v => (double)v).ToArray(), output, 0.05, $"seed {data.Seed}, self, step {t}");
        }

        Assert.Equal(attention.IsInt8, !expected.SequenceEqual(output)); // int8 is close, not equal
        float[] memory = data.Floats(sourceLength * dModel), q = data.Floats(rows * dModel);
        var kv = new CrossAttentionKeyValues(heads, dModel / heads, sourceLength);
        attention.ComputeCrossKeyValues(memory, sourceLength, kv);
        attention.CrossAttention(q, rows, kv, workspace, output);
        var (reference, _) = Reference.MultiHead(w, q, rows, memory, sourceLength, null, causal: false);
        Check.Close(reference, output, 0.05, $"seed {data.Seed}, cross");
    }

    [Fact]
    public void SelfAttentionStepMatchesDoubleReference()
    {
        var data = new TestData();
        const int dModel = 24, heads = 3, steps = 5;
        MultiHeadAttentionWeights w = data.Weights(dModel, heads);
        var attention = new MultiHeadAttention(w);
        var cache = new KeyValueCache(1, heads, dModel / heads, steps);
        var workspace = new AttentionWorkspace(dModel, heads, 1, steps);
        float[] sequence = data.Floats(steps * dModel);
        var output = new float[dModel];
        for (int t = 0; t < steps; t++)
        {
            attention.SelfAttentionStep(sequence.AsSpan(t * dModel, dModel), cache, workspace, output);
        }

        float[] prefix = sequence;
        var (eo, _) = Reference.MultiHead(w, prefix, steps, prefix, steps, null, causal: true);
        Check.Close(eo.AsSpan((steps - 1) * dModel, dModel), output, 1e-4, $"seed {data.Seed}");
    }

    [Theory]
    [InlineData(16, 2, 1, 7)]
    [InlineData(40, 5, 4, 13)]
    [InlineData(64, 8, 3, 1)]
    public void CrossAttentionMatchesDoubleReferenceForEveryRow(int dModel, int heads, int rows, int sourceLength)
    {
        var data = new TestData();
        MultiHeadAttentionWeights w = data.Weights(dModel, heads);
        var attention = new MultiHeadAttention(w);
        float[] memory = data.Floats(sourceLength * dModel), x = data.Floats(rows * dModel);
        float[] mask = data.Mask(sourceLength, 0.3);
        mask[0] = 0;
        var kv = new CrossAttentionKeyValues(heads, dModel / heads, sourceCapacity: sourceLength + 3);
        var workspace = new AttentionWorkspace(dModel, heads, rows, sourceLength + 3);
        var output = new float[rows * dModel];
        var weights = new float[rows * heads * sourceLength];

        attention.ComputeCrossKeyValues(memory, sourceLength, kv);
        attention.CrossAttention(x, rows, kv, workspace, output, mask, weights);

        var (eo, ew) = Reference.MultiHead(w, x, rows, memory, sourceLength, mask, causal: false);
        Check.Close(ew, weights, 1e-5, $"seed {data.Seed} weights");
        Check.Close(eo, output, 1e-4, $"seed {data.Seed} output");
        Check.Distribution(weights, sourceLength, $"seed {data.Seed}");
        for (int i = 0; i < weights.Length; i++)
        {
            if (float.IsNegativeInfinity(mask[i % sourceLength]))
            {
                Assert.Equal(0f, weights[i]);
            }
        }

        // without a weights span the output is the same
        var output2 = new float[rows * dModel];
        attention.CrossAttention(x, rows, kv, workspace, output2, mask);
        Assert.Equal(output, output2);
    }

    [Fact]
    public void CrossAttentionWithFullyMaskedSourceGivesZeroWeightsAndTheOutputBias()
    {
        var data = new TestData();
        const int dModel = 16, heads = 4, rows = 2, s = 5;
        MultiHeadAttentionWeights w = data.Weights(dModel, heads);
        var attention = new MultiHeadAttention(w);
        var kv = new CrossAttentionKeyValues(heads, dModel / heads, s);
        attention.ComputeCrossKeyValues(data.Floats(s * dModel), s, kv);
        var mask = Enumerable.Repeat(float.NegativeInfinity, s).ToArray();
        var output = new float[rows * dModel];
        var weights = new float[rows * heads * s];

        attention.CrossAttention(data.Floats(rows * dModel), rows, kv, new AttentionWorkspace(dModel, heads, rows, s), output, mask, weights);

        Assert.All(weights, v => Assert.Equal(0f, v));
        // zero context → output = W_o·0 + b_o
        Assert.Equal(w.Bo.Concat(w.Bo).ToArray(), output);
    }

    [Fact]
    public void InputAndOutputMayShareMemory()
    {
        var data = new TestData();
        const int dModel = 32, heads = 4, rows = 3, s = 6;
        var attention = new MultiHeadAttention(data.Weights(dModel, heads));
        var kv = new CrossAttentionKeyValues(heads, dModel / heads, s);
        attention.ComputeCrossKeyValues(data.Floats(s * dModel), s, kv);
        var workspace = new AttentionWorkspace(dModel, heads, rows, s);
        float[] x = data.Floats(rows * dModel);
        var separate = new float[rows * dModel];

        attention.CrossAttention(x, rows, kv, workspace, separate);
        attention.CrossAttention(x, rows, kv, workspace, x);

        Assert.Equal(separate, x);
    }

    [Fact]
    public void ForwardHandlesNoQueriesAndNoKeys()
    {
        var data = new TestData();
        const int dModel = 8, heads = 2;
        MultiHeadAttentionWeights w = data.Weights(dModel, heads);
        var attention = new MultiHeadAttention(w);

        attention.Forward([], 0, data.Floats(3 * dModel), 3, []);

        // no keys: every row is fully masked, so the context is zero and the output is the output bias
        var output = new float[2 * dModel];
        var weights = new float[0];
        attention.Forward(data.Floats(2 * dModel), 2, [], 0, output, weights: weights);
        Assert.Equal(w.Bo.Concat(w.Bo).ToArray(), output);
    }
}
