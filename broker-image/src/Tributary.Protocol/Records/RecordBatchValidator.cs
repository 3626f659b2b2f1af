using Tributary.Protocol.Checksums;

namespace Tributary.Protocol.Records;

/// <summary>
/// Checks record batches the way a Kafka 4.0 broker does before appending them, returning
/// a Kafka error code instead of throwing. Records are never decompressed here.
/// </summary>
public static class RecordBatchValidator
{
    /// <summary>The smallest batchLength of a v2 batch: the header after baseOffset and batchLength.</summary>
    public const int MinBatchLength = RecordBatchHeader.Size - RecordBatchHeader.LogOverhead;

    /// <summary>The smallest possible record: seven one-byte fields.</summary>
    public const int MinRecordSize = 7;

    /// <summary>First Produce version that may carry zstd (KIP-110).</summary>
    public const short MinProduceVersionForZstd = 7;

    /// <summary>
    /// Structural checks of one batch that fills <paramref name="batch"/> exactly: magic 2,
    /// batchLength, CRC32C, a known codec, and offset delta / record count that agree. Empty
    /// batches (recordCount 0, left by compaction) pass. Suits log recovery, replication and clients.
    /// </summary>
    public static BatchValidationResult Validate(ReadOnlySpan<byte> batch)
    {
        if (batch.Length <= RecordBatchHeader.MagicOffset)
        {
            return BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record batch is truncated");
        }

        var magic = RecordBatchHeader.Magic(batch);
        if (magic < RecordBatchHeader.CurrentMagic)
        {
            // Kafka 4.0 removed message format v0/v1 (KIP-724) and answers INVALID_RECORD.
            return BatchValidationResult.Fail(RecordBatchError.InvalidRecord, "only record batches with magic version 2 are supported");
        }

        if (magic > RecordBatchHeader.CurrentMagic)
        {
            return BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "unknown record batch magic");
        }

        if (batch.Length < RecordBatchHeader.Size)
        {
            return BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record batch is shorter than its header");
        }

        var length = RecordBatchHeader.BatchLength(batch);
        if (length < MinBatchLength || length != batch.Length - RecordBatchHeader.LogOverhead)
        {
            return BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record batch length does not match its size");
        }

        if (Crc32C.Compute(batch[RecordBatchHeader.AttributesOffset..]) != RecordBatchHeader.Crc(batch))
        {
            return BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record batch CRC does not match its contents");
        }

        var attributes = RecordBatchHeader.Attributes(batch);
        var compression = RecordBatchHeader.Compression(attributes);
        if (compression > CompressionType.Zstd)
        {
            return BatchValidationResult.Fail(RecordBatchError.UnsupportedCompressionType, "unknown compression type");
        }

        var count = RecordBatchHeader.RecordCount(batch);
        var lastOffsetDelta = RecordBatchHeader.LastOffsetDelta(batch);
        if (count < 0 || lastOffsetDelta < 0 || (long)count > (long)lastOffsetDelta + 1)
        {
            return BatchValidationResult.Fail(RecordBatchError.InvalidRecord, "inconsistent batch offset range and record count");
        }

        if (compression == CompressionType.None && (long)count * MinRecordSize > batch.Length - RecordBatchHeader.Size)
        {
            return BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record count exceeds what the batch can hold");
        }

        return BatchValidationResult.Ok;
    }

    /// <summary>
    /// Everything a broker checks on a Produce (v3+) partition's <c>records</c> field: exactly one
    /// batch, the checks of <see cref="Validate"/>, at least one record with offset deltas 0..n-1,
    /// no control batch from a client, zstd only from Produce v7, the size limit and, for an
    /// uncompressed batch, that every record parses with sequential offset deltas.
    /// </summary>
    /// <param name="records">The partition's records field.</param>
    /// <param name="produceVersion">The Produce request's version.</param>
    /// <param name="maxBatchBytes">The topic's max.message.bytes.</param>
    public static BatchValidationResult ValidateProduce(ReadOnlySpan<byte> records, short produceVersion, int maxBatchBytes = int.MaxValue)
    {
        if (records.Length < RecordBatchHeader.LogOverhead)
        {
            return records.IsEmpty
                ? BatchValidationResult.Fail(RecordBatchError.InvalidRecord, "produce requests must have at least one record batch per partition")
                : BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record batch is truncated");
        }

        var length = RecordBatchHeader.BatchLength(records);
        if (length < 0 || length > records.Length - RecordBatchHeader.LogOverhead)
        {
            return BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record batch length exceeds the records field");
        }

        var batch = records[..(RecordBatchHeader.LogOverhead + length)];
        var result = Validate(batch);
        if (!result.IsValid)
        {
            return result;
        }

        if (batch.Length != records.Length)
        {
            return BatchValidationResult.Fail(RecordBatchError.InvalidRecord, "produce requests may contain exactly one record batch per partition");
        }

        var attributes = RecordBatchHeader.Attributes(batch);
        var compression = RecordBatchHeader.Compression(attributes);
        if (compression == CompressionType.Zstd && produceVersion < MinProduceVersionForZstd)
        {
            return BatchValidationResult.Fail(RecordBatchError.UnsupportedCompressionType, "zstd compression needs produce version 7 or later");
        }

        if (RecordBatchHeader.IsControl(attributes))
        {
            return BatchValidationResult.Fail(RecordBatchError.InvalidRecord, "clients are not allowed to write control records");
        }

        var count = RecordBatchHeader.RecordCount(batch);
        if (count <= 0 || RecordBatchHeader.LastOffsetDelta(batch) != count - 1)
        {
            return BatchValidationResult.Fail(RecordBatchError.InvalidRecord, "inconsistent batch offset range and record count");
        }

        if (batch.Length > maxBatchBytes)
        {
            return BatchValidationResult.Fail(RecordBatchError.MessageTooLarge, "record batch is larger than the topic's max.message.bytes");
        }

        return compression == CompressionType.None ? ValidateRecords(batch[RecordBatchHeader.Size..], count) : BatchValidationResult.Ok;
    }

    /// <summary>Parses every record of an uncompressed section: structure, count, and offset deltas 0..n-1.</summary>
    public static BatchValidationResult ValidateRecords(ReadOnlySpan<byte> records, int expectedCount)
    {
        var enumerator = new RecordEnumerator(records, expectedCount);
        var index = 0;
        RecordReadError error;
        while (enumerator.TryMoveNext(out error))
        {
            if (enumerator.Current.OffsetDelta != index)
            {
                return BatchValidationResult.Fail(RecordBatchError.InvalidRecord, "record offset deltas are not sequential");
            }

            index++;
        }

        return error switch
        {
            RecordReadError.None => BatchValidationResult.Ok,
            RecordReadError.CountMismatch => BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "record count does not match the records in the batch"),
            _ => BatchValidationResult.Fail(RecordBatchError.CorruptMessage, "found invalid record structure"),
        };
    }
}
