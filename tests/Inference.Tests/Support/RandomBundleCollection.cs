namespace Summarizer.Inference.Tests.Support;

/// <summary>The xunit collection whose tests share one loaded <see cref="RandomBundleFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RandomBundleCollection : ICollectionFixture<RandomBundleFixture>
{
    /// <summary>The collection name tests put in <c>[Collection]</c>.</summary>
    public const string Name = "random bundle";
}
