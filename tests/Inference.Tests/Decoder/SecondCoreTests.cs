using Summarizer.Attention;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Decoder;

/// <summary>
/// DecoderThreads = 2 on the shipped bundle (int8 decoder products shared with a second core while a summary is alone):
/// the same summaries as one thread, and the core is only taken by a summary that is alone.
/// </summary>
[Collection(SecondCoreCollection.Name)]
public class SecondCoreTests
{
    private static readonly string Bundle = Path.GetFullPath(Path.Combine(TinyBundle.Find(), "..", "..", "..", "models", "arcticxs-copy"));

    private const string Text = "The city council voted on Tuesday to close the old bridge over the river for repairs. " +
        "Engineers found cracks in two of its steel supports last month. The bridge carries about 12,000 cars a day, " +
        "and the council said a ferry will run while the work is done. Repairs are expected to take eight months.";

    [Fact]
    public void Two_decoder_threads_write_the_summaries_one_thread_writes()
    {
        using var one = TransformerSummarizer.Load(Bundle, new InferenceSettings { IntraOpThreads = 1 });
        using var two = TransformerSummarizer.Load(Bundle, new InferenceSettings { IntraOpThreads = 1, DecoderThreads = 2 });
        foreach (var beams in new[] { 4, 1 })
        {
            var options = one.Model.Defaults with { NumBeams = beams };
            var expected = one.Summarize(Text, options);
            var actual = two.Summarize(Text, options);
            Assert.Equal(expected.Summary, actual.Summary);
            Assert.Equal(expected.SummaryTokens.Select(t => t.Id), actual.SummaryTokens.Select(t => t.Id));
            Assert.Equal(expected.Attention!.Weights, actual.Attention!.Weights);
        }
    }

    [Fact]
    public void Only_a_summary_alone_takes_the_second_core()
    {
        using var two = TransformerSummarizer.Load(Bundle, new InferenceSettings { IntraOpThreads = 1, DecoderThreads = 2 });
        using var one = TransformerSummarizer.Load(Bundle, new InferenceSettings { IntraOpThreads = 1 });
        var source = two.TokenizeSource(Text);
        var ids = source.AllIds[..source.Tokens.Count];
        var memory = two.Encoder.Encode(ids);
        using (RequestActivity.Enter())
        {
            var alone = two.Decoder.CreateState(memory, ids, 4);
            alone.UseSecondCore();
            var expected = QuantizedLinear.IsSupported && Environment.ProcessorCount >= 2;
            Assert.Equal(expected, alone.Split is not null);

            // one thread asked for: never
            var single = one.Decoder.CreateState(memory, ids, 4);
            single.UseSecondCore();
            Assert.Null(single.Split);

            using (RequestActivity.Enter())
            {
                // a second summary under way: another state does not get it, and the holder's next step gives it back
                var other = two.Decoder.CreateState(memory, ids, 4);
                other.UseSecondCore();
                Assert.Null(other.Split);
                alone.Step([one.Model.Config.BosId], 0);
                Assert.Null(alone.Split);
            }

            alone.ReleaseSecondCore();
        }
    }
}

/// <summary>The tests that take the process's second-core helper, run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SecondCoreCollection
{
    public const string Name = "second core";
}
