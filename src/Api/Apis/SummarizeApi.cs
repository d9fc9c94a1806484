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
            .AddEndpointFilter<ApiKeyFilter>()
            .RequireRateLimiting(RateLimiting.PolicyName);

        api.MapPost("", SummarizeAsync)
            .WithName("Summarize")
            .WithSummary("Summarize one text, with the attention map behind every summary token.")
            .WithDescription("Missing options take the model's defaults (GET /info). attention: \"none\", \"aggregate\" (default) or \"full\".")
            .Accepts<SummarizeRequest>("application/json")
            .WithErrorResponses();

        api.MapPost("/batch", SummarizeBatchAsync)
            .WithName("SummarizeBatch")
            .WithSummary("Summarize up to Summarizer:MaxBatchSize texts with one set of options.")
            .WithDescription("The texts run one after another in one generation slot; results come back in input order.")
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
    public static async Task<Results<Ok<SummarizeResponse>, ProblemHttpResult>> SummarizeAsync(
        HttpContext http, [AsParameters] SummarizeServices services)
    {
        var o = services.Options.Value;
        var ct = http.RequestAborted;
        var (text, prepared, problem) = await ReadSingleAsync(http, services);
        if (problem is not null) return problem;

        using var lease = services.Gate.TryAdmit();
        if (lease is null) return RequestChecks.Overloaded(http, o);
        try
        {
            var queueMs = await lease.WaitAsync(ct);
            var result = await lease.RunAsync(() => prepared!.Summarizer.Summarize(text!, prepared.Options, prepared.Attention, null, ct), ct);
            Record(services, text!.Length, [result]);
            return TypedResults.Ok(SummarizeResponse.From(result, prepared!.Summarizer.Model, queueMs));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            services.Metrics.Cancelled.Inc();
            return Problems.ClientClosed();
        }
        catch (UnsummarizableTextException e)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["text"] = [e.Message] });
        }
    }

    /// <summary>
    /// The checks POST /summarize and POST /summarize/stream share, before a generation slot is taken: the JSON body,
    /// the text, readiness and the options. Exactly one of the text (with its prepared request) and the problem is set.
    /// </summary>
    internal static async Task<(string? Text, PreparedRequest? Prepared, ProblemHttpResult? Problem)> ReadSingleAsync(
        HttpContext http, SummarizeServices services)
    {
        var o = services.Options.Value;
        var (request, bodyProblem) = await JsonBody.ReadAsync<SummarizeRequest>(http.Request, o.MaxRequestBodyBytes,
            services.Json.Value.SerializerOptions, http.RequestAborted);
        if (bodyProblem is not null) return (null, null, bodyProblem);
        if (RequestChecks.CheckText(request!.Text, "text", o.MaxTextChars) is { } textProblem) return (null, null, textProblem);
        var (prepared, problem) = RequestChecks.Prepare(request, services.State, http, o);
        return problem is not null ? (null, null, problem) : (request.Text, prepared, null);
    }

    /// <summary>
    /// The summarizer's contract error for a text it cannot summarize, by type; any other exception (an ArgumentException
    /// included) is a bug and must surface as a 500, not as a 400 blaming the client's text.
    /// </summary>
    internal static bool IsTextError(Exception e) => e is UnsummarizableTextException;

    /// <summary>Summarize up to Summarizer:MaxBatchSize texts with one set of options.</summary>
    public static async Task<Results<Ok<BatchSummarizeResponse>, ProblemHttpResult>> SummarizeBatchAsync(
        HttpContext http, [AsParameters] SummarizeServices services)
    {
        var o = services.Options.Value;
        var ct = http.RequestAborted;
        var (request, bodyProblem) = await JsonBody.ReadAsync<BatchSummarizeRequest>(http.Request, o.MaxRequestBodyBytes, services.Json.Value.SerializerOptions, ct);
        if (bodyProblem is not null) return bodyProblem;
        var texts = request!.Texts;
        if (texts is null || texts.Count == 0 || texts.Count > o.MaxBatchSize)
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["texts"] = [$"texts must hold 1..{o.MaxBatchSize} texts (Summarizer:MaxBatchSize); got {texts?.Count ?? 0}."],
            });
        for (var i = 0; i < texts.Count; i++)
            if (RequestChecks.CheckText(texts[i], $"texts[{i}]", o.MaxTextChars) is { } textProblem) return textProblem;
        var (prepared, problem) = RequestChecks.Prepare(request, services.State, http, o);
        if (problem is not null) return problem;

        using var lease = services.Gate.TryAdmit();
        if (lease is null) return RequestChecks.Overloaded(http, o);
        // The text being summarized when one fails, so the 400 names it.
        var textIndex = 0;
        try
        {
            var queueMs = await lease.WaitAsync(ct);
            var results = await lease.RunAsync(() =>
            {
                var list = new List<SummaryResult>(texts.Count);
                for (textIndex = 0; textIndex < texts.Count; textIndex++)
                    list.Add(prepared!.Summarizer.Summarize(texts[textIndex]!, prepared.Options, prepared.Attention, null, ct));
                return list;
            }, ct);
            var model = prepared!.Summarizer.Model;
            Record(services, texts.Sum(t => t!.Length), results);
            return TypedResults.Ok(new BatchSummarizeResponse([.. results.Select((r, k) => SummarizeResponse.From(r, model, k == 0 ? queueMs : 0))]));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            services.Metrics.Cancelled.Inc();
            return Problems.ClientClosed();
        }
        catch (UnsummarizableTextException e)
        {
            return Problems.Validation(new Dictionary<string, string[]> { [$"texts[{textIndex}]"] = [e.Message] });
        }
    }

    /// <summary>Adds a request's results to the metrics and the request log (sizes and model time, never the text).</summary>
    internal static void Record(SummarizeServices services, int inputChars, IReadOnlyList<SummaryResult> results)
    {
        foreach (var result in results)
        {
            services.Metrics.TokensGenerated.Inc(result.SummaryTokens.Count);
            services.Metrics.GenerationDuration.Observe(result.Timings.TotalMs / 1000.0);
        }
        services.Diagnostics.Set("InputChars", inputChars);
        services.Diagnostics.Set("OutputChars", results.Sum(r => r.Summary.Length));
        services.Diagnostics.Set("ModelMs", results.Sum(r => r.Timings.TotalMs));
    }
}
