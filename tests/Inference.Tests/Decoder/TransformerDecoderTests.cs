using Summarizer.Inference.Decoder;
using Summarizer.Inference.Decoding;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Decoder;

public class TransformerDecoderTests
{
    private static readonly ModelConfig Config = RandomDecoder.Config();
    private static readonly int[] Source = [5, 9, 5, 17, 30, 3, 11];

    private static (TransformerDecoder Decoder, DecoderWeights Weights, float[] Memory) Build(int seed = 1)
    {
        var weights = RandomDecoder.Weights(Config, seed);
        return (new TransformerDecoder(weights), weights, RandomDecoder.Memory(Source.Length, Config.DModel, seed + 100));
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"[{i}] expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Each_cached_step_matches_the_full_recomputation()
    {
        var (decoder, weights, memory) = Build();
        var state = decoder.CreateState(memory, Source, maxRows: 1);
        int[] prefix = [Config.BosId, 7, 5, 21, 9, 9, 13];
        for (var t = 0; t < prefix.Length; t++)
        {
            state.Step([prefix[t]], t);
            var (logProbs, copy, pGen) = ReferenceDecoderMath.Last(weights, memory, Source, prefix[..(t + 1)]);
            AssertClose(logProbs, state.LogProbs(0), 1e-4);
            AssertClose(copy, state.CopyAttention(0), 1e-5);
            Assert.Equal(pGen, state.GenerationProbability(0), 5);
        }
    }

    [Fact]
    public void Reordered_beams_keep_their_own_history()
    {
        var (decoder, weights, memory) = Build(2);
        var state = decoder.CreateState(memory, Source, maxRows: 3);
        var histories = new List<List<int>> { new() { Config.BosId } };
        state.Step([Config.BosId], 0);
        int[][] parents = [[0, 0, 0], [2, 0, 1], [1, 1, 2], [0, 2]];
        int[][] tokens = [[4, 8, 15], [16, 23, 42 % Config.VocabSize], [7, 7, 8], [30, 31]];
        for (var s = 0; s < parents.Length; s++)
        {
            state.Reorder(parents[s]);
            histories = parents[s].Select((p, i) => new List<int>(histories[p]) { tokens[s][i] }).ToList();
            state.Step(tokens[s], s + 1);
            for (var r = 0; r < histories.Count; r++)
            {
                var (logProbs, copy, _) = ReferenceDecoderMath.Last(weights, memory, Source, histories[r]);
                AssertClose(logProbs, state.LogProbs(r), 1e-4);
                AssertClose(copy, state.CopyAttention(r), 1e-5);
            }
        }
    }

    [Fact]
    public void Outputs_are_distributions_with_one_column_per_source_token()
    {
        var (decoder, _, memory) = Build(3);
        var state = decoder.CreateState(memory, Source, maxRows: 2, captureLayerAttention: true);
        state.Step([Config.BosId], 0);
        state.Reorder([0, 0]);
        state.Step([6, 12], 1);
        for (var r = 0; r < 2; r++)
        {
            Assert.Equal(Source.Length, state.CopyAttention(r).Length);
            Assert.Equal(1.0, state.CopyAttention(r).ToArray().Sum(), 5);
            Assert.Equal(1.0, state.LogProbs(r).ToArray().Sum(x => Math.Exp(x)), 4);
            Assert.InRange(state.GenerationProbability(r), 0f, 1f);

            // Full capture: [layers, heads, S]; the last layer's head mean is the copy distribution.
            var layered = state.LayerAttention(r);
            Assert.Equal(Config.DecoderLayers * Config.HeadCount * Source.Length, layered.Length);
            var lastLayer = layered[((Config.DecoderLayers - 1) * Config.HeadCount * Source.Length)..].ToArray();
            for (var j = 0; j < Source.Length; j++)
            {
                var mean = Enumerable.Range(0, Config.HeadCount).Average(h => lastLayer[h * Source.Length + j]);
                Assert.Equal(mean, state.CopyAttention(r)[j], 5);
            }
        }
    }

    [Fact]
    public void A_step_allocates_nothing()
    {
        var (decoder, _, memory) = Build(4);
        var state = decoder.CreateState(memory, Source, maxRows: 4, captureLayerAttention: true);
        int[] first = [Config.BosId];
        int[] tokens = [4, 5, 6, 7];
        int[] parents = [0, 0, 0, 0];
        state.Step(first, 0);
        state.Reorder(parents);
        state.Step(tokens, 1); // warm-up: per-thread scratch reaches its size
        state.Reorder(parents);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var t = 2; t < 12; t++)
        {
            state.Step(tokens, t);
            state.Reorder(parents);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(DecoderQuantization.OutputProjection)]
    [InlineData(DecoderQuantization.FeedForward)]
    [InlineData(DecoderQuantization.OutputProjection | DecoderQuantization.FeedForward)]
    [InlineData(DecoderQuantization.Attention)]
    [InlineData(DecoderQuantization.OutputProjection | DecoderQuantization.FeedForward | DecoderQuantization.Attention)]
    public void An_int8_decoder_stays_close_to_the_float_one_and_allocates_nothing(DecoderQuantization quantization)
    {
        var weights = RandomDecoder.Weights(Config, 6);
        var memory = RandomDecoder.Memory(Source.Length, Config.DModel, 106);
        var exact = new TransformerDecoder(weights).CreateState(memory, Source, maxRows: 4);
        var int8 = new TransformerDecoder(weights, quantization);
        var runs = Attention.QuantizedLinear.IsSupported ? quantization : DecoderQuantization.None; // as stored without AVX-VNNI
        Assert.Equal(runs, int8.Quantization);
        var state = int8.CreateState(memory, Source, maxRows: 4);
        int[] parents = [0, 0, 0, 0];
        int[][] steps = [[Config.BosId, Config.BosId, Config.BosId, Config.BosId], [4, 5, 6, 7], [9, 9, 13, 21], [5, 17, 30, 3]];
        var largest = 0.0;
        for (var t = 0; t < steps.Length; t++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            state.Step(steps[t], t);
            if (t >= 2)
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            exact.Step(steps[t], t);
            for (var row = 0; row < 4; row++)
            {
                // Probabilities, not log-probs: the floor of 1e-12 makes tiny ones differ a lot in log space and not at all here.
                var p = exact.LogProbs(row).ToArray().Select(MathF.Exp).ToArray();
                var q = state.LogProbs(row).ToArray().Select(MathF.Exp).ToArray();
                largest = Math.Max(largest, p.Zip(q, (a, b) => (double)Math.Abs(a - b)).Max());
                Assert.Equal(exact.CopyAttention(row).ToArray(), state.CopyAttention(row).ToArray(), (a, b) => Math.Abs(a - b) <= 0.02f);
            }
            state.Reorder(parents);
            exact.Reorder(parents);
        }
        Assert.True(runs == DecoderQuantization.None ? largest == 0 : largest is > 0 and < 0.02, $"largest probability difference {largest}");
    }

    [Fact]
    public void Float16_weights_load_as_float32()
    {
        var embedding = RandomDecoder.Embedding(Config, 5);
        var bytes = RandomDecoder.Tensors(Config, 5, "F16").ToBytes();
        var weights = DecoderWeights.Load(SafeTensorsFile.Parse("decoder.safetensors", bytes), embedding, Config);
        var reference = RandomDecoder.Weights(Config, 5);
        for (var i = 0; i < reference.OutWeight.Length; i++)
            Assert.Equal((float)(Half)reference.OutWeight[i], weights.OutWeight[i]);
        Assert.Equal(reference.GenIds, weights.GenIds);
    }

    [Fact]
    public void Only_the_shortlist_and_the_source_get_probability()
    {
        var (decoder, weights, memory) = Build(6);
        var state = decoder.CreateState(memory, Source, maxRows: 1);
        state.Step([Config.BosId], 0);
        var reachable = weights.GenIds.Concat(Source).ToHashSet();
        var logProbs = state.LogProbs(0);
        for (var w = 0; w < Config.VocabSize; w++)
        {
            if (reachable.Contains(w))
                Assert.True(logProbs[w] > MathF.Log(1e-12f) + 1, $"id {w} can be generated or copied but has log P {logProbs[w]}");
            else
                Assert.True(Math.Abs(MathF.Log(1e-12f) - logProbs[w]) < 1e-5, $"id {w} can be neither generated nor copied but has log P {logProbs[w]}");
        }
    }

    [Fact]
    public void A_beam_of_one_is_greedy_search_on_the_real_decoder()
    {
        var (decoder, _, memory) = Build(7);
        var options = new DecodingOptions { NumBeams = 1, MaxLength = 12, MinLength = 3, NoRepeatNgramSize = 2, EarlyStopping = true, LengthPenalty = 1f };
        var greedy = GreedySearch.Run(decoder.CreateState(memory, Source, 1), options, Config.BosId, Config.EosId);
        var beam = BeamSearch.Run(decoder.CreateState(memory, Source, 1), options, Config.BosId, Config.EosId);
        Assert.NotEmpty(greedy.Tokens);
        Assert.Equal(greedy.Tokens, beam.Tokens);
        Assert.Equal(greedy.CopyAttention, beam.CopyAttention);
    }

    [Theory]
    [InlineData("repeated")]
    [InlineData("outside")]
    [InlineData("float")]
    public void Bad_shortlist_ids_name_gen_ids(string fault)
    {
        var tensors = RandomDecoder.Tensors(Config, 8);
        var ids = Enumerable.Range(0, Config.ShortlistSize).ToArray();
        if (fault == "repeated")
            ids[5] = ids[4];
        if (fault == "outside")
            ids[5] = Config.VocabSize;
        tensors.Remove("gen_ids");
        if (fault == "float")
            tensors.Add("gen_ids", ids.Select(i => (float)i).ToArray(), Config.ShortlistSize);
        else
            tensors.Add("gen_ids", ids, Config.ShortlistSize);
        var e = Assert.Throws<ModelBundleException>(() =>
            DecoderWeights.Load(SafeTensorsFile.Parse("decoder.safetensors", tensors.ToBytes()), RandomDecoder.Embedding(Config, 8), Config));
        Assert.Equal("decoder.safetensors", e.File);
        Assert.Equal("gen_ids", e.Field);
    }

    [Fact]
    public void A_shortlist_of_another_size_names_out_weight()
    {
        var bytes = RandomDecoder.Tensors(Config, 9).ToBytes();
        var e = Assert.Throws<ModelBundleException>(() =>
            DecoderWeights.Load(SafeTensorsFile.Parse("decoder.safetensors", bytes), RandomDecoder.Embedding(Config, 9), Config with { ShortlistSize = Config.ShortlistSize + 1 }));
        Assert.Equal("out.weight", e.Field);
        Assert.Contains($"[{Config.ShortlistSize}, {Config.DModel}]", e.Message);
    }

    [Fact]
    public void Bad_steps_are_refused_with_clear_errors()
    {
        var (decoder, _, memory) = Build();
        var state = decoder.CreateState(memory, Source, maxRows: 2);
        Assert.Throws<ArgumentException>(() => state.Step([Config.BosId], 1));
        Assert.Throws<ArgumentException>(() => state.Step([1, 2, 3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Step([Config.VocabSize], 0));
        Assert.Throws<ArgumentException>(() => decoder.CreateState(memory.AsSpan(1).ToArray(), Source, 1));
        Assert.Throws<ArgumentException>(() => decoder.CreateState(memory, [.. Source[..^1], Config.VocabSize], 1));
    }
}
