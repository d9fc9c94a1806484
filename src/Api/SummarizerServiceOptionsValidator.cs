using Microsoft.Extensions.Options;

namespace Summarizer.Api;

/// <summary>Rejects settings the service cannot run with, naming the setting, its value and what is allowed.</summary>
public sealed class SummarizerServiceOptionsValidator(IHostEnvironment environment) : IValidateOptions<SummarizerServiceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SummarizerServiceOptions options)
    {
        var failures = new List<string>();
        const string s = SummarizerServiceOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            failures.Add($"{s}:ModelPath is empty; set it to a model bundle directory.");
        }
        else
        {
            var path = options.ResolveModelPath(environment.ContentRootPath);
            if (!Directory.Exists(path))
                failures.Add($"{s}:ModelPath '{options.ModelPath}' (resolved to '{path}') does not exist; set it to a model bundle directory.");
            else if (!File.Exists(Path.Combine(path, "config.json")))
                failures.Add($"{s}:ModelPath '{path}' has no config.json; it is not a model bundle.");
        }

        Positive(failures, options.MaxTextChars, $"{s}:MaxTextChars");
        Positive(failures, options.MaxBatchSize, $"{s}:MaxBatchSize");
        Positive(failures, options.MaxConcurrency, $"{s}:MaxConcurrency");
        if (options.IntraOpThreads is < 0 or > 256) failures.Add($"{s}:IntraOpThreads is {options.IntraOpThreads}; it must be in 0..256 (0 = ONNX Runtime's default).");
        if (options.DecoderThreads is < 1 or > 2) failures.Add($"{s}:DecoderThreads is {options.DecoderThreads}; it must be 1 or 2.");
        Positive(failures, options.RateLimitWindowSeconds, $"{s}:RateLimitWindowSeconds");
        // The keep-alive interval is a task timeout, which .NET caps at about 49 days; a day is far past any proxy's idle limit.
        if (options.KeepAliveSeconds is < 1 or > 86_400) failures.Add($"{s}:KeepAliveSeconds is {options.KeepAliveSeconds}; it must be in 1..86400.");
        Positive(failures, options.RetryAfterSeconds, $"{s}:RetryAfterSeconds");
        if (options.QueueLength < 0) failures.Add($"{s}:QueueLength is {options.QueueLength}; it must be >= 0.");
        if (options.RateLimitPermits < 0) failures.Add($"{s}:RateLimitPermits is {options.RateLimitPermits}; it must be >= 0 (0 = off).");
        if (options.MaxRequestBodyBytes < 1024) failures.Add($"{s}:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; it must be >= 1024.");
        if (options.ApiKeys.Any(string.IsNullOrWhiteSpace)) failures.Add($"{s}:ApiKeys contains an empty key.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, long value, string name)
    {
        if (value <= 0) failures.Add($"{name} is {value}; it must be > 0.");
    }
}
