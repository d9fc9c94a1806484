namespace Summarizer.Inference;

/// <summary>Wall-clock milliseconds spent in each stage of one summary.</summary>
public readonly record struct SummaryTimings(double TokenizeMs, double EncodeMs, double DecodeMs, double TotalMs);
