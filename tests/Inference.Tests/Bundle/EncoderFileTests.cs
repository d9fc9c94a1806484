using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Bundle;

/// <summary>
/// <c>encoder.file</c> (DESIGN.md "Bundle"): a fine-tuned encoder graph in the bundle, hash-checked against
/// <c>encoder.onnx_sha256</c>; the graph and E come from it, the vocabulary still from the package.
/// </summary>
public sealed class EncoderFileTests : IDisposable
{
    private const string FileName = "encoder.onnx";
    private const int ChangedRow = 1996; // "the"

    private readonly string _dir = RandomBundle.Write(RandomBundle.TempDirectory());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TransformerSummarizer Load(string dir) => TransformerSummarizer.Load(dir, new InferenceSettings { IntraOpThreads = 1 });

    private void EditConfig(Action<JsonObject> edit) => RandomBundle.EditConfig(_dir, edit);

    private void UseFile(string sha256) => EditConfig(root =>
    {
        root["encoder"]!["file"] = FileName;
        root["encoder"]!["onnx_sha256"] = sha256;
    });

    private static float[] PackageEmbedding() =>
        OnnxInitializers.Parse(PackagedEncoder.Onnx, "package").ReadFloat32(TransformerSummarizer.EmbeddingTensor, 30522, 384);

    /// <summary>
    /// The package's graph with one row of E changed in place (the graph stays valid, its hash changes), as a fine-tuned
    /// encoder would differ; returns the new row.
    /// </summary>
    private static (byte[] Onnx, float[] Row) FineTunedGraph()
    {
        var embedding = PackageEmbedding();
        var row = embedding.AsSpan(ChangedRow * 384, 384);
        var onnx = PackagedEncoder.Onnx.ToArray();
        var at = onnx.AsSpan().IndexOf(MemoryMarshal.AsBytes(row));
        Assert.True(at >= 0, "E's row is not stored as raw little-endian floats in the package graph");
        var changed = row.ToArray().Select((v, i) => v * 0.5f + i * 1e-3f).ToArray();
        MemoryMarshal.AsBytes(changed.AsSpan()).CopyTo(onnx.AsSpan(at));
        return (onnx, changed);
    }

    [Fact]
    public void A_matching_encoder_file_is_loaded_and_gives_E()
    {
        var (onnx, row) = FineTunedGraph();
        File.WriteAllBytes(Path.Combine(_dir, FileName), onnx);
        UseFile(EncoderPackage.Sha256(onnx));

        using var model = Load(_dir);
        Assert.Equal(FileName, model.Model.Card["encoder"]?["file"]?.GetValue<string>());
        Assert.Equal(row, model.Decoder.Weights.Embedding.AsSpan(ChangedRow * 384, 384).ToArray());
        // Every other row is the package's.
        var package = PackageEmbedding();
        Assert.Equal(package.AsSpan(0, ChangedRow * 384).ToArray(), model.Decoder.Weights.Embedding.AsSpan(0, ChangedRow * 384).ToArray());
        // The session runs the file's graph: it reads the changed row of E.
        var the = model.Tokenizer.Encode("the")[0];
        Assert.Equal(ChangedRow, the);
        using var packageModel = Load(RandomBundle.Write(Path.Combine(_dir, "package")));
        Assert.NotEqual(packageModel.Encoder.Encode([the, 2003]), model.Encoder.Encode([the, 2003]));
        var unchanged = packageModel.Encoder.Encode([2003, 2003]).Zip(model.Encoder.Encode([2003, 2003]), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(unchanged < 1e-5f, $"a source without the changed token differs by {unchanged}");
        var summary = model.Summarize("The cat sat on the mat. It was happy there.", model.Model.Defaults);
        Assert.NotEmpty(summary.SourceTokens);
    }

    [Fact]
    public void The_package_graph_in_the_bundle_loads_under_the_package_hash()
    {
        File.WriteAllBytes(Path.Combine(_dir, FileName), PackagedEncoder.Onnx);
        UseFile(PackagedEncoder.OnnxSha256);
        using var model = Load(_dir);
        Assert.Equal(PackageEmbedding(), model.Decoder.Weights.Embedding);
    }

    [Fact]
    public void A_missing_encoder_file_names_encoder_file()
    {
        UseFile(PackagedEncoder.OnnxSha256);
        var e = Assert.Throws<ModelBundleException>(() => Load(_dir).Dispose());
        Assert.Equal(FileName, e.File);
        Assert.Equal("encoder.file", e.Field);
        Assert.Contains("encoder.file", e.Message);
    }

    [Fact]
    public void An_encoder_file_with_another_hash_names_encoder_onnx_sha256()
    {
        // A fine-tuned graph whose config still records the package's hash.
        var (onnx, _) = FineTunedGraph();
        File.WriteAllBytes(Path.Combine(_dir, FileName), onnx);
        UseFile(PackagedEncoder.OnnxSha256);
        var e = Assert.Throws<ModelBundleException>(() => Load(_dir).Dispose());
        Assert.Equal(FileName, e.File);
        Assert.Equal("encoder.onnx_sha256", e.Field);
        Assert.Contains(EncoderPackage.Sha256(onnx), e.Message);
    }

    [Fact]
    public void The_vocabulary_still_comes_from_the_package_and_is_checked()
    {
        File.WriteAllBytes(Path.Combine(_dir, FileName), PackagedEncoder.Onnx);
        UseFile(PackagedEncoder.OnnxSha256);
        EditConfig(root => root["encoder"]!["vocab_sha256"] = new string('a', 64));
        var e = Assert.Throws<ModelBundleException>(() => Load(_dir).Dispose());
        Assert.Equal($"{PackagedEncoder.Package}:vocab.txt", e.File);
        Assert.Equal("encoder.vocab_sha256", e.Field);
    }

    [Theory]
    [InlineData("../encoder.onnx")]
    [InlineData("sub/encoder.onnx")]
    [InlineData("")]
    public void An_encoder_file_outside_the_bundle_folder_is_refused(string file)
    {
        EditConfig(root => root["encoder"]!["file"] = file);
        var e = Assert.Throws<ModelBundleException>(() => Load(_dir).Dispose());
        Assert.Equal("config.json", e.File);
        Assert.Equal("encoder.file", e.Field);
    }
}
