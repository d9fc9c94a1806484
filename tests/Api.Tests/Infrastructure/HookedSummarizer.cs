using Summarizer.Inference;

namespace Summarizer.Api.Tests.Infrastructure;

/// <summary>
/// Wraps a real summarizer with test hooks: run code before a summary or after each streamed token, and record cancellations.
/// The hooks skip the first call (the startup warm-up) unless <see cref="HookWarmup"/> is set.
/// </summary>
public sealed class HookedSummarizer(ISummarizer inner) : ISummarizer
{
    private int _calls;
    private int _tokenizations;

    /// <summary>Whether the hooks also run for the first call (the startup warm-up).</summary>
    public bool HookWarmup { get; init; }

    /// <summary>Runs on the generation thread before each summary (e.g. to block on a gate).</summary>
    public Action<CancellationToken>? Before { get; init; }

    /// <summary>Runs on the generation thread after each streamed token has been passed on (only for calls that stream).</summary>
    public Action<StreamedToken, CancellationToken>? AfterToken { get; init; }

    /// <summary>Completes when a summary ends in <see cref="OperationCanceledException"/>.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Summaries started so far (the warm-up included).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public ModelInfo Model => inner.Model;

    /// <summary>Texts tokenized so far (the warm-up included).</summary>
    public int Tokenizations => Volatile.Read(ref _tokenizations);

    /// <inheritdoc />
    public SourceTokenization TokenizeSource(string text)
    {
        Interlocked.Increment(ref _tokenizations);
        return inner.TokenizeSource(text);
    }

    /// <summary>Passed through without hooks (the extractive mode has no tokens to hook).</summary>
    public SummaryResult Extract(SourceTokenization source, ExtractiveOptions options, CancellationToken cancellationToken = default) =>
        inner.Extract(source, options, cancellationToken);

    /// <inheritdoc />
    public SummaryResult Summarize(SourceTokenization source, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        var hooks = Interlocked.Increment(ref _calls) > 1 || HookWarmup;
        if (!hooks) return inner.Summarize(source, options, attention, onToken, cancellationToken);
        try
        {
            Before?.Invoke(cancellationToken);
            Action<StreamedToken>? hooked = onToken is null ? null : t =>
            {
                onToken(t);
                AfterToken?.Invoke(t, cancellationToken);
            };
            return inner.Summarize(source, options, attention, hooked, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Cancelled.TrySetResult();
            throw;
        }
    }
}
