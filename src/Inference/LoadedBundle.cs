using Summarizer.Inference.Decoder;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Selector;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference;

/// <summary>What <see cref="BundleLoader"/> reads from a bundle: the checked config and every stage built from it.</summary>
/// <param name="Config">config.json, validated.</param>
/// <param name="Tokenizer">The encoder package's WordPiece vocabulary, checked against the config's size and special ids.</param>
/// <param name="Encoder">The ONNX encoder session (the package's graph, or the bundle's own <c>encoder.file</c>).</param>
/// <param name="Decoder">The native decoder on decoder.safetensors and the encoder's word embedding E.</param>
/// <param name="EncoderLayers">The encoder graph's layer count (its <c>encoder.layer.{i}.*</c> initializers).</param>
/// <param name="Selector">The sentence selector, when config.json has a <c>selector</c> section.</param>
internal sealed record LoadedBundle(
    BundleConfig Config,
    BertWordPieceTokenizer Tokenizer,
    OnnxEncoder Encoder,
    TransformerDecoder Decoder,
    int EncoderLayers,
    SentenceSelector? Selector);
