namespace Summarizer.Attention;

/// <summary>Work cut into chunks whose outputs do not overlap, for <see cref="CoreSplit"/>.</summary>
public interface IChunkedWork
{
    /// <summary>Computes chunk <paramref name="index"/>.</summary>
    void RunChunk(int index);
}
