using Microsoft.ML.Tokenizers;
using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tokenization;

/// <summary>
/// The bundle's SentencePiece unigram model on normalized text. Microsoft.ML.Tokenizers loads and checks the model
/// (vocabulary, special ids); ids come from <see cref="UnigramSegmenter"/>, which reproduces sentencepiece's Viterbi
/// exactly (see there why). Source tokens are encoded word by word — the same ids as the whole text, since with
/// split_by_whitespace no piece crosses a word boundary — so every token keeps its word's span in the user's input.
/// Thread-safe.
/// </summary>
public sealed class BundleTokenizer
{
    /// <summary>SentencePiece's word-start marker (U+2581).</summary>
    public const char WordMarker = '\u2581';

    private readonly UnigramSegmenter _segmenter;
    private readonly string[] _pieces;
    private readonly int _unknownId;

    private BundleTokenizer(UnigramSegmenter segmenter, int unknownId)
    {
        _segmenter = segmenter;
        _pieces = segmenter.Pieces;
        _unknownId = unknownId;
    }

    /// <summary>Vocabulary size.</summary>
    public int VocabSize => _pieces.Length;

    /// <summary>Loads <paramref name="path"/> and checks it against <paramref name="config"/> (vocabulary size, BOS/EOS/UNK ids).</summary>
    public static BundleTokenizer Load(string path, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new ModelBundleException(name, null, "not found.");
        var bytes = File.ReadAllBytes(path);
        SentencePieceTokenizer tokenizer;
        UnigramSegmenter segmenter;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
            segmenter = UnigramSegmenter.Create(SentencePieceModelProto.Parse(bytes));
        }
        catch (Exception e) when (e is not ModelBundleException)
        {
            throw new ModelBundleException(name, null, $"is not a readable SentencePiece model ({e.Message}).", e);
        }

        if (segmenter.Pieces.Length != config.VocabSize)
            throw new ModelBundleException(name, "vocabulary", $"has {segmenter.Pieces.Length} pieces but config.json's model.vocab_size is {config.VocabSize}.");
        foreach (var (piece, id) in tokenizer.Vocabulary)
            if ((uint)id >= (uint)segmenter.Pieces.Length || segmenter.Pieces[id] != piece)
                throw new ModelBundleException(name, "vocabulary", $"piece '{piece}' (id {id}) is read differently by Microsoft.ML.Tokenizers and the segmenter.");
        Check(name, "bos_id", tokenizer.BeginningOfSentenceId, config.BosId);
        Check(name, "eos_id", tokenizer.EndOfSentenceId, config.EosId);
        Check(name, "unk_id", tokenizer.UnknownId, config.UnkId);
        return new BundleTokenizer(segmenter, config.UnkId);
    }

    private static void Check(string file, string field, int actual, int expected)
    {
        if (actual != expected)
            throw new ModelBundleException(file, field, $"is {actual} but config.json's model.{field} is {expected}.");
    }

    /// <summary>Ids of a normalized text (words joined by single spaces), no BOS/EOS: <c>sp.encode(text)</c>.</summary>
    public IReadOnlyList<int> EncodeToIds(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        return _segmenter.Encode(normalizedText);
    }

    /// <summary>
    /// Encodes every word of <paramref name="text"/>; each token gets the span in the original input of the part of its word
    /// it covers (the whole word when normalization changed the word's length, e.g. a split clitic or a mapped quote,
    /// or when the word has unknown characters).
    /// </summary>
    public (int[] Ids, SourceToken[] Tokens) EncodeWords(NormalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Words.Count * 2);
        var tokens = new List<SourceToken>(text.Words.Count * 2);
        foreach (var word in text.Words)
        {
            var wordIds = EncodeToIds(word.Text);
            // Pieces split the word's span only when their characters are known and the word kept its length.
            var sameLength = word.End - word.Start == word.Text.Length && !wordIds.Contains(_unknownId);
            var offset = word.Start;
            foreach (var id in wordIds)
            {
                int start = word.Start, end = word.End;
                if (sameLength)
                {
                    var length = PieceText(id).Length;
                    start = Math.Min(offset, word.End);
                    end = Math.Min(start + length, word.End);
                    offset = end;
                }
                ids.Add(id);
                tokens.Add(new SourceToken(text.Original[start..end], start, end));
            }
        }
        return (ids.ToArray(), tokens.ToArray());
    }

    /// <summary>The raw piece of <paramref name="id"/> (with its ▁ marker), e.g. <c>▁the</c>.</summary>
    public string Piece(int id) =>
        (uint)id < (uint)_pieces.Length ? _pieces[id] : throw new ArgumentOutOfRangeException(nameof(id), id, $"Ids are in 0..{_pieces.Length - 1}.");

    /// <summary>True when <paramref name="id"/>'s piece starts a new word (it carries the ▁ marker).</summary>
    public bool StartsWord(int id) => Piece(id).StartsWith(WordMarker);

    /// <summary>
    /// The characters <paramref name="id"/> contributes to its word: the piece without its ▁ marker; empty for control
    /// pieces (pad, BOS, EOS), which the model may still emit.
    /// </summary>
    public string PieceText(int id)
    {
        var piece = Piece(id);
        if (_segmenter.IsControl[id])
            return "";
        return piece.Length > 0 && piece[0] == WordMarker ? piece[1..] : piece;
    }
}
