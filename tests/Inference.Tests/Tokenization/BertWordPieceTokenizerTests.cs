using System.Text;
using Summarizer.Inference.Tests.Support;
using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference.Tests.Tokenization;

/// <summary>BERT uncased WordPiece on the encoder package's vocab.txt (DESIGN.md "Tokenizer").</summary>
public class BertWordPieceTokenizerTests
{
    private static BertWordPieceTokenizer Tokenizer => PackagedEncoder.Tokenizer;

    private static string[] Tokens(string text) => Tokenizer.Encode(text).Select(Tokenizer.Token).ToArray();

    [Fact]
    public void The_vocabulary_is_bert_uncased_with_its_special_ids()
    {
        Assert.Equal(30522, Tokenizer.VocabSize); // vocab.txt has CRLF line ends: no stray empty entry
        Assert.Equal(0, Tokenizer.PadId);
        Assert.Equal(100, Tokenizer.UnknownId);
        Assert.Equal(101, Tokenizer.ClsId);
        Assert.Equal(102, Tokenizer.SepId);
        Assert.Equal("the", Tokenizer.Token(1996));
        Assert.True(Tokenizer.IsSpecial(101) && Tokenizer.IsSpecial(103) && !Tokenizer.IsSpecial(1996));
        Assert.Equal("", Tokenizer.PieceText(102));
    }

    [Theory]
    [InlineData("the cat", new[] { 1996, 4937 })]
    [InlineData("hello world .", new[] { 7592, 2088, 1012 })]
    [InlineData("$4", new[] { 1002, 1018 })]
    [InlineData("12,000", new[] { 2260, 1010, 2199 })]
    [InlineData("©", new[] { 1075 })]
    [InlineData("中国", new[] { 1746, 1799 })]
    [InlineData("😀", new[] { 100 })]
    public void Simple_texts_have_their_known_ids(string text, int[] ids) => Assert.Equal(ids, Tokenizer.Encode(text));

    [Theory]
    [InlineData("fiancée", "fiancee")]
    [InlineData("CAFÉ Zürich", "cafe zurich")]
    [InlineData("c\u0007a\u200Bt", "cat")]               // control and format characters are dropped inside a word
    [InlineData("a\u00A0b\tc\r\nd", "a b c d")]          // Zs, tab and line ends separate words
    [InlineData("the\u0000 end\uFFFD", "the end")]
    [InlineData("quoted—dash!x", "quoted — dash ! x")]   // Unicode (Pd) and ASCII punctuation stand alone
    public void Normalization_steps_give_the_ids_of_the_plain_form(string text, string plain) =>
        Assert.Equal(Tokenizer.Encode(plain), Tokenizer.Encode(text));

    // Expected ids from training/wordpiece.py (Python's unicodedata) on the same vocab.txt.
    [Theory]
    [InlineData("fiancée", new[] { 19455 })]
    [InlineData("CAFÉ Zürich", new[] { 7668, 10204 })]
    [InlineData("İstanbul Ÿ Ǆ", new[] { 9960, 1061, 100 })]                        // İ lower-cases to i + U+0307, a mark; Ǆ has no canonical decomposition
    [InlineData("한국어", new[] { 1469, 30006, 30021, 29991, 30014, 30020, 29999, 30008 })] // Hangul syllables decompose to jamo
    [InlineData("ﬁ ｆｕｌｌ", new[] { 1984, 100 })]                               // NFD, not NFKD: compatibility forms stay
    [InlineData("naïve coöperate résumé Ångström", new[] { 15743, 17654, 13746, 17076, 15687 })]
    [InlineData("Œuvre ß ẞ ǅ", new[] { 1107, 2226, 12229, 1096, 1096, 100 })]
    [InlineData("Ελληνικά", new[] { 1159, 29727, 29727, 24824, 16177, 18199, 29726, 14608 })]
    [InlineData("Русский язык", new[] { 1195, 29748, 29747, 29747, 23925, 15414, 1210, 29744, 29113, 23925 })]
    [InlineData("ḱṓṃ", new[] { 12849, 2213 })]
    [InlineData("x\u0301y", new[] { 1060, 2100 })]                                 // a lone combining mark is dropped inside the word
    [InlineData("\u0344a", new[] { 1037 })]                                         // a mark that decomposes to marks only
    public void Accents_cases_and_scripts_fold_as_in_python(string text, int[] ids) => Assert.Equal(ids, Tokenizer.Encode(text));

    [Fact]
    public void A_word_over_100_code_points_is_one_unknown_token()
    {
        Assert.Equal([100], Tokenizer.Encode(new string('a', 101)));
        Assert.Equal([100], Tokenizer.Encode(string.Concat(Enumerable.Repeat("\U0001D400", 101)))); // code points, not UTF-16 units
        var hundred = Tokenizer.Encode(new string('a', 100));
        Assert.DoesNotContain(100, hundred);
        Assert.True(hundred.Length > 1);
    }

    [Theory]
    [InlineData("unaffable")]
    [InlineData("tokenization")]
    [InlineData("summarizers")]
    [InlineData("doungal")]
    [InlineData("xqzvwk")]
    [InlineData("obama")]
    public void Words_split_by_greedy_longest_match_with_continuations(string word)
    {
        Assert.Equal(ReferenceWordPiece(word), Tokens(word));
    }

    [Fact]
    public void Continuation_pieces_are_marked_and_add_their_text_without_the_prefix()
    {
        var ids = Tokenizer.Encode("tokenization");
        Assert.True(ids.Length > 1);
        Assert.False(Tokenizer.IsContinuation(ids[0]));
        Assert.All(ids[1..], id => Assert.True(Tokenizer.IsContinuation(id)));
        Assert.Equal("tokenization", string.Concat(ids.Select(Tokenizer.PieceText)));
    }

    [Fact]
    public void Prose_through_the_normalizer_gives_the_ids_of_its_ptb_form()
    {
        var (ids, _) = Tokenizer.EncodeWords(TextNormalizer.Normalize("The U.S. isn't happy,"));
        Assert.Equal(Tokenizer.Encode("the u.s. is n't happy ,"), ids);
        Assert.Equal(["the", "u", ".", "s", ".", "is", "n", "'", "t", "happy", ","], ids.Select(Tokenizer.Token));
    }

    public static IEnumerable<object[]> Texts() =>
    [
        ["NEW DELHI (CNN) -- The 35-year-old suspect \"died on the spot,\" police said. He wasn't known."],
        ["Fiancée of O’Neill paid $4.5 million (€3,000) for the café in Zürich © 2015."],
        ["中国 and 日本 met; emoji 😀👍🏽 too… and a\u0007control\u200Bchar and tab\there."],
        ["The U.S.-led coalition's 12,000 troops — \"unaffable\" — can't, won't & shouldn't."],
        ["  leading and trailing spaces, 'single quotes' and `backticks` ``PTB`` style  "],
        [new string('x', 150) + " then a normal word"],
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Every_source_token_has_a_non_empty_span_of_the_input(string text)
    {
        var (ids, tokens) = Tokenizer.EncodeWords(TextNormalizer.Normalize(text));
        Assert.Equal(ids.Length, tokens.Length);
        Assert.NotEmpty(tokens);
        var previousStart = 0;
        foreach (var token in tokens)
        {
            Assert.True(token.Start < token.End, $"empty span at {token.Start}");
            Assert.Equal(text[token.Start..token.End], token.Text);
            Assert.True(token.Start >= previousStart, "spans go forward");
            previousStart = token.Start;
        }
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Word_by_word_encoding_gives_the_ids_of_the_whole_normalized_text(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        Assert.Equal(Tokenizer.Encode(normalized.Text), Tokenizer.EncodeWords(normalized).Ids);
    }

    [Fact]
    public void Pieces_of_a_word_kept_as_typed_split_its_span()
    {
        const string text = "Tokenization works";
        var (ids, tokens) = Tokenizer.EncodeWords(TextNormalizer.Normalize(text));
        var word = tokens.TakeWhile(t => t.End <= "Tokenization".Length).ToArray();
        Assert.True(word.Length > 1);
        Assert.Equal("Tokenization", string.Concat(word.Select(t => t.Text)));
        Assert.Equal(ids.Length, tokens.Length);
    }

    [Fact]
    public void A_vocabulary_without_the_special_tokens_is_refused()
    {
        using var vocab = new MemoryStream(Encoding.UTF8.GetBytes("[PAD]\n[CLS]\n[SEP]\nthe\n"));
        Assert.Contains("[UNK]", Assert.Throws<InvalidDataException>(() => BertWordPieceTokenizer.Load(vocab)).Message);
    }

    // BERT's WordPiece written out: greedy longest match from the left over vocab.txt, "##" on continuations, [UNK] when stuck.
    private static string[] ReferenceWordPiece(string word)
    {
        var vocab = Encoding.UTF8.GetString(PackagedEncoder.Vocab).Split('\n').Select(l => l.TrimEnd('\r')).ToHashSet();
        var pieces = new List<string>();
        for (var start = 0; start < word.Length;)
        {
            string? found = null;
            for (var end = word.Length; end > start && found is null; end--)
            {
                var candidate = (start > 0 ? "##" : "") + word[start..end];
                if (vocab.Contains(candidate))
                {
                    found = candidate;
                    start = end;
                }
            }
            if (found is null)
                return ["[UNK]"];
            pieces.Add(found);
        }
        return [.. pieces];
    }
}
