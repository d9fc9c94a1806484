using System.Text.Json.Nodes;

namespace Summarizer.Inference.Tests.Support;

/// <summary>
/// A complete v2 bundle with an untrained decoder (random weights) on the real packaged encoder (ArcticXs): what the whole service path
/// needs, without a trained model. Sizes are the real encoder's (V 30,522, d_model 384, 12 heads) and a small decoder.
/// </summary>
internal static class RandomBundle
{
    public static ModelConfig Config { get; } = new()
    {
        VocabSize = 30522,
        DModel = 384,
        HeadCount = 12,
        FeedForwardDim = 64,
        DecoderLayers = 2,
        ShortlistSize = 300,
        MaxSourceLength = 128,
        MaxTargetLength = 48,
        NormEps = 1e-12f,
        PadId = 0,
        UnkId = 100,
        BosId = 101,
        EosId = 102,
    };

    /// <summary>
    /// The shortlist: EOS and ids 999.. (punctuation, digits, letters and the commonest words), so both generated and
    /// copied words occur.
    /// </summary>
    public static int[] GenIds { get; } = [Config.EosId, .. Enumerable.Range(999, Config.ShortlistSize - 1)];

    /// <summary>config.json of the bundle, as training/export.py writes it.</summary>
    public static JsonObject ConfigJson() => new()
    {
        ["bundle_version"] = 2,
        ["name"] = "random-arcticxs",
        ["encoder"] = new JsonObject
        {
            ["package"] = PackagedEncoder.Package,
            ["package_version"] = PackagedEncoder.Version,
            ["onnx_sha256"] = PackagedEncoder.OnnxSha256,
            ["vocab_sha256"] = PackagedEncoder.VocabSha256,
        },
        ["model"] = new JsonObject
        {
            ["vocab_size"] = Config.VocabSize,
            ["d_model"] = Config.DModel,
            ["n_heads"] = Config.HeadCount,
            ["d_ff"] = Config.FeedForwardDim,
            ["n_dec_layers"] = Config.DecoderLayers,
            ["n_gen"] = Config.ShortlistSize,
            ["max_src_len"] = Config.MaxSourceLength,
            ["max_tgt_len"] = Config.MaxTargetLength,
            ["norm_eps"] = 1e-12,
            ["pad_id"] = Config.PadId,
            ["unk_id"] = Config.UnkId,
            ["bos_id"] = Config.BosId,
            ["eos_id"] = Config.EosId,
        },
        ["decoding"] = new JsonObject
        {
            ["num_beams"] = 4,
            ["length_penalty"] = 1.0,
            ["min_length"] = 4,
            ["max_length"] = 30,
            ["no_repeat_ngram_size"] = 3,
            ["early_stopping"] = false,
            ["grounded"] = false,
            ["no_repeat_word_ngram_size"] = 0,
            ["max_word_repeats"] = 0,
            ["source_phrase_bonus"] = 0.0,
            ["select_sentences"] = 0,
            ["copy_salience"] = 0.0,
        },
        ["files"] = new JsonObject { ["decoder_weights"] = "decoder.safetensors" },
        ["parameters"] = 1234,
        ["training"] = new JsonObject { ["data"] = "none (untrained)", ["minutes"] = 0 },
        ["metrics"] = new JsonObject { ["rouge"] = new JsonObject() },
    };

    /// <summary>Writes the bundle into <paramref name="directory"/> (created if needed) and returns it.</summary>
    public static string Write(string directory, int seed = 1)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson().ToJsonString());
        var tensors = RandomDecoder.Tensors(Config, seed, weightScale: 0.06f, genIds: GenIds);
        File.WriteAllBytes(Path.Combine(directory, "decoder.safetensors"), tensors.ToBytes());
        return directory;
    }

    /// <summary>Rewrites a bundle's config.json after <paramref name="edit"/> changed it (the tests' one way to break a field).</summary>
    public static void EditConfig(string directory, Action<JsonObject> edit)
    {
        var path = Path.Combine(directory, "config.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>A fresh temporary folder name.</summary>
    public static string TempDirectory() => Path.Combine(Path.GetTempPath(), "random-bundle-" + Guid.NewGuid().ToString("N"));
}
