using Summarizer.Inference.Decoding;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Decoding;

public class SearchTests
{
    private const int Bos = 2, Eos = 3, Vocab = 12;

    public static IEnumerable<object[]> Cases()
    {
        var random = new Random(5);
        for (var i = 0; i < 40; i++)
        {
            var max = random.Next(1, 14);
            yield return [random.Next(), random.Next(2, 6), max, random.Next(0, max + 1), random.Next(0, 4),
                new[] { 0f, 0.8f, 1f, 2f }[random.Next(4)], random.Next(2) == 0];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Beam_search_matches_the_reference_port_of_decoding_py(int seed, int beams, int max, int min, int ngram, float penalty, bool early)
    {
        var options = new DecodingOptions { NumBeams = beams, MaxLength = max, MinLength = min, NoRepeatNgramSize = ngram, LengthPenalty = penalty, EarlyStopping = early };
        var model = new FakeStepModel(Vocab, beams, seed, sharpness: 2f);
        var expected = ReferenceDecoding.Beam(model.LogProbsAfter, options, Eos);

        var actual = BeamSearch.Run(new FakeStepModel(Vocab, beams, seed, sharpness: 2f), options, Bos, Eos);

        Assert.Equal(expected.Tokens, actual.Tokens);
        Assert.Equal(expected.Score, actual.Score, 12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Greedy_search_matches_the_reference_port_of_decoding_py(int seed, int beams, int max, int min, int ngram, float penalty, bool early)
    {
        _ = (beams, penalty, early);
        var options = new DecodingOptions { NumBeams = 1, MaxLength = max, MinLength = min, NoRepeatNgramSize = ngram, LengthPenalty = 1f };
        var model = new FakeStepModel(Vocab, 1, seed);
        var expected = ReferenceDecoding.Greedy(model.LogProbsAfter, options, Eos);

        var actual = GreedySearch.Run(new FakeStepModel(Vocab, 1, seed), options, Bos, Eos);

        Assert.Equal(expected.Tokens, actual.Tokens);
        Assert.Equal(expected.Score, actual.Score, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Beam_of_one_with_early_stopping_is_greedy(int seed)
    {
        var options = new DecodingOptions { NumBeams = 1, MaxLength = 20, EarlyStopping = true, LengthPenalty = 1f };
        var greedy = GreedySearch.Run(new FakeStepModel(Vocab, 1, seed, sharpness: 1f), options, Bos, Eos);
        var beam = BeamSearch.Run(new FakeStepModel(Vocab, 1, seed, sharpness: 1f), options, Bos, Eos);
        Assert.Equal(greedy.Tokens, beam.Tokens);
        Assert.Equal(greedy.CopyAttention, beam.CopyAttention);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(4, 2)]
    [InlineData(4, 3)]
    [InlineData(1, 1)]
    public void No_ngram_repeats_when_asked(int beams, int n)
    {
        for (var seed = 0; seed < 10; seed++)
        {
            // Low vocabulary and min length force repetition pressure.
            var options = new DecodingOptions { NumBeams = beams, MaxLength = 10, MinLength = 10, NoRepeatNgramSize = n, LengthPenalty = 1f };
            var run = beams == 1
                ? GreedySearch.Run(new FakeStepModel(Vocab, 1, seed), options, Bos, Eos)
                : BeamSearch.Run(new FakeStepModel(Vocab, beams, seed), options, Bos, Eos);
            var grams = Enumerable.Range(0, run.Tokens.Length - n + 1).Select(i => string.Join(",", run.Tokens.Skip(i).Take(n))).ToList();
            Assert.Equal(grams.Count, grams.Distinct().Count());
        }
    }

    [Fact]
    public void Without_the_rule_the_fake_model_does_repeat()
    {
        // Guards the test above: the model repeats n-grams when nothing stops it.
        var repeats = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var run = GreedySearch.Run(new FakeStepModel(3 + 2, 1, seed), new DecodingOptions { NumBeams = 1, MaxLength = 10, MinLength = 10, LengthPenalty = 1f }, Bos, Eos);
            var grams = Enumerable.Range(0, run.Tokens.Length - 1).Select(i => $"{run.Tokens[i]},{run.Tokens[i + 1]}").ToList();
            repeats += grams.Count - grams.Distinct().Count();
        }
        Assert.True(repeats > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Min_length_is_respected(int beams)
    {
        for (var seed = 0; seed < 10; seed++)
        {
            // A model that loves EOS: sharpness 0 makes every token equally likely, EOS (id 3) wins most ties in beam order.
            var options = new DecodingOptions { NumBeams = beams, MaxLength = 12, MinLength = 7, LengthPenalty = 1f };
            var run = beams == 1
                ? GreedySearch.Run(new EosLovingModel(beams), options, Bos, Eos)
                : BeamSearch.Run(new EosLovingModel(beams), options, Bos, Eos);
            Assert.True(run.Tokens.Length >= 7, $"{run.Tokens.Length} tokens");
            Assert.DoesNotContain(Eos, run.Tokens);
        }
        var free = GreedySearch.Run(new EosLovingModel(1), new DecodingOptions { NumBeams = 1, MaxLength = 12, LengthPenalty = 1f }, Bos, Eos);
        Assert.Empty(free.Tokens);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Max_length_bounds_the_output(int beams)
    {
        var options = new DecodingOptions { NumBeams = beams, MaxLength = 5, MinLength = 5, LengthPenalty = 1f };
        var run = beams == 1
            ? GreedySearch.Run(new FakeStepModel(Vocab, 1, 9), options, Bos, Eos)
            : BeamSearch.Run(new FakeStepModel(Vocab, beams, 9), options, Bos, Eos);
        Assert.Equal(5, run.Tokens.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Cancelling_from_the_callback_stops_at_the_next_step(int beams)
    {
        using var cts = new CancellationTokenSource();
        var model = new FakeStepModel(Vocab, beams, 4);
        var calls = 0;
        var options = new DecodingOptions { NumBeams = beams, MaxLength = 20, MinLength = 20, LengthPenalty = 1f };
        TokenCallback callback = (index, _, _, _) =>
        {
            calls++;
            if (index == 2)
                cts.Cancel();
        };
        Assert.Throws<OperationCanceledException>(() => beams == 1
            ? GreedySearch.Run(model, options, Bos, Eos, callback, cts.Token)
            : BeamSearch.Run(model, options, Bos, Eos, callback, cts.Token));
        Assert.Equal(3, calls);
        Assert.Equal(3, model.Steps);
    }

    [Fact]
    public void Beam_results_carry_each_tokens_own_attention()
    {
        // The attention recorded for token i must be what the model computed for that hypothesis's prefix.
        var options = new DecodingOptions { NumBeams = 4, MaxLength = 10, MinLength = 6, LengthPenalty = 1f };
        var run = BeamSearch.Run(new FakeStepModel(Vocab, 4, 21), options, Bos, Eos);
        var replay = new FakeStepModel(Vocab, 1, 21);
        Span<int> input = [Bos];
        for (var i = 0; i < run.Tokens.Length; i++)
        {
            replay.Step(input, i);
            Assert.Equal(replay.CopyAttention(0).ToArray(), run.CopyAttention.AsSpan(i * 5, 5).ToArray());
            Assert.Equal(1f - replay.GenerationProbability(0), run.CopyProbability[i]);
            input[0] = run.Tokens[i];
        }
    }

    /// <summary>Uniform log-probs, so EOS (a low id) wins every argmax tie and every beam candidate tie.</summary>
    private sealed class EosLovingModel(int rows) : IStepModel
    {
        private readonly float[] _logProbs = new float[rows * Vocab];
        public int VocabSize => Vocab;
        public int SourceLength => 1;
        public int MaxRows => rows;
        public int LayerAttentionLength => 0;
        public void Step(ReadOnlySpan<int> tokens, int position)
        {
            _logProbs.AsSpan().Fill(-MathF.Log(Vocab - 3));
            for (var r = 0; r < rows; r++)
                _logProbs.AsSpan(r * Vocab, 3).Fill(float.NegativeInfinity);
        }
        public Span<float> LogProbs(int row) => _logProbs.AsSpan(row * Vocab, Vocab);
        public ReadOnlySpan<float> CopyAttention(int row) => new float[] { 1f };
        public float GenerationProbability(int row) => 1f;
        public ReadOnlySpan<float> LayerAttention(int row) => default;
        public void Reorder(ReadOnlySpan<int> parents) { }
    }
}
