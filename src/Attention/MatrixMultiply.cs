namespace Summarizer.Attention;

/// <summary>Plain matrix product y = a · b on row-major spans (e.g. the copy context c = a · memory).</summary>
public static class MatrixMultiply
{
    /// <summary>y[rows, columns] = a[rows, inner] · b[inner, columns]; y is overwritten and must not overlap a or b.</summary>
    /// <param name="a">[rowCount, inner] left operand.</param>
    /// <param name="b">[inner, columnCount] right operand.</param>
    /// <param name="y">[rowCount, columnCount] result.</param>
    /// <param name="rowCount">Rows of a and y.</param>
    /// <param name="inner">Columns of a, rows of b.</param>
    /// <param name="columnCount">Columns of b and y.</param>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int rowCount, int inner, int columnCount)
    {
        Guard.NonNegative(rowCount, nameof(rowCount));
        Guard.NonNegative(inner, nameof(inner));
        Guard.Positive(columnCount, nameof(columnCount));
        Guard.Shape(a.Length, nameof(a), rowCount, nameof(rowCount), inner, nameof(inner));
        Guard.Shape(b.Length, nameof(b), inner, nameof(inner), columnCount, nameof(columnCount));
        Guard.Shape(y.Length, nameof(y), rowCount, nameof(rowCount), columnCount, nameof(columnCount));
        if (inner == 0)
        {
            y.Clear();
            return;
        }

        Gemm.Multiply(a, inner, b, columnCount, y, columnCount, rowCount, inner, columnCount);
    }
}
