using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Tributary.Protocol.Primitives;

/// <summary>
/// Reads Kafka wire primitives in place from a buffer. Every length read from the wire is
/// checked against the bytes that remain before anything is allocated, so a hostile length
/// can never size an allocation. Malformed input raises <see cref="ProtocolException"/>.
/// </summary>
/// <remarks>
/// Holds the buffer as <see cref="ReadOnlyMemory{T}"/> so that <c>records</c> fields can be
/// returned as zero-copy slices of the request buffer (they stay valid while that buffer does).
/// </remarks>
public ref struct KafkaReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public KafkaReader(ReadOnlyMemory<byte> buffer)
    {
        _memory = buffer;
        _span = buffer.Span;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _span.Length - _position;

    public readonly bool End => _position >= _span.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_span.Length - _position))
        {
            throw ProtocolException.Truncated(count, _span.Length - _position);
        }

        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    public bool ReadBool() => Take(1)[0] != 0;

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    /// <summary>A Kafka UUID: 16 bytes, most significant first.</summary>
    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    /// <summary>Unsigned LEB128 varint of at most 5 bytes; over-long forms are rejected.</summary>
    public uint ReadUnsignedVarInt()
    {
        var result = Varint.TryReadUnsigned(_span[_position..], out var value, out var length);
        if (result != VarintResult.Ok)
        {
            throw Varint.Error(result);
        }

        _position += length;
        return value;
    }

    /// <summary>Zig-zag encoded 32-bit varint.</summary>
    public int ReadVarInt()
    {
        var raw = ReadUnsignedVarInt();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Zig-zag encoded 64-bit varint of at most 10 bytes.</summary>
    public long ReadVarLong()
    {
        var result = Varint.TryReadUnsignedLong(_span[_position..], out var raw, out var length);
        if (result != VarintResult.Ok)
        {
            throw Varint.Error(result);
        }

        _position += length;
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Classic array length (int32); -1 means null. Bounded by the remaining bytes.</summary>
    public int ReadArrayLength()
    {
        var length = ReadInt32();
        if (length < -1)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"negative array length {length}");
        }

        return CheckCount(length);
    }

    /// <summary>Compact array length (unsigned varint N+1); -1 means null.</summary>
    public int ReadCompactArrayLength()
    {
        var raw = ReadUnsignedVarInt();
        if (raw > int.MaxValue)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"array length {raw} too large");
        }

        return CheckCount((int)raw - 1);
    }

    /// <summary>
    /// An element count can never exceed the bytes left (every element takes at least one byte
    /// in practice), which bounds the capacity callers pre-allocate.
    /// </summary>
    private readonly int CheckCount(int count)
    {
        if (count > Remaining)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"count {count} exceeds the {Remaining} bytes that remain");
        }

        return count;
    }

    public string ReadString() =>
        ReadNullableString() ?? throw new ProtocolException(ProtocolError.InvalidString, "null where a string is required");

    public string? ReadNullableString()
    {
        var length = ReadInt16();
        if (length < -1)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"negative string length {length}");
        }

        return length == -1 ? null : Decode(Take(length));
    }

    public string ReadCompactString() =>
        ReadCompactNullableString() ?? throw new ProtocolException(ProtocolError.InvalidString, "null where a string is required");

    public string? ReadCompactNullableString()
    {
        var raw = ReadUnsignedVarInt();
        if (raw == 0)
        {
            return null;
        }

        if (raw - 1 > short.MaxValue)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"string length {raw - 1} exceeds {short.MaxValue}");
        }

        return Decode(Take((int)raw - 1));
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolException(ProtocolError.InvalidString, "string is not valid UTF-8");
        }
    }

    public byte[] ReadBytes() =>
        ReadNullableBytes() ?? throw new ProtocolException(ProtocolError.InvalidLength, "null where bytes are required");

    public byte[]? ReadNullableBytes()
    {
        var length = ReadInt32();
        if (length < -1)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"negative bytes length {length}");
        }

        return length == -1 ? null : Take(length).ToArray();
    }

    public byte[] ReadCompactBytes() =>
        ReadCompactNullableBytes() ?? throw new ProtocolException(ProtocolError.InvalidLength, "null where bytes are required");

    public byte[]? ReadCompactNullableBytes()
    {
        var raw = ReadUnsignedVarInt();
        if (raw == 0)
        {
            return null;
        }

        if (raw - 1 > int.MaxValue)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"bytes length {raw - 1} too large");
        }

        return Take((int)(raw - 1)).ToArray();
    }

    /// <summary>A classic <c>records</c> field as a zero-copy slice; null when length is -1.</summary>
    public ReadOnlyMemory<byte>? ReadRecords()
    {
        var length = ReadInt32();
        if (length < -1)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"negative records length {length}");
        }

        // The cast matters: null alone would convert to an empty ReadOnlyMemory through the array conversion.
        return length == -1 ? null : (ReadOnlyMemory<byte>?)SliceMemory(length);
    }

    /// <summary>A compact <c>records</c> field as a zero-copy slice; null when the length is 0.</summary>
    public ReadOnlyMemory<byte>? ReadCompactRecords()
    {
        var raw = ReadUnsignedVarInt();
        if (raw == 0)
        {
            return null;
        }

        if (raw - 1 > int.MaxValue)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"records length {raw - 1} too large");
        }

        return SliceMemory((int)(raw - 1));
    }

    private ReadOnlyMemory<byte> SliceMemory(int length)
    {
        var start = _position;
        Take(length);
        return _memory.Slice(start, length);
    }

    /// <summary>Raw bytes without a length prefix (zero-copy).</summary>
    public ReadOnlyMemory<byte> ReadRaw(int length) => SliceMemory(length);

    /// <summary>Skips <paramref name="length"/> bytes, e.g. the body of an unknown tagged field.</summary>
    public void Skip(int length) => Take(length);

    /// <summary>
    /// Reads a tagged-field section header: the number of tagged fields that follow.
    /// Each is then (tag, size, body); use <see cref="ReadTag"/>.
    /// </summary>
    public int ReadTaggedFieldCount()
    {
        var count = ReadUnsignedVarInt();
        if (count > (uint)Remaining)
        {
            throw new ProtocolException(ProtocolError.InvalidLength, $"tagged field count {count} exceeds the remaining bytes");
        }

        return (int)count;
    }

    /// <summary>Reads one tagged field's tag and size, checking the size against the buffer.</summary>
    public (uint Tag, int Size) ReadTag()
    {
        var tag = ReadUnsignedVarInt();
        var size = ReadUnsignedVarInt();
        if (size > (uint)Remaining)
        {
            throw ProtocolException.Truncated((int)Math.Min(size, int.MaxValue), Remaining);
        }

        return (tag, (int)size);
    }

    /// <summary>Reads and discards a whole tagged-field section (no known tags).</summary>
    public void SkipTaggedFields()
    {
        var count = ReadTaggedFieldCount();
        for (var i = 0; i < count; i++)
        {
            var (_, size) = ReadTag();
            Skip(size);
        }
    }

    /// <summary>A reader over the next <paramref name="size"/> bytes, advancing this one past them.</summary>
    public KafkaReader ReadSubReader(int size) => new(SliceMemory(size));
}
