using System.Buffers.Binary;

namespace Tributary.Protocol.Records;

/// <summary>
/// Field offsets and in-place accessors for the 61-byte header of a v2 record batch
/// (magic 2). The broker reads and rewrites these fields without decoding records.
/// </summary>
/// <remarks>
/// Layout: baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 |
/// crc uint32 | attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 |
/// maxTimestamp int64 | producerId int64 | producerEpoch int16 | baseSequence int32 |
/// recordCount int32. The CRC (Castagnoli) covers attributes through the end of the batch.
/// batchLength counts the bytes after the batchLength field itself.
/// </remarks>
public static class RecordBatchHeader
{
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordCountOffset = 57;
    public const int Size = 61;

    /// <summary>Bytes before batchLength's count starts: baseOffset + batchLength.</summary>
    public const int LogOverhead = 12;

    public const byte CurrentMagic = 2;

    public static long BaseOffset(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[BaseOffsetOffset..]);

    public static void SetBaseOffset(Span<byte> batch, long value) => BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffsetOffset..], value);

    public static int BatchLength(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthOffset..]);

    /// <summary>Total size of the batch on the wire: 12 + batchLength.</summary>
    public static int TotalSize(ReadOnlySpan<byte> batch) => LogOverhead + BatchLength(batch);

    public static int PartitionLeaderEpoch(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[PartitionLeaderEpochOffset..]);

    public static void SetPartitionLeaderEpoch(Span<byte> batch, int value) => BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], value);

    public static byte Magic(ReadOnlySpan<byte> batch) => batch[MagicOffset];

    public static uint Crc(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]);

    public static short Attributes(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);

    public static int LastOffsetDelta(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]);

    public static long LastOffset(ReadOnlySpan<byte> batch) => BaseOffset(batch) + LastOffsetDelta(batch);

    public static long BaseTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampOffset..]);

    public static long MaxTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampOffset..]);

    public static long ProducerId(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdOffset..]);

    public static short ProducerEpoch(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochOffset..]);

    public static int BaseSequence(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceOffset..]);

    public static int RecordCount(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[RecordCountOffset..]);

    /// <summary>The attribute bits (0-2) that hold the compression codec.</summary>
    public const short CompressionMask = 0x07;

    /// <summary>Compression codec: attributes bits 0-2.</summary>
    public static CompressionType Compression(short attributes) => (CompressionType)(attributes & CompressionMask);

    /// <summary>Timestamp type: attributes bit 3 (0 create time, 1 log-append time).</summary>
    public static bool IsLogAppendTime(short attributes) => (attributes & 0x08) != 0;

    public static bool IsTransactional(short attributes) => (attributes & 0x10) != 0;

    public static bool IsControl(short attributes) => (attributes & 0x20) != 0;

    public static bool HasDeleteHorizon(short attributes) => (attributes & 0x40) != 0;
}
