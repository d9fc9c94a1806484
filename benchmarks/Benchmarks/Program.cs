using BenchmarkDotNet.Running;

namespace Summarizer.Benchmarks;

/// <summary>Entry point: pick benchmarks with --filter (e.g. '*Attention*').</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
