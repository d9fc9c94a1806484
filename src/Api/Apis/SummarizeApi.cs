using Microsoft.AspNetCore.Http.HttpResults;
using Summarizer.Api.Models;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api.Apis;

/// <summary>POST /summarize and POST /summarize/batch.</summary>
public static class SummarizeApi
{
    /// <summary>Maps the summarize group (API key and rate limit apply).</summary>
    public static IEndpointRouteBuilder MapSummarizeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/summarize")
            .WithTags("Summarize")
            .RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName)
            .RequireRateLimiting(RateLimiting.PolicyName);

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
            .Accepts<SummarizeRequest>("application/json")
            .WithErrorResponses();

        api.MapPost("/batch", SummarizeBatchAsync)
            .WithName("SummarizeBatch")
            .WithSummary("Summarize up to Summarizer:MaxBatchSize texts with one set of options.")
            .WithDescription("The texts run one after another in one generation slot; results come back in input order. mode and its options as in POST /summarize.")
            .Accepts<BatchSummarizeRequest>("application/json")
            .WithErrorResponses();
        return app;
    }

    /// <summary>Documents every error a summarize endpoint can return.</summary>
    public static RouteHandlerBuilder WithErrorResponses(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesValidationProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status500InternalServerError)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Summarize one text, with the attention map behind every summary token.</summary>
    public static async Task<Ok<SummarizeResponse>> SummarizeAsync(SummarizeRequest request, HttpContext http,
        [AsParameters] SummarizeServices services)
    {
        var o = services.Options.Value;
        var ct = http.RequestAborted;
        var text = RequestChecks.CheckText(request.Text, "text", o.MaxTextChars);
        var prepared = RequestChecks.Prepare(request, services.State, o);

        using var lease = RequestChecks.Admit(services.Gate, o);
        var queueMs = await lease.WaitAsync(ct);
        var result = await lease.RunAsync(() => prepared.Run(text, ct), ct);
        services.Record(text.Length, [result]);
        return TypedResults.Ok(SummarizeResponse.From(result, prepared, queueMs));
    }

    /// <summary>Summarize up to Summarizer:MaxBatchSize texts with one set of options.</summary>
    public static async Task<Ok<BatchSummarizeResponse>> SummarizeBatchAsync(BatchSummarizeRequest request, HttpContext http,
        [AsParameters] SummarizeServices services)
    {
        var o = services.Options.Value;
        var ct = http.RequestAborted;
        if (request.Texts is not { Count: > 0 } given || given.Count > o.MaxBatchSize)
            throw new ProblemException(Problems.Validation("texts",
                $"texts must hold 1..{o.MaxBatchSize} texts (Summarizer:MaxBatchSize); got {request.Texts?.Count ?? 0}."));
        var texts = given.Select((t, i) => RequestChecks.CheckText(t, $"texts[{i}]", o.MaxTextChars)).ToList();
        var prepared = RequestChecks.Prepare(request, services.State, o);

        using var lease = RequestChecks.Admit(services.Gate, o);
        var queueMs = await lease.WaitAsync(ct);
        var results = await lease.RunAsync(() => texts.Select((text, i) =>
        {
            try
            {
                return prepared.Run(text, ct);
            }
            catch (UnsummarizableTextException e)
            {
                throw e.ForField($"texts[{i}]"); // the 400 names the text's place in the batch
            }
        }).ToList(), ct);
        services.Record(texts.Sum(t => t.Length), results);
        return TypedResults.Ok(new BatchSummarizeResponse([.. results.Select((r, k) => SummarizeResponse.From(r, prepared, k == 0 ? queueMs : 0))]));
    }
}
