using System.Text.Json.Nodes;
using Summarizer.Inference.Decoder;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Bundle;

/// <summary>Each test writes a bundle (real encoder package, random decoder) to its own folder, breaks one thing, and expects an error naming it.</summary>
public sealed class BundleLoadingTests : IDisposable
{
    private readonly string _dir = RandomBundle.Write(RandomBundle.TempDirectory());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ModelBundleException LoadFails() =>
        Assert.Throws<ModelBundleException>(() => TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = 1 }).Dispose());

    private void EditConfig(Action<JsonObject> edit) => RandomBundle.EditConfig(_dir, edit);

    [Fact]
    public void The_intact_bundle_loads_and_reports_its_card()
    {
        using var model = TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = 1 });
        Assert.Equal("random-arcticxs", model.Model.Name);
        Assert.Equal(2, model.Model.BundleVersion);
        Assert.Equal(30522, model.Model.Config.VocabSize);
        Assert.Equal(384, model.Model.Config.DModel);
        Assert.Equal(6, model.Model.EncoderLayers);
        Assert.Equal(RandomBundle.Config.DecoderLayers, model.Model.Config.DecoderLayers);
        Assert.Equal(RandomBundle.Config.MaxTargetLength, model.Model.Config.MaxTargetLength);
        Assert.Equal(4, model.Model.Defaults.NumBeams);
        Assert.Equal(1234, model.Model.Parameters);
        Assert.Equal(PackagedEncoder.Package, (string?)model.Model.Card["encoder"]?["package"]);
        Assert.NotNull(model.Model.Card["training"]?["data"]);
        Assert.NotNull(model.Model.Card["metrics"]?["rouge"]);
        Assert.Equal(RandomBundle.Config.ShortlistSize, model.Decoder.Config.ShortlistSize);
    }

    [Fact]
    public void The_decoder_runs_in_int8_where_the_bundle_says_unless_full_precision_is_asked_for()
    {
        using (var plain = TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = 1 }))
            Assert.Equal(DecoderQuantization.None, plain.Decoder.Quantization);
        EditConfig(root => root["decoder_quantization"] = new JsonObject { ["int8"] = new JsonArray("output_projection", "feed_forward") });
        using (var int8 = TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = 1 }))
        {
            var both = DecoderQuantization.OutputProjection | DecoderQuantization.FeedForward;
            Assert.Equal(Attention.QuantizedLinear.IsSupported ? both : DecoderQuantization.None, int8.Decoder.Quantization);
            Assert.Equal("feed_forward", (string?)int8.Model.Card["decoder_quantization"]?["int8"]?[1]);
            Assert.False(string.IsNullOrWhiteSpace(int8.Summarize("The bank raised rates on Tuesday. Markets fell.", int8.Model.Defaults).Summary));
        }
        using var full = TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = 1, FullPrecisionDecoder = true });
        Assert.Equal(DecoderQuantization.None, full.Decoder.Quantization);
    }

    [Theory]
    [InlineData("[\"embedding\"]")]
    [InlineData("\"output_projection\"")]
    [InlineData("[3]")]
    public void An_unknown_int8_list_names_the_field(string int8)
    {
        EditConfig(root => root["decoder_quantization"] = new JsonObject { ["int8"] = JsonNode.Parse(int8) });
        var e = LoadFails();
        Assert.Equal("decoder_quantization.int8", e.Field);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("decoder.safetensors")]
    public void A_missing_file_is_named(string file)
    {
        File.Delete(Path.Combine(_dir, file));
        var e = LoadFails();
        Assert.Equal(file, e.File);
        Assert.Contains(file, e.Message);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("decoder.safetensors")]
    public void A_corrupt_file_is_named(string file)
    {
        var path = Path.Combine(_dir, file);
        var bytes = File.ReadAllBytes(path);
        // Keep a prefix and garble the rest: the file exists but cannot be parsed.
        var garbled = bytes[..Math.Min(bytes.Length, 40)].Concat(Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 11))).ToArray();
        File.WriteAllBytes(path, garbled);
        var e = LoadFails();
        Assert.Equal(file, e.File);
    }

    [Fact]
    public void A_truncated_safetensors_file_names_the_file()
    {
        var path = Path.Combine(_dir, "decoder.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var e = LoadFails();
        Assert.Equal("decoder.safetensors", e.File);
        Assert.NotNull(e.Field);
    }

    [Theory]
    [InlineData("model.d_model")]
    [InlineData("model.n_heads")]
    [InlineData("model.vocab_size")]
    [InlineData("model.n_gen")]
    [InlineData("model.d_ff")]
    [InlineData("model.n_dec_layers")]
    [InlineData("model.max_src_len")]
    [InlineData("model.max_tgt_len")]
    [InlineData("model.norm_eps")]
    [InlineData("model.pad_id")]
    [InlineData("model.unk_id")]
    [InlineData("model.bos_id")]
    [InlineData("model.eos_id")]
    [InlineData("bundle_version")]
    [InlineData("decoding")]
    [InlineData("encoder")]
    [InlineData("encoder.package")]
    [InlineData("encoder.onnx_sha256")]
    [InlineData("encoder.vocab_sha256")]
    [InlineData("files.decoder_weights")]
    public void A_missing_config_field_is_named(string field)
    {
        var parts = field.Split('.');
        EditConfig(root => (parts.Length == 1 ? root : root[parts[0]]!.AsObject()).Remove(parts[^1]));
        var e = LoadFails();
        Assert.Equal("config.json", e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(field, e.Message);
    }

    public static TheoryData<string> DecodingKeys => new(DecodingOptionsValidator.Rules.Select(r => r.BundleKey));

    [Theory]
    [MemberData(nameof(DecodingKeys))]
    public void Every_decoding_key_is_required_and_a_missing_one_is_named(string key)
    {
        EditConfig(root => root["decoding"]!.AsObject().Remove(key));
        var e = LoadFails();
        Assert.Equal($"decoding.{key}", e.Field);
        Assert.Contains("is missing", e.Message);
    }

    [Fact]
    public void A_config_that_disagrees_with_the_weights_names_the_tensor()
    {
        EditConfig(root => root["model"]!["d_ff"] = 256);
        var e = LoadFails();
        Assert.Equal("decoder.safetensors", e.File);
        Assert.Equal("dec.0.ffn.fc1.weight", e.Field);
        Assert.Contains($"[{RandomBundle.Config.FeedForwardDim}, 384]", e.Message);
    }

    [Fact]
    public void A_config_that_disagrees_with_the_encoder_width_names_the_embedding()
    {
        EditConfig(root =>
        {
            root["model"]!["d_model"] = 768;
            root["model"]!["n_heads"] = 12;
        });
        var e = LoadFails();
        Assert.Equal($"{PackagedEncoder.Package}:model.onnx", e.File);
        Assert.Equal(TransformerSummarizer.EmbeddingTensor, e.Field);
    }

    [Fact]
    public void A_config_that_disagrees_with_the_vocabulary_names_the_field()
    {
        EditConfig(root => root["model"]!["vocab_size"] = 30000);
        var e = LoadFails();
        Assert.Equal($"{PackagedEncoder.Package}:vocab.txt", e.File);
        Assert.Equal("model.vocab_size", e.Field);
    }

    [Theory]
    [InlineData("bos_id", 2)]
    [InlineData("eos_id", 3)]
    [InlineData("unk_id", 1)]
    public void Special_ids_other_than_the_vocabularys_are_refused(string key, int value)
    {
        EditConfig(root => root["model"]![key] = value);
        var e = LoadFails();
        Assert.Equal($"model.{key}", e.Field);
    }

    [Fact]
    public void A_source_longer_than_the_encoders_positions_is_refused()
    {
        EditConfig(root => root["model"]!["max_src_len"] = 511);
        Assert.Equal("model.max_src_len", LoadFails().Field);
    }

    [Theory]
    [InlineData("onnx_sha256", "model.onnx")]
    [InlineData("vocab_sha256", "vocab.txt")]
    public void Another_encoder_than_the_one_trained_with_is_refused(string key, string file)
    {
        EditConfig(root => root["encoder"]![key] = new string('a', 64));
        var e = LoadFails();
        Assert.Equal($"encoder.{key}", e.Field);
        Assert.Equal($"{PackagedEncoder.Package}:{file}", e.File);
    }

    [Theory]
    [InlineData("onnx_sha256", "abc")]
    [InlineData("vocab_sha256", "not hex at all, but sixty-four characters long, so only the digits fail!")]
    public void A_malformed_hash_is_named(string key, string value)
    {
        EditConfig(root => root["encoder"]![key] = value);
        var e = LoadFails();
        Assert.Equal("config.json", e.File);
        Assert.Equal($"encoder.{key}", e.Field);
    }

    [Fact]
    public void A_package_that_is_not_referenced_is_named()
    {
        EditConfig(root => root["encoder"]!["package"] = "SentenceTransformers.NoSuchModel");
        var e = LoadFails();
        Assert.Equal("encoder.package", e.Field);
    }

    [Fact]
    public void A_shortlist_larger_than_the_vocabulary_is_refused()
    {
        EditConfig(root => root["model"]!["n_gen"] = 30523);
        Assert.Equal("model.n_gen", LoadFails().Field);
    }

    [Fact]
    public void Invalid_values_are_named_with_their_range()
    {
        EditConfig(root => root["decoding"]!["num_beams"] = 0);
        var e = LoadFails();
        Assert.Equal("decoding.num_beams", e.Field);
        Assert.Contains("1..16", e.Message);
    }

    [Fact]
    public void A_version_1_bundle_is_refused()
    {
        EditConfig(root => root["bundle_version"] = 1);
        var e = LoadFails();
        Assert.Equal("bundle_version", e.Field);
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void A_missing_directory_is_reported()
    {
        var e = Assert.Throws<ModelBundleException>(() => TransformerSummarizer.Load(Path.Combine(_dir, "nope")));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Bad_settings_name_the_setting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = -1 }));
        Assert.Equal("IntraOpThreads", e.ParamName);
    }
}
