using Summarizer.Attention;

namespace Summarizer.Inference.Decoder;

/// <summary>A step's output rows (P(w) of each beam) as <see cref="CoreSplit"/> chunks: each row writes only its own buffers.</summary>
internal sealed class OutputRowChunks(TransformerDecoder decoder, DecoderState state) : IChunkedWork
{
    /// <inheritdoc />
    public void RunChunk(int index) => decoder.MixRow(state, index);
}
