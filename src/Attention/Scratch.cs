namespace Summarizer.Attention;

/// <summary>A per-thread buffer that grows to the largest size asked for, so steady-state calls allocate nothing.</summary>
internal static class Scratch
{
    [ThreadStatic]
    private static float[]? buffer;

    /// <summary>Returns a span of <paramref name="length"/> elements; its contents are undefined and valid until the next call on this thread.</summary>
    public static Span<float> Get(int length)
    {
        float[]? b = buffer;
        if (b is null || b.Length < length)
        {
            b = new float[Math.Max(length, (b?.Length ?? 0) * 2)];
            buffer = b;
        }

        return b.AsSpan(0, length);
    }
}
