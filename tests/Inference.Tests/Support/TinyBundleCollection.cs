namespace Summarizer.Inference.Tests.Support;

/// <summary>The xunit collection whose tests share one loaded <see cref="TinyBundle"/> (loading it takes a while).</summary>
[CollectionDefinition(Name)]
public sealed class TinyBundleCollection : ICollectionFixture<TinyBundle>
{
    /// <summary>The collection name tests put in <c>[Collection]</c>.</summary>
    public const string Name = "tiny bundle";
}
