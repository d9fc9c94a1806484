namespace Summarizer.Api.Models;

/// <summary>Inclusive range of a numeric decoding option.</summary>
/// <param name="Min">Smallest allowed value.</param>
/// <param name="Max">Largest allowed value.</param>
/// <param name="Default">The model's default.</param>
public sealed record OptionRange(double Min, double Max, double Default);
