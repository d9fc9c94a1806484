using Microsoft.AspNetCore.Http.HttpResults;
using Summarizer.Api.Models;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api.Apis;

/// <summary>The /summarize group: POST /summarize, POST /summarize/batch and POST /summarize/stream.</summary>
public static class SummarizeApi
{
    /// <summary>
    /// How the stream's events relate to the summary, stated once: GET /info returns it as "streaming" and the stream
    /// endpoint's OpenAPI description quotes it.
    /// </summary>
    public const string StreamingNote =
        "Token events are the greedy path's tokens; for numBeams > 1 each is the newest token of the beam best at that step (a preview; the done event is final). " +
        "In extractive mode one sentence event per summary sentence comes instead of token events.";

    /// <summary>Maps the group: API key, rate limit and the problem responses every summarize endpoint can return apply to all three.</summary>
    public static IEndpointRouteBuilder MapSummarizeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/summarize")
            .WithTags("Summarize")
            .RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName)
            .RequireRateLimiting(RateLimiting.PolicyName)
            .ProducesValidationProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("", SummarizeAsync)
            .WithName("Summarize")
            .WithSummary("Summarize one text, with the attention map behind every summary token.")
            .WithDescription("""
                Missing options take the model's defaults (GET /info). attention: "none", "aggregate" (default) or "full".
                mode: "abstractive" (default; the decoder writes the summary, the decoding options apply) or "extractive" (the
                model's sentence selector takes up to sentenceCount of the text's sentences as written, in sentenceOrder
                "offset" or "rank"; the response adds `extracted` and `sentenceAttention`, and echoes `extractive` in place of
                `options`). Giving an option of the other mode is a 400 naming it.
                """)
            .Accepts<SummarizeRequest>("application/json");

        api.MapPost("/batch", SummarizeBatchAsync)
            .WithName("SummarizeBatch")
            .WithSummary("Summarize up to Summarizer:MaxBatchSize texts with one set of options.")
            .WithDescription("The texts run one after another in one generation slot; results come back in input order. mode and its options as in POST /summarize.")
            .Accepts<BatchSummarizeRequest>("application/json");

        api.MapPost("/stream", Stream)
            .WithName("SummarizeStream")
            .WithSummary("Summarize one text as Server-Sent Events, one event per generated token (or per taken sentence in extractive mode).")
            .WithDescription($$"""
                Body as POST /summarize. The response is text/event-stream:
                `event: start` (data: sourceTokens, truncated, inputTokenCount, mode, options or, in extractive mode, extractive,
                model), then one `event: token` per generated token (data: index, id, text, copyProbability, attention = one
                weight per source token) — or, with "mode": "extractive", one `event: sentence` per summary sentence (data:
                index in the summary, text, start and end in the summary, extracted = {index, start, end, score, rank} of the
                source sentence, attention = its sentence attention row unless attention is "none") — then
                `event: done` whose data is exactly the POST /summarize response. `: keep-alive` comment lines come every
                Summarizer:KeepAliveSeconds. Errors found before the first event are problem+json responses with their status;
                an error after it is an `event: error` whose data is a problem object.

                {{StreamingNote}} Closing the connection cancels the generation.
                """)
            .Accepts<SummarizeRequest>("application/json")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        return app;
    }

    /// <summary>Summarize one text, with the attention map behind every summary token.</summary>
    public static async Task<Ok<SummarizeResponse>> SummarizeAsync(SummarizeRequest request, RequestChecks checks, SummaryTelemetry telemetry,
        CancellationToken cancellationToken)
    {
        var text = checks.CheckText(request.Text);
        var prepared = checks.Prepare(request);

        using var lease = checks.Admit();
        var queueMs = await lease.WaitAsync(cancellationToken);
        var result = await lease.RunAsync(() => prepared.Run(text, cancellationToken), cancellationToken);
        telemetry.Record(text.Length, [result]);
        return TypedResults.Ok(SummarizeResponse.From(result, prepared, queueMs));
    }

    /// <summary>Summarize up to Summarizer:MaxBatchSize texts with one set of options.</summary>
    public static async Task<Ok<BatchSummarizeResponse>> SummarizeBatchAsync(BatchSummarizeRequest request, RequestChecks checks,
        SummaryTelemetry telemetry, CancellationToken cancellationToken)
    {
        var texts = checks.CheckTexts(request.Texts);
        var prepared = checks.Prepare(request);

        using var lease = checks.Admit();
        var queueMs = await lease.WaitAsync(cancellationToken);
        var results = await lease.RunAsync(() => texts.Select((text, i) =>
        {
            try
            {
                return prepared.Run(text, cancellationToken);
            }
            catch (UnsummarizableTextException e)
            {
                throw e.ForField($"texts[{i}]"); // the 400 names the text's place in the batch
            }
        }).ToList(), cancellationToken);
        telemetry.Record(texts.Sum(t => t.Length), results);
        return TypedResults.Ok(new BatchSummarizeResponse([.. results.Select((r, k) => SummarizeResponse.From(r, prepared, k == 0 ? queueMs : 0))]));
    }

    /// <summary>Summarize one text as Server-Sent Events, one event per generated token (checks as POST /summarize, then streams).</summary>
    public static SummaryStreamResult Stream(SummarizeRequest request, RequestChecks checks, SummaryTelemetry telemetry)
    {
        var text = checks.CheckText(request.Text);
        var prepared = checks.Prepare(request);
        return new SummaryStreamResult(text, prepared, checks.Admit(), telemetry);
    }
}
