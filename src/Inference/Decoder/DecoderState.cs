using Summarizer.Attention;
using Summarizer.Inference.Decoding;

namespace Summarizer.Inference.Decoder;

/// <summary>
/// One request's decoding state (llama2.c's RunState): every activation buffer, the per-layer self-attention caches and
/// the cross-attention keys/values of its source, all allocated once by <see cref="TransformerDecoder.CreateState"/>,
/// so <see cref="Step"/> allocates nothing. Not thread-safe: one request, one state.
/// </summary>
public sealed class DecoderState : IStepModel
{
    private readonly TransformerDecoder _decoder;

    internal DecoderState(TransformerDecoder decoder, ReadOnlySpan<float> memory, ReadOnlySpan<int> sourceIds, int maxRows, bool captureLayerAttention,
        ReadOnlySpan<float> copyPrior)
    {
        var c = decoder.Config;
        int d = c.DModel, s = sourceIds.Length, layers = c.DecoderLayers, heads = c.HeadCount;
        _decoder = decoder;
        MaxRows = maxRows;
        SourceLength = s;
        SourceIds = sourceIds.ToArray();
        CopyPrior = copyPrior.IsEmpty ? null : copyPrior.ToArray();
        MemoryTransposed = new float[d * s];
        for (var j = 0; j < s; j++)
            for (var i = 0; i < d; i++)
                MemoryTransposed[i * s + j] = memory[j * d + i];

        Caches = new KeyValueCache[layers];
        CrossKeyValues = new CrossAttentionKeyValues[layers];
        for (var l = 0; l < layers; l++)
        {
            Caches[l] = new KeyValueCache(maxRows, heads, c.HeadDim, c.MaxTargetLength);
            CrossKeyValues[l] = new CrossAttentionKeyValues(heads, c.HeadDim, s);
        }
        Workspace = new AttentionWorkspace(d, heads, maxRows, Math.Max(s, c.MaxTargetLength));
        HiddenState = new float[maxRows * d];
        Delta = new float[maxRows * d];
        FeedForwardHidden = new float[maxRows * c.FeedForwardDim];
        Context = new float[maxRows * d];
        CrossWeights = new float[layers][];
        for (var l = 0; l < layers; l++)
            CrossWeights[l] = l == layers - 1 || captureLayerAttention ? new float[maxRows * heads * s] : [];
        ShortlistProbabilities = new float[maxRows * c.ShortlistSize];
        LogProbabilities = new float[maxRows * c.VocabSize];
        // The copy scatter's plan: each source id's first position, the shortlist entries the source holds, and the source
        // ids outside the shortlist, so a step sums copy mass over S positions, not over the vocabulary.
        SourceRepresentative = new int[s];
        var first = new Dictionary<int, int>(s);
        var inShortlist = new List<(int, int)>();
        var copyOnly = new List<int>();
        for (var j = 0; j < s; j++)
        {
            if (first.TryGetValue(SourceIds[j], out var at))
            {
                SourceRepresentative[j] = at;
                continue;
            }
            first[SourceIds[j]] = SourceRepresentative[j] = j;
            var index = decoder.ShortlistIndex(SourceIds[j]);
            if (index >= 0)
                inShortlist.Add((index, j));
            else
                copyOnly.Add(j);
        }
        ShortlistCopies = inShortlist.ToArray();
        CopyOnlyPositions = copyOnly.ToArray();
        CopyMass = new float[maxRows * s];
        CopyOnlyProbabilities = new float[maxRows * s];
        OutputRows = new OutputRowChunks(decoder, this);
        CopyDistribution = new float[maxRows * s];
        GenerationProbabilities = new float[maxRows];
        LayerAttentionLength = captureLayerAttention ? layers * heads * s : 0;
        CapturedLayerAttention = new float[maxRows * LayerAttentionLength];
    }

    /// <inheritdoc />
    public int VocabSize => _decoder.Config.VocabSize;

    /// <summary>The second core's helper while this state holds it, else null.</summary>
    internal CoreSplit? Split { get; private set; }

    /// <summary>
    /// Takes the second core for the steps to come when the decoder allows it (<see cref="TransformerDecoder.SecondCore"/>)
    /// and this is the only summary under way; a step gives it back as soon as another starts. Pair with
    /// <see cref="ReleaseSecondCore"/>.
    /// </summary>
    internal void UseSecondCore()
    {
        if (Split is null && _decoder.SecondCore && QuantizedLinear.IsSupported && RequestActivity.Active <= 1)
            Split = CoreSplit.TryAcquire(this);
    }

    /// <summary>Gives the second core back (nothing if this state does not hold it).</summary>
    internal void ReleaseSecondCore()
    {
        Split?.Release(this);
        Split = null;
    }

    /// <inheritdoc />
    public int SourceLength { get; }

    /// <inheritdoc />
    public int MaxRows { get; }

    /// <inheritdoc />
    public int LayerAttentionLength { get; }

    /// <summary>Rows of the last step.</summary>
    public int RowCount { get; internal set; }

    internal int[] SourceIds { get; }                         // [S] source token ids (for the copy scatter)
    internal float[]? CopyPrior { get; }                      // [S] s_j, the copy attention's prior (bottom-up attention), or null
    internal float[] MemoryTransposed { get; }                // [d_model, S] encoder memory, transposed for c = a · memory
    internal KeyValueCache[] Caches { get; }                  // per layer: self-attention K/V [rows, heads, T, d_k]
    internal CrossAttentionKeyValues[] CrossKeyValues { get; } // per layer: cross-attention K/V [heads, S, d_k]
    internal AttentionWorkspace Workspace { get; }
    internal float[] HiddenState { get; }                     // [rows, d_model] y, the hidden state through the layers (h after the last)
    internal float[] Delta { get; }                           // [rows, d_model] a sub-block's output, added to y before its LN
    internal float[] FeedForwardHidden { get; }               // [rows, d_ff] FFN activations, GELU(fc1(y))
    internal float[] Context { get; }                         // [rows, d_model] c = a · memory
    internal float[][] CrossWeights { get; }                  // per layer: [rows, heads, S] (empty when not captured)
    internal float[] ShortlistProbabilities { get; }          // [rows, n_gen] logits → P_gen_vocab → log P(w) of gen_ids, in place
    internal float[] LogProbabilities { get; }                // [rows, V] log P(w)
    internal int[] SourceRepresentative { get; }              // [S] the first position holding the same id
    internal (int ShortlistIndex, int Position)[] ShortlistCopies { get; } // shortlist entries i whose id the source holds, at its first position
    internal int[] CopyOnlyPositions { get; }                 // first positions of the source ids outside the shortlist
    internal float[] CopyMass { get; }                        // [rows, S] copy mass per id, at its first position
    internal float[] CopyOnlyProbabilities { get; }           // [rows, S] P of source ids outside the shortlist, then their logs
    internal OutputRowChunks OutputRows { get; }              // the output's rows as a second core's chunks
    internal float[] CopyDistribution { get; }                // [rows, S] a: last layer's cross-attention, mean over heads
    internal float[] GenerationProbabilities { get; }         // [rows] p_gen: P(generate from the shortlist) vs copy
    internal float[] CapturedLayerAttention { get; }          // [rows, layers, heads, S] when captured, else empty

    /// <inheritdoc />
    public void Step(ReadOnlySpan<int> tokens, int position) => _decoder.Step(this, tokens, position);

    /// <inheritdoc />
    public Span<float> LogProbs(int row) => LogProbabilities.AsSpan(CheckRow(row) * VocabSize, VocabSize);

    /// <inheritdoc />
    public ReadOnlySpan<float> CopyAttention(int row) => CopyDistribution.AsSpan(CheckRow(row) * SourceLength, SourceLength);

    /// <inheritdoc />
    public float GenerationProbability(int row) => GenerationProbabilities[CheckRow(row)];

    /// <inheritdoc />
    public ReadOnlySpan<float> LayerAttention(int row) =>
        CapturedLayerAttention.AsSpan(CheckRow(row) * LayerAttentionLength, LayerAttentionLength);

    /// <inheritdoc />
    public void Reorder(ReadOnlySpan<int> parents)
    {
        foreach (var cache in Caches)
            cache.Reorder(parents);
    }

    private int CheckRow(int row) =>
        (uint)row < (uint)RowCount ? row : throw new ArgumentOutOfRangeException(nameof(row), row, $"The last step had {RowCount} rows.");
}
