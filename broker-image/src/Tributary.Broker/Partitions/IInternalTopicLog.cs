using Tributary.Protocol;

namespace Tributary.Broker.Partitions;

/// <summary>
/// How coordinators (group, later transaction) use their internal topic's partitions
/// (<c>__consumer_offsets</c>, <c>__transaction_state</c>) through the replica manager: append
/// like a producer with acks=all, and read the committed log back when they take over a partition.
/// </summary>
public interface IInternalTopicLog
{
    /// <summary>
    /// Appends one or more complete v2 record batches (offsets are assigned by the log) to a
    /// partition this broker leads, completing when the write is committed (high watermark past
    /// it). Returns the base offset assigned, or an error code (NOT_LEADER_OR_FOLLOWER,
    /// NOT_ENOUGH_REPLICAS, UNKNOWN_TOPIC_OR_PARTITION, ...).
    /// </summary>
    ValueTask<(ErrorCode Error, long BaseOffset)> AppendAsync(string topic, int partition, ReadOnlyMemory<byte> batches, CancellationToken ct);

    /// <summary>
    /// Reads committed batches from <paramref name="fromOffset"/> up to the high watermark, in
    /// chunks of whole batches (each chunk may hold several concatenated batches).
    /// </summary>
    IEnumerable<ReadOnlyMemory<byte>> ReadCommitted(string topic, int partition, long fromOffset);
}
