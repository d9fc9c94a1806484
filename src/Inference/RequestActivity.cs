namespace Summarizer.Inference;

/// <summary>
/// How many summaries this process is computing now: a request may take the second core (<see cref="Summarizer.Attention.CoreSplit"/>)
/// only while it is the only one, and gives it back at its next step once it is not.
/// </summary>
internal static class RequestActivity
{
    private static int _active;

    /// <summary>Summaries under way.</summary>
    public static int Active => Volatile.Read(ref _active);

    /// <summary>Counts one in until the returned scope is disposed.</summary>
    public static Scope Enter()
    {
        Interlocked.Increment(ref _active);
        return new Scope();
    }

    /// <summary>Counts one summary out when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => Interlocked.Decrement(ref _active);
    }
}
