namespace Tributary.Storage;

/// <summary>
/// One record inside an uncompressed batch payload, as slices of the payload (no copies).
/// <see cref="Tail"/> is everything after the timestamp delta (offset delta, key, value,
/// headers), which compaction copies verbatim when it re-encodes a record's timestamp delta.
/// </summary>
internal readonly ref struct RecordView
{
    public RecordView(ReadOnlySpan<byte> bytes, sbyte attributes, long timestampDelta, int offsetDelta, ReadOnlySpan<byte> key, bool keyIsNull, bool valueIsNull, ReadOnlySpan<byte> value, ReadOnlySpan<byte> tail)
    {
        Bytes = bytes;
        Attributes = attributes;
        TimestampDelta = timestampDelta;
        OffsetDelta = offsetDelta;
        Key = key;
        KeyIsNull = keyIsNull;
        ValueIsNull = valueIsNull;
        Value = value;
        Tail = tail;
    }

    /// <summary>The whole record including its length prefix.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public sbyte Attributes { get; }

    public long TimestampDelta { get; }

    public int OffsetDelta { get; }

    public ReadOnlySpan<byte> Key { get; }

    public bool KeyIsNull { get; }

    /// <summary>A null value: a tombstone in a compacted topic.</summary>
    public bool ValueIsNull { get; }

    public ReadOnlySpan<byte> Value { get; }

    public ReadOnlySpan<byte> Tail { get; }
}
