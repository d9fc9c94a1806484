using Summarizer.Attention;

namespace Summarizer.Inference.Selector;

/// <summary>
/// Every tensor of the sentence selector, read by training/train_selector.py's names from its .safetensors file and
/// shape-checked against the config. F16/BF16 tensors are widened to float32.
/// </summary>
public sealed class SentenceSelectorWeights
{
    /// <summary>The sizes these weights were checked against.</summary>
    public required SelectorConfig Config { get; init; }

    /// <summary>The additive pooling: query u, W_q, W_k, b, v (<c>pool.*</c>).</summary>
    public required float[] PoolQuery { get; init; }

    /// <summary>W_q: [d_a, d_mem].</summary>
    public required float[] PoolQueryWeight { get; init; }

    /// <summary>W_k: [d_a, d_mem].</summary>
    public required float[] PoolKeyWeight { get; init; }

    /// <summary>b: [d_a].</summary>
    public required float[] PoolBias { get; init; }

    /// <summary>v: [d_a].</summary>
    public required float[] PoolScore { get; init; }

    /// <summary>W_in: [d, 2·d_mem] over [pooled ; mean] (<c>proj.weight</c>).</summary>
    public required float[] ProjWeight { get; init; }

    /// <summary>b_in: [d] (<c>proj.bias</c>).</summary>
    public required float[] ProjBias { get; init; }

    /// <summary>P: [max_sentences, d] sentence positions (<c>pos.weight</c>).</summary>
    public required float[] Positions { get; init; }

    /// <summary>The sentence layers, bottom first.</summary>
    public required SentenceLayerWeights[] Layers { get; init; }

    /// <summary>w: [d] (<c>score.weight</c>).</summary>
    public required float[] ScoreWeight { get; init; }

    /// <summary>c (<c>score.bias</c>).</summary>
    public required float ScoreBias { get; init; }

    /// <summary>Reads every selector tensor, each checked against <paramref name="config"/>.</summary>
    /// <exception cref="ModelBundleException">A tensor is missing or has another shape.</exception>
    public static SentenceSelectorWeights Load(SafeTensorsFile file, SelectorConfig config)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(config);
        int m = config.DMemory, d = config.DModel, a = config.DAttention, dff = config.FeedForwardDim;
        var layers = new SentenceLayerWeights[config.Layers];
        for (var i = 0; i < layers.Length; i++)
        {
            var p = $"layers.{i}.";
            layers[i] = new SentenceLayerWeights
            {
                SelfAttention = new MultiHeadAttentionWeights(d, config.HeadCount,
                    file.ReadFloat32(p + "self_attn.q.weight", d, d), file.ReadFloat32(p + "self_attn.q.bias", d),
                    file.ReadFloat32(p + "self_attn.k.weight", d, d), file.ReadFloat32(p + "self_attn.k.bias", d),
                    file.ReadFloat32(p + "self_attn.v.weight", d, d), file.ReadFloat32(p + "self_attn.v.bias", d),
                    file.ReadFloat32(p + "self_attn.o.weight", d, d), file.ReadFloat32(p + "self_attn.o.bias", d)),
                Ln1Weight = file.ReadFloat32(p + "ln1.weight", d),
                Ln1Bias = file.ReadFloat32(p + "ln1.bias", d),
                Fc1Weight = file.ReadFloat32(p + "ffn.fc1.weight", dff, d),
                Fc1Bias = file.ReadFloat32(p + "ffn.fc1.bias", dff),
                Fc2Weight = file.ReadFloat32(p + "ffn.fc2.weight", d, dff),
                Fc2Bias = file.ReadFloat32(p + "ffn.fc2.bias", d),
                Ln2Weight = file.ReadFloat32(p + "ln2.weight", d),
                Ln2Bias = file.ReadFloat32(p + "ln2.bias", d),
            };
        }
        return new SentenceSelectorWeights
        {
            Config = config,
            PoolQuery = file.ReadFloat32("pool.u", m),
            PoolQueryWeight = file.ReadFloat32("pool.w_q.weight", a, m),
            PoolKeyWeight = file.ReadFloat32("pool.w_k.weight", a, m),
            PoolBias = file.ReadFloat32("pool.w_k.bias", a),
            PoolScore = file.ReadFloat32("pool.v.weight", a),
            ProjWeight = file.ReadFloat32("proj.weight", d, 2 * m),
            ProjBias = file.ReadFloat32("proj.bias", d),
            Positions = file.ReadFloat32("pos.weight", config.MaxSentences, d),
            Layers = layers,
            ScoreWeight = file.ReadFloat32("score.weight", d),
            ScoreBias = file.ReadFloat32("score.bias", 1)[0],
        };
    }
}
