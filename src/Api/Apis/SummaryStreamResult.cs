using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Summarizer.Api.Models;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api.Apis;

/// <summary>
/// Writes one summary as Server-Sent Events. Generation runs on its own thread and hands events to the request
/// through a channel; the request writes them, adds keep-alive comments, and cancels generation when the client leaves.
/// </summary>
public sealed class SummaryStreamResult(string text, PreparedRequest prepared, GenerationLease lease, SummarizeServices services) : IResult
{
    private readonly record struct StreamEvent(string Name, object Data);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var json = services.Json.Value.SerializerOptions;
        var keepAlive = TimeSpan.FromSeconds(services.Options.Value.KeepAliveSeconds);
        var channel = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var producer = ProduceAsync(channel.Writer, ct);
        var started = false;
        try
        {
            Task<bool>? pending = null;
            while (true)
            {
                pending ??= channel.Reader.WaitToReadAsync(ct).AsTask();
                bool more;
                try
                {
                    // Before the first event nothing is sent, so an early error can still be a plain problem response.
                    more = started ? await pending.WaitAsync(keepAlive, ct) : await pending;
                }
                catch (TimeoutException)
                {
                    await httpContext.Response.WriteAsync(": keep-alive\n\n", ct);
                    await httpContext.Response.Body.FlushAsync(ct);
                    continue;
                }
                pending = null;
                if (!more) break;
                while (channel.Reader.TryRead(out var e))
                {
                    if (!started) started = Start(httpContext);
                    await WriteEventAsync(httpContext, e.Name, e.Data, json, ct);
                }
                await httpContext.Response.Body.FlushAsync(ct);
            }

            var (result, queueMs) = await producer;
            services.Record(text.Length, [result]);
            if (!started) started = Start(httpContext);
            await WriteEventAsync(httpContext, "done", SummarizeResponse.From(result, prepared, queueMs), json, ct);
            await httpContext.Response.Body.FlushAsync(ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client left; the producer sees the same token and stops.
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var problem = ProblemExceptionHandler.ProblemFor(e);
            if (problem is null)
            {
                services.LoggerFactory.CreateLogger<SummaryStreamResult>().LogError(e, "Streaming generation failed");
                problem = ProblemExceptionHandler.Unexpected(httpContext);
            }
            if (!started)
            {
                await problem.ExecuteAsync(httpContext);
            }
            else
            {
                await WriteEventAsync(httpContext, "error", problem.ProblemDetails, json, CancellationToken.None);
                await httpContext.Response.Body.FlushAsync(CancellationToken.None);
            }
        }
        finally
        {
            try
            {
                await producer;
            }
            catch (Exception)
            {
                // Reported above, or the client left (the lease counted it).
            }
        }
    }

    private async Task<(SummaryResult Result, double QueueMs)> ProduceAsync(ChannelWriter<StreamEvent> writer, CancellationToken ct)
    {
        try
        {
            var queueMs = await lease.WaitAsync(ct);
            var result = await lease.RunAsync(() => Generate(writer, ct), ct);
            return (result, queueMs);
        }
        finally
        {
            writer.TryComplete();
            lease.Dispose();
        }
    }

    private SummaryResult Generate(ChannelWriter<StreamEvent> writer, CancellationToken ct)
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

    private static bool Start(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return true;
    }

    private static Task WriteEventAsync(HttpContext http, string name, object data, JsonSerializerOptions json, CancellationToken ct) =>
        http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, data.GetType(), json)}\n\n", ct);
}
