using System.Text.Json.Nodes;

namespace Summarizer.Api.Tests.Infrastructure;

/// <summary>The tiny fixture bundle's config.json, so tests state expectations from the bundle rather than copying its numbers.</summary>
public static class TinyConfig
{
    private static readonly Lazy<JsonObject> Root = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.TinyBundle, "config.json")))!.AsObject());

    /// <summary>Bundle name.</summary>
    public static string Name => (string)Root.Value["name"]!;

    /// <summary>bundle_version.</summary>
    public static int BundleVersion => (int)Root.Value["bundle_version"]!;

    /// <summary>model.max_tgt_len.</summary>
    public static int MaxTargetLength => (int)Root.Value["model"]!["max_tgt_len"]!;

    /// <summary>model.max_src_len.</summary>
    public static int MaxSourceLength => (int)Root.Value["model"]!["max_src_len"]!;

    /// <summary>decoding.num_beams.</summary>
    public static int DefaultNumBeams => (int)Root.Value["decoding"]!["num_beams"]!;

    /// <summary>decoding.max_length.</summary>
    public static int DefaultMaxLength => (int)Root.Value["decoding"]!["max_length"]!;
}
