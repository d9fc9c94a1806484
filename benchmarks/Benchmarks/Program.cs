using BenchmarkDotNet.Running;

namespace Summarizer.Benchmarks;

/// <summary>
/// Entry point: pick benchmarks with --filter (e.g. '*Attention*', '*EndToEnd*'), --latency for end-to-end percentiles,
/// --modes for the extractive and abstractive modes side by side, --encoder for the encoder alone (fp32 against int8, ONNX Runtime's session levers; see <see cref="EncoderLatency"/>), --profile for a stage breakdown (both take --bundle DIR and --articles FILE; see <see cref="EndToEndLatency"/>),
/// --step for the native-vs-ONNX Runtime decoder step round-robin (<see cref="DecoderStepRoundRobin"/>), --article [FILE]
/// to print the --latency article (tests/load/loadtest.sh sends it over HTTP).
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--latency")
            EndToEndLatency.Run(args[1..]);
        else if (args.Length > 0 && args[0] == "--modes")
            EndToEndLatency.Modes(args[1..]);
        else if (args.Length > 0 && args[0] == "--encoder")
            EncoderLatency.Run(args[1..]);
        else if (args.Length > 0 && args[0] == "--profile")
            EndToEndLatency.Profile(args[1..]);
        else if (args.Length > 0 && args[0] == "--step")
            DecoderStepRoundRobin.Run(args[1..]);
        else if (args.Length > 0 && args[0] == "--article")
            Console.WriteLine(EndToEndBenchmarkConfig.LoadArticle(args.Length > 1 ? args[1] : null)); // the --latency article, for HTTP runs
        else
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
