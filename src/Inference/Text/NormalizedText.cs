namespace Summarizer.Inference.Text;

/// <summary>User text brought into the model's lower-cased, PTB-tokenized form, each word keeping its span in the input.</summary>
public sealed class NormalizedText
{
    internal NormalizedText(string original, string text, IReadOnlyList<NormalizedWord> words)
    {
        Original = original;
        Text = text;
        Words = words;
    }

    /// <summary>The user's input, untouched.</summary>
    public string Original { get; }

    /// <summary>The words joined by single spaces: what the tokenizer encodes.</summary>
    public string Text { get; }

    /// <summary>The words in input order; spans are ordered, non-overlapping and inside <see cref="Original"/>.</summary>
    public IReadOnlyList<NormalizedWord> Words { get; }
}
