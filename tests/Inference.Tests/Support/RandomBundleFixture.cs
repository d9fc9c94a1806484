namespace Summarizer.Inference.Tests.Support;

/// <summary>One <see cref="RandomBundle"/> written and loaded for every test in <see cref="RandomBundleCollection"/>.</summary>
public sealed class RandomBundleFixture : IDisposable
{
    public RandomBundleFixture()
    {
        Directory = RandomBundle.Write(RandomBundle.TempDirectory());
        Summarizer = TransformerSummarizer.Load(Directory, new InferenceSettings { IntraOpThreads = 1 });
    }

    /// <summary>The bundle directory (temporary).</summary>
    public string Directory { get; }

    /// <summary>The bundle loaded as the service loads it.</summary>
    public TransformerSummarizer Summarizer { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Summarizer.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
