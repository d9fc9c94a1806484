using Summarizer.Inference.Decoding;
using Summarizer.Inference.Tests.Support;
using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tests.Parity;

/// <summary>The C# runtime against PyTorch's outputs for the same tiny bundle (parity.json, DESIGN.md "Parity fixtures").</summary>
[Collection(TinyBundleCollection.Name)]
public class ParityTests(TinyBundle bundle)
{
    private TransformerSummarizer Model => bundle.Summarizer;

    private int Bos => Model.Decoder.Config.BosId;

    private int Eos => Model.Decoder.Config.EosId;

    public static IEnumerable<object[]> CaseIndices() => Enumerable.Range(0, TinyBundle.CaseCount()).Select(i => new object[] { i });

    [Fact]
    public void The_tiny_bundle_is_a_version_2_bundle_on_the_arcticxs_package()
    {
        Assert.Equal(2, Model.Model.BundleVersion);
        Assert.Equal(PackagedEncoder.Package, (string?)Model.Model.Card["encoder"]?["package"]);
        Assert.Equal(30522, Model.Model.Config.VocabSize);
        Assert.Equal(6, Model.Model.EncoderLayers);
    }

    [Fact]
    public void Tokenizer_ids_equal_wordpiece_py()
    {
        Assert.NotEmpty(bundle.Parity.Tokenizer);
        foreach (var c in bundle.Parity.Tokenizer)
        {
            var ids = Model.Tokenizer.Encode(c.Text);
            Assert.True(c.Ids.SequenceEqual(ids), $"'{c.Text}': expected [{string.Join(",", c.Ids)}], got [{string.Join(",", ids)}]");
        }
    }

    [Fact]
    public void The_service_path_gives_the_same_source_ids()
    {
        // Texts already in the normalizer's form (cnndm's) go through it unchanged and, encoded word by word, give
        // wordpiece.py's ids (model cases are truncated). Others (raw control characters, "12°" which cnndm writes "12 °")
        // are the tokenizer's alone.
        var modelCases = bundle.Parity.Cases.Where(m => m.Text is not null).Select(m => new TinyBundle.TokenizerCase(m.Text!, m.SrcIds));
        var checkedTexts = 0;
        foreach (var c in bundle.Parity.Tokenizer.Concat(modelCases))
        {
            var normalized = TextNormalizer.Normalize(c.Text);
            if (normalized.Text != string.Join(' ', c.Text.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)))
                continue;
            var (ids, _) = Model.Tokenizer.EncodeWords(normalized);
            var expected = ids.Length > c.Ids.Length ? ids[..c.Ids.Length] : ids;
            Assert.True(c.Ids.SequenceEqual(expected), $"'{c.Text[..Math.Min(60, c.Text.Length)]}': expected [{string.Join(",", c.Ids)}], got [{string.Join(",", ids)}]");
            checkedTexts++;
        }
        Assert.True(checkedTexts > 0, "no parity text is in the normalized form");
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Encoder_memory_matches_within_2e_3(int index)
    {
        var c = bundle.Parity.Cases[index];
        var memory = Model.Encoder.Encode(c.SrcIds);
        Assert.Equal(c.Memory.Length, memory.Length);
        for (var i = 0; i < memory.Length; i++)
            Assert.True(Math.Abs(memory[i] - c.Memory[i]) <= 2e-3, $"[{i}] {memory[i]} vs {c.Memory[i]}");
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
            var logProbs = state.LogProbs(0).ToArray();
            var top = tf.LogProbs[t];
            Assert.NotEmpty(top.Ids);
            for (var k = 0; k < top.Ids.Length; k++)
            {
                var (id, expected) = (top.Ids[k], top.Values[k]);
                Assert.True(Math.Abs(logProbs[id] - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"step {t} log P({id}): {logProbs[id]} vs {expected}");
            }
            // And no other id climbs into PyTorch's top k.
            var kth = top.Values.Min();
            var listed = top.Ids.ToHashSet();
            for (var w = 0; w < logProbs.Length; w++)
                Assert.True(listed.Contains(w) || logProbs[w] <= kth + 1e-4, $"step {t}: id {w} has log P {logProbs[w]} above PyTorch's k-th {kth}");
            if (tf.TargetLogProbs is { } target && t + 1 < tf.TgtIds.Length)
                Assert.True(Math.Abs(logProbs[tf.TgtIds[t + 1]] - target[t]) <= 1e-4 * Math.Max(1, Math.Abs(target[t])),
                    $"step {t} log P(target {tf.TgtIds[t + 1]}): {logProbs[tf.TgtIds[t + 1]]} vs {target[t]}");
            AssertClose(tf.CopyAttention[t], state.CopyAttention(0), 1e-4, $"step {t} copy attention");
            Assert.True(Math.Abs(tf.PGen[t] - state.GenerationProbability(0)) <= 1e-4, $"step {t} p_gen {state.GenerationProbability(0)} vs {tf.PGen[t]}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Greedy_output_is_identical(int index)
    {
        var c = bundle.Parity.Cases[index];
        var state = Model.Decoder.CreateState(c.Memory, c.SrcIds, maxRows: 1);
        var result = GreedySearch.Run(state, c.Greedy.Options, Bos, Eos);
        Assert.Equal(c.Greedy.Ids, result.Tokens);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Beam_output_is_identical(int index)
    {
        var c = bundle.Parity.Cases[index];
        var state = Model.Decoder.CreateState(c.Memory, c.SrcIds, maxRows: c.Beam.Options.NumBeams);
        var result = BeamSearch.Run(state, c.Beam.Options, Bos, Eos);
        Assert.Equal(c.Beam.Ids, result.Tokens);
        if (c.Beam.Score is { } score)
            Assert.True(Math.Abs(score - result.Score) <= 1e-3 * Math.Max(1, Math.Abs(score)), $"score {result.Score} vs {score}");
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Our_own_encoder_run_leads_to_the_same_beam(int index)
    {
        var c = bundle.Parity.Cases[index];
        var state = Model.Decoder.CreateState(Model.Encoder.Encode(c.SrcIds), c.SrcIds, maxRows: c.Beam.Options.NumBeams);
        Assert.Equal(c.Beam.Ids, BeamSearch.Run(state, c.Beam.Options, Bos, Eos).Tokens);
        if (c.Text is not null) // the whole service path, from the text
            Assert.Equal(c.Beam.Ids, Model.Summarize(c.Text, c.Beam.Options, AttentionDetail.None).SummaryTokens.Select(t => t.Id));
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]} vs {expected[i]}");
    }
}
