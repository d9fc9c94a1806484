namespace Summarizer.Attention.Tests;

/// <summary>
/// The second-core helper: a product shared with it gives the values one thread gives, and only its holder uses or
/// releases it. One class, so its tests never hold the process's helper at the same time.
/// </summary>
public class CoreSplitTests
{
    // Runs a test with the process's helper engaged, and checks it is released afterwards; on a one-core machine there is
    // none, and that is what is checked.
    private static void WithSplit(Action<CoreSplit> test)
    {
        var holder = new object();
        var split = CoreSplit.TryAcquire(holder);
        if (split is null)
        {
            Assert.True(Environment.ProcessorCount < 2, "the helper is free on a machine with two cores or more");
            return;
        }

        try
        {
            Assert.True(split.IsEngaged);
            test(split);
        }
        finally
        {
            split.Release(holder);
        }

        Assert.False(split.IsEngaged);
    }

    [Theory]
    [InlineData(1, 384, 8000)]
    [InlineData(4, 384, 8000)]
    [InlineData(3, 384, 1536)]
    [InlineData(2, 1536, 384)]
    [InlineData(9, 40, 130)]
    [InlineData(4, 64, 100)] // too few outputs to share: one thread, the same values
    public void A_shared_product_equals_the_one_thread_product(int rows, int inDim, int outDim)
    {
        if (!QuantizedLinear.IsSupported)
        {
            return; // QuantizedLinearTests checks the refusal
        }

        WithSplit(split =>
        {
            var data = new TestData();
            float[] x = data.Floats(rows * inDim), w = data.Floats(outDim * inDim), b = data.Floats(outDim);
            var layer = new QuantizedLinear(w, outDim, inDim);
            float[] alone = new float[rows * outDim], shared = new float[rows * outDim];
            layer.Forward(x, b, alone, rows);
            for (int repeat = 0; repeat < 50; repeat++)
            {
                Array.Clear(shared);
                ((ILinearLayer)layer).Forward(x, b, shared, rows, split);
                Assert.Equal(alone, shared);
            }
        });
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(3, true)]
    [InlineData(1, true)]
    public void A_cross_attention_step_shared_by_heads_equals_the_one_thread_step(int rows, bool int8)
    {
        WithSplit(split =>
        {
            const int dModel = 96, heads = 12, s = 50;
            var data = new TestData();
            var attention = new MultiHeadAttention(data.Weights(dModel, heads), packForSteps: true, int8Steps: int8);
            var kv = new CrossAttentionKeyValues(heads, dModel / heads, s);
            attention.ComputeCrossKeyValues(data.Floats(s * dModel), s, kv);
            var workspace = new AttentionWorkspace(dModel, heads, rows, s);
            var x = data.Floats(rows * dModel);
            var mask = new float[s];
            mask.AsSpan(s - 7).Fill(AttentionMask.Masked);
            float[] alone = new float[rows * dModel], shared = new float[rows * dModel];
            float[] aloneWeights = new float[rows * heads * s], sharedWeights = new float[rows * heads * s];
            attention.CrossAttention(x, rows, kv, workspace, alone, mask, aloneWeights);
            for (int repeat = 0; repeat < 20; repeat++)
            {
                attention.CrossAttention(x, rows, kv, workspace, shared, mask, sharedWeights, split);
                Assert.Equal(alone, shared);
                Assert.Equal(aloneWeights, sharedWeights);
            }
        });
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    public void A_self_attention_step_shared_by_heads_equals_the_one_thread_step(int rows, bool int8)
    {
        WithSplit(split =>
        {
            const int dModel = 96, heads = 12, steps = 6;
            var data = new TestData();
            var attention = new MultiHeadAttention(data.Weights(dModel, heads), packForSteps: true, int8Steps: int8);
            var alone = new KeyValueCache(rows, heads, dModel / heads, steps);
            var shared = new KeyValueCache(rows, heads, dModel / heads, steps);
            alone.Reset(rows);
            shared.Reset(rows);
            var workspace = new AttentionWorkspace(dModel, heads, rows, steps);
            for (int t = 0; t < steps; t++)
            {
                var x = data.Floats(rows * dModel);
                float[] expected = new float[rows * dModel], actual = new float[rows * dModel];
                float[] expectedWeights = new float[rows * heads * (t + 1)], actualWeights = new float[rows * heads * (t + 1)];
                attention.SelfAttentionStep(x, alone, workspace, expected, expectedWeights);
                attention.SelfAttentionStep(x, shared, workspace, actual, actualWeights, split);
                Assert.Equal(expected, actual);
                Assert.Equal(expectedWeights, actualWeights);
            }
        });
    }

    private sealed class Failing(int failAt) : IChunkedWork
    {
        public int[] Ran { get; } = new int[16];

        public void RunChunk(int index)
        {
            Interlocked.Increment(ref Ran[index]);
            if (index == failAt)
            {
                throw new InvalidOperationException($"chunk {index}");
            }
        }
    }

    [Fact]
    public void A_failing_chunk_throws_on_the_caller_and_the_helper_lives_on()
    {
        WithSplit(split =>
        {
            for (int failAt = 0; failAt < 16; failAt += 5)
            {
                var work = new Failing(failAt);
                var e = Assert.Throws<InvalidOperationException>(() => split.Run(work, 16));
                Assert.Equal($"chunk {failAt}", e.Message);
                Assert.All(work.Ran, count => Assert.Equal(1, count)); // every chunk ran once, the failing one included
            }

            var fine = new Failing(-1);
            split.Run(fine, 16);
            Assert.All(fine.Ran, count => Assert.Equal(1, count));
        });
    }

    [Fact]
    public void Only_the_holder_uses_and_releases_the_helper()
    {
        var first = new object();
        var split = CoreSplit.TryAcquire(first);
        if (split is null)
        {
            Assert.True(Environment.ProcessorCount < 2, "the helper is free on a machine with two cores or more");
            return;
        }

        var second = new object();
        Assert.Null(CoreSplit.TryAcquire(second));
        split.Release(second); // not the holder: nothing happens
        Assert.True(split.IsEngaged);
        Assert.Null(CoreSplit.TryAcquire(second));
        split.Release(first);
        Assert.False(split.IsEngaged);
        Assert.Same(split, CoreSplit.TryAcquire(second));
        split.Release(second);
        Assert.Throws<ArgumentNullException>(() => CoreSplit.TryAcquire(null!));
    }
}
