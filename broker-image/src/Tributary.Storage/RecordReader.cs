using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>
/// Walks the records of an uncompressed v2 batch payload (the bytes after the 61-byte header).
/// Used off the hot path only: compaction (keys, tombstones), timestamp lookups and control
/// records. Malformed records raise <see cref="StorageException"/> (CorruptRecord).
/// </summary>
/// <remarks>
/// Record layout: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
/// keyLength varint | key | valueLength varint | value | headerCount varint | headers.
/// All varints are zig-zag encoded.
/// </remarks>
internal ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _position;
    private int _remaining;

    public RecordReader(ReadOnlySpan<byte> payload, int recordCount)
    {
        _payload = payload;
        _remaining = recordCount;
    }

    /// <summary>Reader over the records of a whole uncompressed batch.</summary>
    public static RecordReader ForBatch(ReadOnlySpan<byte> batch) =>
        new(batch[RecordBatchHeader.Size..], RecordBatchHeader.RecordCount(batch));

    public bool TryRead(out RecordView record)
    {
        if (_remaining <= 0)
        {
            record = default;
            return false;
        }

        var start = _position;
        var length = ReadVarInt(_payload, ref _position);
        if (length < 0 || length > _payload.Length - _position)
        {
            throw Corrupt("record length outside the batch");
        }

        var end = _position + length;
        var body = _payload[..end];
        var p = _position;
        if (p >= end)
        {
            throw Corrupt("empty record");
        }

        var attributes = (sbyte)body[p++];
        var timestampDelta = ReadVarLong(body, ref p);
        var tailStart = p;
        var offsetDelta = ReadVarInt(body, ref p);
        var key = ReadBytes(body, ref p, out var keyIsNull);
        var value = ReadBytes(body, ref p, out var valueIsNull);
        var headerCount = ReadVarInt(body, ref p);
        if (headerCount < 0)
        {
            throw Corrupt("negative header count");
        }

        for (var i = 0; i < headerCount; i++)
        {
            var headerKey = ReadBytes(body, ref p, out var headerKeyIsNull);
            if (headerKeyIsNull)
            {
                throw Corrupt("null header key");
            }

            _ = headerKey;
            _ = ReadBytes(body, ref p, out _);
        }

        if (p != end)
        {
            throw Corrupt("record length does not match its fields");
        }

        _position = end;
        _remaining--;
        record = new RecordView(_payload[start..end], attributes, timestampDelta, offsetDelta, key, keyIsNull, valueIsNull, value, _payload[tailStart..end]);
        return true;
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> source, scoped ref int position, out bool isNull)
    {
        var length = ReadVarInt(source, ref position);
        isNull = length < 0;
        if (isNull)
        {
            return default;
        }

        if (length > source.Length - position)
        {
            throw Corrupt("field length outside the record");
        }

        var bytes = source.Slice(position, length);
        position += length;
        return bytes;
    }

    private static int ReadVarInt(ReadOnlySpan<byte> source, ref int position)
    {
        var result = Varint.TryReadUnsigned(source[position..], out var raw, out var used);
        if (result != VarintResult.Ok)
        {
            throw Corrupt("bad varint");
        }

        position += used;
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    private static long ReadVarLong(ReadOnlySpan<byte> source, ref int position)
    {
        var result = Varint.TryReadUnsignedLong(source[position..], out var raw, out var used);
        if (result != VarintResult.Ok)
        {
            throw Corrupt("bad varint");
        }

        position += used;
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    private static StorageException Corrupt(string detail) => new(StorageError.CorruptRecord, "corrupt record: " + detail);
}
