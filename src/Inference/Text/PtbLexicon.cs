namespace Summarizer.Inference.Text;

/// <summary>The word lists behind cnndm's tokenization (CoreNLP PTB style), shared by the normalizer and the detokenizer.</summary>
internal static class PtbLexicon
{
    /// <summary>Words before a hyphen that stay joined to it (<c>co-pilot</c>, <c>re-election</c>); other hyphens split as in cnndm (<c>35 - year - old</c>).</summary>
    public static readonly HashSet<string> HyphenPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "ante", "anti", "arch", "co", "counter", "cross", "cyber", "de", "e", "eco", "ex", "extra", "inter", "macro",
        "mega", "micro", "mid", "mini", "multi", "neo", "non", "over", "post", "pre", "pro", "pseudo", "re", "semi",
        "sub", "super", "tri", "u", "ultra", "un", "vice", "x",
    };

    /// <summary>Abbreviations that keep their period (<c>dr.</c>, <c>st.</c>); sentence-final words that are also common words (ill, miss) are left out.</summary>
    public static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "lt", "gen", "sgt", "sen", "rep", "gov", "col", "capt", "maj", "cpl",
        "pvt", "adm", "det", "spc", "rev", "prof", "supt", "insp", "inc", "corp", "co", "ltd", "plc", "bros", "vs", "etc",
        "ave", "blvd", "mt", "ft", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "ala", "ariz",
        "ark", "calif", "colo", "conn", "fla", "kan", "ky", "md", "mich", "minn", "mont", "neb", "nev", "okla", "tenn",
        "tex", "va", "vt", "wis", "wyo",
    };

    /// <summary>Contractions PTB splits inside one word, with where the split falls (<c>cannot</c> → <c>can not</c>, <c>gonna</c> → <c>gon na</c>).</summary>
    public static readonly Dictionary<string, int> SplitWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cannot"] = 3,
        ["gonna"] = 3,
        ["gotta"] = 3,
        ["wanna"] = 3,
        ["gimme"] = 3,
        ["lemme"] = 3,
    };

    /// <summary>Clitics that stand as their own words after the word they belong to.</summary>
    public static readonly HashSet<string> Clitics = new(StringComparer.Ordinal) { "'s", "'m", "'d", "'re", "'ve", "'ll", "n't" };

    /// <summary>True for the characters cnndm writes as an apostrophe or single quote.</summary>
    public static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '\u201B' or '\u2032';

    /// <summary>True for the characters cnndm writes as a double quote.</summary>
    public static bool IsDoubleQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u00AB' or '\u00BB' or '\u2033';
}
