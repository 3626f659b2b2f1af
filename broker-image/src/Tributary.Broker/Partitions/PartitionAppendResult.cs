using Tributary.Protocol;

namespace Tributary.Broker.Partitions;

/// <summary>
/// Outcome of a leader append of one batch: the offsets assigned (for a duplicate of an earlier
/// idempotent batch, the offsets it got then), or an error code and message.
/// </summary>
public readonly record struct PartitionAppendResult(
    ErrorCode Error,
    long BaseOffset,
    long LastOffset,
    long LogAppendTimeMs,
    long LogStartOffset,
    long RecordCount,
    int Bytes,
    bool Duplicate,
    string? ErrorMessage)
{
    public static PartitionAppendResult Failure(ErrorCode error, string? message = null) =>
        new(error, -1, -1, -1, -1, 0, 0, false, message);
}
