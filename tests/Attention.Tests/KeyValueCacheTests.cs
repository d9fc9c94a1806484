namespace Summarizer.Attention.Tests;

public class KeyValueCacheTests
{
    [Fact]
    public void ReorderGivesEachRowTheHistoryOfItsSourceRowAndDecodingContinuesCorrectly()
    {
        var data = new TestData();
        const int dModel = 24, heads = 3, rows = 3, before = 4, after = 3;
        var attention = new MultiHeadAttention(data.Weights(dModel, heads));
        var cache = new KeyValueCache(rows, heads, dModel / heads, before + after);
        var workspace = new AttentionWorkspace(dModel, heads, rows, before + after);
        cache.Reset(rows);
        float[][] history = Enumerable.Range(0, rows).Select(_ => data.Floats(before * dModel)).ToArray();
        var x = new float[rows * dModel];
        var output = new float[rows * dModel];
        for (int t = 0; t < before; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                history[r].AsSpan(t * dModel, dModel).CopyTo(x.AsSpan(r * dModel));
            }

            attention.SelfAttentionStep(x, cache, workspace, output);
        }

        int[] source = [2, 0, 0];
        cache.Reorder(source);

        float[][] continuation = Enumerable.Range(0, rows).Select(_ => data.Floats(after * dModel)).ToArray();
        for (int t = 0; t < after; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                continuation[r].AsSpan(t * dModel, dModel).CopyTo(x.AsSpan(r * dModel));
            }

            attention.SelfAttentionStep(x, cache, workspace, output);
        }

        for (int r = 0; r < rows; r++)
        {
            // row r's sequence = history of its source row followed by its own continuation
            float[] sequence = [.. history[source[r]], .. continuation[r]];
            int n = before + after;
            var full = new float[n * dModel];
            attention.Forward(sequence, n, sequence, n, full, causal: true);
            Check.Close(Array.ConvertAll(full[((n - 1) * dModel)..], f => (double)f), output.AsSpan(r * dModel, dModel), 1e-4, $"seed {data.Seed}, row {r}");
        }
    }

    [Fact]
    public void ReorderCanFanOneRowOutAndKeepsCachedValues()
    {
        var data = new TestData();
        const int heads = 2, dk = 5;
        var cache = new KeyValueCache(4, heads, dk, 3);
        cache.Reset(1);
        float[] k0 = data.Floats(heads * dk), v0 = data.Floats(heads * dk);
        cache.Append(k0, v0);

        cache.Reorder([0, 0, 0, 0]);

        Assert.Equal(4, cache.RowCount);
        Assert.Equal(1, cache.Length);
        for (int r = 0; r < 4; r++)
        {
            for (int h = 0; h < heads; h++)
            {
                Assert.Equal(k0.AsSpan(h * dk, dk).ToArray(), cache.Keys(r, h).ToArray());
                Assert.Equal(v0.AsSpan(h * dk, dk).ToArray(), cache.Values(r, h).ToArray());
            }
        }
    }

    [Fact]
    public void RandomReordersMatchHistoriesCopiedRowByRow()
    {
        // The cache moves slots and copies only for a parent's further children; a plain model copies every row.
        const int rows = 4, heads = 2, dk = 3, steps = 40;
        var data = new TestData();
        var cache = new KeyValueCache(rows, heads, dk, steps);
        cache.Reset(1);
        var expected = new List<List<float[]>> { new() }; // per row: appended key rows (values are their negatives)
        var random = new Random(data.Seed);
        for (int t = 0; t < steps; t++)
        {
            int live = cache.RowCount;
            var k = data.Floats(live * heads * dk);
            var v = k.Select(x => -x).ToArray();
            cache.Append(k, v);
            for (int r = 0; r < live; r++)
            {
                expected[r].Add(k.AsSpan(r * heads * dk, heads * dk).ToArray());
            }

            int next = random.Next(1, rows + 1);
            var parents = Enumerable.Range(0, next).Select(_ => random.Next(live)).ToArray();
            cache.Reorder(parents);
            expected = parents.Select(p => expected[p].ToList()).ToList();
            for (int r = 0; r < next; r++)
            {
                for (int h = 0; h < heads; h++)
                {
                    var keys = cache.Keys(r, h).ToArray();
                    var values = cache.Values(r, h).ToArray();
                    for (int step = 0; step <= t; step++)
                    {
                        var want = expected[r][step].AsSpan(h * dk, dk).ToArray();
                        Assert.Equal(want, keys.AsSpan(step * dk, dk).ToArray());
                        Assert.Equal(want.Select(x => -x).ToArray(), values.AsSpan(step * dk, dk).ToArray());
                    }
                }
            }
        }
    }

    [Fact]
    public void ResetEmptiesAndFullCacheRefusesToGrow()
    {
        var cache = new KeyValueCache(2, 1, 2, capacity: 2);
        cache.Reset(2);
        float[] kv = [1, 2, 3, 4];
        cache.Append(kv, kv);
        cache.Append(kv, kv);
        var full = Assert.Throws<InvalidOperationException>(() => cache.Append(kv, kv));
        Assert.Contains("full", full.Message);

        cache.Reset(1);
        Assert.Equal(0, cache.Length);
        Assert.Equal(1, cache.RowCount);
        cache.Append([5, 6], [7, 8]);
        Assert.Equal(new float[] { 5, 6 }, cache.Keys(0, 0).ToArray());
    }

    [Fact]
    public void TruncateRewindsAndTheNextAppendOverwrites()
    {
        var cache = new KeyValueCache(1, 1, 2, capacity: 3);
        cache.Append([1, 2], [3, 4]);
        cache.Append([5, 6], [7, 8]);
        cache.Truncate(1);
        Assert.Equal(1, cache.Length);
        cache.Append([9, 10], [11, 12]);
        Assert.Equal(new float[] { 1, 2, 9, 10 }, cache.Keys(0, 0).ToArray());
        Assert.Equal(new float[] { 3, 4, 11, 12 }, cache.Values(0, 0).ToArray());
        Assert.Throws<ArgumentException>(() => cache.Truncate(3));
    }

    [Fact]
    public void ReorderRejectsBadSourceRows()
    {
        var cache = new KeyValueCache(3, 1, 2, 2);
        cache.Reset(2);
        var e = Assert.Throws<ArgumentException>(() => cache.Reorder([0, 2]));
        Assert.Contains("sourceRowForEachRow[1] is 2", e.Message);
        Assert.Throws<ArgumentException>(() => cache.Reorder([0, 0, 0, 0]));
        Assert.Throws<ArgumentException>(() => cache.Reorder([-1]));
    }
}
