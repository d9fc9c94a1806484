using System.Text;

namespace Summarizer.Inference.Tokenization;

/// <summary>
/// SentencePiece's unigram segmentation (its <c>EncodeOptimized</c> Viterbi), reproduced so ids match the Python
/// <c>sentencepiece</c> bit for bit: float32 path scores, a candidate replaces the best path ending at a position only
/// when strictly better (so the earliest start wins exact ties), one unknown piece scored min_score − 10 per character
/// without a piece, and a run of unknowns merged into one. Microsoft.ML.Tokenizers 2.0.1 breaks near-ties differently
/// (<c>1000000</c> → ▁10 0 00 00 instead of ▁10 00 00 0), which would feed the encoder ids it was not trained on.
/// </summary>
internal sealed class UnigramSegmenter
{
    private const float UnknownPenalty = 10f;
    private readonly Dictionary<string, (int Id, float Score)> _pieces;
    private readonly Dictionary<string, (int Id, float Score)>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxPieceLength;
    private readonly int _unknownId;
    private readonly float _unknownScore;
    private readonly bool _addDummyPrefix;
    private readonly bool _removeExtraWhitespaces;

    private UnigramSegmenter(Dictionary<string, (int, float)> pieces, int unknownId, float unknownScore, bool addDummyPrefix, bool removeExtraWhitespaces)
    {
        _pieces = pieces;
        _lookup = pieces.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxPieceLength = pieces.Count == 0 ? 0 : pieces.Keys.Max(p => p.Length);
        _unknownId = unknownId;
        _unknownScore = unknownScore;
        _addDummyPrefix = addDummyPrefix;
        _removeExtraWhitespaces = removeExtraWhitespaces;
    }

    /// <summary>Every piece of the model proto in id order.</summary>
    public required string[] Pieces { get; init; }

    /// <summary>Per id: true for control pieces (pad, BOS, EOS), which stand for no text.</summary>
    public required bool[] IsControl { get; init; }

    /// <summary>Builds the segmenter from a parsed model.</summary>
    public static UnigramSegmenter Create(SentencePieceModelProto proto)
    {
        var pieces = new Dictionary<string, (int, float)>(StringComparer.Ordinal);
        var minScore = float.MaxValue;
        var maxScore = float.MinValue;
        var unknownId = -1;
        for (var id = 0; id < proto.Pieces.Count; id++)
        {
            var (piece, score, type) = proto.Pieces[id];
            if (type == SentencePieceModelProto.Normal)
            {
                minScore = Math.Min(minScore, score);
                maxScore = Math.Max(maxScore, score);
            }
            if (type == SentencePieceModelProto.Unknown)
                unknownId = id;
        }
        for (var id = 0; id < proto.Pieces.Count; id++)
        {
            var (piece, score, type) = proto.Pieces[id];
            if (type == SentencePieceModelProto.Normal)
                pieces[piece] = (id, score);
            else if (type == SentencePieceModelProto.UserDefined)
                pieces[piece] = (id, Encoding.UTF8.GetByteCount(piece) * maxScore - 0.1f); // sp's bonus: always selected
        }
        if (unknownId < 0)
            throw new InvalidDataException("the model has no unknown piece.");
        return new UnigramSegmenter(pieces, unknownId, minScore - UnknownPenalty, proto.AddDummyPrefix, proto.RemoveExtraWhitespaces)
        {
            Pieces = proto.Pieces.Select(p => p.Piece).ToArray(),
            IsControl = proto.Pieces.Select(p => p.Type == SentencePieceModelProto.Control).ToArray(),
        };
    }

    /// <summary>
    /// sp.encode(text): normalization (whitespace only: the model's rule is identity), then Viterbi over each
    /// ▁-started word from a zero score — sentencepiece's float32 sums come out as if each word were segmented alone,
    /// which is exact in real arithmetic (no piece spans a word boundary) but not in float32 near ties.
    /// </summary>
    public List<int> Encode(string text)
    {
        var normalized = Normalize(text);
        var ids = new List<int>();
        for (var start = 0; start < normalized.Length;)
        {
            var end = normalized.IndexOf(BundleTokenizer.WordMarker, start + 1);
            end = end < 0 ? normalized.Length : end;
            Segment(normalized[start..end], ids);
            start = end;
        }
        // A run of unknown characters is one unknown piece.
        var merged = new List<int>(ids.Count);
        foreach (var id in ids)
            if (id != _unknownId || merged.Count == 0 || merged[^1] != _unknownId)
                merged.Add(id);
        return merged;
    }

    private void Segment(string normalized, List<int> ids)
    {
        var n = normalized.Length;

        // bestScore[e], bestStart[e], bestId[e]: the best path covering normalized[0..e) and its last piece.
        var bestScore = new float[n + 1];
        var bestStart = new int[n + 1];
        var bestId = new int[n + 1];
        Array.Fill(bestStart, -1);
        for (var start = 0; start < n;)
        {
            var scoreHere = bestScore[start];
            var charLength = char.IsHighSurrogate(normalized[start]) && start + 1 < n && char.IsLowSurrogate(normalized[start + 1]) ? 2 : 1;
            var hasSingleCharPiece = false;
            for (var length = 1; length <= _maxPieceLength && start + length <= n; length++)
            {
                if (!_lookup.TryGetValue(normalized.AsSpan(start, length), out var piece))
                    continue;
                var end = start + length;
                var candidate = piece.Score + scoreHere;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                    (bestScore[end], bestStart[end], bestId[end]) = (candidate, start, piece.Id);
                if (length == charLength)
                    hasSingleCharPiece = true;
            }
            if (!hasSingleCharPiece)
            {
                var end = start + charLength;
                var candidate = _unknownScore + scoreHere;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                    (bestScore[end], bestStart[end], bestId[end]) = (candidate, start, _unknownId);
            }
            start += charLength;
        }

        var first = ids.Count;
        for (var end = n; end > 0; end = bestStart[end])
            ids.Add(bestId[end]);
        ids.Reverse(first, ids.Count - first);
    }

    private string Normalize(string text)
    {
        if (_removeExtraWhitespaces)
            text = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0)
            return text;
        if (_addDummyPrefix)
            text = " " + text;
        return text.Replace(' ', BundleTokenizer.WordMarker);
    }
}
