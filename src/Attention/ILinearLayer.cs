namespace Summarizer.Attention;

/// <summary>
/// y = x · Wᵀ + b over a few rows at a time (a decoding step's beams), whatever W's storage: <see cref="PackedLinear"/>
/// (float or exact halves, the same sums as <see cref="Linear"/>) or <see cref="QuantizedLinear"/> (int8, close to them).
/// </summary>
public interface ILinearLayer
{
    /// <summary>Output width.</summary>
    int OutFeatures { get; }

    /// <summary>Input width.</summary>
    int InFeatures { get; }

    /// <summary>y = x · Wᵀ + b for a block of rows.</summary>
    /// <param name="x">[rowCount, InFeatures] input rows.</param>
    /// <param name="bias">[OutFeatures] bias, or empty for none.</param>
    /// <param name="y">[rowCount, OutFeatures] output; must not overlap <paramref name="x"/>.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <exception cref="ArgumentException">A span's length does not match its shape.</exception>
    void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rowCount);

    /// <summary>
    /// y = x · Wᵀ + b, sharing the outputs with <paramref name="split"/>'s helper thread where the storage can (the same
    /// values as on one thread); on one thread when <paramref name="split"/> is null.
    /// </summary>
    /// <param name="x">[rowCount, InFeatures] input rows.</param>
    /// <param name="bias">[OutFeatures] bias, or empty for none.</param>
    /// <param name="y">[rowCount, OutFeatures] output; must not overlap <paramref name="x"/>.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="split">The caller's engaged helper, or null.</param>
    void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rowCount, CoreSplit? split) =>
        Forward(x, bias, y, rowCount);

    /// <summary>
    /// W repacked for decode steps: a <see cref="QuantizedLinear"/> when <paramref name="int8"/> and the CPU runs int8
    /// products (<see cref="QuantizedLinear.IsSupported"/>), a <see cref="PackedLinear"/> otherwise.
    /// </summary>
    static ILinearLayer ForSteps(ReadOnlySpan<float> weight, int outFeatures, int inFeatures, bool int8) =>
        int8 && QuantizedLinear.IsSupported
            ? new QuantizedLinear(weight, outFeatures, inFeatures)
            : new PackedLinear(weight, outFeatures, inFeatures);
}
