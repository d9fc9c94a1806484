using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Summarizer.Inference.Encoder;

/// <summary>
/// The pretrained BERT-style encoder in one ONNX Runtime session per process: <c>input_ids</c>, <c>attention_mask</c>,
/// <c>token_type_ids</c> int64 (B, L) → <c>last_hidden_state</c> float32 (B, L, d_model). A source of S tokens is fed as
/// <c>[CLS] source [SEP]</c> and its memory is the S rows between them (docs/DESIGN.md "Encoder").
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is safe to call concurrently.
/// </summary>
public sealed class OnnxEncoder : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];
    private readonly InferenceSession _session;
    private readonly int _dModel, _clsId, _sepId;

    private OnnxEncoder(InferenceSession session, int dModel, int clsId, int sepId)
    {
        _session = session;
        _dModel = dModel;
        _clsId = clsId;
        _sepId = sepId;
    }

    /// <summary>Opens an ONNX graph given as bytes and checks its inputs and output.</summary>
    /// <param name="onnx">The graph.</param>
    /// <param name="name">Names the graph in errors (package resource or file).</param>
    /// <param name="config">The model's width d_model and its CLS (BOS) / SEP (EOS) ids.</param>
    /// <param name="settings">Threads.</param>
    public static OnnxEncoder Load(byte[] onnx, string name, ModelConfig config, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Load(onnx, name, config.DModel, config.BosId, config.EosId, settings);
    }

    /// <summary>
    /// Opens an ONNX graph given as bytes and checks its inputs and output, for a tool that runs the encoder without a
    /// decoder (training/encode): only the encoder's own width and the ids around a source.
    /// </summary>
    /// <param name="onnx">The graph.</param>
    /// <param name="name">Names the graph in errors (package resource or file).</param>
    /// <param name="dModel">The graph's hidden size d_model, the last dimension of its output.</param>
    /// <param name="clsId">The id fed before a source ([CLS]).</param>
    /// <param name="sepId">The id fed after a source ([SEP]).</param>
    /// <param name="settings">Threads.</param>
    public static OnnxEncoder Load(byte[] onnx, string name, int dModel, int clsId, int sepId, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dModel);
        ArgumentNullException.ThrowIfNull(settings);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // With a thread pool, its workers sleep between calls rather than spin: on a small machine a spinning worker takes
        // the core the decoder (or another request) needs the moment the encoder returns.
        if (settings.IntraOpThreads != 1)
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnx, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelBundleException(name, null, $"is not a loadable ONNX model ({e.Message}).", e);
        }
        try
        {
            foreach (var input in InputNames)
                if (!session.InputMetadata.TryGetValue(input, out var meta) || meta.ElementDataType != TensorElementType.Int64)
                    throw new ModelBundleException(name, input, "the graph needs an int64 input of this name (DESIGN.md).");
            if (!session.OutputMetadata.TryGetValue(OutputNames[0], out var output) || output.ElementDataType != TensorElementType.Float)
                throw new ModelBundleException(name, OutputNames[0], "the graph needs a float32 output of this name (DESIGN.md).");
            var dims = output.Dimensions;
            if (dims.Length != 3 || (dims[2] > 0 && dims[2] != dModel))
                throw new ModelBundleException(name, OutputNames[0], $"has shape [{string.Join(", ", dims)}]; config.json's model.d_model needs (B, L, {dModel}).");
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new OnnxEncoder(session, dModel, clsId, sepId);
    }

    /// <summary>Encodes one source: [S] ids → [S, d_model] memory.</summary>
    public float[] Encode(ReadOnlySpan<int> sourceIds)
    {
        if (sourceIds.Length < 1)
            throw new ArgumentException("The source must have at least one token.", nameof(sourceIds));
        var memory = new float[sourceIds.Length * _dModel];
        var source = sourceIds.ToArray();
        EncodeBatch([source], [memory]);
        return memory;
    }

    /// <summary>
    /// Encodes several sources in one padded run (sort them by length first to waste little): each
    /// <paramref name="memories"/>[i] receives [S_i, d_model].
    /// </summary>
    public void EncodeBatch(IReadOnlyList<int[]> sources, IReadOnlyList<float[]> memories)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(memories);
        if (sources.Count == 0 || sources.Count != memories.Count)
            throw new ArgumentException("Give one memory buffer per source, and at least one source.", nameof(memories));
        var b = sources.Count;
        var width = sources.Max(s => s.Length) + 2;
        var ids = new long[b * width];
        var mask = new long[b * width];
        var types = new long[b * width];
        for (var i = 0; i < b; i++)
        {
            var s = sources[i];
            if (s.Length < 1)
                throw new ArgumentException($"Source {i} is empty.", nameof(sources));
            if (memories[i].Length != s.Length * _dModel)
                throw new ArgumentException($"Memory {i} has {memories[i].Length} elements; [S={s.Length}, d_model={_dModel}] needs {s.Length * _dModel}.", nameof(memories));
            var row = i * width;
            ids[row] = _clsId;
            for (var j = 0; j < s.Length; j++)
                ids[row + 1 + j] = s[j];
            ids[row + 1 + s.Length] = _sepId;
            for (var j = 0; j < s.Length + 2; j++)
                mask[row + j] = 1;
        }
        long[] shape = [b, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        if (hidden.Length != b * width * _dModel)
            throw new InvalidOperationException($"The encoder returned {hidden.Length} values; ({b}, {width}, {_dModel}) was expected.");
        for (var i = 0; i < b; i++)
            hidden.Slice((i * width + 1) * _dModel, sources[i].Length * _dModel).CopyTo(memories[i]);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
