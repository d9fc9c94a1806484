using System.Reflection;
using System.Text;
using Summarizer.Inference;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Evaluation.Tests;

public class EnglishWordListTests
{
    private static readonly string TinyBundle = Path.Combine(
        typeof(EnglishWordListTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FixturesDirectory").Value!,
        "tiny");

    [Fact]
    public void A_vocabulary_gives_its_whole_words_folded()
    {
        var vocab = "[PAD]\n[unused0]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n##ing\nreport\nCafé\n!\n1999\n##s\n";
        var tokenizer = BertWordPieceTokenizer.Load(new MemoryStream(Encoding.UTF8.GetBytes(vocab)));

        Assert.Equal(["the", "report", "cafe"], EnglishWordList.FromVocabulary(tokenizer));
    }

    [Fact]
    public void A_bundle_gives_the_whole_words_of_its_encoder_packages_vocabulary()
    {
        var encoder = BundleConfig.Load(TinyBundle).Encoder;
        var tokenizer = BertWordPieceTokenizer.Load(new MemoryStream(EncoderPackage.Read(encoder.Package, "vocab.txt", null)));

        var words = EnglishWordList.FromVocabulary(encoder);

        Assert.Equal(EnglishWordList.FromVocabulary(tokenizer), words);
        Assert.Contains("report", words);
    }

    [Fact]
    public void A_vocabulary_other_than_the_bundles_is_refused()
    {
        var encoder = BundleConfig.Load(TinyBundle).Encoder with { VocabSha256 = new string('0', 64) };

        var e = Assert.Throws<ModelBundleException>(() => EnglishWordList.FromVocabulary(encoder));

        Assert.Equal("encoder.vocab_sha256", e.Field);
    }

    [Fact]
    public void A_word_list_keeps_all_letter_words_lower_cased_and_folded()
    {
        string[] lines = ["Aaron", "Aaron's", "ábaco", "  zebra ", "", "x-ray", "42", "aaron"];

        Assert.Equal(["aaron", "abaco", "zebra"], EnglishWordList.Parse(lines));
    }

    [Fact]
    public void A_contraction_gives_its_first_part_but_a_possessive_does_not()
    {
        Assert.Equal(["mustn", "we"], EnglishWordList.Parse(["mustn't", "we'll", "Aaron's"]));
    }

    [Fact]
    public void A_word_list_file_is_read_line_by_line()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "Apple\nbanana's\nCherry\n");

            Assert.Equal(["apple", "cherry"], EnglishWordList.ReadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
