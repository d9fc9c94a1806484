namespace Summarizer.Attention;

/// <summary>
/// Self-attention keys and values of one decoder layer for a batch of rows (beam hypotheses), laid out per row as
/// [heads, capacity, d_k] so each head's history is contiguous. Grows by one position per decoding step.
/// All storage is allocated by the constructor; no method allocates.
/// </summary>
public sealed class KeyValueCache
{
    private readonly float[] keys;
    private readonly float[] values;
    private readonly int[] slots; // row r's history lives in storage slot slots[r]: a reorder moves slots, and copies only for a row's second child

    /// <summary>Allocates a cache for up to <paramref name="rowCapacity"/> rows and <paramref name="capacity"/> positions.</summary>
    /// <param name="rowCapacity">Most rows (e.g. the beam size).</param>
    /// <param name="headCount">Number of heads.</param>
    /// <param name="headDim">d_k.</param>
    /// <param name="capacity">Most positions (e.g. max_tgt_len).</param>
    public KeyValueCache(int rowCapacity, int headCount, int headDim, int capacity)
    {
        Guard.Positive(rowCapacity, nameof(rowCapacity));
        Guard.Positive(headCount, nameof(headCount));
        Guard.Positive(headDim, nameof(headDim));
        Guard.Positive(capacity, nameof(capacity));
        long size = (long)rowCapacity * headCount * capacity * headDim;
        if (size > Array.MaxLength)
        {
            throw new ArgumentException($"A cache of [rows={rowCapacity}, heads={headCount}, capacity={capacity}, d_k={headDim}] is too large.", nameof(capacity));
        }

        RowCapacity = rowCapacity;
        HeadCount = headCount;
        HeadDim = headDim;
        Capacity = capacity;
        keys = new float[size];
        values = new float[size];
        slots = new int[rowCapacity];
        for (int r = 0; r < rowCapacity; r++)
        {
            slots[r] = r;
        }

        RowCount = 1;
    }

    /// <summary>Most rows.</summary>
    public int RowCapacity { get; }

    /// <summary>Number of heads.</summary>
    public int HeadCount { get; }

    /// <summary>d_k.</summary>
    public int HeadDim { get; }

    /// <summary>Most positions.</summary>
    public int Capacity { get; }

    /// <summary>Rows in use (set by <see cref="Reset"/> and <see cref="Reorder"/>).</summary>
    public int RowCount { get; private set; }

    /// <summary>Positions cached so far (the same for every row).</summary>
    public int Length { get; private set; }

    /// <summary>Empties the cache for reuse with <paramref name="rowCount"/> rows.</summary>
    public void Reset(int rowCount = 1)
    {
        CheckRowCount(rowCount);
        RowCount = rowCount;
        Length = 0;
        for (int r = 0; r < RowCapacity; r++)
        {
            slots[r] = r;
        }
    }

    /// <summary>Forgets every position from <paramref name="length"/> on (e.g. to rewind a step); rows keep their prefixes.</summary>
    /// <param name="length">New length, in [0, Length].</param>
    public void Truncate(int length)
    {
        if (length < 0 || length > Length)
        {
            throw new ArgumentException($"The length must be in [0, {Length}] but was {length}.", nameof(length));
        }

        Length = length;
    }

    /// <summary>Appends one position: the keys and values of the newest token of every row.</summary>
    /// <param name="k">[RowCount, heads·d_k] keys, heads merged as the k projection writes them.</param>
    /// <param name="v">[RowCount, heads·d_k] values.</param>
    /// <exception cref="InvalidOperationException">The cache is full.</exception>
    public void Append(ReadOnlySpan<float> k, ReadOnlySpan<float> v)
    {
        int width = HeadCount * HeadDim;
        Guard.Shape(k.Length, nameof(k), RowCount, nameof(RowCount), width, "heads*d_k");
        Guard.Shape(v.Length, nameof(v), RowCount, nameof(RowCount), width, "heads*d_k");
        if (Length == Capacity)
        {
            throw new InvalidOperationException($"The key/value cache is full ({Capacity} positions).");
        }

        for (int r = 0; r < RowCount; r++)
        {
            for (int h = 0; h < HeadCount; h++)
            {
                int source = r * width + h * HeadDim;
                int target = HeadOffset(r, h) + Length * HeadDim;
                k.Slice(source, HeadDim).CopyTo(keys.AsSpan(target, HeadDim));
                v.Slice(source, HeadDim).CopyTo(values.AsSpan(target, HeadDim));
            }
        }

        Length++;
    }

    /// <summary>
    /// Beam-search reordering: new row r takes the history of old row <c>sourceRowForEachRow[r]</c>.
    /// The new row count is the span's length (so one hypothesis can fan out into K). Copies only the cached positions.
    /// </summary>
    /// <param name="sourceRowForEachRow">[newRowCount] old row indices in [0, RowCount); repeats allowed.</param>
    public void Reorder(ReadOnlySpan<int> sourceRowForEachRow)
    {
        int newRowCount = sourceRowForEachRow.Length;
        CheckRowCount(newRowCount);
        for (int r = 0; r < newRowCount; r++)
        {
            int source = sourceRowForEachRow[r];
            if ((uint)source >= (uint)RowCount)
            {
                throw new ArgumentException(
                    $"sourceRowForEachRow[{r}] is {source}, outside the {RowCount} rows in the cache.", nameof(sourceRowForEachRow));
            }
        }

        bool identity = newRowCount == RowCount;
        for (int r = 0; identity && r < newRowCount; r++)
        {
            identity = sourceRowForEachRow[r] == r;
        }

        if (identity)
        {
            return; // every row keeps its own history: nothing to move
        }

        // Each new row takes its parent's slot, the first child of a parent without a copy; a further child copies its
        // parent's history into a slot no new row takes and no parent is in. There is always one: rows ≤ slots.
        Span<int> newSlots = stackalloc int[RowCapacity];
        Span<bool> taken = stackalloc bool[RowCapacity];
        Span<bool> parent = stackalloc bool[RowCapacity];
        for (int r = 0; r < newRowCount; r++)
        {
            parent[slots[sourceRowForEachRow[r]]] = true;
        }

        for (int r = 0; r < newRowCount; r++)
        {
            int slot = slots[sourceRowForEachRow[r]];
            newSlots[r] = taken[slot] ? -1 : slot;
            taken[slot] = true;
        }

        int used = Length * HeadDim, free = 0;
        for (int r = 0; r < newRowCount; r++)
        {
            if (newSlots[r] >= 0)
            {
                continue;
            }

            while (taken[free] || parent[free])
            {
                free++;
            }

            int from = slots[sourceRowForEachRow[r]];
            for (int h = 0; h < HeadCount; h++)
            {
                keys.AsSpan(SlotOffset(from, h), used).CopyTo(keys.AsSpan(SlotOffset(free, h), used));
                values.AsSpan(SlotOffset(from, h), used).CopyTo(values.AsSpan(SlotOffset(free, h), used));
            }

            newSlots[r] = free;
            taken[free] = true;
        }

        newSlots[..newRowCount].CopyTo(slots);
        RowCount = newRowCount;
    }

    /// <summary>The cached keys of one row and head: [Length, d_k].</summary>
    public ReadOnlySpan<float> Keys(int row, int head) => keys.AsSpan(CheckedOffset(row, head), Length * HeadDim);

    /// <summary>The cached values of one row and head: [Length, d_k].</summary>
    public ReadOnlySpan<float> Values(int row, int head) => values.AsSpan(CheckedOffset(row, head), Length * HeadDim);

    private int HeadOffset(int row, int head) => SlotOffset(slots[row], head);

    private int SlotOffset(int slot, int head) => (slot * HeadCount + head) * Capacity * HeadDim;

    private int CheckedOffset(int row, int head)
    {
        if ((uint)row >= (uint)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The cache holds {RowCount} rows.");
        }

        if ((uint)head >= (uint)HeadCount)
        {
            throw new ArgumentOutOfRangeException(nameof(head), head, $"The cache holds {HeadCount} heads.");
        }

        return HeadOffset(row, head);
    }

    private void CheckRowCount(int rowCount)
    {
        if (rowCount < 1 || rowCount > RowCapacity)
        {
            throw new ArgumentException($"The row count must be in [1, {RowCapacity}] but was {rowCount}.", nameof(rowCount));
        }
    }
}
