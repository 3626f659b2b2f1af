using Tributary.Protocol.Records;

namespace Tributary.Client.Consumer;

/// <summary>A consumed record.</summary>
public sealed record ConsumeResult(TopicPartition Partition, long Offset, long Timestamp, bool IsLogAppendTime, byte[]? Key, byte[]? Value,
    IReadOnlyList<RecordHeaderData> Headers, int LeaderEpoch);
