using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>The loaded summarizer once it has been loaded and warmed up; null until then.</summary>
public sealed class ModelState
{
    private volatile ISummarizer? _summarizer;

    /// <summary>The ready summarizer, or null while the model is still loading.</summary>
    public ISummarizer? Summarizer => _summarizer;

    /// <summary>True once loading or warming up the model has failed (the host is then stopping).</summary>
    public bool LoadFailed { get; private set; }

    /// <summary>Marks the model ready.</summary>
    public void SetReady(ISummarizer summarizer) => _summarizer = summarizer;

    /// <summary>Records that the model could not be loaded, so the process can end with a failure exit code.</summary>
    public void SetFailed() => LoadFailed = true;
}
