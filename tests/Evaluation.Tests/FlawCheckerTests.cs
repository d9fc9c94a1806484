namespace Summarizer.Evaluation.Tests;

public class FlawCheckerTests
{
    private static readonly FlawChecker Checker = new(["the", "a", "s", "of", "said", "chairman", "fed", "report", "is", "was", "were", "cafe"]);

    [Fact]
    public void A_word_in_neither_the_source_nor_the_english_list_is_invented()
    {
        var flaws = Checker.Check("Fed chairman Greenspun said.", "alan greenspan , the fed chairman , said .");

        Assert.Equal(["greenspun"], flaws.InventedWords);
        Assert.True(flaws.HasInventedWords);
    }

    [Fact]
    public void A_compound_the_source_never_writes_is_invented_and_one_with_a_digit_is_unstated()
    {
        const string source = "julian korb and james ward - prowse drew 3-3 ; the fed chairman , 61 , said .";
        var flaws = Checker.Check("Korb-Prowse said the Fed chairman, 61, drew 4-0.", source);
        Assert.Equal(["korb-prowse"], flaws.InventedWords);
        Assert.Equal(["4", "0", "4-0"], flaws.UnstatedNumbers);

        var fine = Checker.Check("Ward-Prowse drew 3 -3, the Fed chairman said.", source);
        Assert.Empty(fine.InventedWords);
        Assert.Empty(fine.UnstatedNumbers);
    }

    [Fact]
    public void A_misspelling_that_stems_like_a_source_word_passes()
    {
        // Porter drops a final e after a long stem: "greenspane" and "greenspan" share the stem "greenspan".
        Assert.Equal(PorterStemmer.Stem("greenspan"), PorterStemmer.Stem("greenspane"));
        Assert.Empty(Checker.Check("Greenspane said.", "alan greenspan said .").InventedWords);
    }

    [Fact]
    public void A_source_word_in_any_case_is_not_invented()
    {
        var flaws = Checker.Check("GREENSPAN said.", "alan greenspan said .");

        Assert.Empty(flaws.InventedWords);
        Assert.False(flaws.HasInventedWords);
    }

    [Fact]
    public void A_word_sharing_a_stem_with_a_source_or_english_word_is_not_invented()
    {
        Assert.Empty(Checker.Check("The reports said.", "nothing here .").InventedWords); // "report" is English
        Assert.Empty(Checker.Check("Officials were rallying.", "the officials rallied .").InventedWords); // rally
        Assert.Equal(["rallying"], Checker.Check("Officials were rallying.", "the officials met .").InventedWords);
    }

    [Fact]
    public void Diacritics_are_folded_before_comparing()
    {
        Assert.Empty(Checker.Check("The Café was Zoë's.", "zoe , the cafe owner , said .").InventedWords);
        Assert.Equal(["zoe"], Checker.Check("Zoë said.", "the cafe .").InventedWords);
    }

    [Fact]
    public void Words_with_digits_are_not_checked_for_invention()
    {
        Assert.Empty(Checker.Check("The 2nd report is 4x7.", "a report .").InventedWords);
    }

    [Fact]
    public void Apostrophes_and_periods_split_words()
    {
        var flaws = Checker.Check("O'Connell's U.S. report.", "o'connell visited the u.s. .");

        Assert.Empty(flaws.InventedWords);
        Assert.Equal(["connellz"], Checker.Check("O'Connellz said.", "o'connell said .").InventedWords);
    }

    [Fact]
    public void Invented_words_are_listed_once_in_order()
    {
        var flaws = Checker.Check("Zorp said blick. Zorp said.", "he said .");

        Assert.Equal(["zorp", "blick"], flaws.InventedWords);
    }

    [Theory]
    [InlineData("It cost $4799.", "it cost $ 47 .", "4799")]
    [InlineData("It was 3.6 percent.", "it was 3.5 percent .", "3.6")]
    [InlineData("On 2015 and 12:30.", "in 2014 at 12:30 .", "2015")]
    public void A_number_the_source_does_not_state_is_unstated(string summary, string source, string unstated)
    {
        var flaws = Checker.Check(summary, source);

        Assert.Equal([unstated], flaws.UnstatedNumbers);
        Assert.True(flaws.HasUnstatedNumbers);
    }

    [Theory]
    [InlineData("It cost $47.", "it cost $ 47 .")]
    [InlineData("It was 3.5 percent.", "it was 3.5 percent .")]
    [InlineData("A crowd of 1,000 came.", "a crowd of 1000 came .")]
    [InlineData("A crowd of 1000 came.", "a crowd of 1,000 came .")]
    [InlineData("At 12:30, said the fed.", "the fed said at 12:30 .")]
    [InlineData("No numbers at all.", "none here 7 .")]
    public void A_number_the_source_states_is_fine(string summary, string source)
    {
        var flaws = Checker.Check(summary, source);

        Assert.Empty(flaws.UnstatedNumbers);
        Assert.False(flaws.HasUnstatedNumbers);
    }

    [Fact]
    public void A_word_twice_in_a_row_is_a_stutter()
    {
        var flaws = Checker.Check("The mayor of the Lisbon depot Depot said.", "the lisbon depot mayor said .");

        Assert.Equal(["depot"], flaws.Stutters);
        Assert.True(flaws.HasStutters);
    }

    [Theory]
    [InlineData("He said. Said the mayor.")]
    [InlineData("The depot, depot said.")]
    [InlineData("Wait ... ! ! the end.")]
    [InlineData("The depot is a depot.")]
    public void Words_apart_or_repeated_punctuation_are_not_stutters(string summary)
    {
        Assert.Empty(Checker.Check(summary, "the depot said the mayor .").Stutters);
    }

    [Fact]
    public void A_number_twice_in_a_row_is_a_stutter()
    {
        Assert.Equal(["10"], Checker.Check("It rose 10 10 times.", "10 times .").Stutters);
    }

    [Fact]
    public void A_content_word_three_times_is_repeated()
    {
        var flaws = Checker.Check("Amnesty said Amnesty told amnesty officials.", "amnesty officials said .");

        Assert.Equal(["amnesty"], flaws.RepeatedContentWords);
        Assert.True(flaws.HasRepeatedContentWords);
    }

    [Theory]
    [InlineData("The mayor of the city and the people of the town.")]
    [InlineData("Amnesty said Amnesty told officials.")]
    [InlineData("It was 10, 10 and 10 times.")]
    public void Stopwords_twice_only_words_and_numbers_are_not_repeated(string summary)
    {
        Assert.Empty(Checker.Check(summary, "the mayor .").RepeatedContentWords);
    }

    [Fact]
    public void A_clean_summary_has_no_flaws()
    {
        var flaws = Checker.Check("Alan Greenspan, the Fed chairman, said 1,000 was a report.", "alan greenspan said 1000 was a report of the fed chairman .");

        Assert.Empty(flaws.InventedWords);
        Assert.Empty(flaws.UnstatedNumbers);
        Assert.Empty(flaws.Stutters);
        Assert.Empty(flaws.RepeatedContentWords);
    }

    [Fact]
    public void The_english_list_is_folded_and_counted_once()
    {
        var checker = new FlawChecker(["Café", "cafe", "NAÏVE"]);

        Assert.Equal(2, checker.EnglishWordCount);
        Assert.Empty(checker.Check("naive cafes", "").InventedWords);
    }

    [Fact]
    public void Null_texts_are_rejected()
    {
        Assert.Throws<ArgumentNullException>("summary", () => Checker.Check(null!, ""));
        Assert.Throws<ArgumentNullException>("source", () => Checker.Check("", null!));
        Assert.Throws<ArgumentNullException>("englishWords", () => new FlawChecker(null!));
    }
}
