using Summarizer.Inference.Encoder;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Encoder;

/// <summary>One session of the real encoder, shared by the tests of <see cref="OnnxEncoderTests"/>.</summary>
public sealed class PackagedEncoderFixture : IDisposable
{
    public PackagedEncoderFixture() =>
        Encoder = OnnxEncoder.Load(PackagedEncoder.Onnx, "arcticxs", RandomBundle.Config, new InferenceSettings { IntraOpThreads = 1 });

    public OnnxEncoder Encoder { get; }

    public void Dispose() => Encoder.Dispose();
}

/// <summary>[CLS] source [SEP] through the package's graph; memory row j belongs to source token j.</summary>
public class OnnxEncoderTests(PackagedEncoderFixture fixture)
    : IClassFixture<PackagedEncoderFixture>
{
    private static int[] Ids(string text) => PackagedEncoder.Tokenizer.Encode(text);

    [Fact]
    public void Memory_has_one_finite_row_per_source_token()
    {
        var ids = Ids("the cat sat on the mat .");
        var memory = fixture.Encoder.Encode(ids);
        Assert.Equal(ids.Length * 384, memory.Length);
        Assert.All(memory, x => Assert.True(float.IsFinite(x)));
        // The two "the" rows differ: each row is its token in context, not a lookup.
        Assert.False(memory.AsSpan(0, 384).SequenceEqual(memory.AsSpan(4 * 384, 384)));
    }

    [Fact]
    public void A_padded_batch_gives_each_source_the_memory_it_gets_alone()
    {
        int[][] sources = [Ids("a short one ."), Ids("a longer source , with more words in it than the first ."), Ids("x")];
        var memories = sources.Select(s => new float[s.Length * 384]).ToArray();
        fixture.Encoder.EncodeBatch(sources, memories);
        for (var i = 0; i < sources.Length; i++)
        {
            var alone = fixture.Encoder.Encode(sources[i]);
            for (var k = 0; k < alone.Length; k++)
                Assert.True(Math.Abs(alone[k] - memories[i][k]) <= 1e-4, $"source {i} [{k}]: {memories[i][k]} vs {alone[k]}");
        }
    }

    [Fact]
    public void A_config_of_another_width_names_the_output()
    {
        var e = Assert.Throws<ModelBundleException>(() =>
            OnnxEncoder.Load(PackagedEncoder.Onnx, "arcticxs", RandomBundle.Config with { DModel = 256, HeadCount = 8 }, new InferenceSettings { IntraOpThreads = 1 }));
        Assert.Equal("last_hidden_state", e.Field);
    }

    [Fact]
    public void An_empty_source_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => fixture.Encoder.Encode([]));
}
