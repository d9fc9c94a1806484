using System.Diagnostics;

namespace Summarizer.Api.Services;

/// <summary>A request's place in the <see cref="GenerationGate"/>: wait for a slot, run, dispose to give it back.</summary>
public sealed class GenerationLease : IDisposable
{
    private readonly GenerationGate _gate;
    private bool _acquired;
    private bool _disposed;

    internal GenerationLease(GenerationGate gate) => _gate = gate;

    /// <summary>Waits for a generation slot; returns the milliseconds spent queued.</summary>
    public async Task<double> WaitAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _gate.AcquireAsync(cancellationToken);
        _acquired = true;
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Runs CPU-bound, synchronous model work on a dedicated thread, so a long generation never holds a thread-pool
    /// thread that Kestrel needs for I/O.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (!_acquired) throw new InvalidOperationException("WaitAsync must complete before RunAsync.");
        try
        {
            return await Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _gate.CountCancelled();
            throw;
        }
    }

    /// <summary>Gives the slot (if acquired) and the queue place back.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _gate.Release(_acquired);
    }
}
