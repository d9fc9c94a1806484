using Summarizer.Inference.Decoder;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Selector;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference;

/// <summary>
/// Reads a bundle directory (docs/DESIGN.md "Bundle") into its stages: config.json, the encoder's vocabulary and graph
/// (hash-checked), the word embedding E from that graph, decoder.safetensors and the selector's weights.
/// </summary>
internal static class BundleLoader
{
    // The encoder's position table: its rows bound the source length.
    private const string PositionsTensor = "embeddings.position_embeddings.weight";

    /// <summary>Loads and checks every file of the bundle; see <see cref="TransformerSummarizer.Load"/> for the order and errors.</summary>
    /// <exception cref="ModelBundleException">A file or the encoder's package is missing or corrupt, or disagrees with config.json.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static LoadedBundle Load(string bundleDirectory, InferenceSettings? settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bundleDirectory);
        settings ??= new InferenceSettings();
        settings.Validate();
        if (!Directory.Exists(bundleDirectory))
            throw new ModelBundleException(bundleDirectory, null, "the bundle directory does not exist.");

        var config = BundleConfig.Load(bundleDirectory);
        var model = config.Model;
        var package = config.Encoder.Package;
        var tokenizer = LoadTokenizer(EncoderPackage.Read(package, "vocab.txt", config.Encoder.VocabSha256), $"{package}:vocab.txt", model);
        var decoderFile = SafeTensorsFile.Load(Path.Combine(bundleDirectory, config.DecoderFile));

        // E and the session come from the same bytes; nothing keeps them once both are made.
        var (onnx, onnxName) = config.Encoder.File is { } encoderFile
            ? (ReadEncoderFile(bundleDirectory, encoderFile, config.Encoder.OnnxSha256), encoderFile)
            : (EncoderPackage.Read(package, "model.onnx", config.Encoder.OnnxSha256), $"{package}:model.onnx");
        var (embedding, encoderLayers) = ReadEmbedding(onnx, onnxName, model);
        var weights = DecoderWeights.Load(decoderFile, embedding, model);
        var selector = config.Selector is { } s
            ? new SentenceSelector(SentenceSelectorWeights.Load(SafeTensorsFile.Load(Path.Combine(bundleDirectory, s.File)), s))
            : null;
        var encoder = OnnxEncoder.Load(onnx, onnxName, model, settings);
        return new LoadedBundle(config, tokenizer, encoder, new TransformerDecoder(weights, settings.FullPrecisionDecoder ? DecoderQuantization.None : config.DecoderQuantization) { SecondCore = settings.DecoderThreads == 2 }, encoderLayers, selector);
    }

    // A fine-tuned encoder's graph (encoder.file), checked against encoder.onnx_sha256 as the package's would be.
    private static byte[] ReadEncoderFile(string bundleDirectory, string file, string sha256)
    {
        var path = Path.Combine(bundleDirectory, file);
        if (!File.Exists(path))
            throw new ModelBundleException(file, "encoder.file", $"config.json's encoder.file names '{file}', which is not in '{bundleDirectory}'.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelBundleException(file, "encoder.file", $"cannot be read ({e.Message}).", e);
        }
        EncoderPackage.CheckSha256(bytes, sha256, file, "encoder.onnx_sha256");
        return bytes;
    }

    // The package's vocabulary, checked against the config: its size and the special ids the model was trained with.
    private static BertWordPieceTokenizer LoadTokenizer(byte[] vocab, string name, ModelConfig model)
    {
        BertWordPieceTokenizer tokenizer;
        try
        {
            tokenizer = BertWordPieceTokenizer.Load(new MemoryStream(vocab, writable: false));
        }
        catch (InvalidDataException e)
        {
            throw new ModelBundleException(name, null, $"is not a usable WordPiece vocabulary ({e.Message}).", e);
        }
        foreach (var (field, actual, expected) in new[]
        {
            ("model.vocab_size", tokenizer.VocabSize, model.VocabSize), ("model.pad_id", tokenizer.PadId, model.PadId),
            ("model.unk_id", tokenizer.UnknownId, model.UnkId), ("model.bos_id", tokenizer.ClsId, model.BosId),
            ("model.eos_id", tokenizer.SepId, model.EosId),
        })
        {
            if (actual != expected)
                throw new ModelBundleException(name, field, $"the vocabulary gives {actual} but config.json's {field} is {expected}.");
        }
        return tokenizer;
    }

    // E: [vocab_size, d_model] from the graph's initializers, and the encoder's layer count (encoder.layer.{i}.* names).
    private static (float[] Embedding, int EncoderLayers) ReadEmbedding(byte[] onnx, string name, ModelConfig model)
    {
        var initializers = OnnxInitializers.Parse(onnx, name);
        var embedding = initializers.ReadFloat32(TransformerSummarizer.EmbeddingTensor, model.VocabSize, model.DModel);
        // The encoder reads [CLS] source [SEP]: max_src_len + 2 positions must exist in its table.
        if (initializers.Contains(PositionsTensor) && initializers.Shape(PositionsTensor)[0] is var positions && model.MaxSourceLength + 2 > positions)
            throw new ModelBundleException(BundleConfig.FileName, "model.max_src_len", $"({model.MaxSourceLength}) + [CLS] + [SEP] exceeds the encoder's {positions} positions.");
        const string prefix = "encoder.layer.";
        var layers = initializers.Names
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .Count();
        return (embedding, layers);
    }
}
