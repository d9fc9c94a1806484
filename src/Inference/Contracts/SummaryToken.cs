namespace Summarizer.Inference;

/// <summary>One generated model token and where it stands in the returned summary.</summary>
/// <param name="Id">Vocabulary id.</param>
/// <param name="Text">The token as it appears in the summary (cased and detokenized).</param>
/// <param name="Start">Offset of its first character in <see cref="SummaryResult.Summary"/>.</param>
/// <param name="End">Offset one past its last character in <see cref="SummaryResult.Summary"/>.</param>
/// <param name="CopyProbability">1 − p_gen: the weight the copy gate gave to copying from the source.</param>
/// <param name="Unsupported">The word this token belongs to was generated (not copied) and appears nowhere in the source.</param>
public readonly record struct SummaryToken(int Id, string Text, int Start, int End, float CopyProbability, bool Unsupported);
