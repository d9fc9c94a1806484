using System.Numerics.Tensors;

namespace Summarizer.Attention;

/// <summary>Numerically stable softmax over one row of logits.</summary>
public static class Softmax
{
    /// <summary>
    /// Replaces <paramref name="values"/> with softmax(values), computed as exp(x − max) / Σ exp(x − max).
    /// Entries equal to −∞ (masked) become exactly 0. A row whose entries are all −∞ (fully masked)
    /// becomes all zeros and the method returns <see langword="false"/>; otherwise the row sums to 1 and it returns <see langword="true"/>.
    /// </summary>
    /// <param name="values">[length] logits, overwritten with probabilities.</param>
    public static bool Normalize(Span<float> values)
    {
        if (values.IsEmpty)
        {
            return false;
        }

        float max = TensorPrimitives.Max(values);
        if (float.IsNegativeInfinity(max))
        {
            values.Clear(); // fully masked: attend to nothing rather than divide 0 by 0
            return false;
        }

        TensorPrimitives.Subtract(values, max, values);
        TensorPrimitives.Exp(values, values);
        float sum = TensorPrimitives.Sum(values);
        TensorPrimitives.Multiply(values, 1f / sum, values);
        return true;
    }
}
