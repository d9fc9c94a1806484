using Summarizer.Inference.Decoder;

namespace Summarizer.Inference.Tests.Support;

/// <summary>A small decoder with random weights, built through a safetensors file as a real bundle's is.</summary>
internal static class RandomDecoder
{
    /// <summary>Small sizes; ids 0..3 play [PAD], [UNK], BOS and EOS.</summary>
    public static ModelConfig Config(int vocab = 40, int dModel = 16, int heads = 2, int dff = 24, int layers = 2, int nGen = 25, int maxSrc = 32, int maxTgt = 24) => new()
    {
        VocabSize = vocab,
        DModel = dModel,
        HeadCount = heads,
        FeedForwardDim = dff,
        DecoderLayers = layers,
        ShortlistSize = nGen,
        MaxSourceLength = maxSrc,
        MaxTargetLength = maxTgt,
        NormEps = 1e-12f,
        PadId = 0,
        UnkId = 1,
        BosId = 2,
        EosId = 3,
    };

    /// <summary>
    /// Every decoder.safetensors tensor (DESIGN.md names), random. The shortlist is a random set of distinct ids that holds
    /// EOS (so generation can stop) and leaves some ids to copying alone.
    /// </summary>
    /// <param name="c">Sizes.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="dtype">F32 or F16.</param>
    /// <param name="weightScale">Half-range of the square weights (0.5 for small widths; about 1/√d_model keeps attention soft).</param>
    /// <param name="genIds">The shortlist, or null for a random one.</param>
    public static SafeTensorsWriter Tensors(ModelConfig c, int seed, string dtype = "F32", float weightScale = 0.5f, int[]? genIds = null)
    {
        var random = new Random(seed);
        float[] R(int n, float scale = 0.3f) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
        float[] Ones(int n) => Enumerable.Range(0, n).Select(_ => 1f + (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        int d = c.DModel;
        var w = new SafeTensorsWriter();
        w.Add("pos.weight", R(c.MaxTargetLength * d), dtype, c.MaxTargetLength, d);
        w.Add("emb_ln.weight", Ones(d), dtype, d);
        w.Add("emb_ln.bias", R(d, 0.1f), dtype, d);
        for (var i = 0; i < c.DecoderLayers; i++)
        {
            var p = $"dec.{i}.";
            foreach (var (block, ln) in new[] { ("self_attn", "ln1"), ("cross_attn", "ln2") })
            {
                foreach (var proj in new[] { "q", "k", "v", "o" })
                {
                    w.Add($"{p}{block}.{proj}.weight", R(d * d, weightScale), dtype, d, d);
                    w.Add($"{p}{block}.{proj}.bias", R(d, 0.1f), dtype, d);
                }
                w.Add(p + ln + ".weight", Ones(d), dtype, d);
                w.Add(p + ln + ".bias", R(d, 0.1f), dtype, d);
            }
            w.Add(p + "ffn.fc1.weight", R(c.FeedForwardDim * d), dtype, c.FeedForwardDim, d);
            w.Add(p + "ffn.fc1.bias", R(c.FeedForwardDim, 0.1f), dtype, c.FeedForwardDim);
            w.Add(p + "ffn.fc2.weight", R(d * c.FeedForwardDim), dtype, d, c.FeedForwardDim);
            w.Add(p + "ffn.fc2.bias", R(d, 0.1f), dtype, d);
            w.Add(p + "ln3.weight", Ones(d), dtype, d);
            w.Add(p + "ln3.bias", R(d, 0.1f), dtype, d);
        }
        w.Add("out.weight", R(c.ShortlistSize * d), dtype, c.ShortlistSize, d);
        w.Add("out.bias", R(c.ShortlistSize, 0.1f), dtype, c.ShortlistSize);
        w.Add("gen_ids", genIds ?? GenIds(c, random), c.ShortlistSize);
        w.Add("gen.weight", R(2 * d), dtype, 1, 2 * d);
        w.Add("gen.bias", R(1), dtype, 1);
        return w;
    }

    /// <summary>E: [vocab, d_model] random, as the encoder's graph would give it.</summary>
    public static float[] Embedding(ModelConfig c, int seed)
    {
        var random = new Random(seed + 7919);
        return Enumerable.Range(0, c.VocabSize * c.DModel).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    public static DecoderWeights Weights(ModelConfig c, int seed) =>
        DecoderWeights.Load(SafeTensorsFile.Parse("decoder.safetensors", Tensors(c, seed).ToBytes()), Embedding(c, seed), c);

    public static TransformerDecoder Create(ModelConfig c, int seed) => new(Weights(c, seed));

    public static float[] Memory(int sourceLength, int dModel, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, sourceLength * dModel).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    // n_gen distinct ids in a shuffled order, EOS among them.
    private static int[] GenIds(ModelConfig c, Random random)
    {
        var others = Enumerable.Range(0, c.VocabSize).Where(id => id != c.EosId).OrderBy(_ => random.Next()).Take(c.ShortlistSize - 1);
        return [.. others.Append(c.EosId).OrderBy(_ => random.Next())];
    }
}
