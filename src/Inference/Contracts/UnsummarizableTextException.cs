namespace Summarizer.Inference;

/// <summary>
/// The text cannot be summarized (empty, or no words the model can read): the caller's input is at fault, so a service
/// answers 400 naming the text. Any other exception from <see cref="ISummarizer.Summarize(string, DecodingOptions, AttentionDetail, Action{StreamedToken}?, CancellationToken)"/>
/// is the service's own fault.
/// </summary>
public sealed class UnsummarizableTextException : ArgumentException
{
    /// <summary>Creates the error for the parameter <paramref name="field"/> (the text; "texts[2]" in a batch).</summary>
    public UnsummarizableTextException(string reason, string field = "text")
        : base(reason, field)
    {
        Reason = reason;
    }

    /// <summary>What is wrong with the text, for the client (<see cref="Exception.Message"/> also names the parameter).</summary>
    public string Reason { get; }

    /// <summary>The same error for another field, e.g. the text's place in a batch.</summary>
    public UnsummarizableTextException ForField(string field) => new(Reason, field);
}
