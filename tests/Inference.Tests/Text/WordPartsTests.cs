using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tests.Text;

public class WordPartsTests
{
    [Fact]
    public void Parts_are_the_runs_of_letters_or_digits()
    {
        Assert.Equal(["o", "neill", "s", "mega", "fight", "3", "2", "u", "s"], WordParts.Of("o'neill's mega-fight, 3-2 (u.s.)"));
        Assert.Equal(["café", "ü"], WordParts.Of("café…ü"));
        Assert.Empty(WordParts.Of(" -- ' "));
    }

    [Fact]
    public void A_content_part_has_a_letter_and_is_no_stopword()
    {
        Assert.True(WordParts.IsContent("fight"));
        Assert.True(WordParts.IsContent("u"));      // "U.S." counts: "u" is no NLTK stopword
        Assert.False(WordParts.IsContent("o"));     // "o'neill": NLTK lists "o"
        Assert.False(WordParts.IsContent("the"));
        Assert.False(WordParts.IsContent("2017"));  // no letter
    }
}
