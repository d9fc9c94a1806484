using System.Diagnostics;
using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>
/// Loads the model (by resolving <see cref="ISummarizer"/>) and runs one warm-up summary in the background at startup,
/// then marks <see cref="ModelState"/> ready. A model that fails to load stops the service.
/// </summary>
public sealed class ModelLoader(IServiceProvider services, ModelState state, ILogger<ModelLoader> logger) : BackgroundService
{
    /// <summary>Text of the warm-up summary (JIT, ONNX session and buffers are exercised once before traffic).</summary>
    public const string WarmupText = "The city council voted on Tuesday to build a new bridge over the river, officials said.";

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var summarizer = services.GetRequiredService<ISummarizer>();
            var loadMs = clock.Elapsed.TotalMilliseconds;
            var options = summarizer.Model.Defaults;
            var warm = summarizer.Summarize(WarmupText, options, AttentionDetail.Aggregate, null, stoppingToken);
            if (summarizer.Model.Selector is { } selector) // the extractive mode's first request should not pay its set-up either
                summarizer.Extract(summarizer.TokenizeSource(WarmupText), new ExtractiveOptions(selector.SentenceCount), stoppingToken);
            state.SetReady(summarizer);
            logger.LogInformation("Model {ModelName} loaded in {LoadMs:0} ms, warm-up summary of {Tokens} tokens in {WarmupMs:0} ms; ready",
                summarizer.Model.Name, loadMs, warm.SummaryTokens.Count, clock.Elapsed.TotalMilliseconds - loadMs);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Model loading cancelled by shutdown");
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Model failed to load; the service stops");
            state.SetFailed();
            throw;
        }
    }, stoppingToken);
}
