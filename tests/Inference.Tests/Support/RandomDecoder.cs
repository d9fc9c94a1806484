using Summarizer.Inference.Decoder;

namespace Summarizer.Inference.Tests.Support;

/// <summary>A small decoder with random weights, built through a safetensors file as a real bundle's is.</summary>
internal static class RandomDecoder
{
    public static ModelConfig Config(int vocab = 40, int dModel = 16, int heads = 2, int dff = 24, int layers = 2, int maxSrc = 32, int maxTgt = 24) => new()
    {
        VocabSize = vocab, DModel = dModel, HeadCount = heads, DFf = dff, EncoderLayers = 1, DecoderLayers = layers,
        MaxSourceLength = maxSrc, MaxTargetLength = maxTgt,
    };

    public static SafeTensorsWriter Tensors(ModelConfig c, int seed, string dtype = "F32")
    {
        var random = new Random(seed);
        float[] R(int n, float scale = 0.3f) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
        float[] Ones(int n) => Enumerable.Range(0, n).Select(_ => 1f + (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        int d = c.DModel;
        var w = new SafeTensorsWriter();
        w.Add("embed.weight", R(c.VocabSize * d, 1f), dtype, c.VocabSize, d);
        w.Add("dec_pos.weight", R(c.MaxTargetLength * d), dtype, c.MaxTargetLength, d);
        for (var i = 0; i < c.DecoderLayers; i++)
        {
            var p = $"dec.{i}.";
            foreach (var ln in new[] { "ln1", "ln2", "ln3" })
            {
                w.Add(p + ln + ".weight", Ones(d), dtype, d);
                w.Add(p + ln + ".bias", R(d, 0.1f), dtype, d);
            }
            foreach (var block in new[] { "self_attn", "cross_attn" })
                foreach (var proj in new[] { "q", "k", "v", "o" })
                {
                    w.Add($"{p}{block}.{proj}.weight", R(d * d, 0.5f), dtype, d, d);
                    w.Add($"{p}{block}.{proj}.bias", R(d, 0.1f), dtype, d);
                }
            w.Add(p + "ffn.fc1.weight", R(c.DFf * d), dtype, c.DFf, d);
            w.Add(p + "ffn.fc1.bias", R(c.DFf, 0.1f), dtype, c.DFf);
            w.Add(p + "ffn.fc2.weight", R(d * c.DFf), dtype, d, c.DFf);
            w.Add(p + "ffn.fc2.bias", R(d, 0.1f), dtype, d);
        }
        w.Add("dec_ln.weight", Ones(d), dtype, d);
        w.Add("dec_ln.bias", R(d, 0.1f), dtype, d);
        w.Add("gen.weight", R(2 * d), dtype, 1, 2 * d);
        w.Add("gen.bias", R(1), dtype, 1);
        return w;
    }

    public static TransformerDecoder Create(ModelConfig c, int seed) =>
        new(DecoderWeights.Load(SafeTensorsFile.Parse("decoder.safetensors", Tensors(c, seed).ToBytes()), c));

    public static float[] Memory(int sourceLength, int dModel, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, sourceLength * dModel).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
