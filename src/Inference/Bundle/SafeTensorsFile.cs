using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Summarizer.Inference;

/// <summary>
/// Reads a .safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>),
/// then the little-endian tensor data, offsets counted from the end of the header.
/// F32, F16 and BF16 tensors are returned as float32, I32 tensors (ids) as int32. Errors are <see cref="ModelBundleException"/>s naming the file and tensor.
/// </summary>
public sealed class SafeTensorsFile
{
    private readonly byte[] _data;
    private readonly long _dataStart;
    private readonly Dictionary<string, Entry> _entries;

    private SafeTensorsFile(string name, byte[] data, long dataStart, Dictionary<string, Entry> entries)
    {
        Name = name;
        _data = data;
        _dataStart = dataStart;
        _entries = entries;
    }

    private readonly record struct Entry(string DType, int[] Shape, long Begin, long End);

    /// <summary>The file's name inside the bundle, used in error messages.</summary>
    public string Name { get; }

    /// <summary>Reads and checks the header of <paramref name="path"/>.</summary>
    public static SafeTensorsFile Load(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new ModelBundleException(name, null, "not found.");
        return Parse(name, File.ReadAllBytes(path));
    }

    /// <summary>Parses safetensors bytes; <paramref name="name"/> is used in error messages.</summary>
    public static SafeTensorsFile Parse(string name, byte[] data)
    {
        if (data.Length < 8)
            throw new ModelBundleException(name, null, $"is {data.Length} bytes, too short for a safetensors header.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (headerLength < 2 || headerLength > (ulong)(data.Length - 8))
            throw new ModelBundleException(name, null, $"header length {headerLength} does not fit in the file ({data.Length} bytes).");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(data.AsSpan(8, (int)headerLength)) as JsonObject
                ?? throw new ModelBundleException(name, null, "header is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelBundleException(name, null, $"header is not valid JSON ({e.Message}).", e);
        }

        var dataStart = 8 + (long)headerLength;
        var dataLength = data.Length - dataStart;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (key, node) in header)
        {
            if (key == "__metadata__")
                continue;
            try
            {
                var dtype = node!["dtype"]!.GetValue<string>();
                var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
                var offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw new ModelBundleException(name, key, $"data_offsets [{string.Join(", ", offsets)}] fall outside the {dataLength} data bytes.");
                if (shape.Any(d => d < 0))
                    throw new ModelBundleException(name, key, "has a negative dimension.");
                var size = ElementSize(dtype) ?? throw new ModelBundleException(name, key, $"dtype {dtype} is not supported (F32, F16, BF16 or I32).");
                var count = shape.Aggregate(1L, (a, d) => a * d);
                if (count * size != offsets[1] - offsets[0])
                    throw new ModelBundleException(name, key, $"shape [{string.Join(", ", shape)}] of {dtype} needs {count * size} bytes but data_offsets span {offsets[1] - offsets[0]}.");
                entries[key] = new Entry(dtype, shape, offsets[0], offsets[1]);
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or JsonException)
            {
                throw new ModelBundleException(name, key, "has a malformed header entry (needs dtype, shape, data_offsets).", e);
            }
        }
        return new SafeTensorsFile(name, data, dataStart, entries);
    }

    /// <summary>True when the file holds a tensor called <paramref name="tensor"/>.</summary>
    public bool Contains(string tensor) => _entries.ContainsKey(tensor);

    /// <summary>The shape of <paramref name="tensor"/>.</summary>
    public IReadOnlyList<int> Shape(string tensor) => Find(tensor).Shape;

    /// <summary>
    /// Reads <paramref name="tensor"/> as float32, checking its shape is exactly <paramref name="shape"/>.
    /// </summary>
    public float[] ReadFloat32(string tensor, params int[] shape)
    {
        var bytes = Checked(tensor, shape, out var entry);
        if (entry.DType == "I32")
            throw new ModelBundleException(Name, tensor, "is I32; a float tensor (F32, F16 or BF16) is needed.");
        var result = new float[bytes.Length / ElementSize(entry.DType)!.Value];
        switch (entry.DType)
        {
            case "F32":
                for (var i = 0; i < result.Length; i++)
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case "F16":
                for (var i = 0; i < result.Length; i++)
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case "BF16":
                for (var i = 0; i < result.Length; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
        }
        return result;
    }

    /// <summary>Reads I32 tensor <paramref name="tensor"/> (e.g. <c>gen_ids</c>), checking its shape is exactly <paramref name="shape"/>.</summary>
    public int[] ReadInt32(string tensor, params int[] shape)
    {
        var bytes = Checked(tensor, shape, out var entry);
        if (entry.DType != "I32")
            throw new ModelBundleException(Name, tensor, $"is {entry.DType}; an I32 tensor is needed.");
        var result = new int[bytes.Length / 4];
        for (var i = 0; i < result.Length; i++)
            result[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
        return result;
    }

    // The tensor's data bytes, once its shape is checked.
    private ReadOnlySpan<byte> Checked(string tensor, int[] shape, out Entry entry)
    {
        ArgumentNullException.ThrowIfNull(shape);
        entry = Find(tensor);
        if (!entry.Shape.AsSpan().SequenceEqual(shape))
            throw new ModelBundleException(Name, tensor, $"has shape [{string.Join(", ", entry.Shape)}]; the config needs [{string.Join(", ", shape)}].");
        return _data.AsSpan((int)(_dataStart + entry.Begin), (int)(entry.End - entry.Begin));
    }

    private Entry Find(string tensor) =>
        _entries.TryGetValue(tensor, out var entry) ? entry : throw new ModelBundleException(Name, tensor, "tensor is missing.");

    private static int? ElementSize(string dtype) => dtype switch
    {
        "F32" or "I32" => 4,
        "F16" or "BF16" => 2,
        _ => null,
    };
}
