using Microsoft.Extensions.Options;
using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>Creates the <see cref="ISummarizer"/> singleton from the configured model bundle.</summary>
public static class SummarizerFactory
{
    /// <summary>Loads the bundle at Summarizer:ModelPath (resolved against the content root).</summary>
    public static ISummarizer Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SummarizerServiceOptions>>().Value;
        var path = options.ResolveModelPath(services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        return TransformerSummarizer.Load(path, new InferenceSettings { IntraOpThreads = options.IntraOpThreads, DecoderThreads = options.DecoderThreads });
    }
}
