using System.Text.Json;
using System.Text.Json.Nodes;
using Summarizer.Inference.Decoder;

namespace Summarizer.Inference;

/// <summary>
/// A bundle's config.json, read and validated (docs/DESIGN.md, "Bundle"). Every problem is a
/// <see cref="ModelBundleException"/> naming config.json and the field.
/// </summary>
public sealed class BundleConfig
{
    /// <summary>The only bundle format this runtime reads.</summary>
    public const int SupportedBundleVersion = 2;

    /// <summary>The file's name inside a bundle.</summary>
    public const string FileName = "config.json";

    /// <summary><c>bundle_version</c>.</summary>
    public required int BundleVersion { get; init; }

    /// <summary><c>name</c>, or the bundle folder's name when absent.</summary>
    public required string Name { get; init; }

    /// <summary>The <c>encoder</c> section: the pretrained encoder's package and the hashes of its files.</summary>
    public required EncoderReference Encoder { get; init; }

    /// <summary>The <c>model</c> section.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>The <c>decoding</c> section: the default options, the only ones (every key required, checked by <see cref="DecodingOptionsValidator"/>).</summary>
    public required DecodingOptions Defaults { get; init; }

    /// <summary>File name of the decoder weights (<c>files.decoder_weights</c>, a .safetensors file).</summary>
    public required string DecoderFile { get; init; }

    /// <summary>The <c>selector</c> section, or null when the bundle has no sentence selector.</summary>
    public SelectorConfig? Selector { get; init; }

    /// <summary>The <c>decoder_quantization</c> section's <c>int8</c> list: which decoder matrices run in int8 (none when absent).</summary>
    public DecoderQuantization DecoderQuantization { get; init; }

    /// <summary><c>parameters</c>: the decoder's own parameter count, E excluded (0 when absent).</summary>
    public required long Parameters { get; init; }

    /// <summary>The <c>encoder</c>, <c>training</c> and <c>metrics</c> sections, passed through as the model card.</summary>
    public required JsonObject Card { get; init; }

    /// <summary>Reads and validates <c>config.json</c> in <paramref name="bundleDirectory"/>.</summary>
    public static BundleConfig Load(string bundleDirectory)
    {
        var path = Path.Combine(bundleDirectory, FileName);
        if (!File.Exists(path))
            throw new ModelBundleException(FileName, null, $"not found in '{bundleDirectory}'.");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new ModelBundleException(FileName, null, "the top level must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelBundleException(FileName, null, $"not valid JSON ({e.Message}).", e);
        }
        return Parse(root, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundleDirectory))));
    }

    /// <summary>Validates an already parsed config.json; <paramref name="fallbackName"/> is used when it has no <c>name</c>.</summary>
    public static BundleConfig Parse(JsonObject root, string fallbackName)
    {
        var version = Int(root, "bundle_version", null);
        if (version != SupportedBundleVersion)
            throw Error("bundle_version", $"is {version}; this runtime reads version {SupportedBundleVersion}.");

        var encoder = ParseEncoder(Section(root, "encoder"));

        var model = Section(root, "model");
        // Every key is required: training/export.py writes them all, so an absent one is a broken bundle, not a default.
        var config = new ModelConfig
        {
            VocabSize = Positive(model, "vocab_size", "model"),
            DModel = Positive(model, "d_model", "model"),
            HeadCount = Positive(model, "n_heads", "model"),
            FeedForwardDim = Positive(model, "d_ff", "model"),
            DecoderLayers = Positive(model, "n_dec_layers", "model"),
            ShortlistSize = Positive(model, "n_gen", "model"),
            MaxSourceLength = Positive(model, "max_src_len", "model"),
            MaxTargetLength = Positive(model, "max_tgt_len", "model"),
            NormEps = Float(model, "norm_eps", "model"),
            PadId = Int(model, "pad_id", "model"),
            UnkId = Int(model, "unk_id", "model"),
            BosId = Int(model, "bos_id", "model"),
            EosId = Int(model, "eos_id", "model"),
        };
        if (config.ShortlistSize > config.VocabSize)
            throw Error("model.n_gen", $"({config.ShortlistSize}) must not exceed model.vocab_size ({config.VocabSize}).");
        if (config.DModel % config.HeadCount != 0)
            throw Error("model.d_model", $"({config.DModel}) must be divisible by model.n_heads ({config.HeadCount}).");
        if (!(config.NormEps > 0) || float.IsInfinity(config.NormEps))
            throw Error("model.norm_eps", "must be a positive number.");
        foreach (var (idName, id) in new[] { ("pad_id", config.PadId), ("unk_id", config.UnkId), ("bos_id", config.BosId), ("eos_id", config.EosId) })
            if (id < 0 || id >= config.VocabSize)
                throw Error($"model.{idName}", $"({id}) must be in 0..vocab_size-1 ({config.VocabSize - 1}).");

        var defaults = ParseDecoding(Section(root, "decoding"), config);
        var selector = root.ContainsKey("selector") ? ParseSelector(Section(root, "selector"), config) : null;
        if (selector is null && DecodingOptionsValidator.Rules.FirstOrDefault(r => r.NeedsSelector && r.NumberOf(defaults) > 0) is { } rule)
            throw Error($"decoding.{rule.BundleKey}", $"is {rule.NumberOf(defaults).ToString(System.Globalization.CultureInfo.InvariantCulture)}, but the bundle has no selector section: it needs a sentence selector.");

        var files = Section(root, "files");
        var card = new JsonObject
        {
            ["encoder"] = root["encoder"]?.DeepClone(),
            ["training"] = root["training"]?.DeepClone(),
            ["metrics"] = root["metrics"]?.DeepClone(),
            ["decoder_quantization"] = root["decoder_quantization"]?.DeepClone(),
        };
        var name = root["name"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : fallbackName;
        return new BundleConfig
        {
            BundleVersion = version,
            Name = name,
            Encoder = encoder,
            Model = config,
            Defaults = defaults,
            DecoderFile = FileEntry(files, "decoder_weights"),
            Parameters = root.ContainsKey("parameters") ? Long(root, "parameters", null) : 0,
            Selector = selector,
            DecoderQuantization = root.ContainsKey("decoder_quantization") ? ParseQuantization(Section(root, "decoder_quantization")) : DecoderQuantization.None,
            Card = card,
        };
    }

    // decoder_quantization.int8's names for the matrices that may run in int8.
    private static readonly Dictionary<string, DecoderQuantization> QuantizationNames = new(StringComparer.Ordinal)
    {
        ["output_projection"] = DecoderQuantization.OutputProjection,
        ["feed_forward"] = DecoderQuantization.FeedForward,
        ["attention"] = DecoderQuantization.Attention,
    };

    // decoder_quantization.int8: a list of the matrices that run in int8, by name.
    private static DecoderQuantization ParseQuantization(JsonObject section)
    {
        const string field = "decoder_quantization.int8";
        var known = string.Join(", ", QuantizationNames.Keys.Select(n => $"\"{n}\""));
        if (section["int8"] is not JsonArray names)
            throw Error(field, $"must be a list of names ({known}).");
        var quantization = DecoderQuantization.None;
        foreach (var name in names)
        {
            if ((name as JsonValue)?.TryGetValue<string>(out var text) != true)
                throw Error(field, "must hold names (strings) only.");
            quantization |= QuantizationNames.TryGetValue(text!, out var matrix)
                ? matrix
                : throw Error(field, $"names '{text}'; the names are {known}.");
        }
        return quantization;
    }

    private static SelectorConfig ParseSelector(JsonObject section, ModelConfig model)
    {
        const string p = "selector";
        var selector = new SelectorConfig
        {
            File = PlainFileName(Text(section, "file", p), "selector.file"),
            DMemory = Positive(section, "d_mem", p),
            DModel = Positive(section, "d_model", p),
            HeadCount = Positive(section, "n_heads", p),
            FeedForwardDim = Positive(section, "d_ff", p),
            Layers = Positive(section, "n_layers", p),
            DAttention = Positive(section, "d_attn", p),
            MaxSentences = Positive(section, "max_sentences", p),
        };
        selector = selector with
        {
            NormEps = section.ContainsKey("norm_eps") ? Float(section, "norm_eps", p) : selector.NormEps,
            SentenceCount = section.ContainsKey("sentence_count") ? Positive(section, "sentence_count", p) : selector.SentenceCount,
        };
        if (selector.DMemory != model.DModel)
            throw Error("selector.d_mem", $"({selector.DMemory}) must equal model.d_model ({model.DModel}): the selector reads the encoder's memory.");
        if (selector.DModel % selector.HeadCount != 0)
            throw Error("selector.d_model", $"({selector.DModel}) must be divisible by selector.n_heads ({selector.HeadCount}).");
        if (!(selector.NormEps > 0) || float.IsInfinity(selector.NormEps))
            throw Error("selector.norm_eps", "must be a positive number.");
        if (selector.SentenceCount > ExtractiveOptions.MaxSentenceCount)
            throw Error("selector.sentence_count", $"({selector.SentenceCount}) must be at most {ExtractiveOptions.MaxSentenceCount}.");
        return selector;
    }

    private static EncoderReference ParseEncoder(JsonObject section) => new()
    {
        Package = Text(section, "package", "encoder"),
        PackageVersion = Text(section, "package_version", "encoder"),
        OnnxSha256 = Sha256(section, "onnx_sha256"),
        VocabSha256 = Sha256(section, "vocab_sha256"),
        File = section.ContainsKey("file") ? PlainFileName(Text(section, "file", "encoder"), "encoder.file") : null,
    };

    private static string Sha256(JsonObject section, string key)
    {
        var value = Text(section, key, "encoder");
        return value.Length == 64 && value.All(char.IsAsciiHexDigit)
            ? value.ToLowerInvariant()
            : throw Error($"encoder.{key}", $"('{value}') must be a SHA-256 in hex (64 digits).");
    }

    private static string Text(JsonObject section, string key, string prefix)
    {
        if (section[key] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s))
            return s;
        throw Error(Qualified(key, prefix), section.ContainsKey(key) ? "must be a non-empty string." : "is missing.");
    }

    private static DecodingOptions ParseDecoding(JsonObject section, ModelConfig model)
    {
        // Every key is required: the bundle is the one source of defaults (training/export.py writes them all).
        var options = new DecodingOptions();
        foreach (var rule in DecodingOptionsValidator.Rules)
        {
            object value = rule.Kind switch
            {
                DecodingOptionKind.Integer => Int(section, rule.BundleKey, "decoding"),
                DecodingOptionKind.Number => Float(section, rule.BundleKey, "decoding"),
                _ => Bool(section, rule.BundleKey, "decoding"),
            };
            rule.Assign(options, value);
        }
        var errors = DecodingOptionsValidator.Validate(options, model.MaxTargetLength);
        if (errors.Count > 0)
            throw Error($"decoding.{DecodingOptionsValidator.Rules.First(r => r.PropertyName == errors[0].Option).BundleKey}", errors[0].Message);
        return options;
    }

    private static string FileEntry(JsonObject files, string key)
    {
        var value = files[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrWhiteSpace(value))
            throw Error($"files.{key}", "is missing; it must name a file of the bundle.");
        return PlainFileName(value, $"files.{key}");
    }

    private static string PlainFileName(string value, string field) =>
        Path.GetFileName(value) == value && value is not ("." or "..")
            ? value
            : throw Error(field, $"('{value}') must be a plain file name inside the bundle folder.");

    private static JsonObject Section(JsonObject root, string name) =>
        root[name] as JsonObject ?? throw Error(name, "is missing or not a JSON object.");

    private static int Positive(JsonObject section, string key, string prefix)
    {
        var value = Int(section, key, prefix);
        return value > 0 ? value : throw Error($"{prefix}.{key}", $"is {value}; it must be > 0.");
    }

    private static int Int(JsonObject section, string key, string? prefix)
    {
        var value = Long(section, key, prefix);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error(Qualified(key, prefix), "is out of range.");
    }

    private static long Long(JsonObject section, string key, string? prefix)
    {
        if (section[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n))
            return n;
        throw Error(Qualified(key, prefix), section.ContainsKey(key) ? "must be an integer." : "is missing.");
    }

    private static float Float(JsonObject section, string key, string prefix)
    {
        if (section[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d))
            return (float)d;
        throw Error(Qualified(key, prefix), section.ContainsKey(key) ? "must be a number." : "is missing.");
    }

    private static bool Bool(JsonObject section, string key, string prefix)
    {
        if (section[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            return v.GetValue<bool>();
        throw Error(Qualified(key, prefix), section.ContainsKey(key) ? "must be true or false." : "is missing.");
    }

    private static string Qualified(string key, string? prefix) => prefix is null ? key : $"{prefix}.{key}";

    private static ModelBundleException Error(string field, string message) => new(FileName, field, message);
}
