using Summarizer.Inference.Text;

namespace Summarizer.Evaluation.Tests;

// The repeated-content-word rule reads Inference's list, the one the decoder's repeat limit reads.
public class EnglishStopwordsTests
{
    [Fact]
    public void Is_nltks_179_word_list_with_its_clitic_pieces()
    {
        Assert.Equal(179, EnglishStopwords.Count);
        Assert.All(["the", "a", "of", "and", "s", "t", "d", "ll", "m", "o", "re", "ve", "y", "don't", "wouldn"],
            w => Assert.True(EnglishStopwords.Contains(w), w));
        Assert.All(["amnesty", "said", "mr", "people", "would", "could"], w => Assert.False(EnglishStopwords.Contains(w), w));
    }
}
