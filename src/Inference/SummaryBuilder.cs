using Summarizer.Inference.Decoding;
using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference;

/// <summary>
/// Generated ids → summary text and tokens (docs/DESIGN.md "Output text"): basic words, PTB words, the source-aware
/// detokenizer, each token's span and its unsupported flag; and the streamed preview's text of each new token.
/// </summary>
internal sealed class SummaryBuilder
{
    private readonly BertWordPieceTokenizer _tokenizer;

    public SummaryBuilder(BertWordPieceTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>
    /// The text a streamed token adds to the preview: its piece, after a space when it starts a basic word that is not
    /// joined to the previous one (docs/DESIGN.md "Output text", judged on the tokens so far); special tokens add nothing.
    /// </summary>
    public string StreamedText(List<int> ids, PtbWordJoiner joiner)
    {
        var id = ids[^1];
        var piece = _tokenizer.PieceText(id);
        if (_tokenizer.IsSpecial(id))
            return "";
        if (_tokenizer.IsContinuation(id) && ids.Take(ids.Count - 1).Any(i => !_tokenizer.IsSpecial(i)))
            return piece; // continues the previous word
        var (words, _) = BasicWords(ids);
        return joiner.Join(words, complete: false)[^1] ? piece : " " + piece;
    }

    /// <summary>
    /// Ids → basic words → PTB words (<see cref="PtbWordJoiner"/>) → natural text via the source-aware detokenizer. Each
    /// token gets its part of its PTB word's span in the summary (the whole word when detokenizing changed the word's
    /// length); a special token gets an empty span where it stands.
    /// </summary>
    public (string Summary, SummaryToken[] Tokens) Build(SearchResult search, NormalizedText source, PtbWordJoiner joiner)
    {
        var ids = search.Tokens;
        var (basics, basicOf) = BasicWords(ids);
        var (words, ptbOf) = joiner.ToPtbWords(basics);
        var detokenized = Detokenizer.FromSource(source).Detokenize(words);
        var sourceWords = source.Words.Select(w => w.Text).ToHashSet(StringComparer.Ordinal);

        var wordOf = basicOf.Select(b => b < 0 ? -1 : ptbOf[b]).ToArray();
        var unsupported = new bool[words.Count];
        for (var w = 0; w < words.Count; w++)
        {
            var copy = Enumerable.Range(0, ids.Length).Where(t => wordOf[t] == w).Select(t => search.CopyProbability[t]).ToArray();
            unsupported[w] = IsUnsupported(words[w], copy, sourceWords);
        }

        var tokens = new SummaryToken[ids.Length];
        var used = new int[words.Count]; // characters of each word given to its tokens so far
        var at = 0;
        for (var t = 0; t < ids.Length; t++)
        {
            var w = wordOf[t];
            if (w < 0)
            {
                tokens[t] = new SummaryToken(ids[t], "", at, at, search.CopyProbability[t], false);
                continue;
            }
            var (start, end) = detokenized.WordSpans[w];
            if (end - start == words[w].Length)
            {
                start = Math.Min(start + used[w], end);
                end = Math.Min(start + _tokenizer.PieceText(ids[t]).Length, end);
                used[w] = end - detokenized.WordSpans[w].Start;
            }
            tokens[t] = new SummaryToken(ids[t], detokenized.Text[start..end], start, end, search.CopyProbability[t], unsupported[w]);
            at = end;
        }
        return (detokenized.Text, tokens);
    }

    /// <summary>
    /// A word is unsupported when the decoder generated it rather than copied it (mean copy probability of its tokens
    /// &lt; 0.5) and it occurs nowhere among the source's normalized words. Words without a letter or digit
    /// (punctuation) are never flagged.
    /// </summary>
    internal static bool IsUnsupported(string word, ReadOnlySpan<float> copyProbabilities, IReadOnlySet<string> sourceWords)
    {
        if (!word.Any(char.IsLetterOrDigit) || copyProbabilities.IsEmpty)
            return false;
        float sum = 0;
        foreach (var p in copyProbabilities)
            sum += p;
        return sum / copyProbabilities.Length < 0.5f && !sourceWords.Contains(word.ToLowerInvariant());
    }

    /// <summary>
    /// Generated ids → basic words: a <c>##</c> piece joins the previous word, any other piece starts one; special tokens
    /// belong to no word (index −1).
    /// </summary>
    private (List<string> Words, int[] WordOf) BasicWords(IReadOnlyList<int> ids)
    {
        var words = new List<string>();
        var wordOf = new int[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (_tokenizer.IsSpecial(id))
            {
                wordOf[i] = -1;
                continue;
            }
            var piece = _tokenizer.PieceText(id);
            if (_tokenizer.IsContinuation(id) && words.Count > 0)
                words[^1] += piece;
            else
                words.Add(piece);
            wordOf[i] = words.Count - 1;
        }
        return (words, wordOf);
    }
}
