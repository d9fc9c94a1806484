namespace Summarizer.Inference.Decoding;

/// <summary>
/// The best K finished hypotheses of a beam search, kept sorted best first exactly as training/decoding.py's
/// <c>add_finished</c> does: a new entry goes after every entry with an equal score (a stable sort), then the list is cut to K.
/// </summary>
internal sealed class FinishedHypotheses(int capacity)
{
    private readonly (double Score, int Length, int Row)[] _items = new (double, int, int)[capacity];

    /// <summary>How many are kept.</summary>
    public int Count { get; private set; }

    /// <summary>The lowest normalized score kept (meaningful when <see cref="Count"/> &gt; 0).</summary>
    public double WorstScore => _items[Count - 1].Score;

    /// <summary>Offers a hypothesis of <paramref name="length"/> tokens (EOS excluded) ending at <paramref name="row"/> of step length − 1.</summary>
    public void Add(double score, int length, int row)
    {
        var at = Count;
        while (at > 0 && score > _items[at - 1].Score)
            at--;
        if (at == _items.Length)
            return;
        var last = Math.Min(Count, _items.Length - 1);
        for (var i = last; i > at; i--)
            _items[i] = _items[i - 1];
        _items[at] = (score, length, row);
        Count = Math.Min(Count + 1, _items.Length);
    }

    /// <summary>The best kept hypothesis (the earliest added wins ties).</summary>
    public (double Score, int Length, int Row) Best() => _items[0];
}
