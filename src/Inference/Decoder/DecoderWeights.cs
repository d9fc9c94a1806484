using Summarizer.Attention;

namespace Summarizer.Inference.Decoder;

/// <summary>
/// Every tensor the native decoder needs, read by name from decoder.safetensors and shape-checked against the config
/// (docs/DESIGN.md, "decoder.safetensors tensor names"). F16/BF16 tensors are widened to float32.
/// </summary>
public sealed class DecoderWeights
{
    /// <summary>The sizes these weights were checked against.</summary>
    public required ModelConfig Config { get; init; }

    /// <summary>E: [vocab_size, d_model] token embedding, also the tied output projection (<c>embed.weight</c>).</summary>
    public required float[] Embedding { get; init; }

    /// <summary>Pd: [max_tgt_len, d_model] learned decoder positions (<c>dec_pos.weight</c>).</summary>
    public required float[] Positions { get; init; }

    /// <summary>The decoder layers, bottom first.</summary>
    public required DecoderLayerWeights[] Layers { get; init; }

    /// <summary>LN_f γ: [d_model] (<c>dec_ln.weight</c>).</summary>
    public required float[] FinalNormWeight { get; init; }

    /// <summary>LN_f β: [d_model] (<c>dec_ln.bias</c>).</summary>
    public required float[] FinalNormBias { get; init; }

    /// <summary>w_gen: [1, 2·d_model] copy gate over [h ; c] (<c>gen.weight</c>).</summary>
    public required float[] GenWeight { get; init; }

    /// <summary>b_gen: [1] (<c>gen.bias</c>).</summary>
    public required float GenBias { get; init; }

    /// <summary>Reads every tensor in the documented order, each checked against <paramref name="config"/>.</summary>
    public static DecoderWeights Load(SafeTensorsFile file, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(config);
        int d = config.DModel, dff = config.DFf;
        var layers = new DecoderLayerWeights[config.DecoderLayers];
        for (var i = 0; i < layers.Length; i++)
        {
            var p = $"dec.{i}.";
            layers[i] = new DecoderLayerWeights
            {
                Ln1Weight = file.ReadFloat32(p + "ln1.weight", d),
                Ln1Bias = file.ReadFloat32(p + "ln1.bias", d),
                SelfAttention = Attention(file, p + "self_attn.", config),
                Ln2Weight = file.ReadFloat32(p + "ln2.weight", d),
                Ln2Bias = file.ReadFloat32(p + "ln2.bias", d),
                CrossAttention = Attention(file, p + "cross_attn.", config),
                Ln3Weight = file.ReadFloat32(p + "ln3.weight", d),
                Ln3Bias = file.ReadFloat32(p + "ln3.bias", d),
                Fc1Weight = file.ReadFloat32(p + "ffn.fc1.weight", dff, d),
                Fc1Bias = file.ReadFloat32(p + "ffn.fc1.bias", dff),
                Fc2Weight = file.ReadFloat32(p + "ffn.fc2.weight", d, dff),
                Fc2Bias = file.ReadFloat32(p + "ffn.fc2.bias", d),
            };
        }
        if (file.Contains($"dec.{layers.Length}.ln1.weight"))
            throw new ModelBundleException(file.Name, $"dec.{layers.Length}.ln1.weight", $"the file has more decoder layers than config.json's model.n_dec_layers ({layers.Length}).");

        return new DecoderWeights
        {
            Config = config,
            Embedding = file.ReadFloat32("embed.weight", config.VocabSize, d),
            Positions = file.ReadFloat32("dec_pos.weight", config.MaxTargetLength, d),
            Layers = layers,
            FinalNormWeight = file.ReadFloat32("dec_ln.weight", d),
            FinalNormBias = file.ReadFloat32("dec_ln.bias", d),
            GenWeight = file.ReadFloat32("gen.weight", 1, 2 * d),
            GenBias = file.ReadFloat32("gen.bias", 1)[0],
        };
    }

    // q, k, v, o: W (d_model, d_model) as (out, in) and b (d_model)
    private static MultiHeadAttentionWeights Attention(SafeTensorsFile file, string prefix, ModelConfig config)
    {
        int d = config.DModel;
        return new MultiHeadAttentionWeights(d, config.HeadCount,
            file.ReadFloat32(prefix + "q.weight", d, d), file.ReadFloat32(prefix + "q.bias", d),
            file.ReadFloat32(prefix + "k.weight", d, d), file.ReadFloat32(prefix + "k.bias", d),
            file.ReadFloat32(prefix + "v.weight", d, d), file.ReadFloat32(prefix + "v.bias", d),
            file.ReadFloat32(prefix + "o.weight", d, d), file.ReadFloat32(prefix + "o.bias", d));
    }
}
