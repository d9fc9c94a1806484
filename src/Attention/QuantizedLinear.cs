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
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rowCount) => Forward(x, bias, y, rowCount, null);

    /// <summary>
    /// <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/> with the outputs shared with
    /// <paramref name="split"/>'s helper thread when it is engaged: the same values, in about half the time on an idle
    /// second core.
    /// </summary>
    /// <param name="x">[rowCount, InFeatures] input rows.</param>
    /// <param name="bias">[OutFeatures] bias, or empty for none.</param>
    /// <param name="y">[rowCount, OutFeatures] output; must not overlap <paramref name="x"/>.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="split">The caller's helper, or null for one thread.</param>
    public unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rowCount, CoreSplit? split)
    {
        Guard.LinearForward(x.Length, bias.Length, y.Length, rowCount, InFeatures, OutFeatures);
        int pairs = (OutFeatures + 2 * Lanes - 1) / (2 * Lanes);
        bool share = split is { IsEngaged: true } && pairs >= 2 * MinPairsPerChunk;
        int chunks = Math.Min(MaxChunks, pairs / MinPairsPerChunk);
        // Quantized rows, 4 rows at a time; each group of 4 uint8 inputs is read as one int32 to broadcast.
        Span<int> packed = stackalloc int[4 * _groups];
        Span<float> rowScales = stackalloc float[4];
        fixed (int* packedAt = packed)
        fixed (float* scalesAt = rowScales, biasAt = bias, yAt = y)
        {
            for (int r = 0; r < rowCount; r += 4)
            {
                int rows = Math.Min(4, rowCount - r);
                for (int k = 0; k < rows; k++)
                {
                    rowScales[k] = Quantize(x.Slice((r + k) * InFeatures, InFeatures), MemoryMarshal.AsBytes(packed.Slice(k * _groups, _groups)));
                }

                if (!share)
                {
                    Multiply(packed, rowScales, rows, bias, y.Slice(r * OutFeatures, rows * OutFeatures), 0, pairs);
                    continue;
                }

                var work = split!.Product;
                work.Set(this, new Pinned<int>(packedAt, 4 * _groups), new Pinned<float>(scalesAt, rows), rows, new Pinned<float>(biasAt, bias.Length),
                    new Pinned<float>(yAt + (long)r * OutFeatures, rows * OutFeatures), pairs, chunks);
                split.Run(work, chunks);
            }
        }
    }

    private const int MinPairsPerChunk = 4; // 64 outputs: below that a hand-off costs about what the chunk saves
    private const int MaxChunks = 16;

    /// <summary>One product's chunks for <see cref="CoreSplit"/>: ranges of panel pairs, over memory the caller keeps fixed.</summary>
    internal sealed class Chunks : IChunkedWork
    {
        private QuantizedLinear? _layer;
        private Pinned<int> _packed;
        private Pinned<float> _rowScales, _bias, _y;
        private int _rows, _pairs, _chunks;

        public void Set(QuantizedLinear layer, Pinned<int> packed, Pinned<float> rowScales, int rows, Pinned<float> bias, Pinned<float> y, int pairs, int chunks) =>
            (_layer, _packed, _rowScales, _rows, _bias, _y, _pairs, _chunks) = (layer, packed, rowScales, rows, bias, y, pairs, chunks);

        public void RunChunk(int index)
        {
            int start = (int)((long)_pairs * index / _chunks), end = (int)((long)_pairs * (index + 1) / _chunks);
            _layer!.Multiply(_packed.Span, _rowScales.Span, _rows, _bias.Span, _y.Span, start, end);
        }
    }

    // xq = round(x / s_x) + 128 into bytes (zero-padded to a whole group: 128, the quantized zero); returns s_x.
    // Vector256.Round rounds half to even, as MathF.Round does, so both loops write the same bytes.
    private float Quantize(ReadOnlySpan<float> x, Span<byte> into)
    {
        float scale = Scale(x);
        float inverse = scale == 0 ? 0 : 1f / scale;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var inv = Vector256.Create(inverse);
            var low = Vector256.Create(-127f);
            var high = Vector256.Create(127f);
            var offset = Vector256.Create(Offset);
            ref float x0 = ref MemoryMarshal.GetReference(x);
            ref byte b0 = ref MemoryMarshal.GetReference(into);
            for (; i + 16 <= x.Length; i += 16)
            {
                // 16 floats → 16 ints in 1..255 → 16 shorts → 16 bytes (the values fit, so narrowing loses nothing)
                var a = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(Vector256.LoadUnsafe(ref x0, (nuint)i) * inv), low), high)) + offset;
                var b = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(Vector256.LoadUnsafe(ref x0, (nuint)(i + 8)) * inv), low), high)) + offset;
                var shorts = Vector256.Narrow(a, b).AsUInt16();
                Vector256.Narrow(shorts, shorts).GetLower().StoreUnsafe(ref b0, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            into[i] = (byte)(Offset + (int)Math.Clamp(MathF.Round(x[i] * inverse), -127, 127));
        }

        into[x.Length..].Fill(Offset);
        return scale;
    }

    // max|v| / 127: the step that maps the largest magnitude to ±127 (NaN or ∞ when v holds one).
    private static float Scale(ReadOnlySpan<float> values) => Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(values)) / 127f;

    // Two panels (16 outputs) per pass: every weight load feeds up to 4 rows, and with one or two rows the groups
    // alternate between two sets of sums, so enough vpdpbusd chains run at once to hide the instruction's latency.
    // Panel pairs [pairStart, pairEnd) of the outputs.
    private void Multiply(ReadOnlySpan<int> packed, ReadOnlySpan<float> rowScales, int rows, ReadOnlySpan<float> bias, Span<float> y, int pairStart, int pairEnd)
    {
        int panels = (OutFeatures + Lanes - 1) / Lanes, groups = _groups, panelBytes = groups * Lanes * Group;
        ref sbyte w0 = ref MemoryMarshal.GetArrayDataReference(_panels);
        ref int x0 = ref MemoryMarshal.GetReference(packed);
        // rows 3 reads row 2 twice and drops the copy: cheaper than a kernel of its own for a rare width
        ref int x1 = ref Unsafe.Add(ref x0, rows > 1 ? groups : 0);
        ref int x2 = ref Unsafe.Add(ref x0, rows > 2 ? 2 * groups : 0);
        ref int x3 = ref Unsafe.Add(ref x0, rows > 3 ? 3 * groups : rows > 2 ? 2 * groups : 0);
        Span<Vector256<int>> sums = stackalloc Vector256<int>[8];
        for (int panel = 2 * pairStart; panel < panels && panel < 2 * pairEnd; panel += 2)
        {
            ref sbyte p0 = ref Unsafe.Add(ref w0, (nint)panel * panelBytes);
            // an odd last panel pairs with itself; its copy is not written out
            ref sbyte p1 = ref Unsafe.Add(ref p0, panel + 1 < panels ? panelBytes : 0);
            if (rows == 1)
            {
                Kernel1(ref p0, ref p1, ref x0, groups, out sums[0], out sums[4]);
            }
            else if (rows == 2)
            {
                Kernel2(ref p0, ref p1, ref x0, ref x1, groups, out sums[0], out sums[4], out sums[1], out sums[5]);
            }
            else
            {
                Kernel4(ref p0, ref p1, ref x0, ref x1, ref x2, ref x3, groups, out sums[0], out sums[4], out sums[1], out sums[5], out sums[2], out sums[6], out sums[3], out sums[7]);
            }

            Store(sums[..4], rowScales, rows, panel, bias, y);
            if (panel + 1 < panels)
            {
                Store(sums[4..], rowScales, rows, panel + 1, bias, y);
            }
        }
    }

    // y[k, o] = s_x[k]·s_w[o]·(sum[k, o] − 128·Σ_i wq_oi) + b[o] for one panel's 8 outputs.
    private void Store(ReadOnlySpan<Vector256<int>> sums, ReadOnlySpan<float> rowScales, int rows, int panel, ReadOnlySpan<float> bias, Span<float> y)
    {
        int o0 = panel * Lanes, count = Math.Min(Lanes, OutFeatures - o0);
        var scales = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_scales), (nuint)o0);
        var offsets = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_offsetTerms), (nuint)o0);
        for (int k = 0; k < rows; k++)
        {
            var value = Vector256.ConvertToSingle(sums[k] - offsets) * (scales * rowScales[k]);
            Span<float> target = y.Slice(k * OutFeatures + o0, count);
            if (count == Lanes)
            {
                if (!bias.IsEmpty)
                {
                    value += Vector256.Create(bias.Slice(o0, Lanes));
                }

                value.CopyTo(target);
            }
            else
            {
                for (int lane = 0; lane < count; lane++)
                {
                    target[lane] = bias.IsEmpty ? value[lane] : value[lane] + bias[o0 + lane];
                }
            }
        }
    }

    private static Vector256<byte> Broadcast(ref int x, int g) => Vector256.Create(Unsafe.Add(ref x, g)).AsByte();

    private static Vector256<sbyte> Weights(ref sbyte panel, int g) => Vector256.LoadUnsafe(ref panel, (nuint)(g * Lanes * Group));

    // One row: even and odd groups into separate sums, four chains in all.
    private static void Kernel1(ref sbyte p0, ref sbyte p1, ref int x0, int groups, out Vector256<int> s0, out Vector256<int> s1)
    {
        Vector256<int> a0 = default, a1 = default, b0 = default, b1 = default;
        int g = 0;
        for (; g + 1 < groups; g += 2)
        {
            var xa = Broadcast(ref x0, g);
            var xb = Broadcast(ref x0, g + 1);
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, xa, Weights(ref p0, g));
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, xa, Weights(ref p1, g));
            b0 = AvxVnni.MultiplyWideningAndAdd(b0, xb, Weights(ref p0, g + 1));
            b1 = AvxVnni.MultiplyWideningAndAdd(b1, xb, Weights(ref p1, g + 1));
        }

        if (g < groups)
        {
            var xa = Broadcast(ref x0, g);
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, xa, Weights(ref p0, g));
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, xa, Weights(ref p1, g));
        }

        s0 = a0 + b0;
        s1 = a1 + b1;
    }

    // Two rows: even and odd groups into separate sums, eight chains in all.
    private static void Kernel2(ref sbyte p0, ref sbyte p1, ref int x0, ref int x1, int groups,
        out Vector256<int> s00, out Vector256<int> s01, out Vector256<int> s10, out Vector256<int> s11)
    {
        Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<int> b00 = default, b01 = default, b10 = default, b11 = default;
        int g = 0;
        for (; g + 1 < groups; g += 2)
        {
            var w0 = Weights(ref p0, g);
            var w1 = Weights(ref p1, g);
            var xa = Broadcast(ref x0, g);
            var xb = Broadcast(ref x1, g);
            a00 = AvxVnni.MultiplyWideningAndAdd(a00, xa, w0);
            a01 = AvxVnni.MultiplyWideningAndAdd(a01, xa, w1);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, xb, w0);
            a11 = AvxVnni.MultiplyWideningAndAdd(a11, xb, w1);
            w0 = Weights(ref p0, g + 1);
            w1 = Weights(ref p1, g + 1);
            xa = Broadcast(ref x0, g + 1);
            xb = Broadcast(ref x1, g + 1);
            b00 = AvxVnni.MultiplyWideningAndAdd(b00, xa, w0);
            b01 = AvxVnni.MultiplyWideningAndAdd(b01, xa, w1);
            b10 = AvxVnni.MultiplyWideningAndAdd(b10, xb, w0);
            b11 = AvxVnni.MultiplyWideningAndAdd(b11, xb, w1);
        }

        if (g < groups)
        {
            var w0 = Weights(ref p0, g);
            var w1 = Weights(ref p1, g);
            var xa = Broadcast(ref x0, g);
            var xb = Broadcast(ref x1, g);
            a00 = AvxVnni.MultiplyWideningAndAdd(a00, xa, w0);
            a01 = AvxVnni.MultiplyWideningAndAdd(a01, xa, w1);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, xb, w0);
            a11 = AvxVnni.MultiplyWideningAndAdd(a11, xb, w1);
        }

        s00 = a00 + b00;
        s01 = a01 + b01;
        s10 = a10 + b10;
        s11 = a11 + b11;
    }

    // Four rows (or three, one read twice): eight chains, each weight load used four times.
    private static void Kernel4(ref sbyte p0, ref sbyte p1, ref int x0, ref int x1, ref int x2, ref int x3, int groups,
        out Vector256<int> s00, out Vector256<int> s01, out Vector256<int> s10, out Vector256<int> s11,
        out Vector256<int> s20, out Vector256<int> s21, out Vector256<int> s30, out Vector256<int> s31)
    {
        Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<int> a20 = default, a21 = default, a30 = default, a31 = default;
        for (int g = 0; g < groups; g++)
        {
            var w0 = Weights(ref p0, g);
            var w1 = Weights(ref p1, g);
            var x = Broadcast(ref x0, g);
            a00 = AvxVnni.MultiplyWideningAndAdd(a00, x, w0);
            a01 = AvxVnni.MultiplyWideningAndAdd(a01, x, w1);
            x = Broadcast(ref x1, g);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, x, w0);
            a11 = AvxVnni.MultiplyWideningAndAdd(a11, x, w1);
            x = Broadcast(ref x2, g);
            a20 = AvxVnni.MultiplyWideningAndAdd(a20, x, w0);
            a21 = AvxVnni.MultiplyWideningAndAdd(a21, x, w1);
            x = Broadcast(ref x3, g);
            a30 = AvxVnni.MultiplyWideningAndAdd(a30, x, w0);
            a31 = AvxVnni.MultiplyWideningAndAdd(a31, x, w1);
        }

        (s00, s01, s10, s11, s20, s21, s30, s31) = (a00, a01, a10, a11, a20, a21, a30, a31);
    }
}
