using System.Buffers;
using System.Text;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Records;

/// <summary>
/// Writes a v2 record batch: append records, then <see cref="WriteTo"/> or <see cref="ToArray"/>
/// compresses the records section if asked, fills in the header, lengths and CRC32C.
/// Records go into a pooled buffer; dispose the builder to return it.
/// </summary>
/// <remarks>
/// baseTimestamp is the first record's timestamp (deltas may be negative), maxTimestamp the
/// largest, as the Java client does. Offset deltas count up from 0 unless
/// <see cref="NextOffsetDelta"/> is moved forward (compaction keeps offsets with gaps).
/// </remarks>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _records = new();
    private long _baseTimestamp;
    private long _maxTimestamp = -1;
    private int _lastOffsetDelta = -1;

    public long BaseOffset { get; init; }

    public int PartitionLeaderEpoch { get; init; } = -1;

    public long ProducerId { get; init; } = -1;

    public short ProducerEpoch { get; init; } = -1;

    public int BaseSequence { get; init; } = -1;

    public bool IsTransactional { get; init; }

    public bool IsControl { get; init; }

    /// <summary>Timestamp type bit: log-append time instead of create time.</summary>
    public bool LogAppendTime { get; init; }

    public CompressionType Compression { get; init; }

    /// <summary>The offset delta the next record gets; may be raised to leave a gap.</summary>
    public int NextOffsetDelta
    {
        get => _lastOffsetDelta + 1;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, _lastOffsetDelta);
            _lastOffsetDelta = value - 1;
        }
    }

    public int RecordCount { get; private set; }

    /// <summary>Uncompressed size of the records appended so far.</summary>
    public int RecordsSize => _records.WrittenCount;

    /// <summary>Appends a record; a null key or value is written as null (length -1).</summary>
    public void Append(long timestamp, byte[]? key, byte[]? value, params ReadOnlySpan<RecordHeaderData> headers) =>
        AppendCore(timestamp, key, key is null, value, value is null, headers);

    /// <summary>Appends a record with a non-null key and value taken from spans.</summary>
    public void AppendSpans(long timestamp, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ReadOnlySpan<RecordHeaderData> headers = default) =>
        AppendCore(timestamp, key, false, value, false, headers);

    /// <summary>Appends a record with a null key.</summary>
    public void AppendValue(long timestamp, ReadOnlySpan<byte> value, ReadOnlySpan<RecordHeaderData> headers = default) =>
        AppendCore(timestamp, default, true, value, false, headers);

    private void AppendCore(long timestamp, ReadOnlySpan<byte> key, bool keyNull, ReadOnlySpan<byte> value, bool valueNull, ReadOnlySpan<RecordHeaderData> headers)
    {
        if (RecordCount == 0)
        {
            _baseTimestamp = timestamp;
        }

        var offsetDelta = _lastOffsetDelta + 1;
        var timestampDelta = timestamp - _baseTimestamp;
        var bodySize = 1 + Varint.SizeOfVarLong(timestampDelta) + Varint.SizeOfVarInt(offsetDelta)
            + FieldSize(key.Length, keyNull) + FieldSize(value.Length, valueNull) + Varint.SizeOfVarInt(headers.Length);
        foreach (var header in headers)
        {
            ArgumentNullException.ThrowIfNull(header.Key);
            var keyLength = Encoding.UTF8.GetByteCount(header.Key);
            bodySize += Varint.SizeOfVarInt(keyLength) + keyLength + FieldSize(header.Value?.Length ?? 0, header.Value is null);
        }

        var total = Varint.SizeOfVarInt(bodySize) + bodySize;
        var writer = new KafkaWriter(_records.GetSpan(total)[..total]);
        writer.WriteVarInt(bodySize);
        writer.WriteInt8(0);
        writer.WriteVarLong(timestampDelta);
        writer.WriteVarInt(offsetDelta);
        WriteField(ref writer, key, keyNull);
        WriteField(ref writer, value, valueNull);
        writer.WriteVarInt(headers.Length);
        foreach (var header in headers)
        {
            var keyLength = Encoding.UTF8.GetByteCount(header.Key);
            writer.WriteVarInt(keyLength);
            Encoding.UTF8.GetBytes(header.Key, writer.Reserve(keyLength));
            WriteField(ref writer, header.Value, header.Value is null);
        }

        _records.Advance(total);
        _lastOffsetDelta = offsetDelta;
        _maxTimestamp = RecordCount == 0 ? timestamp : Math.Max(_maxTimestamp, timestamp);
        RecordCount++;
    }

    private static int FieldSize(int length, bool isNull) => isNull ? 1 : Varint.SizeOfVarInt(length) + length;

    private static void WriteField(ref KafkaWriter writer, ReadOnlySpan<byte> bytes, bool isNull)
    {
        if (isNull)
        {
            writer.WriteVarInt(-1);
            return;
        }

        writer.WriteVarInt(bytes.Length);
        writer.WriteRaw(bytes);
    }

    /// <summary>Writes the finished batch to <paramref name="destination"/>; returns its size in bytes.</summary>
    public int WriteTo(IBufferWriter<byte> destination)
    {
        if (RecordCount == 0)
        {
            throw new InvalidOperationException("a record batch needs at least one record");
        }

        using var compressed = Compression == CompressionType.None ? null : new PooledBufferWriter(_records.WrittenCount / 2 + 64);
        if (compressed is not null)
        {
            CompressionCodecs.Get(Compression).Compress(_records.WrittenSpan, compressed);
        }

        var payload = compressed is null ? _records.WrittenSpan : compressed.WrittenSpan;
        var size = RecordBatchHeader.Size + payload.Length;
        var span = destination.GetSpan(size)[..size];
        var writer = new KafkaWriter(span);
        writer.WriteInt64(BaseOffset);
        writer.WriteInt32(size - RecordBatchHeader.LogOverhead);
        writer.WriteInt32(PartitionLeaderEpoch);
        writer.WriteInt8((sbyte)RecordBatchHeader.CurrentMagic);
        writer.WriteUInt32(0); // CRC, filled in below
        writer.WriteInt16(Attributes());
        writer.WriteInt32(_lastOffsetDelta);
        writer.WriteInt64(_baseTimestamp);
        writer.WriteInt64(_maxTimestamp);
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
        writer.WriteInt32(BaseSequence);
        writer.WriteInt32(RecordCount);
        writer.WriteRaw(payload);
        var crc = Crc32C.Compute(span[RecordBatchHeader.AttributesOffset..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(span[RecordBatchHeader.CrcOffset..], crc);
        destination.Advance(size);
        return size;
    }

    /// <summary>The finished batch as a new array.</summary>
    public byte[] ToArray()
    {
        using var output = new PooledBufferWriter(RecordBatchHeader.Size + _records.WrittenCount + 64);
        WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private short Attributes()
    {
        var attributes = (int)Compression;
        if (LogAppendTime)
        {
            attributes |= 0x08;
        }

        if (IsTransactional)
        {
            attributes |= 0x10;
        }

        if (IsControl)
        {
            attributes |= 0x20;
        }

        return (short)attributes;
    }

    /// <summary>
    /// A transaction marker batch (transactional control batch with one COMMIT or ABORT record),
    /// as the transaction coordinator asks leaders to write.
    /// </summary>
    public static byte[] EndTransactionMarker(long baseOffset, long producerId, short producerEpoch, int coordinatorEpoch,
        bool commit, long timestamp, int partitionLeaderEpoch = -1)
    {
        using var builder = new RecordBatchBuilder
        {
            BaseOffset = baseOffset,
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            PartitionLeaderEpoch = partitionLeaderEpoch,
            IsTransactional = true,
            IsControl = true,
        };
        builder.Append(timestamp, ControlRecords.Key(commit ? ControlRecordType.Commit : ControlRecordType.Abort),
            ControlRecords.EndTransactionMarker(coordinatorEpoch));
        return builder.ToArray();
    }

    public void Dispose() => _records.Dispose();
}
