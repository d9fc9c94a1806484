using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Summarizer.Api.Models;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api.Apis;

/// <summary>
/// Writes one summary as Server-Sent Events (what the events say: <see cref="SummarizeApi.StreamingNote"/>). Generation
/// runs on its own thread and hands its events to the request through a channel; the request writes them as they come,
/// keeps the connection alive while they are slow, and cancels the generation when the client leaves. Like the
/// framework's own results, it takes the JSON options, the keep-alive interval and its logger from the request's services.
/// </summary>
public sealed class SummaryStreamResult(string text, PreparedRequest prepared, GenerationLease lease, SummaryTelemetry telemetry) : IResult
{
    private readonly record struct StreamEvent(string Name, object Data);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var ct = httpContext.RequestAborted;
        var services = httpContext.RequestServices;
        var events = new ServerSentEventWriter(httpContext, services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        var keepAlive = new EventStreamKeepAlive(events,
            TimeSpan.FromSeconds(services.GetRequiredService<IOptions<SummarizerServiceOptions>>().Value.KeepAliveSeconds));
        var channel = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var generation = GenerateAsync(channel.Writer, ct);
        try
        {
            while (await keepAlive.WaitToReadAsync(channel.Reader, ct))
            {
                while (channel.Reader.TryRead(out var e))
                    await events.WriteEventAsync(e.Name, e.Data, ct);
                await events.FlushAsync(ct);
            }
            var (result, queueMs) = await generation;
            telemetry.Record(text.Length, [result]);
            await events.WriteEventAsync("done", SummarizeResponse.From(result, prepared, queueMs), ct);
            await events.FlushAsync(ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client left; the generation sees the same token and stops.
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await WriteErrorAsync(httpContext, events, e);
        }
        finally
        {
            // Its failure was answered above, or the client left (the lease counted it): only its end is awaited here.
            await ((Task)generation).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // Before the first event the error is a plain problem response with its status; after it, an error event.
    private static async Task WriteErrorAsync(HttpContext http, ServerSentEventWriter events, Exception exception)
    {
        var problem = ProblemExceptionHandler.ProblemFor(exception, http, http.RequestServices.GetRequiredService<ILogger<SummaryStreamResult>>());
        if (!events.Started)
        {
            await problem.ExecuteAsync(http);
            return;
        }
        await events.WriteEventAsync("error", problem.ProblemDetails, CancellationToken.None);
        await events.FlushAsync(CancellationToken.None);
    }

    // Waits for a generation slot, summarizes on a thread of its own, and always completes the channel and gives the slot back.
    private async Task<(SummaryResult Result, double QueueMs)> GenerateAsync(ChannelWriter<StreamEvent> writer, CancellationToken ct)
    {
        try
        {
            var queueMs = await lease.WaitAsync(ct);
            var result = await lease.RunAsync(() => Summarize(writer, ct), ct);
            return (result, queueMs);
        }
        finally
        {
            writer.TryComplete();
            lease.Dispose();
        }
    }

    private SummaryResult Summarize(ChannelWriter<StreamEvent> writer, CancellationToken ct)
    {
        var summarizer = prepared.Summarizer;
        var source = summarizer.TokenizeSource(text); // once: the start event announces what the summary then reads
        var model = summarizer.Model;
        var extractive = prepared.Extractive;
        writer.TryWrite(new StreamEvent("start", new StreamStartEvent(source.Tokens, source.Truncated, source.InputTokenCount,
            WireNames.Of(prepared.Mode), extractive is null ? prepared.Options : null,
            extractive is null ? null : SummaryModeResolver.Describe(extractive), new ModelSummary(model.Name, model.BundleVersion, model.Parameters))));
        var result = prepared.Run(source,
            t => writer.TryWrite(new StreamEvent("token", new StreamTokenEvent(t.Index, t.Id, t.Text, t.CopyProbability, t.Attention.ToArray()))),
            ct);
        WriteSentences(writer, result);
        return result;
    }

    // Extractive mode: the selector scores every sentence at once, so the summary's sentences follow the start event together.
    private void WriteSentences(ChannelWriter<StreamEvent> writer, SummaryResult result)
    {
        if (result.Extracted is not { } extracted)
            return;
        var rows = prepared.Attention == AttentionDetail.None ? null : result.SentenceAttention;
        for (var k = 0; k < extracted.Count; k++)
        {
            var (start, end) = (result.Sentences[k].Start, result.Sentences[k].End);
            writer.TryWrite(new StreamEvent("sentence",
                new StreamSentenceEvent(k, result.Summary[start..end], start, end, extracted[k], rows?[k])));
        }
    }
}
