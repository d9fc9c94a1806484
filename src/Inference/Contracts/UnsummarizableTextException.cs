namespace Summarizer.Inference;

/// <summary>
/// The text cannot be summarized (empty, or no words the model can read): the caller's input is at fault, so a service
/// answers 400 naming the text. Any other exception from <see cref="ISummarizer.Summarize"/> is the service's own fault.
/// </summary>
public sealed class UnsummarizableTextException : ArgumentException
{
    /// <summary>Creates the error; the parameter is always the text.</summary>
    public UnsummarizableTextException(string message)
        : base(message, "text")
    {
    }
}
