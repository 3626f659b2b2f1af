using System.Buffers.Binary;
using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>Header-only checks and rewrites applied to batches on the append path (no record decoding).</summary>
internal static class AppendChecks
{
    /// <summary>Structural checks of the batches handed to an append (the broker validated CRCs already).</summary>
    public static void CheckBatches(TopicPartition topicPartition, ReadOnlySpan<byte> batches, LogConfig config, bool requireIncreasingOffsets)
    {
        if (batches.IsEmpty)
        {
            throw new StorageException(StorageError.CorruptRecord, $"{topicPartition}: empty append");
        }

        var position = 0;
        var next = long.MinValue;
        while (position < batches.Length)
        {
            var remaining = batches[position..];
            if (remaining.Length < RecordBatchHeader.Size)
            {
                throw new StorageException(StorageError.CorruptRecord, $"{topicPartition}: {remaining.Length} trailing bytes are not a batch");
            }

            var batch = BatchInfo.Parse(remaining, position);
            if (batch.CheckHeader() is { } error)
            {
                throw new StorageException(StorageError.CorruptRecord, $"{topicPartition}: {error}");
            }

            if (batch.Size > remaining.Length)
            {
                throw new StorageException(StorageError.CorruptRecord, $"{topicPartition}: batch of {batch.Size} bytes is truncated");
            }

            if (batch.Size > config.MaxMessageBytes || batch.Size > config.SegmentBytes)
            {
                throw new StorageException(StorageError.RecordTooLarge, $"{topicPartition}: batch of {batch.Size} bytes exceeds the limit");
            }

            if (requireIncreasingOffsets)
            {
                if (batch.BaseOffset < next)
                {
                    throw new StorageException(StorageError.InvalidAppendOffset, $"{topicPartition}: offsets do not increase at {batch.BaseOffset}");
                }

                next = batch.NextOffset;
            }

            position += batch.Size;
        }
    }

    /// <summary>LogAppendTime: sets the timestamp-type bit and the max timestamp, which the CRC covers, so it is recomputed.</summary>
    public static void StampLogAppendTime(Span<byte> batch, long now)
    {
        var attributes = (short)(RecordBatchHeader.Attributes(batch) | 0x08);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], now);
        BatchValidator.UpdateCrc(batch);
    }
}
