using System.Buffers.Binary;
using System.Text;

namespace Summarizer.Inference.Tokenization;

/// <summary>
/// The parts of sentencepiece_model.proto's <c>ModelProto</c> the segmenter needs, read with a minimal protobuf
/// reader: <c>pieces</c> (1: piece, 2: score, 3: type) and <c>normalizer_spec</c> (3: add_dummy_prefix, 4: remove_extra_whitespaces).
/// </summary>
internal sealed class SentencePieceModelProto
{
    /// <summary>Piece types (sentencepiece_model.proto).</summary>
    public const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;

    /// <summary>Pieces in id order.</summary>
    public List<(string Piece, float Score, int Type)> Pieces { get; } = [];

    /// <summary>normalizer_spec.add_dummy_prefix (default true).</summary>
    public bool AddDummyPrefix { get; private set; } = true;

    /// <summary>normalizer_spec.remove_extra_whitespaces (default true).</summary>
    public bool RemoveExtraWhitespaces { get; private set; } = true;

    /// <summary>Parses a serialized ModelProto; throws <see cref="InvalidDataException"/> when it is malformed.</summary>
    public static SentencePieceModelProto Parse(ReadOnlySpan<byte> data)
    {
        var model = new SentencePieceModelProto();
        var reader = new Reader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == 2)
                model.Pieces.Add(ParsePiece(reader.Bytes()));
            else if (field == 3 && wire == 2)
                model.ParseNormalizer(reader.Bytes());
            else
                reader.Skip(wire);
        }
        return model;
    }

    private static (string, float, int) ParsePiece(ReadOnlySpan<byte> data)
    {
        string piece = "";
        float score = 0;
        var type = Normal;
        var reader = new Reader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == 2)
                piece = Encoding.UTF8.GetString(reader.Bytes());
            else if (field == 2 && wire == 5)
                score = reader.Float();
            else if (field == 3 && wire == 0)
                type = (int)reader.Varint();
            else
                reader.Skip(wire);
        }
        return (piece, score, type);
    }

    private void ParseNormalizer(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 3 && wire == 0)
                AddDummyPrefix = reader.Varint() != 0;
            else if (field == 4 && wire == 0)
                RemoveExtraWhitespaces = reader.Varint() != 0;
            else
                reader.Skip(wire);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public readonly bool End => _at >= _data.Length;

        public (int Field, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_at >= _data.Length)
                    throw new InvalidDataException("truncated varint.");
                var b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return value;
            }
            throw new InvalidDataException("varint too long.");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = Varint();
            if (length > (ulong)(_data.Length - _at))
                throw new InvalidDataException("length-delimited field runs past the end.");
            var result = _data.Slice(_at, (int)length);
            _at += (int)length;
            return result;
        }

        public float Float()
        {
            if (_at + 4 > _data.Length)
                throw new InvalidDataException("truncated float.");
            var value = BinaryPrimitives.ReadSingleLittleEndian(_data[_at..]);
            _at += 4;
            return value;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _at += 8; break;
                case 2: Bytes(); break;
                case 5: _at += 4; break;
                default: throw new InvalidDataException($"unsupported wire type {wire}.");
            }
            if (_at > _data.Length)
                throw new InvalidDataException("field runs past the end.");
        }
    }
}
