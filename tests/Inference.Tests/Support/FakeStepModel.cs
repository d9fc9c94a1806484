using Summarizer.Inference.Decoding;

namespace Summarizer.Inference.Tests.Support;

/// <summary>
/// A step model whose log-probs are a pseudo-random function of each row's token history (so beam reordering must
/// carry the right history), with made-up copy attention and p_gen that are functions of the history too.
/// </summary>
internal sealed class FakeStepModel(int vocabSize, int maxRows, int seed, int sourceLength = 5, float sharpness = 3f) : IStepModel
{
    private List<int>[] _histories = Enumerable.Range(0, maxRows).Select(_ => new List<int>()).ToArray();
    private readonly float[] _logProbs = new float[maxRows * vocabSize];
    private readonly float[] _attention = new float[maxRows * sourceLength];
    private readonly float[] _pGen = new float[maxRows];
    private int _rows;

    public int Steps { get; private set; }

    public int VocabSize => vocabSize;
    public int SourceLength => sourceLength;
    public int MaxRows => maxRows;
    public int LayerAttentionLength => 0;

    /// <summary>The log-probs this model gives after <paramref name="history"/> (BOS excluded).</summary>
    public float[] LogProbsAfter(IReadOnlyList<int> history)
    {
        var hash = seed;
        foreach (var token in history)
            hash = unchecked(hash * 31 + token + 7);
        var random = new Random(hash);
        var logits = Enumerable.Range(0, vocabSize).Select(_ => (float)random.NextDouble() * sharpness).ToArray();
        var max = logits.Max();
        var sum = logits.Sum(l => MathF.Exp(l - max));
        return logits.Select(l => l - max - MathF.Log(sum)).ToArray();
    }

    public void Step(ReadOnlySpan<int> tokens, int position)
    {
        Steps++;
        _rows = tokens.Length;
        for (var r = 0; r < tokens.Length; r++)
        {
            if (position > 0)
                _histories[r].Add(tokens[r]);
            if (_histories[r].Count != position)
                throw new InvalidOperationException("history and position disagree");
            LogProbsAfter(_histories[r]).CopyTo(_logProbs, r * vocabSize);
            var random = new Random(_histories[r].Sum() + 13 * position);
            var att = Enumerable.Range(0, sourceLength).Select(_ => (float)random.NextDouble() + 0.01f).ToArray();
            var total = att.Sum();
            for (var j = 0; j < sourceLength; j++)
                _attention[r * sourceLength + j] = att[j] / total;
            _pGen[r] = (float)random.NextDouble();
        }
    }

    public Span<float> LogProbs(int row) => _logProbs.AsSpan(Check(row) * vocabSize, vocabSize);
    public ReadOnlySpan<float> CopyAttention(int row) => _attention.AsSpan(Check(row) * sourceLength, sourceLength);
    public float GenerationProbability(int row) => _pGen[Check(row)];
    public ReadOnlySpan<float> LayerAttention(int row) => default;

    public void Reorder(ReadOnlySpan<int> parents)
    {
        var next = Enumerable.Range(0, maxRows).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < parents.Length; i++)
            next[i] = [.. _histories[parents[i]]];
        _histories = next;
    }

    private int Check(int row) => row < _rows ? row : throw new ArgumentOutOfRangeException(nameof(row));
}
