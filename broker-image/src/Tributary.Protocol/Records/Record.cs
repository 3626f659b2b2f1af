namespace Tributary.Protocol.Records;

/// <summary>
/// One record of a v2 batch, read in place (nothing is copied or allocated):
/// <c>length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
/// keyLength varint (-1 null) | key | valueLength varint (-1 null) | value |
/// headerCount varint | (keyLength varint, key, valueLength varint (-1 null), value)*</c>.
/// </summary>
public readonly ref struct Record
{
    private readonly ReadOnlySpan<byte> _headers;

    private Record(int size, sbyte attributes, long timestampDelta, int offsetDelta, ReadOnlySpan<byte> key, bool isKeyNull,
        ReadOnlySpan<byte> value, bool isValueNull, int headerCount, ReadOnlySpan<byte> headers)
    {
        SizeInBytes = size;
        Attributes = attributes;
        TimestampDelta = timestampDelta;
        OffsetDelta = offsetDelta;
        Key = key;
        IsKeyNull = isKeyNull;
        Value = value;
        IsValueNull = isValueNull;
        HeaderCount = headerCount;
        _headers = headers;
    }

    /// <summary>Bytes the record takes, including its length prefix.</summary>
    public int SizeInBytes { get; }

    /// <summary>Record attributes; unused by Kafka so far.</summary>
    public sbyte Attributes { get; }

    public long TimestampDelta { get; }

    public int OffsetDelta { get; }

    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    public int HeaderCount { get; }

    public RecordHeaderEnumerator Headers => new(_headers, HeaderCount);

    /// <summary>Reads the record at the start of <paramref name="source"/>; on success <paramref name="consumed"/> is its size.</summary>
    public static RecordReadError TryRead(ReadOnlySpan<byte> source, out Record record, out int consumed)
    {
        record = default;
        consumed = 0;
        var outer = new RecordCursor(source);
        if (!outer.ReadVarInt(out var length))
        {
            return outer.Error;
        }

        if (length < 0)
        {
            return RecordReadError.InvalidLength;
        }

        if (length > outer.Remaining)
        {
            return RecordReadError.Truncated;
        }

        var body = outer.Slice(outer.Position, length);
        var cursor = new RecordCursor(body);
        if (!cursor.ReadByte(out var attributes)
            || !cursor.ReadVarLong(out var timestampDelta)
            || !cursor.ReadVarInt(out var offsetDelta)
            || !cursor.ReadField(allowNull: true, out var key, out var keyNull)
            || !cursor.ReadField(allowNull: true, out var value, out var valueNull)
            || !cursor.ReadVarInt(out var headerCount))
        {
            return Inside(cursor.Error);
        }

        if (headerCount < 0)
        {
            return RecordReadError.InvalidLength;
        }

        var headersStart = cursor.Position;
        for (var i = 0; i < headerCount; i++)
        {
            if (!TryReadHeader(ref cursor, out _))
            {
                return Inside(cursor.Error);
            }
        }

        if (cursor.Remaining != 0)
        {
            return RecordReadError.SizeMismatch;
        }

        consumed = outer.Position + length;
        record = new Record(consumed, (sbyte)attributes, timestampDelta, offsetDelta, key, keyNull, value, valueNull, headerCount,
            body[headersStart..]);
        return RecordReadError.None;
    }

    /// <summary>Running out of bytes inside a record means its length was wrong, not that the data was cut.</summary>
    private static RecordReadError Inside(RecordReadError error) =>
        error == RecordReadError.Truncated ? RecordReadError.SizeMismatch : error;

    internal static bool TryReadHeader(scoped ref RecordCursor cursor, out RecordHeader header)
    {
        header = default;
        // Kafka rejects a null header key ("Invalid negative header key size").
        if (!cursor.ReadField(allowNull: false, out var key, out _)
            || !cursor.ReadField(allowNull: true, out var value, out var valueNull))
        {
            return false;
        }

        header = new RecordHeader(key, value, valueNull);
        return true;
    }
}
