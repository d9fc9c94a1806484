using System.Text.Json;

namespace Summarizer.Inference.Tests.Support;

/// <summary>The tiny model bundle in tests/fixtures/tiny and its parity fixtures (written by training/make_fixtures.sh).</summary>
public sealed class TinyBundle : IDisposable
{
    /// <summary>Loads the bundle and its parity.json once for every test in <see cref="TinyBundleCollection"/>.</summary>
    public TinyBundle()
    {
        Directory = Find();
        Summarizer = TransformerSummarizer.Load(Directory, new InferenceSettings { IntraOpThreads = 1 });
        using var stream = File.OpenRead(Path.Combine(Directory, "parity.json"));
        Parity = JsonSerializer.Deserialize<ParityFile>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new InvalidOperationException("parity.json is empty");
    }

    /// <summary>The bundle directory.</summary>
    public string Directory { get; }

    /// <summary>The bundle loaded as the service loads it.</summary>
    public TransformerSummarizer Summarizer { get; }

    /// <summary>PyTorch's reference outputs (parity.json, snake_case on disk).</summary>
    public ParityFile Parity { get; }

    /// <summary>tests/fixtures/tiny, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        var fixtures = typeof(TinyBundle).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "FixturesDirectory")?.Value;
        if (fixtures is not null && File.Exists(Path.Combine(fixtures, "tiny", "config.json")))
            return Path.Combine(fixtures, "tiny");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "tiny");
            if (File.Exists(Path.Combine(candidate, "config.json")))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/tiny not found above " + AppContext.BaseDirectory);
    }

    /// <inheritdoc />
    public void Dispose() => Summarizer.Dispose();

    public sealed record ParityFile(List<TokenizerCase> Tokenizer, List<ModelCase> Cases);

    public sealed record TokenizerCase(string Text, int[] Ids);

    public sealed record ModelCase(string Text, int[] SrcIds, float[] Memory, TeacherForcing TeacherForcing, SearchCase Greedy, SearchCase Beam);

    public sealed record TeacherForcing(int[] TgtIds, float[][] LogProbs, float[][] CopyAttention, float[] PGen);

    public sealed record SearchCase(SearchOptions Options, int[] Ids, double? Score);

    public sealed record SearchOptions(int NumBeams, int MaxLength, int MinLength, int NoRepeatNgramSize, float LengthPenalty, bool EarlyStopping)
    {
        public DecodingOptions ToDecodingOptions() => new()
        {
            NumBeams = NumBeams, MaxLength = MaxLength, MinLength = MinLength, NoRepeatNgramSize = NoRepeatNgramSize,
            LengthPenalty = LengthPenalty, EarlyStopping = EarlyStopping,
        };
    }
}
