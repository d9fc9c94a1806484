namespace Summarizer.Inference.Text;

/// <summary>Natural text rebuilt from model words, with where each word landed in it.</summary>
public sealed class DetokenizedText
{
    internal DetokenizedText(string text, IReadOnlyList<(int Start, int End)> wordSpans)
    {
        Text = text;
        WordSpans = wordSpans;
    }

    /// <summary>The cased, detokenized text.</summary>
    public string Text { get; }

    /// <summary>One [Start, End) span in <see cref="Text"/> per input word, in input order (empty for an empty word).</summary>
    public IReadOnlyList<(int Start, int End)> WordSpans { get; }
}
