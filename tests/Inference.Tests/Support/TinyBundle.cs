using System.Text.Json.Nodes;

namespace Summarizer.Inference.Tests.Support;

/// <summary>The tiny model bundle in tests/fixtures/tiny and its parity fixtures (written by training/make_fixtures.sh).</summary>
public sealed class TinyBundle : IDisposable
{
    /// <summary>Loads the bundle and its parity.json once for every test in <see cref="TinyBundleCollection"/>.</summary>
    public TinyBundle()
    {
        Directory = Find();
        Summarizer = TransformerSummarizer.Load(Directory, new InferenceSettings { IntraOpThreads = 1 });
        Parity = ReadParity(Directory);
    }

    /// <summary>The bundle directory.</summary>
    public string Directory { get; }

    /// <summary>The bundle loaded as the service loads it.</summary>
    public TransformerSummarizer Summarizer { get; }

    /// <summary>PyTorch's reference outputs (parity.json).</summary>
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

    /// <summary>How many model cases parity.json holds (for theory data, without loading the model).</summary>
    public static int CaseCount() => ReadParity(Find()).Cases.Count;

    /// <inheritdoc />
    public void Dispose() => Summarizer.Dispose();

    /// <summary>Reads parity.json (DESIGN.md "Parity fixtures").</summary>
    public static ParityFile ReadParity(string directory)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "parity.json")))!.AsObject();
        var tokenizer = root["tokenizer"]!.AsArray().Select(c => new TokenizerCase((string)c!["text"]!, Ints(c["ids"]))).ToList();
        var cases = root["cases"]!.AsArray().Select(c =>
        {
            var tf = c!["teacher_forcing"]!;
            // Top-k per step either as "log_probs" (one entry per step) or as parallel "top_ids" / "top_log_probs".
            var topK = tf["log_probs"] is JsonArray steps
                ? steps.Select(TopK).ToArray()
                : tf["top_ids"]!.AsArray().Zip(tf["top_log_probs"]!.AsArray(), (ids, values) => new TopKLogProbs(Ints(ids), Floats(values))).ToArray();
            return new ModelCase(
                (string?)c["text"],
                Ints(c["src_ids"]),
                Floats(c["memory"]),
                new TeacherForcing(
                    Ints(tf["tgt_ids"]),
                    topK,
                    tf["target_log_probs"] is JsonArray target ? Floats(target) : null,
                    tf["copy_attention"]!.AsArray().Select(Floats).ToArray(),
                    Floats(tf["p_gen"])),
                Search(c["greedy"]!),
                Search(c["beam"]!));
        }).ToList();
        return new ParityFile(tokenizer, cases);
    }

    // One step's top-k log-probs: {"ids": [..], "values": [..]}, [[ids], [values]] or [[id, value], ..].
    private static TopKLogProbs TopK(JsonNode? step)
    {
        if (step is JsonObject o)
            return new TopKLogProbs(Ints(o["ids"]), Floats(o["values"] ?? o["log_probs"]));
        var a = step!.AsArray();
        if (a.Count == 2 && a[0] is JsonArray ids && a[1] is JsonArray values && ids.Count == values.Count && ids.Count != 2)
            return new TopKLogProbs(Ints(ids), Floats(values));
        return new TopKLogProbs(a.Select(p => (int)p![0]!).ToArray(), a.Select(p => (float)p![1]!).ToArray());
    }

    private static SearchCase Search(JsonNode node)
    {
        var o = node["options"]!;
        var options = new DecodingOptions
        {
            NumBeams = (int)o["num_beams"]!,
            MaxLength = (int)o["max_length"]!,
            MinLength = (int)o["min_length"]!,
            NoRepeatNgramSize = (int)o["no_repeat_ngram_size"]!,
            LengthPenalty = (float)o["length_penalty"]!,
            EarlyStopping = (bool)o["early_stopping"]!,
        };
        return new SearchCase(options, Ints(node["ids"]), node["score"] is { } s ? (double)s : null);
    }

    private static int[] Ints(JsonNode? node) => node!.AsArray().Select(x => (int)x!).ToArray();

    private static float[] Floats(JsonNode? node) => node!.AsArray().Select(x => (float)x!).ToArray();

    public sealed record ParityFile(List<TokenizerCase> Tokenizer, List<ModelCase> Cases);

    public sealed record TokenizerCase(string Text, int[] Ids);

    /// <summary>One model case; <see cref="Text"/> (the normalized source) may be absent: then only its ids are given.</summary>
    public sealed record ModelCase(string? Text, int[] SrcIds, float[] Memory, TeacherForcing TeacherForcing, SearchCase Greedy, SearchCase Beam);

    /// <summary>Per step, PyTorch's k highest log-probs and their ids (best first).</summary>
    public sealed record TopKLogProbs(int[] Ids, float[] Values);

    /// <summary>Teacher forcing on tgt_ids (BOS first); TargetLogProbs[t], when given, is log P of the next target token.</summary>
    public sealed record TeacherForcing(int[] TgtIds, TopKLogProbs[] LogProbs, float[]? TargetLogProbs, float[][] CopyAttention, float[] PGen);

    public sealed record SearchCase(DecodingOptions Options, int[] Ids, double? Score);
}
