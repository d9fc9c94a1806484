namespace Summarizer.Attention;

/// <summary>
/// A span's memory as a pointer and a length, so a <see cref="CoreSplit"/> chunk object can hold it across threads; only
/// valid while the caller keeps the memory fixed (a <c>fixed</c> block around <see cref="CoreSplit.Run"/>).
/// </summary>
internal readonly unsafe struct Pinned<T>(T* at, int length)
    where T : unmanaged
{
    /// <summary>The memory as a span again.</summary>
    public Span<T> Span => new(at, length);
}
