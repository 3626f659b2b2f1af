using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Tributary.Protocol.Primitives;

/// <summary>
/// Writes Kafka wire primitives into a span that the caller sized beforehand (messages compute
/// their exact size first, so a response is written once into one pooled buffer).
/// </summary>
public ref struct KafkaWriter
{
    private readonly Span<byte> _span;
    private readonly IRecordsSink? _recordsSink;
    private int _position;

    public KafkaWriter(Span<byte> destination)
        : this(destination, null)
    {
    }

    /// <summary>
    /// A writer whose records fields are offered to <paramref name="recordsSink"/>: the bytes it
    /// takes are not written, so <paramref name="destination"/> need only hold the rest.
    /// </summary>
    public KafkaWriter(Span<byte> destination, IRecordsSink? recordsSink)
    {
        _span = destination;
        _recordsSink = recordsSink;
        _position = 0;
    }

    public readonly int Position => _position;

    /// <summary>The bytes written so far.</summary>
    public readonly Span<byte> Written => _span[.._position];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Advance(int count)
    {
        if ((uint)count > (uint)(_span.Length - _position))
        {
            throw new InvalidOperationException($"write of {count} bytes overruns the {_span.Length - _position} left; a Size() is wrong");
        }

        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    public void WriteBool(bool value) => Advance(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt8(sbyte value) => Advance(1)[0] = (byte)value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Advance(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Advance(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Advance(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Advance(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Advance(8), value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Advance(8), value);

    public void WriteUuid(Guid value)
    {
        if (!value.TryWriteBytes(Advance(16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("uuid write failed");
        }
    }

    public void WriteUnsignedVarInt(uint value)
    {
        var size = Varint.SizeOfUnsigned(value);
        Varint.WriteUnsigned(Advance(size), value);
    }

    public void WriteVarInt(int value) => WriteUnsignedVarInt(Varint.ZigZag(value));

    public void WriteVarLong(long value)
    {
        var raw = Varint.ZigZag(value);
        Varint.WriteUnsignedLong(Advance(Varint.SizeOfUnsignedLong(raw)), raw);
    }

    public void WriteArrayLength(int count) => WriteInt32(count);

    /// <summary>Compact array length: N+1, or 0 for a null array (pass -1).</summary>
    public void WriteCompactArrayLength(int count) => WriteUnsignedVarInt((uint)(count + 1));

    public void WriteString(string value) => WriteNullableString(value);

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new InvalidOperationException($"string of {length} bytes exceeds {short.MaxValue}");
        }

        WriteInt16((short)length);
        Encoding.UTF8.GetBytes(value, Advance(length));
    }

    public void WriteCompactString(string value) => WriteCompactNullableString(value);

    public void WriteCompactNullableString(string? value)
    {
        if (value is null)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteUnsignedVarInt((uint)length + 1);
        Encoding.UTF8.GetBytes(value, Advance(length));
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        value.CopyTo(Advance(value.Length));
    }

    public void WriteNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteBytes(value);
    }

    public void WriteCompactBytes(ReadOnlySpan<byte> value)
    {
        WriteUnsignedVarInt((uint)value.Length + 1);
        value.CopyTo(Advance(value.Length));
    }

    public void WriteCompactNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        WriteCompactBytes(value);
    }

    public void WriteRecords(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } records)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(records.Length);
        WriteRecordBytes(records);
    }

    public void WriteCompactRecords(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } records)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        WriteUnsignedVarInt((uint)records.Length + 1);
        WriteRecordBytes(records);
    }

    private void WriteRecordBytes(ReadOnlyMemory<byte> records)
    {
        if (records.IsEmpty || (_recordsSink is { } sink && sink.TryTake(_position, records)))
        {
            return;
        }

        records.Span.CopyTo(Advance(records.Length));
    }

    /// <summary>Raw bytes without a length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value) => value.CopyTo(Advance(value.Length));

    /// <summary>Reserves <paramref name="count"/> bytes to fill in later (e.g. a length prefix).</summary>
    public Span<byte> Reserve(int count) => Advance(count);
}
