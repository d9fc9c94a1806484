using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Summarizer.Attention;

/// <summary>
/// A fully connected layer's weight W (out, in), repacked once for y = x · Wᵀ + b on a few rows at a time (decode steps):
/// panels of <see cref="PanelWidth"/> outputs, each stored input-major ([panel, in, PanelWidth]), so the kernel streams
/// one contiguous panel per output block and needs no horizontal sums. A decode step streams every weight from memory,
/// so a W whose values are all exact halves (a bundle exported in fp16) is stored as half-precision bits and widened in
/// registers: half the bytes, the same sums. The price is a second copy of W. Immutable and thread-safe.
/// </summary>
public sealed class PackedLinear : ILinearLayer
{
    private readonly float[]? _panels;  // [panels, in, PanelWidth], zero-padded past OutFeatures
    private readonly uint[]? _halves;   // [panels, in, 8]: lane k = half bits of output k (low) and k + 8 (high), when W is exactly half

    /// <summary>Repacks <paramref name="weight"/> (torch layout, not kept).</summary>
    /// <param name="weight">[outFeatures, inFeatures] weight W.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="allowHalfStorage">Store W as IEEE half-precision bits when every value is one exactly (a bundle
    /// exported in fp16): the step streams half the bytes, and widening is exact, so outputs are bit for bit the same.</param>
    /// <exception cref="ArgumentException">The weight's length does not match its shape.</exception>
    public PackedLinear(ReadOnlySpan<float> weight, int outFeatures, int inFeatures, bool allowHalfStorage = true)
    {
        Guard.Positive(outFeatures, nameof(outFeatures));
        Guard.Positive(inFeatures, nameof(inFeatures));
        Guard.Shape(weight.Length, nameof(weight), outFeatures, nameof(outFeatures), inFeatures, nameof(inFeatures));
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        int width = PanelWidth, panels = (outFeatures + width - 1) / width;
        long size = (long)panels * inFeatures * width;
        if (allowHalfStorage && HalfKernelAvailable && IsExactlyHalf(weight))
        {
            _halves = new uint[size / 2];
        }
        else
        {
            _panels = new float[size];
        }

        for (int o = 0; o < outFeatures; o++)
        {
            int panelStart = o / width * inFeatures * width, lane = o % width;
            ReadOnlySpan<float> row = weight.Slice(o * inFeatures, inFeatures);
            for (int i = 0; i < inFeatures; i++)
            {
                if (_halves is not null)
                {
                    uint bits = BitConverter.HalfToUInt16Bits((Half)row[i]);
                    _halves[(panelStart + i * width) / 2 + lane % 8] |= lane < 8 ? bits : bits << 16;
                }
                else
                {
                    _panels![panelStart + i * width + lane] = row[i];
                }
            }
        }
    }

    /// <summary>Whether W is stored as half-precision bits (see the constructor).</summary>
    public bool IsHalfStorage => _halves is not null;

    // Panels of PanelWidth outputs, the last one zero-padded.
    private int PanelCount => (OutFeatures + PanelWidth - 1) / PanelWidth;

    // The half kernels widen 16 lanes to two 8-float vectors, so they need Vector<float> to be 256 bits.
    private static bool HalfKernelAvailable => Vector256.IsHardwareAccelerated && Vector<float>.Count == 8;

    // Every value finite and equal to its own round trip through Half (signed zeros included).
    private static bool IsExactlyHalf(ReadOnlySpan<float> weight)
    {
        foreach (float w in weight)
        {
            if (!float.IsFinite(w) || BitConverter.SingleToInt32Bits((float)(Half)w) != BitConverter.SingleToInt32Bits(w))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Outputs per panel: two SIMD vectors.</summary>
    public static int PanelWidth => 2 * Vector<float>.Count;

    /// <inheritdoc />
    public int OutFeatures { get; }

    /// <inheritdoc />
    public int InFeatures { get; }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rowCount)
    {
        Guard.LinearForward(x.Length, bias.Length, y.Length, rowCount, InFeatures, OutFeatures);
        int r = 0;
        if (_halves is not null)
        {
            for (; r + 4 <= rowCount; r += 4)
            {
                Rows4Half(x.Slice(r * InFeatures, 4 * InFeatures), bias, y.Slice(r * OutFeatures, 4 * OutFeatures));
            }

            for (; r < rowCount; r++)
            {
                Row1Half(x.Slice(r * InFeatures, InFeatures), bias, y.Slice(r * OutFeatures, OutFeatures));
            }

            return;
        }

        for (; r + 4 <= rowCount; r += 4)
        {
            Rows4(x.Slice(r * InFeatures, 4 * InFeatures), bias, y.Slice(r * OutFeatures, 4 * OutFeatures));
        }

        for (; r < rowCount; r++)
        {
            Row1(x.Slice(r * InFeatures, InFeatures), bias, y.Slice(r * OutFeatures, OutFeatures));
        }
    }

    // One row, two panels per pass: four independent accumulators keep the FMA pipeline busy.
    private void Row1(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        int panelEnd = PanelCount;
        int n = Vector<float>.Count, width = 2 * n, inner = InFeatures;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float p0 = ref MemoryMarshal.GetArrayDataReference(_panels!);
        // Accumulators go to this buffer before any call: a vector live across a call makes the JIT keep it in memory
        // for the whole inner loop (measured 3× slower).
        Span<float> lanes = stackalloc float[2 * width];
        int panel = 0;
        for (; panel + 2 <= panelEnd; panel += 2)
        {
            ref float pa = ref Unsafe.Add(ref p0, (nint)panel * inner * width);
            ref float pb = ref Unsafe.Add(ref pa, (nint)inner * width);
            Vector<float> a0 = default, a1 = default, b0 = default, b1 = default;
            for (int i = 0; i < inner; i++)
            {
                var xi = new Vector<float>(Unsafe.Add(ref x0, i));
                nuint at = (nuint)(i * width);
                a0 = Vector.FusedMultiplyAdd(xi, Vector.LoadUnsafe(ref pa, at), a0);
                a1 = Vector.FusedMultiplyAdd(xi, Vector.LoadUnsafe(ref pa, at + (nuint)n), a1);
                b0 = Vector.FusedMultiplyAdd(xi, Vector.LoadUnsafe(ref pb, at), b0);
                b1 = Vector.FusedMultiplyAdd(xi, Vector.LoadUnsafe(ref pb, at + (nuint)n), b1);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[n..]);
            b0.CopyTo(lanes[(2 * n)..]);
            b1.CopyTo(lanes[(3 * n)..]);
            Store(lanes, bias, y, panel * width, 2 * width);
        }

        for (; panel < panelEnd; panel++)
        {
            ref float pa = ref Unsafe.Add(ref p0, (nint)panel * inner * width);
            Vector<float> a0 = default, a1 = default;
            for (int i = 0; i < inner; i++)
            {
                var xi = new Vector<float>(Unsafe.Add(ref x0, i));
                nuint at = (nuint)(i * width);
                a0 = Vector.FusedMultiplyAdd(xi, Vector.LoadUnsafe(ref pa, at), a0);
                a1 = Vector.FusedMultiplyAdd(xi, Vector.LoadUnsafe(ref pa, at + (nuint)n), a1);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[n..]);
            Store(lanes, bias, y, panel * width, width);
        }
    }

    // Four rows share each panel load (a beam of 4).
    private void Rows4(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        int panelEnd = PanelCount;
        int n = Vector<float>.Count, width = 2 * n, inner = InFeatures, outs = OutFeatures;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float x1 = ref Unsafe.Add(ref x0, inner);
        ref float x2 = ref Unsafe.Add(ref x0, 2 * inner);
        ref float x3 = ref Unsafe.Add(ref x0, 3 * inner);
        ref float p0 = ref MemoryMarshal.GetArrayDataReference(_panels!);
        Span<float> lanes = stackalloc float[4 * width]; // see Row1: no vector lives across a call
        for (int panel = 0; panel < panelEnd; panel++)
        {
            ref float pa = ref Unsafe.Add(ref p0, (nint)panel * inner * width);
            Vector<float> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default, d0 = default, d1 = default;
            for (int i = 0; i < inner; i++)
            {
                nuint at = (nuint)(i * width);
                var w0 = Vector.LoadUnsafe(ref pa, at);
                var w1 = Vector.LoadUnsafe(ref pa, at + (nuint)n);
                var xi = new Vector<float>(Unsafe.Add(ref x0, i));
                a0 = Vector.FusedMultiplyAdd(xi, w0, a0);
                a1 = Vector.FusedMultiplyAdd(xi, w1, a1);
                xi = new Vector<float>(Unsafe.Add(ref x1, i));
                b0 = Vector.FusedMultiplyAdd(xi, w0, b0);
                b1 = Vector.FusedMultiplyAdd(xi, w1, b1);
                xi = new Vector<float>(Unsafe.Add(ref x2, i));
                c0 = Vector.FusedMultiplyAdd(xi, w0, c0);
                c1 = Vector.FusedMultiplyAdd(xi, w1, c1);
                xi = new Vector<float>(Unsafe.Add(ref x3, i));
                d0 = Vector.FusedMultiplyAdd(xi, w0, d0);
                d1 = Vector.FusedMultiplyAdd(xi, w1, d1);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[n..]);
            b0.CopyTo(lanes[(2 * n)..]);
            b1.CopyTo(lanes[(3 * n)..]);
            c0.CopyTo(lanes[(4 * n)..]);
            c1.CopyTo(lanes[(5 * n)..]);
            d0.CopyTo(lanes[(6 * n)..]);
            d1.CopyTo(lanes[(7 * n)..]);
            StoreRows4(lanes, bias, y, panel * width, outs);
        }
    }

    // Row1 over half-precision panels: each 16-lane slice is widened to two float vectors, then the same FMAs in the
    // same order, so the sums equal Row1's on the widened weights.
    private void Row1Half(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        int panelEnd = PanelCount;
        const int n = 8, width = 16;
        int inner = InFeatures;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref uint p0 = ref MemoryMarshal.GetArrayDataReference(_halves!);
        Span<float> lanes = stackalloc float[2 * width]; // see Row1
        int panel = 0;
        for (; panel + 2 <= panelEnd; panel += 2)
        {
            ref uint pa = ref Unsafe.Add(ref p0, (nint)panel * inner * n);
            ref uint pb = ref Unsafe.Add(ref pa, (nint)inner * n);
            Vector256<float> a0 = default, a1 = default, b0 = default, b1 = default;
            for (int i = 0; i < inner; i++)
            {
                var xi = Vector256.Create(Unsafe.Add(ref x0, i));
                nuint at = (nuint)(i * n);
                var ha = Vector256.LoadUnsafe(ref pa, at);
                var hb = Vector256.LoadUnsafe(ref pb, at);
                var wa0 = Widen(ha << 16);
                var wa1 = Widen(ha);
                var wb0 = Widen(hb << 16);
                var wb1 = Widen(hb);
                a0 = Vector256.FusedMultiplyAdd(xi, wa0, a0);
                a1 = Vector256.FusedMultiplyAdd(xi, wa1, a1);
                b0 = Vector256.FusedMultiplyAdd(xi, wb0, b0);
                b1 = Vector256.FusedMultiplyAdd(xi, wb1, b1);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[n..]);
            b0.CopyTo(lanes[(2 * n)..]);
            b1.CopyTo(lanes[(3 * n)..]);
            Store(lanes, bias, y, panel * width, 2 * width);
        }

        for (; panel < panelEnd; panel++)
        {
            ref uint pa = ref Unsafe.Add(ref p0, (nint)panel * inner * n);
            Vector256<float> a0 = default, a1 = default;
            for (int i = 0; i < inner; i++)
            {
                var xi = Vector256.Create(Unsafe.Add(ref x0, i));
                var h = Vector256.LoadUnsafe(ref pa, (nuint)(i * n));
                var w0 = Widen(h << 16);
                var w1 = Widen(h);
                a0 = Vector256.FusedMultiplyAdd(xi, w0, a0);
                a1 = Vector256.FusedMultiplyAdd(xi, w1, a1);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[n..]);
            Store(lanes, bias, y, panel * width, width);
        }
    }

    // Rows4 over half-precision panels (see Row1Half).
    private void Rows4Half(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        int panelEnd = PanelCount;
        const int n = 8, width = 16;
        int inner = InFeatures, outs = OutFeatures;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float x1 = ref Unsafe.Add(ref x0, inner);
        ref float x2 = ref Unsafe.Add(ref x0, 2 * inner);
        ref float x3 = ref Unsafe.Add(ref x0, 3 * inner);
        ref uint p0 = ref MemoryMarshal.GetArrayDataReference(_halves!);
        Span<float> lanes = stackalloc float[4 * width];
        for (int panel = 0; panel < panelEnd; panel++)
        {
            ref uint pa = ref Unsafe.Add(ref p0, (nint)panel * inner * n);
            Vector256<float> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default, d0 = default, d1 = default;
            for (int i = 0; i < inner; i++)
            {
                var h = Vector256.LoadUnsafe(ref pa, (nuint)(i * n));
                var w0 = Widen(h << 16);
                var w1 = Widen(h);
                var xi = Vector256.Create(Unsafe.Add(ref x0, i));
                a0 = Vector256.FusedMultiplyAdd(xi, w0, a0);
                a1 = Vector256.FusedMultiplyAdd(xi, w1, a1);
                xi = Vector256.Create(Unsafe.Add(ref x1, i));
                b0 = Vector256.FusedMultiplyAdd(xi, w0, b0);
                b1 = Vector256.FusedMultiplyAdd(xi, w1, b1);
                xi = Vector256.Create(Unsafe.Add(ref x2, i));
                c0 = Vector256.FusedMultiplyAdd(xi, w0, c0);
                c1 = Vector256.FusedMultiplyAdd(xi, w1, c1);
                xi = Vector256.Create(Unsafe.Add(ref x3, i));
                d0 = Vector256.FusedMultiplyAdd(xi, w0, d0);
                d1 = Vector256.FusedMultiplyAdd(xi, w1, d1);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[n..]);
            b0.CopyTo(lanes[(2 * n)..]);
            b1.CopyTo(lanes[(3 * n)..]);
            c0.CopyTo(lanes[(4 * n)..]);
            c1.CopyTo(lanes[(5 * n)..]);
            d0.CopyTo(lanes[(6 * n)..]);
            d1.CopyTo(lanes[(7 * n)..]);
            StoreRows4(lanes, bias, y, panel * width, outs);
        }
    }

    // The half in each lane's high 16 bits → float, exactly: an arithmetic shift right by 3 puts the exponent and
    // mantissa in float position (bits 27..13) and keeps the sign at bit 31; the mask drops the sign's copies and the low
    // half; × 2^112 rebiases the exponent (and turns half subnormals into the right normal floats). Packing guarantees
    // finite values (no Inf/NaN encodings).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(Vector256<uint> lanes) =>
        (Vector256.ShiftRightArithmetic(lanes.AsInt32(), 3) & Vector256.Create(unchecked((int)0x8FFF_E000))).AsSingle()
        * Vector256.Create(0x7780_0000).AsSingle(); // 2^112

    // Four rows' panel sums (lanes holds them row after row) into y's four rows at column o.
    private static void StoreRows4(ReadOnlySpan<float> lanes, ReadOnlySpan<float> bias, Span<float> y, int o, int outs)
    {
        int width = lanes.Length / 4;
        for (int row = 0; row < 4; row++)
        {
            Store(lanes.Slice(row * width, width), bias, y.Slice(row * outs, outs), o, width);
        }
    }

    // y[o .. o + count) = sums + bias, cut at the row's end (the last panel is zero-padded).
    private static void Store(ReadOnlySpan<float> sums, ReadOnlySpan<float> bias, Span<float> y, int o, int count)
    {
        count = Math.Min(count, y.Length - o);
        Span<float> target = y.Slice(o, count);
        if (bias.IsEmpty)
        {
            sums[..count].CopyTo(target);
        }
        else
        {
            TensorPrimitives.Add(sums[..count], bias.Slice(o, count), target);
        }
    }
}
