namespace Summarizer.Evaluation;

/// <summary>Which variant of the Porter stemmer <see cref="PorterStemmer"/> runs.</summary>
public enum PorterStemmerMode
{
    /// <summary>NLTK 3.8's default <c>PorterStemmer()</c> (mode NLTK_EXTENSIONS), the stemmer rouge-score's tokenizer uses.</summary>
    NltkExtensions,

    /// <summary>M.F. Porter (1980), "An algorithm for suffix stripping", as published.</summary>
    Original,
}
