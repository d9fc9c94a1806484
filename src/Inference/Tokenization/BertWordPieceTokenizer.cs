using Microsoft.ML.Tokenizers;
using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tokenization;

/// <summary>
/// BERT uncased WordPiece over normalized text: <see cref="BertPreTokenizer"/> splits words (keeping character origins),
/// Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/> splits each into vocabulary pieces (greedy longest match,
/// <c>##</c> continuations, a word over 100 characters or with no match is one <c>[UNK]</c>). Every source token
/// carries a non-empty span of the user's original text. Thread-safe.
/// </summary>
public sealed class BertWordPieceTokenizer
{
    /// <summary>The longest word WordPiece splits; longer ones become <c>[UNK]</c> (BERT's limit, in code points).</summary>
    public const int MaxCharsPerWord = 100;

    private const string ContinuationPrefix = "##";
    private readonly WordPieceTokenizer _wordPiece;
    private readonly string[] _tokens;
    private readonly bool[] _continues;

    private BertWordPieceTokenizer(WordPieceTokenizer wordPiece, string[] tokens)
    {
        _wordPiece = wordPiece;
        _tokens = tokens;
        _continues = tokens.Select(t => t.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && t.Length > 2).ToArray();
        UnknownId = Id("[UNK]");
        ClsId = Id("[CLS]");
        SepId = Id("[SEP]");
        PadId = Id("[PAD]");
    }

    /// <summary>Vocabulary size.</summary>
    public int VocabSize => _tokens.Length;

    /// <summary>Id of <c>[UNK]</c>.</summary>
    public int UnknownId { get; }

    /// <summary>Id of <c>[CLS]</c> (the encoder's first input; the decoder's BOS).</summary>
    public int ClsId { get; }

    /// <summary>Id of <c>[SEP]</c> (the encoder's last input; the decoder's EOS).</summary>
    public int SepId { get; }

    /// <summary>Id of <c>[PAD]</c>.</summary>
    public int PadId { get; }

    /// <summary>Reads a vocab.txt (one token per line, id = line number).</summary>
    /// <exception cref="InvalidDataException">The vocabulary is empty or lacks a BERT special token.</exception>
    public static BertWordPieceTokenizer Load(Stream vocab)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        using var buffer = new MemoryStream();
        vocab.CopyTo(buffer);
        var tokens = new List<string>();
        buffer.Position = 0;
        using (var reader = new StreamReader(buffer, leaveOpen: true))
            while (reader.ReadLine() is { } line)
                tokens.Add(line);
        foreach (var special in new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]" })
            if (!tokens.Contains(special))
                throw new InvalidDataException($"The vocabulary has no {special} token.");
        buffer.Position = 0;
        var wordPiece = WordPieceTokenizer.Create(buffer, new WordPieceOptions
        {
            PreTokenizer = null, // words arrive one at a time from BertPreTokenizer
            Normalizer = null,
            UnknownToken = "[UNK]",
            ContinuingSubwordPrefix = ContinuationPrefix,
            MaxInputCharsPerWord = 2 * MaxCharsPerWord, // BERT counts code points: checked before, in AppendPieces
        });
        return new BertWordPieceTokenizer(wordPiece, tokens.ToArray());
    }

    private int Id(string token) => Array.IndexOf(_tokens, token);

    /// <summary>The vocabulary entry of <paramref name="id"/>, e.g. <c>the</c>, <c>##ing</c>, <c>[SEP]</c>.</summary>
    public string Token(int id) =>
        (uint)id < (uint)_tokens.Length ? _tokens[id] : throw new ArgumentOutOfRangeException(nameof(id), id, $"Ids are in 0..{_tokens.Length - 1}.");

    /// <summary>True when <paramref name="id"/> continues the previous word (a <c>##</c> piece).</summary>
    public bool IsContinuation(int id) => (uint)id < (uint)_continues.Length && _continues[id];

    /// <summary>True for <c>[PAD]</c>, <c>[UNK]</c>, <c>[CLS]</c>, <c>[SEP]</c>, <c>[MASK]</c> and the like.</summary>
    public bool IsSpecial(int id)
    {
        var t = Token(id);
        return t.Length > 2 && t[0] == '[' && t[^1] == ']';
    }

    /// <summary>The characters <paramref name="id"/> adds to its word: the entry without <c>##</c>; empty for special tokens.</summary>
    public string PieceText(int id) => IsSpecial(id) ? "" : IsContinuation(id) ? _tokens[id][2..] : _tokens[id];

    /// <summary>Ids of a normalized text, no <c>[CLS]</c>/<c>[SEP]</c>: what training/wordpiece.py's <c>encode</c> returns.</summary>
    public int[] Encode(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var ids = new List<int>();
        foreach (var word in BertPreTokenizer.Split(normalizedText))
            AppendPieces(word.Text, ids, null);
        return ids.ToArray();
    }

    /// <summary>
    /// Encodes every word of <paramref name="text"/>; each token gets the span of the input it covers: its own characters
    /// when normalization kept the word's length (lower-casing), else the whole word (a split clitic, a mapped quote).
    /// </summary>
    public (int[] Ids, SourceToken[] Tokens) EncodeWords(NormalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Words.Count * 2);
        var tokens = new List<SourceToken>(text.Words.Count * 2);
        var lengths = new List<int>();
        foreach (var word in text.Words)
        {
            var exact = word.End - word.Start == word.Text.Length;
            foreach (var basic in BertPreTokenizer.Split(word.Text))
            {
                lengths.Clear();
                var first = ids.Count;
                AppendPieces(basic.Text, ids, lengths);
                var offset = 0;
                for (var p = first; p < ids.Count; p++)
                {
                    int start = word.Start, end = word.End;
                    if (exact)
                    {
                        var length = lengths[p - first];
                        start = word.Start + basic.Origins[offset];
                        end = word.Start + basic.Origins[offset + length - 1] + 1;
                        end = Math.Max(end, start + 1);
                        if (char.IsHighSurrogate(text.Original[end - 1]) && end < word.End)
                            end++;
                        offset += length;
                    }
                    tokens.Add(new SourceToken(text.Original[start..end], start, end));
                }
            }
        }
        return (ids.ToArray(), tokens.ToArray());
    }

    // Pieces of one basic word; lengths (when asked) get how many of the word's UTF-16 units each piece covers.
    private void AppendPieces(string word, List<int> ids, List<int>? lengths)
    {
        var codePoints = 0;
        foreach (var _ in word.EnumerateRunes())
            codePoints++;
        if (codePoints > MaxCharsPerWord)
        {
            ids.Add(UnknownId);
            lengths?.Add(word.Length);
            return;
        }
        var first = ids.Count;
        foreach (var id in _wordPiece.EncodeToIds(word))
            ids.Add(id);
        if (lengths is null)
            return;
        if (ids.Count - first == 1 && ids[first] == UnknownId)
        {
            lengths.Add(word.Length);
            return;
        }
        for (var p = first; p < ids.Count; p++)
            lengths.Add(PieceText(ids[p]).Length);
    }
}
