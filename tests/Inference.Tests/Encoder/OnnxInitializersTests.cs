using Microsoft.ML.OnnxRuntime;
using Summarizer.Inference.Encoder;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Encoder;

/// <summary>The hand-written initializer reader, on graphs ONNX Runtime runs and on the real encoder's graph.</summary>
public class OnnxInitializersTests
{
    private static readonly float[] Values = [1f, -2.5f, 3.25f, 0f, 1e-8f, -7e6f];

    [Theory]
    [InlineData(OnnxWriter.Layout.RawData, true)]
    [InlineData(OnnxWriter.Layout.PackedFloatData, true)]
    [InlineData(OnnxWriter.Layout.UnpackedFloatData, false)]
    public void Reads_what_onnx_runtime_reads_from_the_same_bytes(OnnxWriter.Layout layout, bool packedDims)
    {
        var onnx = OnnxWriter.Model("w", [2, 3],
            OnnxWriter.Tensor("w", [2, 3], Values, layout, packedDims),
            OnnxWriter.Tensor("other", [2], [9f, 8f], OnnxWriter.Layout.RawData));

        var initializers = OnnxInitializers.Parse(onnx, "test.onnx");
        var read = initializers.ReadFloat32("w", 2, 3);

        using var session = new InferenceSession(onnx);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [], [], ["y"]);
        Assert.Equal(outputs[0].GetTensorDataAsSpan<float>().ToArray(), read);
        Assert.Equal(Values, read);
        Assert.Equal([9f, 8f], initializers.ReadFloat32("other", 2));
        Assert.Equal(["w", "other"], initializers.Names);
        Assert.Equal([2L, 3L], initializers.Shape("w"));
    }

    [Fact]
    public void Problems_name_the_graph_and_the_tensor()
    {
        var onnx = OnnxWriter.Model("w", [2, 3],
            OnnxWriter.Tensor("w", [2, 3], Values, OnnxWriter.Layout.RawData),
            OnnxWriter.Tensor("ints", [6], Values, OnnxWriter.Layout.RawData, dataType: 7),
            OnnxWriter.Tensor("short", [7], Values, OnnxWriter.Layout.PackedFloatData));
        var initializers = OnnxInitializers.Parse(onnx, "pkg:model.onnx");

        var shape = Assert.Throws<ModelBundleException>(() => initializers.ReadFloat32("w", 3, 2));
        Assert.Equal(("pkg:model.onnx", "w"), (shape.File, shape.Field));
        Assert.Contains("[2, 3]", shape.Message);
        Assert.Contains("[3, 2]", shape.Message);
        Assert.Equal("missing", Assert.Throws<ModelBundleException>(() => initializers.ReadFloat32("missing", 1)).Field);
        Assert.Contains("data type 7", Assert.Throws<ModelBundleException>(() => initializers.ReadFloat32("ints", 6)).Message);
        Assert.Equal("short", Assert.Throws<ModelBundleException>(() => initializers.ReadFloat32("short", 7)).Field);
    }

    [Theory]
    [InlineData(new byte[] { 0x3A, 0xFF, 0x01 })] // graph field longer than the bytes
    [InlineData(new byte[] { 0x08, 0x80 })]       // unfinished varint
    [InlineData(new byte[] { 0x0B })]             // a group (wire type 3)
    [InlineData(new byte[] { 0x08, 0x07 })]       // no graph at all
    public void Bytes_that_are_not_a_model_are_refused(byte[] bytes)
    {
        var e = Assert.Throws<ModelBundleException>(() => OnnxInitializers.Parse(bytes, "x.onnx"));
        Assert.Equal("x.onnx", e.File);
    }

    [Fact]
    public void The_real_encoder_graph_holds_E_with_the_vocabulary_shape()
    {
        var initializers = OnnxInitializers.Parse(PackagedEncoder.Onnx, "arcticxs");
        var e = initializers.ReadFloat32(TransformerSummarizer.EmbeddingTensor, 30522, 384);
        Assert.All(e, x => Assert.True(float.IsFinite(x)));

        // Each row is a distinct, non-zero vector of ordinary size (trained BERT embeddings have norms around 1).
        double Norm(int id) => Math.Sqrt(Enumerable.Range(0, 384).Sum(i => (double)e[id * 384 + i] * e[id * 384 + i]));
        foreach (var id in new[] { 0, 100, 101, 102, 1012, 1996, 4937, 30521 })
            Assert.InRange(Norm(id), 0.1, 10);
        Assert.False(e.AsSpan(1996 * 384, 384).SequenceEqual(e.AsSpan(4937 * 384, 384)));

        // Six BERT layers, the other embedding tables beside E.
        Assert.Equal(6, initializers.Names.Where(n => n.StartsWith("encoder.layer.", StringComparison.Ordinal)).Select(n => n.Split('.')[2]).Distinct().Count());
        Assert.Equal([512L, 384L], initializers.Shape("embeddings.position_embeddings.weight"));
    }
}
