namespace Summarizer.Inference;

/// <summary>
/// A model bundle could not be loaded: a file is missing or corrupt, or a field of config.json is missing,
/// malformed or disagrees with another file. <see cref="File"/> and <see cref="Field"/> say where.
/// </summary>
public sealed class ModelBundleException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> (and <paramref name="field"/> inside it, when one is to blame).</summary>
    public ModelBundleException(string file, string? field, string message, Exception? innerException = null)
        : base(Format(file, field, message), innerException)
    {
        File = file;
        Field = field;
    }

    /// <summary>The bundle file at fault, as named inside the bundle (e.g. <c>config.json</c>).</summary>
    public string File { get; }

    /// <summary>The field or tensor at fault (e.g. <c>model.d_model</c>, <c>dec.0.ln1.weight</c>); null when the whole file is.</summary>
    public string? Field { get; }

    private static string Format(string file, string? field, string message) =>
        field is null ? $"Model bundle file '{file}': {message}" : $"Model bundle file '{file}', field '{field}': {message}";
}
