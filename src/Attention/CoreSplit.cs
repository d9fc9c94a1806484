namespace Summarizer.Attention;

/// <summary>
/// A second core for one request at a time (CTranslate2's intra_threads, for two): a helper thread that, while a caller
/// has engaged it, spins waiting for work and takes chunks of a product's outputs alongside the caller. Chunks are
/// claimed one by one, so a helper that the OS has not scheduled costs the caller nothing but the chunks it never took;
/// results are the same as on one thread, because each output is computed whole by whoever claims it.
/// Use: <see cref="TryAcquire"/> → products → <see cref="Release"/>, both naming the same holder.
/// </summary>
public sealed class CoreSplit
{
    private static readonly Lazy<CoreSplit?> SharedInstance = new(() => Environment.ProcessorCount >= 2 ? new CoreSplit() : null);

    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false);
    private object? _holder;     // who holds it, or null
    private volatile bool _engaged;

    // The posted work: valid from the ticket's publication until every chunk has completed.
    private IChunkedWork? _work;
    private int _chunkCount;
    private long _ticket;        // generation << 32 | next chunk
    private int _completed;
    private int _generation;
    private Exception? _failure; // the first chunk's exception of this generation, rethrown on the caller

    private CoreSplit()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "Summarizer core split" };
        _thread.Start();
    }

    /// <summary>The reusable chunks of one int8 product.</summary>
    internal QuantizedLinear.Chunks Product { get; } = new();

    /// <summary>The reusable chunks (heads) of one cross-attention step.</summary>
    internal MultiHeadAttention.HeadChunks Heads { get; } = new();

    /// <summary>The reusable chunks (heads) of one self-attention step.</summary>
    internal MultiHeadAttention.SelfHeadChunks SelfHeads { get; } = new();

    /// <summary>Whether a caller holds the helper and it is spinning for work.</summary>
    public bool IsEngaged => _engaged;

    /// <summary>
    /// The process's helper, engaged for <paramref name="holder"/>, or null when the machine has one core or another holder
    /// has it.
    /// </summary>
    /// <param name="holder">Who holds it until <see cref="Release"/> names it again.</param>
    public static CoreSplit? TryAcquire(object holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var split = SharedInstance.Value;
        if (split is null || Interlocked.CompareExchange(ref split._holder, holder, null) is not null)
        {
            return null;
        }

        split._engaged = true;
        split._wake.Set();
        return split;
    }

    /// <summary>Stops the helper's spinning and hands it back, if <paramref name="holder"/> holds it (else does nothing).</summary>
    /// <param name="holder">The holder given to <see cref="TryAcquire"/>.</param>
    public void Release(object holder)
    {
        if (!ReferenceEquals(Volatile.Read(ref _holder), holder))
        {
            return;
        }

        _engaged = false;
        _wake.Reset();
        Volatile.Write(ref _holder, null);
    }

    /// <summary>
    /// Runs chunks 0..<paramref name="chunkCount"/> of <paramref name="work"/>, on this thread and the helper's (while it is
    /// engaged), and returns when all have run. Not reentrant; only the holder may call it.
    /// </summary>
    /// <param name="work">Chunks whose outputs do not overlap.</param>
    /// <param name="chunkCount">How many.</param>
    public void Run(IChunkedWork work, int chunkCount)
    {
        if (chunkCount <= 0)
        {
            return;
        }

        _work = work;
        _chunkCount = chunkCount;
        _failure = null;
        Volatile.Write(ref _completed, 0);
        int generation = ++_generation;
        Volatile.Write(ref _ticket, (long)generation << 32); // publishes the work
        Drain(generation);
        SpinWait spin = default;
        while (Volatile.Read(ref _completed) < chunkCount)
        {
            spin.SpinOnce(sleep1Threshold: -1); // a chunk the helper claimed is under way; it is microseconds long
        }

        _work = null;
        if (Volatile.Read(ref _failure) is { } failure)
        {
            // A chunk failed (on either thread): the caller sees the exception; the helper thread lives on.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    // Claims chunks of this generation until none is left.
    private void Drain(int generation)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            int index = (int)ticket;
            if ((int)(ticket >> 32) != generation || index >= _chunkCount)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket)
            {
                continue;
            }

            try
            {
                _work!.RunChunk(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }

    private void Loop()
    {
        int seen = 0;
        while (true)
        {
            _wake.Wait();
            while (_engaged)
            {
                long ticket = Volatile.Read(ref _ticket);
                int generation = (int)(ticket >> 32);
                if (generation != seen && (int)ticket < Volatile.Read(ref _chunkCount))
                {
                    seen = generation;
                    Drain(generation);
                }
                else
                {
                    Thread.SpinWait(20);
                }
            }
        }
    }
}
