namespace Summarizer.Inference.Text;

/// <summary>
/// Brings ordinary prose into the model's form (lower-cased, PTB-tokenized as in cnndm, see docs/DESIGN.md "Text form"),
/// keeping every word's span in the input so attention can be shown on the user's own text.
/// Idempotent: normalizing already-normalized text gives the same words.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Normalizes <paramref name="input"/>; never throws for any string (empty or blank input gives no words).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public static NormalizedText Normalize(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scanner = new PtbScanner(input);
        scanner.Run();
        return new NormalizedText(input, scanner.Text, scanner.Words);
    }
}
