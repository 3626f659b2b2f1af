namespace Tributary.Storage;

/// <summary>What a <see cref="StorageException"/> reports; the broker maps each to a Kafka error code.</summary>
public enum StorageError
{
    /// <summary>Malformed batch bytes (CORRUPT_MESSAGE).</summary>
    CorruptRecord,

    /// <summary>A batch larger than <c>max.message.bytes</c> or the segment size (MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE).</summary>
    RecordTooLarge,

    /// <summary>A follower append whose offsets do not continue the log (UNKNOWN_SERVER_ERROR in Kafka: UnexpectedAppendOffset).</summary>
    InvalidAppendOffset,

    /// <summary>An offset outside [logStartOffset, logEndOffset] (OFFSET_OUT_OF_RANGE).</summary>
    OffsetOutOfRange,

    /// <summary>A checkpoint or producer snapshot file that cannot be parsed or fails its CRC.</summary>
    CorruptCheckpoint,

    /// <summary>The log was closed or deleted (KAFKA_STORAGE_ERROR / NOT_LEADER_OR_FOLLOWER).</summary>
    LogClosed,
}
