namespace Summarizer.Inference;

/// <summary>One invalid decoding option: its name (as the <see cref="DecodingOptions"/> property) and why.</summary>
/// <param name="Option">The property name, e.g. <c>NumBeams</c>.</param>
/// <param name="Message">A sentence naming the option and its allowed range.</param>
public readonly record struct DecodingOptionError(string Option, string Message);
