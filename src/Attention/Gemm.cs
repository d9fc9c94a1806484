using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Summarizer.Attention;

/// <summary>
/// SIMD matrix kernels on row-major spans with explicit row strides (lengths in elements).
/// Callers check shapes; these check only that every touched element lies inside its span.
/// </summary>
internal static class Gemm
{
    private const int OutputTile = 32; // rows of W kept hot in cache while 4-row blocks of x stream past

    /// <summary>
    /// y[r, o] = alpha · Σ_i x[r, i]·w[o, i] + bias[o] — x (rows, inner) stride ldx, w (outs, inner) stride ldw,
    /// y (rows, outs) stride ldy; bias empty or [outs]. Both operands are read along contiguous rows.
    /// </summary>
    public static void MultiplyTransposed(
        ReadOnlySpan<float> x, int ldx, ReadOnlySpan<float> w, int ldw, Span<float> y, int ldy,
        int rows, int outs, int inner, ReadOnlySpan<float> bias, float alpha)
    {
        if (rows == 0 || outs == 0)
        {
            return;
        }

        CheckExtent(x.Length, rows, ldx, inner, nameof(x));
        CheckExtent(w.Length, outs, ldw, inner, nameof(w));
        CheckExtent(y.Length, rows, ldy, outs, nameof(y));
        if (!bias.IsEmpty && bias.Length < outs)
        {
            throw new ArgumentException("bias is shorter than the output count.", nameof(bias));
        }

        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(w);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        ref float b0 = ref MemoryMarshal.GetReference(bias);
        bool hasBias = !bias.IsEmpty;

        for (int oTile = 0; oTile < outs; oTile += OutputTile)
        {
            int oEnd = Math.Min(outs, oTile + OutputTile);
            int r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                ref float xr = ref Unsafe.Add(ref x0, (nint)r * ldx);
                ref float yr = ref Unsafe.Add(ref y0, (nint)r * ldy);
                int o = oTile;
                for (; o + 2 <= oEnd; o += 2)
                {
                    Block4x2(ref xr, ldx, ref Unsafe.Add(ref w0, (nint)o * ldw), ldw, ref Unsafe.Add(ref yr, o), ldy, inner, alpha,
                        hasBias ? Unsafe.Add(ref b0, o) : 0f, hasBias ? Unsafe.Add(ref b0, o + 1) : 0f);
                }

                for (; o < oEnd; o++)
                {
                    float b = hasBias ? Unsafe.Add(ref b0, o) : 0f;
                    ref float wo = ref Unsafe.Add(ref w0, (nint)o * ldw);
                    for (int i = 0; i < 4; i++)
                    {
                        Unsafe.Add(ref yr, (nint)i * ldy + o) = alpha * Dot(ref Unsafe.Add(ref xr, (nint)i * ldx), ref wo, inner) + b;
                    }
                }
            }

            for (; r < rows; r++)
            {
                ref float xr = ref Unsafe.Add(ref x0, (nint)r * ldx);
                ref float yr = ref Unsafe.Add(ref y0, (nint)r * ldy);
                int o = oTile;
                for (; o + 4 <= oEnd; o += 4)
                {
                    Block1x4(ref xr, ref Unsafe.Add(ref w0, (nint)o * ldw), ldw, ref Unsafe.Add(ref yr, o), inner, alpha,
                        hasBias ? MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref b0, o), 4) : default);
                }

                for (; o < oEnd; o++)
                {
                    float b = hasBias ? Unsafe.Add(ref b0, o) : 0f;
                    Unsafe.Add(ref yr, o) = alpha * Dot(ref xr, ref Unsafe.Add(ref w0, (nint)o * ldw), inner) + b;
                }
            }
        }
    }

    /// <summary>
    /// y[r, c] = Σ_j p[r, j]·v[j, c] — p (rows, k) stride ldp, v (k, n) stride ldv, y (rows, n) stride ldy (overwritten).
    /// Used for the weighted sum of values: the inner loop walks rows of v contiguously.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> p, int ldp, ReadOnlySpan<float> v, int ldv, Span<float> y, int ldy, int rows, int k, int n)
    {
        if (rows == 0 || n == 0)
        {
            return;
        }

        CheckExtent(p.Length, rows, ldp, k, nameof(p));
        CheckExtent(v.Length, k, ldv, n, nameof(v));
        CheckExtent(y.Length, rows, ldy, n, nameof(y));

        ref float p0 = ref MemoryMarshal.GetReference(p);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int width = Vector<float>.Count;
        int r = 0;
        for (; r + 2 <= rows; r += 2)
        {
            MultiplyTwoRows(ref Unsafe.Add(ref p0, (nint)r * ldp), ldp, ref v0, ldv, ref Unsafe.Add(ref y0, (nint)r * ldy), ldy, k, n);
        }

        for (; r < rows; r++)
        {
            ref float pr = ref Unsafe.Add(ref p0, (nint)r * ldp);
            ref float yr = ref Unsafe.Add(ref y0, (nint)r * ldy);
            int c = 0;
            for (; c + 4 * width <= n; c += 4 * width)
            {
                Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero, a2 = Vector<float>.Zero, a3 = Vector<float>.Zero;
                ref float vc = ref Unsafe.Add(ref v0, c);
                for (int j = 0; j < k; j++)
                {
                    float pj = Unsafe.Add(ref pr, j);
                    if (pj == 0f)
                    {
                        continue; // masked keys cost nothing
                    }

                    var s = new Vector<float>(pj);
                    ref float vj = ref Unsafe.Add(ref vc, (nint)j * ldv);
                    a0 = Vector.FusedMultiplyAdd(s, Vector.LoadUnsafe(ref vj), a0);
                    a1 = Vector.FusedMultiplyAdd(s, Vector.LoadUnsafe(ref vj, (nuint)width), a1);
                    a2 = Vector.FusedMultiplyAdd(s, Vector.LoadUnsafe(ref vj, (nuint)(2 * width)), a2);
                    a3 = Vector.FusedMultiplyAdd(s, Vector.LoadUnsafe(ref vj, (nuint)(3 * width)), a3);
                }

                ref float yc = ref Unsafe.Add(ref yr, c);
                a0.StoreUnsafe(ref yc);
                a1.StoreUnsafe(ref yc, (nuint)width);
                a2.StoreUnsafe(ref yc, (nuint)(2 * width));
                a3.StoreUnsafe(ref yc, (nuint)(3 * width));
            }

            for (; c + width <= n; c += width)
            {
                Vector<float> a0 = Vector<float>.Zero;
                ref float vc = ref Unsafe.Add(ref v0, c);
                for (int j = 0; j < k; j++)
                {
                    a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref pr, j)), Vector.LoadUnsafe(ref Unsafe.Add(ref vc, (nint)j * ldv)), a0);
                }

                a0.StoreUnsafe(ref Unsafe.Add(ref yr, c));
            }

            for (; c < n; c++)
            {
                float sum = 0f;
                for (int j = 0; j < k; j++)
                {
                    sum += Unsafe.Add(ref pr, j) * Unsafe.Add(ref v0, (nint)j * ldv + c);
                }

                Unsafe.Add(ref yr, c) = sum;
            }
        }
    }

    // Two rows of y at once: each row of v is loaded once for both, and eight independent sums hide the FMA latency that
    // bounds a single row. The sum over j runs in the same order as the one-row loop, so the results are the same.
    private static void MultiplyTwoRows(ref float p, int ldp, ref float v, int ldv, ref float y, int ldy, int k, int n)
    {
        ref float p1 = ref Unsafe.Add(ref p, ldp);
        ref float y1 = ref Unsafe.Add(ref y, ldy);
        int width = Vector<float>.Count;
        int c = 0;
        for (; c + 4 * width <= n; c += 4 * width)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector<float> b0 = default, b1 = default, b2 = default, b3 = default;
            ref float vc = ref Unsafe.Add(ref v, c);
            for (int j = 0; j < k; j++)
            {
                float pa = Unsafe.Add(ref p, j), pb = Unsafe.Add(ref p1, j);
                if (pa == 0f && pb == 0f)
                {
                    continue; // keys masked for both rows cost nothing
                }

                var sa = new Vector<float>(pa);
                var sb = new Vector<float>(pb);
                ref float vj = ref Unsafe.Add(ref vc, (nint)j * ldv);
                var v0 = Vector.LoadUnsafe(ref vj);
                var v1 = Vector.LoadUnsafe(ref vj, (nuint)width);
                var v2 = Vector.LoadUnsafe(ref vj, (nuint)(2 * width));
                var v3 = Vector.LoadUnsafe(ref vj, (nuint)(3 * width));
                a0 = Vector.FusedMultiplyAdd(sa, v0, a0);
                a1 = Vector.FusedMultiplyAdd(sa, v1, a1);
                a2 = Vector.FusedMultiplyAdd(sa, v2, a2);
                a3 = Vector.FusedMultiplyAdd(sa, v3, a3);
                b0 = Vector.FusedMultiplyAdd(sb, v0, b0);
                b1 = Vector.FusedMultiplyAdd(sb, v1, b1);
                b2 = Vector.FusedMultiplyAdd(sb, v2, b2);
                b3 = Vector.FusedMultiplyAdd(sb, v3, b3);
            }

            ref float ya = ref Unsafe.Add(ref y, c);
            a0.StoreUnsafe(ref ya);
            a1.StoreUnsafe(ref ya, (nuint)width);
            a2.StoreUnsafe(ref ya, (nuint)(2 * width));
            a3.StoreUnsafe(ref ya, (nuint)(3 * width));
            ref float yb = ref Unsafe.Add(ref y1, c);
            b0.StoreUnsafe(ref yb);
            b1.StoreUnsafe(ref yb, (nuint)width);
            b2.StoreUnsafe(ref yb, (nuint)(2 * width));
            b3.StoreUnsafe(ref yb, (nuint)(3 * width));
        }

        for (; c + width <= n; c += width)
        {
            Vector<float> a0 = default, b0 = default;
            ref float vc = ref Unsafe.Add(ref v, c);
            for (int j = 0; j < k; j++)
            {
                var vj = Vector.LoadUnsafe(ref Unsafe.Add(ref vc, (nint)j * ldv));
                a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref p, j)), vj, a0);
                b0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref p1, j)), vj, b0);
            }

            a0.StoreUnsafe(ref Unsafe.Add(ref y, c));
            b0.StoreUnsafe(ref Unsafe.Add(ref y1, c));
        }

        for (; c < n; c++)
        {
            float sa = 0f, sb = 0f;
            for (int j = 0; j < k; j++)
            {
                float vj = Unsafe.Add(ref v, (nint)j * ldv + c);
                sa += Unsafe.Add(ref p, j) * vj;
                sb += Unsafe.Add(ref p1, j) * vj;
            }

            Unsafe.Add(ref y, c) = sa;
            Unsafe.Add(ref y1, c) = sb;
        }
    }

    private static void Block4x2(ref float x, int ldx, ref float w, int ldw, ref float y, int ldy, int inner, float alpha, float b0, float b1)
    {
        ref float x1 = ref Unsafe.Add(ref x, ldx);
        ref float x2 = ref Unsafe.Add(ref x, 2 * (nint)ldx);
        ref float x3 = ref Unsafe.Add(ref x, 3 * (nint)ldx);
        ref float w1 = ref Unsafe.Add(ref w, ldw);
        Vector<float> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector<float> s20 = default, s21 = default, s30 = default, s31 = default;
        int width = Vector<float>.Count;
        int i = 0;
        for (; i + width <= inner; i += width)
        {
            var wa = Vector.LoadUnsafe(ref w, (nuint)i);
            var wb = Vector.LoadUnsafe(ref w1, (nuint)i);
            var xa = Vector.LoadUnsafe(ref x, (nuint)i);
            s00 = Vector.FusedMultiplyAdd(xa, wa, s00);
            s01 = Vector.FusedMultiplyAdd(xa, wb, s01);
            xa = Vector.LoadUnsafe(ref x1, (nuint)i);
            s10 = Vector.FusedMultiplyAdd(xa, wa, s10);
            s11 = Vector.FusedMultiplyAdd(xa, wb, s11);
            xa = Vector.LoadUnsafe(ref x2, (nuint)i);
            s20 = Vector.FusedMultiplyAdd(xa, wa, s20);
            s21 = Vector.FusedMultiplyAdd(xa, wb, s21);
            xa = Vector.LoadUnsafe(ref x3, (nuint)i);
            s30 = Vector.FusedMultiplyAdd(xa, wa, s30);
            s31 = Vector.FusedMultiplyAdd(xa, wb, s31);
        }

        float t00 = Vector.Sum(s00), t01 = Vector.Sum(s01), t10 = Vector.Sum(s10), t11 = Vector.Sum(s11);
        float t20 = Vector.Sum(s20), t21 = Vector.Sum(s21), t30 = Vector.Sum(s30), t31 = Vector.Sum(s31);
        for (; i < inner; i++)
        {
            float wa = Unsafe.Add(ref w, i), wb = Unsafe.Add(ref w1, i);
            float xa = Unsafe.Add(ref x, i), xb = Unsafe.Add(ref x1, i), xc = Unsafe.Add(ref x2, i), xd = Unsafe.Add(ref x3, i);
            t00 += xa * wa; t01 += xa * wb;
            t10 += xb * wa; t11 += xb * wb;
            t20 += xc * wa; t21 += xc * wb;
            t30 += xd * wa; t31 += xd * wb;
        }

        y = alpha * t00 + b0; Unsafe.Add(ref y, 1) = alpha * t01 + b1;
        ref float y1 = ref Unsafe.Add(ref y, ldy);
        y1 = alpha * t10 + b0; Unsafe.Add(ref y1, 1) = alpha * t11 + b1;
        ref float y2 = ref Unsafe.Add(ref y, 2 * (nint)ldy);
        y2 = alpha * t20 + b0; Unsafe.Add(ref y2, 1) = alpha * t21 + b1;
        ref float y3 = ref Unsafe.Add(ref y, 3 * (nint)ldy);
        y3 = alpha * t30 + b0; Unsafe.Add(ref y3, 1) = alpha * t31 + b1;
    }

    private static void Block1x4(ref float x, ref float w, int ldw, ref float y, int inner, float alpha, ReadOnlySpan<float> bias)
    {
        ref float w1 = ref Unsafe.Add(ref w, ldw);
        ref float w2 = ref Unsafe.Add(ref w, 2 * (nint)ldw);
        ref float w3 = ref Unsafe.Add(ref w, 3 * (nint)ldw);
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int width = Vector<float>.Count;
        int i = 0;
        for (; i + width <= inner; i += width)
        {
            var xa = Vector.LoadUnsafe(ref x, (nuint)i);
            s0 = Vector.FusedMultiplyAdd(xa, Vector.LoadUnsafe(ref w, (nuint)i), s0);
            s1 = Vector.FusedMultiplyAdd(xa, Vector.LoadUnsafe(ref w1, (nuint)i), s1);
            s2 = Vector.FusedMultiplyAdd(xa, Vector.LoadUnsafe(ref w2, (nuint)i), s2);
            s3 = Vector.FusedMultiplyAdd(xa, Vector.LoadUnsafe(ref w3, (nuint)i), s3);
        }

        float t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
        for (; i < inner; i++)
        {
            float xa = Unsafe.Add(ref x, i);
            t0 += xa * Unsafe.Add(ref w, i);
            t1 += xa * Unsafe.Add(ref w1, i);
            t2 += xa * Unsafe.Add(ref w2, i);
            t3 += xa * Unsafe.Add(ref w3, i);
        }

        bool hasBias = !bias.IsEmpty;
        y = alpha * t0 + (hasBias ? bias[0] : 0f);
        Unsafe.Add(ref y, 1) = alpha * t1 + (hasBias ? bias[1] : 0f);
        Unsafe.Add(ref y, 2) = alpha * t2 + (hasBias ? bias[2] : 0f);
        Unsafe.Add(ref y, 3) = alpha * t3 + (hasBias ? bias[3] : 0f);
    }

    private static float Dot(ref float a, ref float b, int length)
    {
        int width = Vector<float>.Count;
        Vector<float> s0 = default, s1 = default;
        int i = 0;
        for (; i + 2 * width <= length; i += 2 * width)
        {
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a, (nuint)i), Vector.LoadUnsafe(ref b, (nuint)i), s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a, (nuint)(i + width)), Vector.LoadUnsafe(ref b, (nuint)(i + width)), s1);
        }

        for (; i + width <= length; i += width)
        {
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a, (nuint)i), Vector.LoadUnsafe(ref b, (nuint)i), s0);
        }

        float sum = Vector.Sum(s0 + s1);
        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return sum;
    }

    // Every kernel touches at most (count − 1)·stride + width elements; refuse anything shorter instead of reading past the span.
    private static void CheckExtent(int length, int count, int stride, int width, string name)
    {
        if (count < 0 || width < 0 || stride < width || (count > 0 && (long)(count - 1) * stride + width > length))
        {
            throw new ArgumentException($"{name} is too short for {count} rows of {width} elements with stride {stride}.", name);
        }
    }
}
