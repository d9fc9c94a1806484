using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Summarizer.Attention;

/// <summary>
/// y = x · Wᵀ + b with W in int8 (one scale per output, s_w[o] = max|W[o,:]| / 127) and each row of x quantized on the
/// fly to uint8 (s_x = max|x| / 127, offset 128), so a product is integer: y[o] = s_x·s_w[o]·(Σ_i xq_i·wq_oi − 128·Σ_i wq_oi) + b[o].
/// A quarter of fp32's bytes, and one AVX-VNNI <c>vpdpbusd</c> per 4 inputs × 8 outputs; it needs that instruction
/// (<see cref="IsSupported"/>): without it, widening bytes costs more than the bytes save, so callers keep float
/// weights. Panels of 8 outputs are stored [panel, in/4, 8, 4]. Immutable and thread-safe.
/// </summary>
public sealed class QuantizedLinear : ILinearLayer
{
    private const int Lanes = 8;   // outputs per panel: one 256-bit vector of int32 sums
    private const int Group = 4;   // inputs per vpdpbusd lane
    private const int Offset = 128; // uint8 = int8 + 128

    private readonly sbyte[] _panels;
    private readonly float[] _scales;  // s_w per output
    private readonly int[] _offsetTerms; // 128·Σ_i wq_oi per output
    private readonly int _groups;      // inputs / 4, rounded up (zero-padded)

    /// <summary>Quantizes <paramref name="weight"/> (torch layout, not kept).</summary>
    /// <param name="weight">[outFeatures, inFeatures] weight W.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <param name="inFeatures">Input width.</param>
    /// <exception cref="ArgumentException">The weight's length does not match its shape, or it holds a non-finite value.</exception>
    /// <exception cref="PlatformNotSupportedException">The CPU has no AVX-VNNI (<see cref="IsSupported"/>).</exception>
    public QuantizedLinear(ReadOnlySpan<float> weight, int outFeatures, int inFeatures)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("QuantizedLinear needs AVX-VNNI, which this CPU does not have.");
        }

        Guard.Positive(outFeatures, nameof(outFeatures));
        Guard.Positive(inFeatures, nameof(inFeatures));
        Guard.Shape(weight.Length, nameof(weight), outFeatures, nameof(outFeatures), inFeatures, nameof(inFeatures));
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        _groups = (inFeatures + Group - 1) / Group;
        int panels = (outFeatures + Lanes - 1) / Lanes;
        _panels = new sbyte[(long)panels * _groups * Lanes * Group];
        _scales = new float[panels * Lanes];
        _offsetTerms = new int[panels * Lanes];
        for (int o = 0; o < outFeatures; o++)
        {
            ReadOnlySpan<float> row = weight.Slice(o * inFeatures, inFeatures);
            float scale = Scale(row);
            if (!float.IsFinite(scale))
            {
                throw new ArgumentException("The weight holds a value that is not finite.", nameof(weight));
            }

            _scales[o] = scale;
            int sum = 0, panel = o / Lanes, lane = o % Lanes;
            for (int i = 0; i < inFeatures; i++)
            {
                int q = scale == 0 ? 0 : (int)Math.Clamp(MathF.Round(row[i] / scale), -127, 127);
                _panels[((long)panel * _groups + i / Group) * Lanes * Group + lane * Group + i % Group] = (sbyte)q;
                sum += q;
            }

            _offsetTerms[o] = Offset * sum;
        }
    }

    /// <summary>Whether this CPU runs the int8 products (AVX-VNNI).</summary>
    public static bool IsSupported => AvxVnni.IsSupported;

    /// <inheritdoc />
    public int OutFeatures { get; }

    /// <inheritdoc />
    public int InFeatures { get; }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rowCount)
    {
        Guard.LinearForward(x.Length, bias.Length, y.Length, rowCount, InFeatures, OutFeatures);
        // Quantized rows, 4 rows at a time; each group of 4 uint8 inputs is read as one int32 to broadcast.
        Span<int> packed = stackalloc int[4 * _groups];
        Span<float> rowScales = stackalloc float[4];
        for (int r = 0; r < rowCount; r += 4)
        {
            int rows = Math.Min(4, rowCount - r);
            for (int k = 0; k < rows; k++)
            {
                rowScales[k] = Quantize(x.Slice((r + k) * InFeatures, InFeatures), MemoryMarshal.AsBytes(packed.Slice(k * _groups, _groups)));
            }

            Multiply(packed, rowScales, rows, bias, y.Slice(r * OutFeatures, rows * OutFeatures));
        }
    }

    // xq = round(x / s_x) + 128 into bytes (zero-padded to a whole group: 128, the quantized zero); returns s_x.
    private float Quantize(ReadOnlySpan<float> x, Span<byte> into)
    {
        float scale = Scale(x);
        float inverse = scale == 0 ? 0 : 1f / scale;
        for (int i = 0; i < x.Length; i++)
        {
            into[i] = (byte)(Offset + (int)Math.Clamp(MathF.Round(x[i] * inverse), -127, 127));
        }

        into[x.Length..].Fill(Offset);
        return scale;
    }

    // max|v| / 127: the step that maps the largest magnitude to ±127 (NaN or ∞ when v holds one).
    private static float Scale(ReadOnlySpan<float> values) => Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(values)) / 127f;

    private void Multiply(ReadOnlySpan<int> packed, ReadOnlySpan<float> rowScales, int rows, ReadOnlySpan<float> bias, Span<float> y)
    {
        int panels = (OutFeatures + Lanes - 1) / Lanes, groups = _groups;
        Span<int> sums = stackalloc int[4 * Lanes];
        ref sbyte w0 = ref MemoryMarshal.GetArrayDataReference(_panels);
        for (int panel = 0; panel < panels; panel++)
        {
            ref sbyte pw = ref Unsafe.Add(ref w0, (nint)panel * groups * Lanes * Group);
            Vector256<int> a = default, b = default, c = default, d = default;
            for (int g = 0; g < groups; g++)
            {
                var w = Vector256.LoadUnsafe(ref pw, (nuint)(g * Lanes * Group));
                a = AvxVnni.MultiplyWideningAndAdd(a, Vector256.Create(packed[g]).AsByte(), w);
                if (rows > 1)
                {
                    b = AvxVnni.MultiplyWideningAndAdd(b, Vector256.Create(packed[groups + g]).AsByte(), w);
                }

                if (rows > 2)
                {
                    c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(packed[2 * groups + g]).AsByte(), w);
                }

                if (rows > 3)
                {
                    d = AvxVnni.MultiplyWideningAndAdd(d, Vector256.Create(packed[3 * groups + g]).AsByte(), w);
                }
            }

            a.CopyTo(sums);
            b.CopyTo(sums[Lanes..]);
            c.CopyTo(sums[(2 * Lanes)..]);
            d.CopyTo(sums[(3 * Lanes)..]);

            int o0 = panel * Lanes, count = Math.Min(Lanes, OutFeatures - o0);
            for (int k = 0; k < rows; k++)
            {
                Span<float> target = y.Slice(k * OutFeatures + o0, count);
                for (int lane = 0; lane < count; lane++)
                {
                    int o = o0 + lane;
                    float value = rowScales[k] * _scales[o] * (sums[k * Lanes + lane] - _offsetTerms[o]);
                    target[lane] = bias.IsEmpty ? value : value + bias[o];
                }
            }
        }
    }
}
