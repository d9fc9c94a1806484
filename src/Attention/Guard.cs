using System.Globalization;

namespace Summarizer.Attention;

/// <summary>Argument checks whose messages name the shapes; formatting happens only when a check fails, so hot paths allocate nothing.</summary>
internal static class Guard
{
    // The arguments of an ILinearLayer's Forward: x [rowCount, in], bias [out] or empty, y [rowCount, out].
    public static void LinearForward(int xLength, int biasLength, int yLength, int rowCount, int inFeatures, int outFeatures)
    {
        NonNegative(rowCount, nameof(rowCount));
        Shape(xLength, "x", rowCount, nameof(rowCount), inFeatures, "InFeatures");
        if (biasLength != 0)
        {
            Shape(biasLength, "bias", outFeatures, "OutFeatures");
        }

        Shape(yLength, "y", rowCount, nameof(rowCount), outFeatures, "OutFeatures");
    }

    public static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be > 0 but was {value}.", name);
        }
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentException($"{name} must be >= 0 but was {value}.", name);
        }
    }

    /// <summary>Checks a span holds exactly <paramref name="d0"/> elements (shape [d0Name=d0]).</summary>
    public static void Shape(int length, string name, int d0, string d0Name)
    {
        if (length != d0)
        {
            Throw(length, name, (long)d0, $"[{d0Name}={d0}]");
        }
    }

    /// <summary>Checks a span holds exactly d0·d1 elements (shape [d0Name=d0, d1Name=d1]).</summary>
    public static void Shape(int length, string name, int d0, string d0Name, int d1, string d1Name)
    {
        if (length != (long)d0 * d1)
        {
            Throw(length, name, (long)d0 * d1, $"[{d0Name}={d0}, {d1Name}={d1}]");
        }
    }

    /// <summary>Checks a span holds exactly d0·d1·d2 elements.</summary>
    public static void Shape(int length, string name, int d0, string d0Name, int d1, string d1Name, int d2, string d2Name)
    {
        if (length != (long)d0 * d1 * d2)
        {
            Throw(length, name, (long)d0 * d1 * d2, $"[{d0Name}={d0}, {d1Name}={d1}, {d2Name}={d2}]");
        }
    }

    /// <summary>Checks an optional span: empty, or exactly d0·d1·d2 elements.</summary>
    public static void OptionalShape(int length, string name, int d0, string d0Name, int d1, string d1Name, int d2, string d2Name)
    {
        if (length != 0)
        {
            Shape(length, name, d0, d0Name, d1, d1Name, d2, d2Name);
        }
    }

    /// <summary>Checks an optional span: empty, or exactly d0·d1 elements.</summary>
    public static void OptionalShape(int length, string name, int d0, string d0Name, int d1, string d1Name)
    {
        if (length != 0)
        {
            Shape(length, name, d0, d0Name, d1, d1Name);
        }
    }

    /// <summary>Checks an additive mask: empty, [keyCount] (shared by every query row) or [queryCount, keyCount].</summary>
    public static void Mask(int length, string name, int queryCount, int keyCount)
    {
        if (length != 0 && length != keyCount && length != (long)queryCount * keyCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{name} has {length} elements, but a mask must be empty, [keyCount={keyCount}] or [queryCount={queryCount}, keyCount={keyCount}]."),
                name);
        }
    }

    public static void Throw(int length, string name, long expected, string shape) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{name} has {length} elements, but its shape {shape} needs {expected}."),
            name);
}
