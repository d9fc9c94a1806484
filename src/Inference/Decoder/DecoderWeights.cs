using Summarizer.Attention;

namespace Summarizer.Inference.Decoder;

/// <summary>
/// Every tensor the native decoder needs: the word embedding E, taken from the encoder's ONNX graph, and the rest read by
/// name from decoder.safetensors, each shape-checked against the config (docs/DESIGN.md "decoder.safetensors tensor
/// names"). F16/BF16 tensors are widened to float32.
/// </summary>
public sealed class DecoderWeights
{
    /// <summary>The sizes these weights were checked against.</summary>
    public required ModelConfig Config { get; init; }

    /// <summary>E: [vocab_size, d_model] the encoder's word embedding (frozen; <c>embeddings.word_embeddings.weight</c> of its ONNX).</summary>
    public required float[] Embedding { get; init; }

    /// <summary>P: [max_tgt_len, d_model] decoder positions (<c>pos.weight</c>).</summary>
    public required float[] Positions { get; init; }

    /// <summary>LN_emb γ: [d_model] (<c>emb_ln.weight</c>), over E[token] + P[position].</summary>
    public required float[] EmbeddingNormWeight { get; init; }

    /// <summary>LN_emb β: [d_model] (<c>emb_ln.bias</c>).</summary>
    public required float[] EmbeddingNormBias { get; init; }

    /// <summary>The decoder layers, bottom first.</summary>
    public required DecoderLayerWeights[] Layers { get; init; }

    /// <summary>W_out: [n_gen, d_model] generation shortlist projection (<c>out.weight</c>).</summary>
    public required float[] OutWeight { get; init; }

    /// <summary>b_out: [n_gen] (<c>out.bias</c>).</summary>
    public required float[] OutBias { get; init; }

    /// <summary>gen_ids: [n_gen] the vocabulary id of each shortlist entry (<c>gen_ids</c>): distinct, in 0..vocab_size-1.</summary>
    public required int[] GenIds { get; init; }

    /// <summary>w_gen: [1, 2·d_model] copy gate over [h ; c] (<c>gen.weight</c>).</summary>
    public required float[] GenWeight { get; init; }

    /// <summary>b_gen: [1] (<c>gen.bias</c>).</summary>
    public required float GenBias { get; init; }

    /// <summary>Reads every decoder tensor in the documented order, each checked against <paramref name="config"/>.</summary>
    /// <param name="file">decoder.safetensors.</param>
    /// <param name="embedding">E: [vocab_size, d_model] from the encoder's graph (kept, not copied).</param>
    /// <param name="config">The sizes to check against.</param>
    /// <exception cref="ModelBundleException">A tensor is missing or has another shape, or gen_ids are out of range or repeated.</exception>
    public static DecoderWeights Load(SafeTensorsFile file, float[] embedding, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(config);
        int d = config.DModel, dff = config.FeedForwardDim;
        if (embedding.Length != config.VocabSize * d)
            throw new ArgumentException($"E has {embedding.Length} values; [vocab_size={config.VocabSize}, d_model={d}] needs {config.VocabSize * d}.", nameof(embedding));
        var positions = file.ReadFloat32("pos.weight", config.MaxTargetLength, d);
        var embeddingNormWeight = file.ReadFloat32("emb_ln.weight", d);
        var embeddingNormBias = file.ReadFloat32("emb_ln.bias", d);
        var layers = new DecoderLayerWeights[config.DecoderLayers];
        for (var i = 0; i < layers.Length; i++)
        {
            var p = $"dec.{i}.";
            layers[i] = new DecoderLayerWeights
            {
                SelfAttention = Attention(file, p + "self_attn.", config),
                Ln1Weight = file.ReadFloat32(p + "ln1.weight", d),
                Ln1Bias = file.ReadFloat32(p + "ln1.bias", d),
                CrossAttention = Attention(file, p + "cross_attn.", config),
                Ln2Weight = file.ReadFloat32(p + "ln2.weight", d),
                Ln2Bias = file.ReadFloat32(p + "ln2.bias", d),
                Fc1Weight = file.ReadFloat32(p + "ffn.fc1.weight", dff, d),
                Fc1Bias = file.ReadFloat32(p + "ffn.fc1.bias", dff),
                Fc2Weight = file.ReadFloat32(p + "ffn.fc2.weight", d, dff),
                Fc2Bias = file.ReadFloat32(p + "ffn.fc2.bias", d),
                Ln3Weight = file.ReadFloat32(p + "ln3.weight", d),
                Ln3Bias = file.ReadFloat32(p + "ln3.bias", d),
            };
        }
        if (file.Contains($"dec.{layers.Length}.ln1.weight"))
            throw new ModelBundleException(file.Name, $"dec.{layers.Length}.ln1.weight", $"the file has more decoder layers than config.json's model.n_dec_layers ({layers.Length}).");

        return new DecoderWeights
        {
            Config = config,
            Embedding = embedding,
            Positions = positions,
            EmbeddingNormWeight = embeddingNormWeight,
            EmbeddingNormBias = embeddingNormBias,
            Layers = layers,
            OutWeight = file.ReadFloat32("out.weight", config.ShortlistSize, d),
            OutBias = file.ReadFloat32("out.bias", config.ShortlistSize),
            GenIds = GenerationIds(file, config),
            GenWeight = file.ReadFloat32("gen.weight", 1, 2 * d),
            GenBias = file.ReadFloat32("gen.bias", 1)[0],
        };
    }

    // gen_ids must be distinct vocabulary ids: the scatter into the vocabulary then writes each id once.
    private static int[] GenerationIds(SafeTensorsFile file, ModelConfig config)
    {
        var ids = file.ReadInt32("gen_ids", config.ShortlistSize);
        var seen = new bool[config.VocabSize];
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)config.VocabSize)
                throw new ModelBundleException(file.Name, "gen_ids", $"holds {id}, outside the vocabulary (0..{config.VocabSize - 1}).");
            if (seen[id])
                throw new ModelBundleException(file.Name, "gen_ids", $"holds {id} twice; shortlist ids must be distinct.");
            seen[id] = true;
        }
        return ids;
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
