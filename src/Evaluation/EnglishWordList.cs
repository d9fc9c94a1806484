using Summarizer.Inference;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Evaluation;

/// <summary>
/// Sources of <see cref="FlawChecker"/>'s English list: a WordPiece vocabulary's whole words and word list files
/// (one word per line, e.g. Debian's /usr/share/dict/words). Entries are folded like summary words
/// (<see cref="FlawText.Fold"/>) and kept only when all letters ("aaron's" is dropped): other words are never checked.
/// </summary>
public static class EnglishWordList
{
    private const string ContinuationPrefix = "##";
    private const string VocabularyFile = "vocab.txt";

    /// <summary>
    /// The whole words of a bundle's vocabulary: the <c>vocab.txt</c> of the encoder package <paramref name="encoder"/>
    /// names (<see cref="BundleConfig.Encoder"/>), checked against its SHA-256 as <see cref="TransformerSummarizer.Load"/> checks it.
    /// </summary>
    /// <exception cref="ModelBundleException">The package or its vocabulary is missing, or the hash differs.</exception>
    public static IReadOnlyList<string> FromVocabulary(EncoderReference encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var vocab = EncoderPackage.Read(encoder.Package, VocabularyFile, encoder.VocabSha256);
        return FromVocabulary(BertWordPieceTokenizer.Load(new MemoryStream(vocab, writable: false)));
    }

    /// <summary>The whole words of <paramref name="tokenizer"/>'s vocabulary: no <c>[...]</c> special token, no <c>##</c> piece.</summary>
    public static IReadOnlyList<string> FromVocabulary(BertWordPieceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Keep(Enumerable.Range(0, tokenizer.VocabSize)
            .Where(id => !tokenizer.IsSpecial(id))
            .Select(tokenizer.Token)
            .Where(token => !token.StartsWith(ContinuationPrefix, StringComparison.Ordinal)));
    }

    /// <summary>The words of a word list file, one per line.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<string> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadLines(path));
    }

    /// <summary>The words of <paramref name="lines"/>, one per line.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        // A contraction gives its first part as a word too: "mustn't" makes "mustn" English (summary words split at apostrophes).
        return Keep(lines.Select(line => line.Trim()).SelectMany(line =>
            line.IndexOf('\'') is > 0 and var at && line[(at + 1)..] is "t" or "ll" or "ve" or "re" or "d" or "m" ? [line, line[..at]] : new[] { line }));
    }

    // Distinct, in first-seen order, so counts printed for a list are its words.
    private static List<string> Keep(IEnumerable<string> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (string entry in entries)
        {
            string word = FlawText.Fold(entry);
            if (word.Length > 0 && word.All(char.IsLetter) && seen.Add(word))
            {
                words.Add(word);
            }
        }

        return words;
    }
}
