using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>The loaded summarizer once it has been loaded and warmed up; null until then.</summary>
public sealed class ModelState
{
    private volatile ISummarizer? _summarizer;

    /// <summary>The ready summarizer, or null while the model is still loading.</summary>
    public ISummarizer? Summarizer => _summarizer;

    /// <summary>True once the model is loaded and a warm-up summary has run.</summary>
    public bool IsReady => _summarizer is not null;

    /// <summary>Marks the model ready.</summary>
    public void SetReady(ISummarizer summarizer) => _summarizer = summarizer;
}
