using System.Text.Json.Nodes;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Bundle;

/// <summary>Each test copies the tiny bundle to its own temp folder, breaks one thing, and expects an error naming it.</summary>
public sealed class BundleLoadingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "infer-bundle-" + Guid.NewGuid().ToString("N"));

    public BundleLoadingTests()
    {
        Directory.CreateDirectory(_dir);
        foreach (var file in Directory.GetFiles(TinyBundle.Find()))
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ModelBundleException LoadFails() =>
        Assert.Throws<ModelBundleException>(() => TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = 1 }).Dispose());

    private void EditConfig(Action<JsonObject> edit)
    {
        var path = Path.Combine(_dir, "config.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    [Fact]
    public void The_intact_copy_loads_and_reports_its_card()
    {
        using var model = TransformerSummarizer.Load(_dir);
        Assert.Equal("tiny-cnndm", model.Model.Name);
        Assert.Equal(1000, model.Model.VocabSize);
        Assert.Equal(64, model.Model.MaxTargetLength);
        Assert.Equal(4, model.Model.Defaults.NumBeams);
        Assert.Equal(3, model.Model.Defaults.NoRepeatNgramSize);
        Assert.Equal(252289, model.Model.Parameters);
        Assert.NotNull(model.Model.Card["training"]?["steps"]);
        Assert.NotNull(model.Model.Card["metrics"]?["rouge"]);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("tokenizer.model")]
    [InlineData("encoder.onnx")]
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
    [InlineData("tokenizer.model")]
    [InlineData("encoder.onnx")]
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
    [InlineData("bundle_version")]
    [InlineData("decoding")]
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

    [Fact]
    public void A_config_that_disagrees_with_the_weights_names_the_tensor()
    {
        EditConfig(root => root["model"]!["d_ff"] = 256);
        var e = LoadFails();
        Assert.Equal("decoder.safetensors", e.File);
        Assert.Equal("dec.0.ffn.fc1.weight", e.Field);
        Assert.Contains("[128, 64]", e.Message);
    }

    [Fact]
    public void A_config_that_disagrees_with_the_tokenizer_names_the_vocabulary()
    {
        EditConfig(root => root["model"]!["vocab_size"] = 1200);
        var e = LoadFails();
        Assert.Equal("tokenizer.model", e.File);
        Assert.Equal("vocabulary", e.Field);
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
    public void A_wrong_bundle_version_is_refused()
    {
        EditConfig(root => root["bundle_version"] = 2);
        Assert.Equal("bundle_version", LoadFails().Field);
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
