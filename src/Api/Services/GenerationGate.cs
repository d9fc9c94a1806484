using Microsoft.Extensions.Options;

namespace Summarizer.Api.Services;

/// <summary>
/// Bounds the work: at most MaxConcurrency generations run at once and at most QueueLength more wait;
/// <see cref="TryAdmit"/> turns the rest away (the caller answers 503 with Retry-After).
/// </summary>
public sealed class GenerationGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly ServiceMetrics _metrics;
    private int _admitted;

    /// <summary>Creates the gate from the configured limits.</summary>
    public GenerationGate(IOptions<SummarizerServiceOptions> options, ServiceMetrics metrics)
    {
        var o = options.Value;
        _slots = new SemaphoreSlim(o.MaxConcurrency, o.MaxConcurrency);
        // Summed as long: two large settings must not overflow into a negative capacity that turns everyone away.
        _capacity = (int)Math.Min(int.MaxValue - 1, (long)o.MaxConcurrency + o.QueueLength);
        _metrics = metrics;
    }

    /// <summary>Admits a request if a slot or a queue place is free; null when the service is full.</summary>
    public GenerationLease? TryAdmit()
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            _metrics.Rejected.Inc();
            return null;
        }
        return new GenerationLease(this);
    }

    internal async Task AcquireAsync(CancellationToken cancellationToken)
    {
        _metrics.QueueDepth.Inc();
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CountCancelled();
            throw;
        }
        finally
        {
            _metrics.QueueDepth.Dec();
        }
        _metrics.InFlight.Inc();
    }

    // A client that left while its request waited (above) or ran (GenerationLease.RunAsync): every endpoint's generations pass through here.
    internal void CountCancelled() => _metrics.Cancelled.Inc();

    internal void Release(bool acquired)
    {
        if (acquired)
        {
            _metrics.InFlight.Dec();
            _slots.Release();
        }
        Interlocked.Decrement(ref _admitted);
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();
}
