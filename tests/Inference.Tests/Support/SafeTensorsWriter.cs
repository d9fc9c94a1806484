using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Summarizer.Inference.Tests.Support;

/// <summary>Writes safetensors bytes for tests (F32, F16 or I32), in insertion order.</summary>
internal sealed class SafeTensorsWriter
{
    private readonly List<(string Name, int[] Shape, Array Data, string DType)> _tensors = [];

    public SafeTensorsWriter Add(string name, float[] data, params int[] shape) => Add(name, data, "F32", shape);

    public SafeTensorsWriter Add(string name, float[] data, string dtype, params int[] shape)
    {
        _tensors.Add((name, shape, data, dtype));
        return this;
    }

    public SafeTensorsWriter Add(string name, int[] data, params int[] shape)
    {
        _tensors.Add((name, shape, data, "I32"));
        return this;
    }

    /// <summary>Drops the tensor called <paramref name="name"/> (for tests that break a file).</summary>
    public bool Remove(string name) => _tensors.RemoveAll(t => t.Name == name) > 0;

    public byte[] ToBytes()
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        var body = new MemoryStream();
        foreach (var (name, shape, data, dtype) in _tensors)
        {
            var begin = body.Length;
            if (data is int[] ints)
            {
                foreach (var value in ints)
                {
                    var buffer = new byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
                    body.Write(buffer);
                }
            }
            else
            {
                foreach (var value in (float[])data)
                {
                    if (dtype == "F16")
                    {
                        var buffer = new byte[2];
                        BinaryPrimitives.WriteHalfLittleEndian(buffer, (Half)value);
                        body.Write(buffer);
                    }
                    else
                    {
                        var buffer = new byte[4];
                        BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
                        body.Write(buffer);
                    }
                }
            }
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(begin, body.Length),
            };
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var result = new byte[8 + json.Length + body.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)json.Length);
        json.CopyTo(result, 8);
        body.ToArray().CopyTo(result, 8 + json.Length);
        return result;
    }
}
