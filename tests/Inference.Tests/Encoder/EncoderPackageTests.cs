using Summarizer.Inference.Encoder;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Encoder;

/// <summary>The encoder's files come out of its NuGet package's assembly, hash-checked.</summary>
public class EncoderPackageTests
{
    [Fact]
    public void The_package_resources_are_read_and_their_hashes_checked()
    {
        var vocab = EncoderPackage.Read(PackagedEncoder.Package, "vocab.txt", PackagedEncoder.VocabSha256.ToUpperInvariant());
        Assert.StartsWith("[PAD]", System.Text.Encoding.UTF8.GetString(vocab));
        Assert.Equal(64, EncoderPackage.Sha256(vocab).Length);
    }

    [Fact]
    public void A_missing_assembly_names_encoder_package()
    {
        var e = Assert.Throws<ModelBundleException>(() => EncoderPackage.Read("SentenceTransformers.NoSuchModel", "model.onnx", null));
        Assert.Equal("encoder.package", e.Field);
        Assert.Contains("SentenceTransformers.NoSuchModel", e.Message);
    }

    [Fact]
    public void A_missing_resource_names_encoder_package()
    {
        var e = Assert.Throws<ModelBundleException>(() => EncoderPackage.Read(PackagedEncoder.Package, "tokenizer.json", null));
        Assert.Equal("encoder.package", e.Field);
        Assert.Contains($"{PackagedEncoder.Package}.Resources.tokenizer.json", e.Message);
    }

    [Theory]
    [InlineData("vocab.txt", "encoder.vocab_sha256")]
    [InlineData("model.onnx", "encoder.onnx_sha256")]
    public void A_wrong_hash_names_its_field(string file, string field)
    {
        var e = Assert.Throws<ModelBundleException>(() => EncoderPackage.Read(PackagedEncoder.Package, file, new string('0', 64)));
        Assert.Equal(field, e.Field);
        Assert.Equal($"{PackagedEncoder.Package}:{file}", e.File);
    }
}
