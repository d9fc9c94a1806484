namespace Summarizer.Attention;

/// <summary>
/// Parameters of one multi-head attention block in torch layout: W (d_model, d_model) as (out, in), b (d_model).
/// Head h owns output features [h·d_k, (h+1)·d_k) of the q/k/v projections (torch's view(B, T, n_heads, d_k)).
/// </summary>
public sealed class MultiHeadAttentionWeights
{
    /// <summary>Allocates zero weights to be filled in place (e.g. copied from a safetensors tensor).</summary>
    /// <param name="dModel">Model width; must be a multiple of <paramref name="headCount"/>.</param>
    /// <param name="headCount">Number of heads.</param>
    public MultiHeadAttentionWeights(int dModel, int headCount)
        : this(dModel, headCount,
            new float[dModel * dModel], new float[dModel], new float[dModel * dModel], new float[dModel],
            new float[dModel * dModel], new float[dModel], new float[dModel * dModel], new float[dModel])
    {
    }

    /// <summary>Wraps existing arrays (not copied) after checking their lengths.</summary>
    /// <param name="dModel">Model width; must be a multiple of <paramref name="headCount"/>.</param>
    /// <param name="headCount">Number of heads.</param>
    /// <param name="wq">[dModel, dModel] query projection.</param>
    /// <param name="bq">[dModel] query bias.</param>
    /// <param name="wk">[dModel, dModel] key projection.</param>
    /// <param name="bk">[dModel] key bias.</param>
    /// <param name="wv">[dModel, dModel] value projection.</param>
    /// <param name="bv">[dModel] value bias.</param>
    /// <param name="wo">[dModel, dModel] output projection.</param>
    /// <param name="bo">[dModel] output bias.</param>
    public MultiHeadAttentionWeights(
        int dModel, int headCount,
        float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv, float[] wo, float[] bo)
    {
        Guard.Positive(dModel, nameof(dModel));
        Guard.Positive(headCount, nameof(headCount));
        if (dModel % headCount != 0)
        {
            throw new ArgumentException($"dModel ({dModel}) must be a multiple of headCount ({headCount}).", nameof(headCount));
        }

        foreach (var (array, name) in new[] { (wq, nameof(wq)), (wk, nameof(wk)), (wv, nameof(wv)), (wo, nameof(wo)) })
        {
            ArgumentNullException.ThrowIfNull(array, name);
            Guard.Shape(array.Length, name, dModel, "out=dModel", dModel, "in=dModel");
        }

        foreach (var (array, name) in new[] { (bq, nameof(bq)), (bk, nameof(bk)), (bv, nameof(bv)), (bo, nameof(bo)) })
        {
            ArgumentNullException.ThrowIfNull(array, name);
            Guard.Shape(array.Length, name, dModel, nameof(dModel));
        }

        DModel = dModel;
        HeadCount = headCount;
        Wq = wq; Bq = bq; Wk = wk; Bk = bk; Wv = wv; Bv = bv; Wo = wo; Bo = bo;
    }

    /// <summary>Model width d_model.</summary>
    public int DModel { get; }

    /// <summary>Number of heads.</summary>
    public int HeadCount { get; }

    /// <summary>Per-head width d_k = d_model / heads.</summary>
    public int HeadDim => DModel / HeadCount;

    /// <summary>[dModel, dModel] query projection (out, in).</summary>
    public float[] Wq { get; }

    /// <summary>[dModel] query bias.</summary>
    public float[] Bq { get; }

    /// <summary>[dModel, dModel] key projection (out, in).</summary>
    public float[] Wk { get; }

    /// <summary>[dModel] key bias.</summary>
    public float[] Bk { get; }

    /// <summary>[dModel, dModel] value projection (out, in).</summary>
    public float[] Wv { get; }

    /// <summary>[dModel] value bias.</summary>
    public float[] Bv { get; }

    /// <summary>[dModel, dModel] output projection (out, in).</summary>
    public float[] Wo { get; }

    /// <summary>[dModel] output bias.</summary>
    public float[] Bo { get; }
}
