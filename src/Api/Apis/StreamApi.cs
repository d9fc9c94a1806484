using Summarizer.Api.Models;
using Summarizer.Api.Services;

namespace Summarizer.Api.Apis;

/// <summary>POST /summarize/stream: the summary as Server-Sent Events, token by token.</summary>
public static class StreamApi
{
    /// <summary>Maps the streaming endpoint (API key and rate limit apply).</summary>
    public static IEndpointRouteBuilder MapStreamApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/summarize")
            .WithTags("Summarize")
            .RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName)
            .RequireRateLimiting(RateLimiting.PolicyName)
            .MapPost("/stream", Stream)
            .WithName("SummarizeStream")
            .WithSummary("Summarize one text as Server-Sent Events, one event per generated token (or per taken sentence in extractive mode).")
            .WithDescription("""
                Body as POST /summarize. The response is text/event-stream:
                `event: start` (data: sourceTokens, truncated, inputTokenCount, mode, options or, in extractive mode, extractive,
                model), then one `event: token` per generated token (data: index, id, text, copyProbability, attention = one
                weight per source token) — or, with "mode": "extractive", one `event: sentence` per summary sentence (data:
                index in the summary, text, start and end in the summary, extracted = {index, start, end, score, rank} of the
                source sentence, attention = its sentence attention row unless attention is "none") — then
                `event: done` whose data is exactly the POST /summarize response. `: keep-alive` comment lines come every
                Summarizer:KeepAliveSeconds. Errors found before the first event are problem+json responses with their status;
                an error after it is an `event: error` whose data is a problem object.

                Beam search (numBeams > 1) is not forced to greedy: each token event is then the newest token of the beam that
                is best at that step, and a later step may continue another beam, so the token events are a preview and only
                the done event holds the final summary (with greedy decoding, numBeams = 1, the token events are exactly the
                summary's tokens). Closing the connection cancels the generation.
                """)
            .Accepts<SummarizeRequest>("application/json")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .WithErrorResponses();
        return app;
    }

    /// <summary>Summarize one text as Server-Sent Events, one event per generated token (checks as POST /summarize, then streams).</summary>
    public static SummaryStreamResult Stream(SummarizeRequest request, HttpContext http, [AsParameters] SummarizeServices services)
    {
        var o = services.Options.Value;
        var text = RequestChecks.CheckText(request.Text, "text", o.MaxTextChars);
        var prepared = RequestChecks.Prepare(request, services.State, o);
        return new SummaryStreamResult(text, prepared, RequestChecks.Admit(services.Gate, o), services);
    }
}
