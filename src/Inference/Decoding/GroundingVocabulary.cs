using Summarizer.Inference.Text;

namespace Summarizer.Inference.Decoding;

/// <summary>
/// What grounded decoding needs to know about each WordPiece id, computed once per vocabulary (docs/DESIGN.md
/// "Grounded decoding"): whether it continues a word (<c>##</c>), is special, holds a digit, can separate the parts of
/// a number, and whether it is a whole word on its own — every piece that starts a word and holds no digit is one of
/// the vocabulary's whole words, which grounding accepts as English beside the source's own words.
/// </summary>
public sealed class GroundingVocabulary
{
    // The characters a source number may have between its digit groups: "3.5", "1,000", "10:30".
    private static readonly string[] NumberSeparators = [".", ",", ":"];

    // What may glue words into one written unit: "ward-prowse", "o'neill", "u.s", "3-2", "24/7".
    private static readonly string[] Glues = [".", ",", ":", "-", "'", "/"];

    private readonly bool[] _continuation;
    private readonly bool[] _digit;
    private readonly bool[] _separator;
    private readonly bool[] _glue;
    private readonly bool[] _alphanumeric;
    private readonly bool[] _content;
    private readonly int[] _ids;

    /// <param name="pieces">Each id's characters as it adds them to its word (<c>##</c> removed); null for special ids.</param>
    /// <param name="continuation">Each id: true when it continues the previous word.</param>
    /// <param name="eosId">End-of-sequence, allowed wherever a word may end.</param>
    public GroundingVocabulary(IReadOnlyList<string?> pieces, IReadOnlyList<bool> continuation, int eosId)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentNullException.ThrowIfNull(continuation);
        if (pieces.Count != continuation.Count)
            throw new ArgumentException("One continuation flag per piece is needed.", nameof(continuation));
        if ((uint)eosId >= (uint)pieces.Count)
            throw new ArgumentOutOfRangeException(nameof(eosId), eosId, "The end-of-sequence id is not in the vocabulary.");
        var v = pieces.Count;
        EosId = eosId;
        Pieces = pieces;
        _continuation = new bool[v];
        _digit = new bool[v];
        _separator = new bool[v];
        _glue = new bool[v];
        _alphanumeric = new bool[v];
        _content = new bool[v];
        WordStartMask = new float[v];
        _ids = new int[v];
        for (var id = 0; id < v; id++)
        {
            var piece = pieces[id];
            _continuation[id] = continuation[id];
            _ids[id] = id;
            var special = piece is null;
            _digit[id] = !special && piece!.Any(char.IsAsciiDigit);
            _separator[id] = !special && !continuation[id] && NumberSeparators.Contains(piece);
            _glue[id] = !special && !continuation[id] && Glues.Contains(piece);
            _alphanumeric[id] = !special && piece!.Any(char.IsLetterOrDigit);
            _content[id] = _alphanumeric[id] && !EnglishStopwords.Contains(piece!);
            // A whole word may start anywhere a word may: no continuation, no special id, no digit (numbers are the source's),
            // no hyphen (the text always glues one to its neighbours, so it only comes inside a compound of the source).
            WordStartMask[id] = special || continuation[id] || _digit[id] || piece == "-" ? float.NegativeInfinity : 0f;
        }
        WordStartMask[eosId] = 0f;
        for (var id = v - 1; id >= 0; id--)
        {
            if (WordStartMask[id] == 0f && pieces[id] is { } piece)
                _wholeWords[piece] = id;
            if (pieces[id] == "-" && !continuation[id])
                HyphenId = id;
        }
    }

    /// <summary>The id of the hyphen piece "-", or −1.</summary>
    public int HyphenId { get; } = -1;

    private readonly Dictionary<string, int> _wholeWords = new(StringComparer.Ordinal);

    /// <summary>The id of <paramref name="word"/> as a whole word of the vocabulary, or −1.</summary>
    public int WholeWordId(string word) => _wholeWords.TryGetValue(word, out var id) ? id : -1;

    /// <summary>Vocabulary size.</summary>
    public int Size => _continuation.Length;

    /// <summary>End-of-sequence id.</summary>
    public int EosId { get; }

    /// <summary>Each id's characters (<c>##</c> removed); null for a special id.</summary>
    public IReadOnlyList<string?> Pieces { get; }

    /// <summary>
    /// [V] 0 for every id that may follow a finished word without the source's help (a whole vocabulary word, or
    /// end-of-sequence), −∞ for the rest; added to a row's log-probs.
    /// </summary>
    internal float[] WordStartMask { get; }

    /// <summary>The vocabulary of a WordPiece tokenizer.</summary>
    public static GroundingVocabulary From(Tokenization.BertWordPieceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var pieces = new string?[tokenizer.VocabSize];
        var continuation = new bool[tokenizer.VocabSize];
        for (var id = 0; id < pieces.Length; id++)
        {
            pieces[id] = tokenizer.IsSpecial(id) ? null : tokenizer.PieceText(id);
            continuation[id] = tokenizer.IsContinuation(id);
        }
        return new GroundingVocabulary(pieces, continuation, tokenizer.SepId);
    }

    /// <summary>True for a <c>##</c> piece.</summary>
    public bool IsContinuation(int id) => _continuation[id];

    /// <summary>True for a special id ([UNK], [CLS], …).</summary>
    public bool IsSpecial(int id) => Pieces[id] is null;

    /// <summary>True when the piece holds an ASCII digit: a word it starts is a number.</summary>
    public bool HasDigit(int id) => _digit[id];

    /// <summary>True for ".", "," and ":" — what may join the digit groups of a number.</summary>
    public bool IsNumberSeparator(int id) => _separator[id];

    /// <summary>True for the marks that may join words into one written unit without spaces ("-", "'", "/", and the number separators).</summary>
    public bool IsGlue(int id) => _glue[id];

    /// <summary>True when the piece holds a letter or a digit (not punctuation).</summary>
    public bool IsAlphanumeric(int id) => _alphanumeric[id];

    /// <summary>True when the piece, as a whole word, is a content word (alphanumeric, not a stopword).</summary>
    public bool IsContentWord(int id) => _content[id];

    /// <summary><paramref name="id"/> as a one-element span (for callers that treat a word's ids as a list, without allocating).</summary>
    internal ReadOnlySpan<int> Single(int id) => _ids.AsSpan(id, 1);
}
