namespace Summarizer.Attention;

/// <summary>
/// Scratch buffers for <see cref="MultiHeadAttention"/> steps, allocated once so steady-state steps allocate nothing.
/// One workspace can serve every layer of a decoder (layers run one after another); it is not thread-safe.
/// </summary>
public sealed class AttentionWorkspace
{
    /// <summary>Allocates scratch for up to <paramref name="rowCapacity"/> rows attending over up to <paramref name="keyCapacity"/> keys.</summary>
    /// <param name="dModel">Model width.</param>
    /// <param name="headCount">Number of heads.</param>
    /// <param name="rowCapacity">Most rows per call (e.g. the beam size).</param>
    /// <param name="keyCapacity">Most keys per call: max(source capacity, self-attention cache capacity).</param>
    public AttentionWorkspace(int dModel, int headCount, int rowCapacity, int keyCapacity)
    {
        Guard.Positive(dModel, nameof(dModel));
        Guard.Positive(headCount, nameof(headCount));
        Guard.Positive(rowCapacity, nameof(rowCapacity));
        Guard.Positive(keyCapacity, nameof(keyCapacity));
        DModel = dModel;
        HeadCount = headCount;
        RowCapacity = rowCapacity;
        KeyCapacity = keyCapacity;
        Query = new float[rowCapacity * dModel];
        Key = new float[rowCapacity * dModel];
        Value = new float[rowCapacity * dModel];
        Context = new float[rowCapacity * dModel];
        Scores = new float[(long)rowCapacity * headCount * keyCapacity];
        Projections = new float[3 * rowCapacity * dModel];
    }

    /// <summary>Model width.</summary>
    public int DModel { get; }

    /// <summary>Number of heads.</summary>
    public int HeadCount { get; }

    /// <summary>Most rows per call.</summary>
    public int RowCapacity { get; }

    /// <summary>Most keys per call.</summary>
    public int KeyCapacity { get; }

    internal float[] Query { get; }   // [rows, dModel] projected queries

    internal float[] Key { get; }     // [rows, dModel] projected keys of the newest position

    internal float[] Value { get; }   // [rows, dModel] projected values of the newest position

    internal float[] Context { get; } // [rows, dModel] concatenated head outputs before W_o

    internal float[] Scores { get; }  // [rows, heads, keys] attention weights

    internal float[] Projections { get; } // [rows, 3·dModel] a self-attention step's [q | k | v], from one product

    internal void Check(MultiHeadAttentionWeights weights, int rowCount, int keyCount)
    {
        if (weights.DModel != DModel || weights.HeadCount != HeadCount)
        {
            throw new ArgumentException(
                $"The workspace was made for dModel={DModel}, heads={HeadCount} but the weights have dModel={weights.DModel}, heads={weights.HeadCount}.", "workspace");
        }

        if (rowCount > RowCapacity || keyCount > KeyCapacity)
        {
            throw new ArgumentException(
                $"The workspace holds up to {RowCapacity} rows and {KeyCapacity} keys, but this call needs {rowCount} rows and {keyCount} keys.", "workspace");
        }
    }
}
