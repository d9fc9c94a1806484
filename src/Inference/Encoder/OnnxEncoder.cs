using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Summarizer.Inference.Encoder;

/// <summary>
/// The bundle's encoder.onnx in one ONNX Runtime session per process: <c>input_ids</c>, <c>attention_mask</c> int64
/// (B, S) → <c>memory</c> float32 (B, S, d_model). <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/> is safe to call concurrently.
/// </summary>
public sealed class OnnxEncoder : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask"];
    private static readonly string[] OutputNames = ["memory"];
    private readonly InferenceSession _session;
    private readonly int _dModel;

    private OnnxEncoder(InferenceSession session, int dModel)
    {
        _session = session;
        _dModel = dModel;
    }

    /// <summary>Opens <paramref name="path"/> and checks its inputs and output against DESIGN.md.</summary>
    public static OnnxEncoder Load(string path, ModelConfig config, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new ModelBundleException(name, null, "not found.");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
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
            if (dims.Length != 3 || (dims[2] > 0 && dims[2] != config.DModel))
                throw new ModelBundleException(name, OutputNames[0], $"has shape [{string.Join(", ", dims)}]; config.json's model.d_model needs (B, S, {config.DModel}).");
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new OnnxEncoder(session, config.DModel);
    }

    /// <summary>Encodes one unpadded source: [S] ids → [S, d_model] memory.</summary>
    public float[] Encode(ReadOnlySpan<int> sourceIds)
    {
        var s = sourceIds.Length;
        if (s < 1)
            throw new ArgumentException("The source must have at least one token.", nameof(sourceIds));
        var ids = new long[s];
        var mask = new long[s];
        for (var i = 0; i < s; i++)
        {
            ids[i] = sourceIds[i];
            mask[i] = 1;
        }
        long[] shape = [1, s];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue], OutputNames);
        var memory = outputs[0].GetTensorDataAsSpan<float>();
        if (memory.Length != s * _dModel)
            throw new InvalidOperationException($"encoder.onnx returned {memory.Length} values; (1, {s}, {_dModel}) was expected.");
        return memory.ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
