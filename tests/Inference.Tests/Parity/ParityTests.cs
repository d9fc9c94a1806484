using Summarizer.Inference.Decoding;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Parity;

/// <summary>The C# runtime against PyTorch's outputs for the same tiny bundle (parity.json, DESIGN.md "Parity fixtures").</summary>
[Collection(TinyBundleCollection.Name)]
public class ParityTests(TinyBundle bundle)
{
    private TransformerSummarizer Model => bundle.Summarizer;

    public static IEnumerable<object[]> CaseIndices() => Enumerable.Range(0, new TinyBundle().Parity.Cases.Count).Select(i => new object[] { i });

    [Fact]
    public void Tokenizer_ids_equal_sentencepieces()
    {
        Assert.NotEmpty(bundle.Parity.Tokenizer);
        foreach (var c in bundle.Parity.Tokenizer)
            Assert.True(c.Ids.SequenceEqual(Model.Tokenizer.EncodeToIds(c.Text)), $"'{c.Text}': expected [{string.Join(",", c.Ids)}], got [{string.Join(",", Model.Tokenizer.EncodeToIds(c.Text))}]");
    }

    [Fact]
    public void Word_by_word_encoding_gives_the_same_ids_as_the_whole_text()
    {
        foreach (var c in bundle.Parity.Tokenizer.Concat(bundle.Parity.Cases.Select(m => new TinyBundle.TokenizerCase(m.Text, m.SrcIds))))
        {
            var words = c.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ids = words.SelectMany(w => Model.Tokenizer.EncodeToIds(w)).ToArray();
            var expected = c.Ids.Length > 0 && ids.Length > c.Ids.Length ? ids[..c.Ids.Length] : ids; // model cases are truncated
            Assert.True(c.Ids.SequenceEqual(expected), $"'{c.Text[..Math.Min(60, c.Text.Length)]}'");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Encoder_memory_matches_within_1e_4(int index)
    {
        var c = bundle.Parity.Cases[index];
        var memory = Model.Encoder.Encode(c.SrcIds);
        Assert.Equal(c.Memory.Length, memory.Length);
        for (var i = 0; i < memory.Length; i++)
            Assert.True(Math.Abs(memory[i] - c.Memory[i]) <= 1e-4 * Math.Max(1, Math.Abs(c.Memory[i])), $"[{i}] {memory[i]} vs {c.Memory[i]}");
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Teacher_forced_steps_match_log_probs_copy_attention_and_p_gen(int index)
    {
        var c = bundle.Parity.Cases[index];
        var tf = c.TeacherForcing;
        var state = Model.Decoder.CreateState(c.Memory, c.SrcIds, maxRows: 1);
        for (var t = 0; t < tf.TgtIds.Length; t++)
        {
            state.Step([tf.TgtIds[t]], t);
            AssertClose(tf.LogProbs[t], state.LogProbs(0), 1e-4, $"step {t} log_probs");
            AssertClose(tf.CopyAttention[t], state.CopyAttention(0), 1e-4, $"step {t} copy attention");
            Assert.True(Math.Abs(tf.PGen[t] - state.PGen(0)) <= 1e-4, $"step {t} p_gen {state.PGen(0)} vs {tf.PGen[t]}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Greedy_output_is_identical(int index)
    {
        var c = bundle.Parity.Cases[index];
        var options = c.Greedy.Options.ToDecodingOptions();
        var state = Model.Decoder.CreateState(Model.Encoder.Encode(c.SrcIds), c.SrcIds, maxRows: 1);
        var result = GreedySearch.Run(state, options, 2, 3);
        Assert.Equal(c.Greedy.Ids, result.Tokens);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Beam_output_is_identical(int index)
    {
        var c = bundle.Parity.Cases[index];
        var options = c.Beam.Options.ToDecodingOptions();
        var state = Model.Decoder.CreateState(Model.Encoder.Encode(c.SrcIds), c.SrcIds, maxRows: options.NumBeams);
        var result = BeamSearch.Run(state, options, 2, 3);
        Assert.Equal(c.Beam.Ids, result.Tokens);
        Assert.Equal(c.Beam.Score!.Value, result.Score, 3);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void The_summarizer_feeds_the_decoder_the_same_source_ids(int index)
    {
        var c = bundle.Parity.Cases[index];
        var result = Model.Summarize(c.Text, c.Beam.Options.ToDecodingOptions(), AttentionDetail.None);
        Assert.Equal(c.Beam.Ids, result.SummaryTokens.Select(t => t.Id));
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]} vs {expected[i]}");
    }
}
