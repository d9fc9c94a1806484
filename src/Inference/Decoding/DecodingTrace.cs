namespace Summarizer.Inference.Decoding;

/// <summary>
/// Everything a search chose, step by step, with back-pointers: row i at step t holds a token, the row of step t−1 it
/// extends, and the attention the model computed when it chose that token. Beams reorder freely; each hypothesis's own
/// history is recovered by walking the back-pointers. Allocated once per request, so steps allocate nothing.
/// </summary>
internal sealed class DecodingTrace
{
    private readonly int _rows;
    private readonly int _sourceLength;
    private readonly int _layerWidth;
    private readonly int[] _tokens;            // [steps, rows]
    private readonly int[] _parents;           // [steps, rows]
    private readonly float[] _copyProbability; // [steps, rows]
    private readonly float[] _copyAttention;   // [steps, rows, S]
    private readonly float[]? _layerAttention; // [steps, rows, layers·heads·S]

    public DecodingTrace(int steps, int rows, int sourceLength, int layerWidth)
    {
        _rows = rows;
        _sourceLength = sourceLength;
        _layerWidth = layerWidth;
        _tokens = new int[steps * rows];
        _parents = new int[steps * rows];
        _copyProbability = new float[steps * rows];
        _copyAttention = new float[steps * rows * sourceLength];
        _layerAttention = layerWidth > 0 ? new float[steps * rows * layerWidth] : null;
    }

    /// <summary>Records that row <paramref name="row"/> of step <paramref name="step"/> is <paramref name="token"/>, chosen from the model's row <paramref name="parent"/>.</summary>
    public void Record(int step, int row, int token, int parent, IStepModel model)
    {
        var at = step * _rows + row;
        _tokens[at] = token;
        _parents[at] = parent;
        _copyProbability[at] = 1f - model.GenerationProbability(parent);
        model.CopyAttention(parent).CopyTo(_copyAttention.AsSpan(at * _sourceLength, _sourceLength));
        if (_layerAttention is not null)
            model.LayerAttention(parent).CopyTo(_layerAttention.AsSpan(at * _layerWidth, _layerWidth));
    }

    /// <summary>The token at (<paramref name="step"/>, <paramref name="row"/>).</summary>
    public int Token(int step, int row) => _tokens[step * _rows + row];

    /// <summary>The copy probability recorded at (<paramref name="step"/>, <paramref name="row"/>).</summary>
    public float CopyProbability(int step, int row) => _copyProbability[step * _rows + row];

    /// <summary>The [S] copy distribution recorded at (<paramref name="step"/>, <paramref name="row"/>).</summary>
    public ReadOnlyMemory<float> CopyAttention(int step, int row) =>
        _copyAttention.AsMemory((step * _rows + row) * _sourceLength, _sourceLength);

    /// <summary>The row of step <paramref name="step"/> − 1 that (<paramref name="step"/>, <paramref name="row"/>) extends.</summary>
    public int Parent(int step, int row) => _parents[step * _rows + row];

    /// <summary>Builds the hypothesis of <paramref name="length"/> tokens whose last token is at (length − 1, <paramref name="row"/>).</summary>
    public SearchResult Extract(int length, int row, double score)
    {
        var tokens = new int[length];
        var copyProbability = new float[length];
        var copyAttention = new float[length * _sourceLength];
        var layerAttention = _layerAttention is null ? null : new float[length * _layerWidth];
        for (var step = length - 1; step >= 0; step--)
        {
            var at = step * _rows + row;
            tokens[step] = _tokens[at];
            copyProbability[step] = _copyProbability[at];
            _copyAttention.AsSpan(at * _sourceLength, _sourceLength).CopyTo(copyAttention.AsSpan(step * _sourceLength));
            _layerAttention?.AsSpan(at * _layerWidth, _layerWidth).CopyTo(layerAttention.AsSpan(step * _layerWidth));
            row = _parents[at];
        }
        return new SearchResult(tokens, score, copyProbability, copyAttention, layerAttention);
    }
}
