using System.Text;

namespace Summarizer.Inference.Tests.Support;

/// <summary>
/// Hand-writes a minimal ONNX ModelProto for tests: one graph whose output <c>y</c> is Identity(initializer), so ONNX
/// Runtime itself can say what the initializer holds. Protobuf wire format, written field by field.
/// </summary>
public static class OnnxWriter
{
    public enum Layout { RawData, PackedFloatData, UnpackedFloatData }

    /// <summary>A TensorProto (field numbers of onnx.proto).</summary>
    public static byte[] Tensor(string name, long[] dims, float[] values, Layout layout, bool packedDims = true, int dataType = 1)
    {
        var t = new MemoryStream();
        if (packedDims)
            Bytes(t, 1, Packed(dims));
        else
            foreach (var d in dims)
                Varint(t, 1, (ulong)d);
        Varint(t, 2, (ulong)dataType);
        switch (layout)
        {
            case Layout.RawData:
                Bytes(t, 9, values.SelectMany(BitConverter.GetBytes).ToArray());
                break;
            case Layout.PackedFloatData:
                Bytes(t, 4, values.SelectMany(BitConverter.GetBytes).ToArray());
                break;
            case Layout.UnpackedFloatData:
                foreach (var v in values)
                {
                    Key(t, 4, 5);
                    t.Write(BitConverter.GetBytes(v));
                }
                break;
        }
        Bytes(t, 8, Encoding.UTF8.GetBytes(name)); // name after the data: readers must not rely on field order
        return t.ToArray();
    }

    /// <summary>A ModelProto (opset 13) whose graph outputs <c>y</c> = Identity(first initializer), with all initializers stored.</summary>
    public static byte[] Model(string outputOf, long[] outputDims, params byte[][] initializers)
    {
        var node = new MemoryStream();
        Bytes(node, 1, Encoding.UTF8.GetBytes(outputOf));
        Bytes(node, 2, "y"u8.ToArray());
        Bytes(node, 4, "Identity"u8.ToArray());

        var shape = new MemoryStream();
        foreach (var d in outputDims)
        {
            var dim = new MemoryStream();
            Varint(dim, 1, (ulong)d);
            Bytes(shape, 1, dim.ToArray());
        }
        var tensorType = new MemoryStream();
        Varint(tensorType, 1, 1);
        Bytes(tensorType, 2, shape.ToArray());
        var type = new MemoryStream();
        Bytes(type, 1, tensorType.ToArray());
        var output = new MemoryStream();
        Bytes(output, 1, "y"u8.ToArray());
        Bytes(output, 2, type.ToArray());

        var graph = new MemoryStream();
        Bytes(graph, 1, node.ToArray());
        Bytes(graph, 2, "g"u8.ToArray());
        foreach (var initializer in initializers)
            Bytes(graph, 5, initializer);
        Bytes(graph, 12, output.ToArray());

        var opset = new MemoryStream();
        Bytes(opset, 1, []);
        Varint(opset, 2, 13);
        var model = new MemoryStream();
        Varint(model, 1, 8); // ir_version
        Bytes(model, 2, "test"u8.ToArray()); // producer_name, before the graph
        Bytes(model, 7, graph.ToArray());
        Bytes(model, 8, opset.ToArray());
        return model.ToArray();
    }

    private static byte[] Packed(long[] values)
    {
        var s = new MemoryStream();
        foreach (var v in values)
            WriteVarint(s, (ulong)v);
        return s.ToArray();
    }

    private static void Key(Stream s, int field, int wire) => WriteVarint(s, (ulong)(field << 3 | wire));

    private static void Varint(Stream s, int field, ulong value)
    {
        Key(s, field, 0);
        WriteVarint(s, value);
    }

    private static void Bytes(Stream s, int field, byte[] value)
    {
        Key(s, field, 2);
        WriteVarint(s, (ulong)value.Length);
        s.Write(value);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }
}
