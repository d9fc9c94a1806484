namespace Summarizer.Evaluation;

/// <summary>The ROUGE measures of one candidate summary against one reference.</summary>
/// <param name="Rouge1">Unigram overlap.</param>
/// <param name="Rouge2">Bigram overlap.</param>
/// <param name="RougeL">Longest common subsequence over the whole text.</param>
/// <param name="RougeLsum">Summary-level LCS: union LCS of each reference sentence against all candidate sentences.</param>
public sealed record RougeScores(RougeScore Rouge1, RougeScore Rouge2, RougeScore RougeL, RougeScore RougeLsum);
