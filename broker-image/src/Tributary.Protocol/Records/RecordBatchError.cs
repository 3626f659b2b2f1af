namespace Tributary.Protocol.Records;

/// <summary>Outcome of validating a record batch, as the Kafka error code a Produce response carries.</summary>
public enum RecordBatchError : short
{
    None = 0,

    /// <summary>CORRUPT_MESSAGE: CRC mismatch, lengths that disagree with the buffer, unreadable records.</summary>
    CorruptMessage = 2,

    /// <summary>MESSAGE_TOO_LARGE: the batch exceeds the topic's max.message.bytes.</summary>
    MessageTooLarge = 10,

    /// <summary>UNSUPPORTED_COMPRESSION_TYPE: an unknown codec id, or zstd in Produce below v7.</summary>
    UnsupportedCompressionType = 76,

    /// <summary>INVALID_RECORD: legacy magic 0/1, wrong batch count, inconsistent offsets/count, control batches from clients.</summary>
    InvalidRecord = 87,
}
