namespace Summarizer.Inference;

/// <summary>What a loaded bundle says about itself: its model card.</summary>
public sealed class ModelInfo
{
    /// <summary>Bundle name (its folder name unless config.json names it).</summary>
    public required string Name { get; init; }

    /// <summary>Bundle format version from config.json.</summary>
    public required int BundleVersion { get; init; }

    /// <summary>The decoder's sizes and special ids: config.json's <c>model</c> section, as loaded.</summary>
    public required ModelConfig Config { get; init; }

    /// <summary>Layers of the pretrained encoder (counted in its ONNX graph).</summary>
    public required int EncoderLayers { get; init; }

    /// <summary>The decoder's own parameter count (the frozen encoder and its embedding E excluded).</summary>
    public required long Parameters { get; init; }

    /// <summary>Default decoding settings from config.json.</summary>
    public required DecodingOptions Defaults { get; init; }

    /// <summary>The sentence selector's sizes and default sentence count; null when the bundle has none (no extractive mode).</summary>
    public SelectorConfig? Selector { get; init; }

    /// <summary>The raw "encoder", "training" and "metrics" sections of config.json (encoder package, data, licences, ROUGE), passed through for /info.</summary>
    public required System.Text.Json.Nodes.JsonObject Card { get; init; }
}
